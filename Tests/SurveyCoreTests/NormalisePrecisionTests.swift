import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  /// Precision first: on a generated messy survey whose truth is known, no row
  /// gets a wrong district and at least 99% of the resolvable rows get one.
  @Suite struct NormalisePrecisionTests {
    /// Runs scripts/generate-messy-survey, then ingest and normalise, and compares with the truth.
    func measure(rows: Int, seed: Int) throws -> (resolvable: Int, resolved: Int, correct: Int, wrong: [String]) {
      let work = try TemporaryFolder("messy")
      defer { work.cleanUp() }
      let input = try work.folder("input")
      let run = try work.folder("run")
      let generator = Process()
      generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      generator.arguments = [
        "python3", repositoryRoot.appendingPathComponent("scripts/generate-messy-survey").path,
        "--out-dir", input.path, "--truth", work.file("truth.csv").path, "--rows", String(rows), "--seed", String(seed),
      ]
      try generator.run()
      generator.waitUntilExit()
      try #require(generator.terminationStatus == 0, "the generator failed")
      try IngestStage.run(files: try IngestStage.inputFiles(in: input), runDirectory: run, schema: try shippedSchema())
      try NormaliseStage.run(runDirectory: run, reference: try shippedReference(), corrections: Corrections())

      let truth = try readArtefact(work.file("truth.csv")).rows
      let counted = try readArtefact(run.appendingPathComponent(ArtefactName.establishments)).rows
      var districtOf: [String: String] = [:]
      for row in counted { districtOf[row[0] + ":" + row[1]] = row[5] }
      var resolvable = 0
      var correct = 0
      var wrong: [String] = []
      for row in truth {
        let key = row[0] + ":" + row[1]
        let expected = row[2]
        let sure = expected != "ambiguous" && expected != "unresolvable"
        if sure { resolvable += 1 }
        guard let got = districtOf[key] else { continue }
        if got == expected { correct += 1 } else { wrong.append("\(key): truth \(expected), got \(got)") }
      }
      return (resolvable, counted.count, correct, wrong)
    }

    @Test func noWrongDistrictAndAtLeast99PercentResolved() throws {
      let result = try measure(rows: 5000, seed: 1)
      #expect(result.wrong.isEmpty, "\(result.wrong.prefix(20))")
      let recall = Double(result.correct) / Double(result.resolvable)
      #expect(recall >= 0.99, "recall \(recall): \(result.correct) of \(result.resolvable)")
      #expect(result.resolvable >= 4000)
    }
  }
}
