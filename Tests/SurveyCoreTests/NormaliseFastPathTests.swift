import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  /// The stage's byte path (`RowNormaliser+Bytes`) against the String path it caches, row by row as the
  /// first stage did it (`NormaliseStreamingTests.runHoldingEveryRow`): the same bytes in every artefact, on
  /// real ingest output (the messy survey generator's spellings, numbers, dates and tax codes; the samples).
  @Suite struct NormaliseFastPathTests {
    /// Ingests `input` into two run folders, normalises one with the stage and one through the String path.
    func compare(input: URL, corrections: Corrections = Corrections()) throws -> Int {
      let work = try TemporaryFolder("fast-path")
      defer { work.cleanUp() }
      let expected = try work.folder("expected")
      let actual = try work.folder("actual")
      let blocks = try work.folder("blocks")
      let files = try IngestStage.inputFiles(in: input)
      for run in [expected, actual, blocks] {
        try IngestStage.run(files: files, runDirectory: run, schema: try shippedSchema())
      }
      // The stage reading ingested.csv, and reading many small blocks of staged rows on two threads.
      try? FileManager.default.removeItem(at: StagedRows.companion(of: actual.appendingPathComponent(ArtefactName.ingested)))
      try writeCompanion(of: blocks.appendingPathComponent(ArtefactName.ingested))
      let reference = try shippedReference()
      try NormaliseStreamingTests.runHoldingEveryRow(
        runDirectory: expected, reference: reference, corrections: corrections)
      try NormaliseStage.run(runDirectory: actual, reference: reference, corrections: corrections)
      try NormaliseStage.run(runDirectory: blocks, reference: reference, corrections: corrections)
      for artefact in [
        ArtefactName.establishments, ArtefactName.duplicates, ArtefactName.review, ArtefactName.rejects,
        ArtefactName.normaliseSummary,
      ] {
        let want = try Data(contentsOf: expected.appendingPathComponent(artefact))
        for run in [actual, blocks] {
          let got = try Data(contentsOf: run.appendingPathComponent(artefact))
          let same = got == want  // a Bool: Swift Testing would diff two large Data values for minutes
          #expect(same, "\(run.lastPathComponent): \(artefact) differs")
        }
      }
      return try readArtefact(actual.appendingPathComponent(ArtefactName.establishments)).rows.count
    }

    @Test(arguments: [2, 3])
    func messySurveyGivesTheStringPathsBytes(seed: Int) throws {
      let work = try TemporaryFolder("messy-fast")
      defer { work.cleanUp() }
      let input = try work.folder("input")
      let generator = Process()
      generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      generator.arguments = [
        "python3", repositoryRoot.appendingPathComponent("scripts/generate-messy-survey").path,
        "--out-dir", input.path, "--truth", work.file("truth.csv").path, "--rows", "3000", "--seed", String(seed),
      ]
      try generator.run()
      generator.waitUntilExit()
      try #require(generator.terminationStatus == 0, "the generator failed")
      #expect(try compare(input: input) > 2500)
    }

    @Test func shippedSamplesGiveTheStringPathsBytes() throws {
      let corrections = Corrections([
        correction("district", "Kien Xuong", "343", file: "2025-10-dong-hung.csv"),
        correction("enterprise_type", "Hộ SX", "household"),
        correction("sector", "Dệt", "textiles"),
      ])
      #expect(try compare(input: repositoryRoot.appendingPathComponent("input"), corrections: corrections) > 150)
    }
  }
}
