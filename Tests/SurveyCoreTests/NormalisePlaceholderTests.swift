import Foundation
import Testing

@testable import SurveyCore

/// Cells a respondent fills with the forms' mark for "nothing" (`-`, `...`, `–`): what each row then says, on files
/// as the districts send them.
extension NormaliseTests.NormaliseStageTests {
  static let placeholderFixtures = fixturesRoot.appendingPathComponent("placeholders")

  /// Ingests the fixture files `files` (name in the run → fixture) and normalises them: the run folder.
  func run(fixtures files: [String: URL], wording: RowWording, today: SurveyDate? = nil) throws -> TemporaryFolder {
    let input = try TemporaryFolder("placeholder-in")
    defer { input.cleanUp() }
    let run = try TemporaryFolder("placeholder-run")
    for (name, fixture) in files { try Data(contentsOf: fixture).write(to: input.file(name)) }
    try IngestStage.run(
      files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema(),
      wording: wording)
    try NormaliseStage.run(
      runDirectory: run.url, reference: try shippedReference(), corrections: Corrections(), wording: wording,
      today: today)
    return run
  }

  /// A lone "-" (or "...", "–", "—", "…", "__/__/____") in a number or date cell is a blank cell: it was remarked
  /// "not read" three times on one row, which the report counted among the rows to correct in the source file.
  /// The employees a row must give are, so written, not given, as when blank. A cell with anything else ("?",
  /// "x", "-5", "--/--/2025") is still said.
  @Test func aPlaceholderInANumberOrDateCellIsABlankCell() throws {
    let w = RowWording.english
    let run = try run(
      fixtures: ["dong-hung.csv": Self.placeholderFixtures.appendingPathComponent("dong-hung-gach-ngang.csv")],
      wording: w)
    defer { run.cleanUp() }
    let rows = try rows(run, ArtefactName.establishments)
    let columns = ["employees", "revenue_mvnd", "trainees", "support_requested_mvnd", "survey_date", "problems"]
    #expect(
      rows.map { row in columns.map { row[$0]! } } == [
        ["5", "", "", "", "2025-11-11", ""],
        ["", "1200", "", "", "", w.noEmployees],
        ["7", "", "2", "", "", ""],
        [
          "6", "", "", "", "",
          [
            w.notRead(.surveyDate, "--/--/2025"), w.notRead(.revenue, "?"), w.notRead(.trainees, "x"),
            w.notPlausible(.supportRequested, "-5"),
          ].joined(separator: "; "),
        ],
      ])
    let summary = try StableJSON.read(NormaliseSummary.self, from: run.file(ArtefactName.normaliseSummary))
    #expect(summary.totals.counted == 4 && summary.totals.remarked == 2)

    let (held, _) = try throughTheStringPath(run, corrections: [])
    defer { held.cleanUp() }
    #expect(
      try Data(contentsOf: held.file(ArtefactName.establishments))
        == Data(contentsOf: run.file(ArtefactName.establishments)))
  }
}
