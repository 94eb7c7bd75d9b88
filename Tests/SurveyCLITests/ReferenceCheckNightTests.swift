/// `survey-run check-reference`, by hand and after a night that a reference table stopped: the cron log lists every
/// table's mistake on the night the first one is met, rather than one table a night.
import Foundation
import Testing

@Suite(.serialized) struct ReferenceCheckNightTests {
  /// The shipped reference tables copied into `folder`, then `edits` applied (text → text; nil deletes the table).
  func copyReference(to folder: URL, _ edits: [String: @Sendable (String) -> String?]) throws {
    try FileManager.default.copyItem(at: Paths.repository.appendingPathComponent("input/reference"), to: folder)
    for (table, edit) in edits {
      let url = folder.appendingPathComponent(table)
      if let text = edit(try String(contentsOf: url, encoding: .utf8)) {
        try Data(text.utf8).write(to: url)
      } else {
        try FileManager.default.removeItem(at: url)
      }
    }
  }

  static let alias999 =
    "district-aliases.csv:132: alias \"Huyện Mới\" names district code 999, which districts.csv "
    + "does not have"
  static let actionNeed =
    "recommend-actions.csv:2: need 'đào tạo' is not in needs.csv: write one of its keys "
    + "(training, management, demo_model, machinery, clean_production, marketing, product_dev, consulting, cluster)"
  /// A normalise table's mistake and a report table's: two nights, one table each, without the check.
  static let twoMistakes: [String: @Sendable (String) -> String?] = [
    "district-aliases.csv": { $0 + "Huyện Mới,999\n" },
    "recommend-actions.csv": { $0.replacingOccurrences(of: "\ntraining,sector,", with: "\nđào tạo,sector,") },
  ]

  @Test func checkReferenceIsQuietOnTheShippedTablesAndListsEveryTablesMistake() throws {
    #expect(try execute("survey-run", ["--help"]).1.contains("check-reference"))
    let (status, output, errors) = try execute("survey-run", ["check-reference", "--reference", "input/reference"])
    #expect(status == 0 && output.isEmpty && errors.isEmpty, "\(output)\(errors)")
    let verbose = try execute("survey-run", ["check-reference", "--reference", "input/reference", "-v"])
    #expect(verbose.0 == 0)
    #expect(verbose.1 == "survey-run: 16 reference tables checked in input/reference: no mistake\n")

    let folder = try temporaryFolder("check-reference")
    defer { try? FileManager.default.removeItem(at: folder) }
    let reference = folder.appendingPathComponent("reference")
    try copyReference(to: reference, Self.twoMistakes)
    let program = productsFolder.appendingPathComponent("survey-run").path
    let bad = try execute("survey-run", ["check-reference", "--reference", reference.path])
    #expect(bad.0 == 65)
    #expect(bad.1.isEmpty)
    #expect(
      bad.2 == """
        survey-run: \(Self.alias999)
        survey-run: \(Self.actionNeed)
        survey-run: 2 reference tables hold a mistake (district-aliases.csv, recommend-actions.csv): fix them all \
        before the next run, then check again with \(program) check-reference --reference \(reference.path)

        """)

    // A table missing, and none malformed: 66, as the stage that needs it exits.
    try FileManager.default.removeItem(at: reference)
    try copyReference(to: reference, ["scoring-weights.csv": { _ in nil }])
    let missing = try execute("survey-run", ["check-reference", "--reference", reference.path])
    #expect(missing.0 == 66)
    #expect(
      missing.2.hasPrefix(
        "survey-run: reference table \(reference.path)/scoring-weights.csv is missing: copy it back from the "
          + "repository's input/reference/ folder"))
    #expect(missing.2.split(separator: "\n").count == 2, "\(missing.2)")
  }

  /// A night whose reference folder holds two tables with a mistake, one normalise reads and one only the report
  /// reads: normalise stops it with its line, and the log then lists both tables' mistakes and the run's failure line
  /// last; latest stays on the last complete run, and the manifest has the stages as before.
  @Test func aNightStoppedByATableListsEveryTablesMistakeInTheLog() throws {
    let work = try Workdir()
    defer { work.remove() }
    let good = try work.run()
    expectComplete(good)
    let first = try #require(work.latestRun())

    try copyReference(to: work.input.appendingPathComponent("reference"), Self.twoMistakes)
    let failed = try work.run()
    #expect(failed.code == 65, "\(failed)")
    #expect(work.latestRun() == first)
    let run = try #require(try work.runs().last)
    let lines = failed.stderr.split(separator: "\n").map(String.init)
    let program = work.bin.appendingPathComponent("survey-run").path
    #expect(lines.count == 5, "\(failed)")
    #expect(lines.first == "survey-normalise: \(Self.alias999)")
    #expect(Array(lines.dropFirst().prefix(2)) == ["survey-run: \(Self.alias999)", "survey-run: \(Self.actionNeed)"])
    #expect(
      lines.dropFirst(3).first
        == "survey-run: 2 reference tables hold a mistake (district-aliases.csv, recommend-actions.csv): fix them "
        + "all before the next run, then check again with \(program) check-reference --reference "
        + work.input.appendingPathComponent("reference").path)
    #expect(
      lines.last?.hasPrefix("run-pipeline: run \(run) failed in normalise (exit 65); latest is unchanged (\(first));")
        == true, "\(failed)")
    let stages = try #require(try work.manifest(run)["stages"] as? [[String: Any]])
    #expect(stages.map { $0["name"] as? String } == ["ingest", "normalise"])
  }

  /// A night that fails for another reason than a table (no survey file at all, exit 66) has the check find
  /// nothing: the log is the stage's line and the run's, as before.
  @Test func aNightThatFailsForAnotherReasonPrintsNoCheck() throws {
    let work = try Workdir()
    defer { work.remove() }
    try FileManager.default.removeItem(at: work.input.appendingPathComponent("hung-ha.csv"))
    let failed = try work.run()
    #expect(failed.code == 66, "\(failed)")
    let lines = failed.stderr.split(separator: "\n")
    #expect(lines.count == 2, "\(failed)")
    #expect(lines.first?.hasPrefix("survey-ingest: the input folder ") == true, "\(failed)")
    #expect(lines.last?.hasPrefix("run-pipeline: run ") == true && lines.last?.contains("failed in ingest") == true)
    #expect(!failed.stderr.contains("survey-run") && failed.stdout.isEmpty, "\(failed)")
  }
}
