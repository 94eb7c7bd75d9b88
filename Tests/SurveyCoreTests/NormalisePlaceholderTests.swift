import Foundation
import Testing

@testable import SurveyCore

/// Cells a respondent fills with the forms' mark for "nothing" (`-`, `...`, `–`), and survey dates after the run's
/// day whose year is right: what each row then says, on files as the districts send them.
extension NormaliseTests.NormaliseStageTests {
  static let placeholderFixtures = fixturesRoot.appendingPathComponent("placeholders")
  static let surveyDateFixtures = fixturesRoot.appendingPathComponent("survey-dates")

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

  /// 03/12/2026 on a run of 02/12/2026 has the right year: its remark says to check the day and month, not the
  /// year, which it says of 20/11/2052. A row merged away for such a date says once what is true: the row that
  /// stands has a date (or none), and this one's was after the run's day, not "this one has none" and then that.
  @Test func aDateAfterTheRunsDaySaysWhatToCheckAndItsMergeSaysItOnce() throws {
    let runDay = SurveyDate(year: 2026, month: 12, day: 2)!
    let fixture = Self.surveyDateFixtures.appendingPathComponent("dong-hung-sau-ngay-chay.csv")
    let vi = try run(fixtures: ["dong-hung.csv": fixture], wording: .vietnamese, today: runDay)
    defer { vi.cleanUp() }
    #expect(
      try rows(vi, ArtefactName.duplicates).map { "\($0["source_line"]!) \($0["reason"]!)" } == [
        "2 trùng mã số thuế 1000000018; lấy phiếu có ngày khảo sát (20/11/2025); ngày khảo sát của phiếu này sau ngày "
          + "chạy nên coi như không ghi: kiểm tra lại trong tệp gốc",
        "4 trùng mã số thuế 1000000034, phiếu được lấy không có ngày khảo sát; ngày khảo sát của phiếu này sau ngày "
          + "chạy nên coi như không ghi: kiểm tra lại trong tệp gốc; lấy dòng sau",
      ])
    let remarks = try rows(vi, ArtefactName.establishments).map { $0["problems"]! }
    #expect(
      remarks == [
        "", "", "ngày khảo sát 03/12/2026 sau ngày chạy 02/12/2026: coi như không ghi; kiểm tra lại ngày, tháng",
      ])

    let en = try run(fixtures: ["dong-hung.csv": fixture], wording: .english, today: runDay)
    defer { en.cleanUp() }
    #expect(
      try rows(en, ArtefactName.duplicates).map(\.["reason"]) == [
        "same tax code 1000000018; the survey with a date stands (20/11/2025); this one's survey date is after the "
          + "run's day, so taken as none: check it in the survey file",
        "same tax code 1000000034, no survey date on the row that stands; this one's survey date is after the run's "
          + "day, so taken as none: check it in the survey file; the later row stands",
      ])
    #expect(
      try rows(en, ArtefactName.establishments).last?["problems"]
        == "survey date 03/12/2026 after the run's day 02/12/2026: taken as not written; check the day and month")
    #expect(
      RowWording.english.surveyDateAfterRun("20/11/2052", "02/12/2026", true)
        == "survey date 20/11/2052 after the run's day 02/12/2026: taken as not written; check the year")

    // The reference (every row through the String path, then `Deduplicator`) gives the same reasons.
    let (held, _) = try throughTheStringPath(en, corrections: [], today: runDay)
    defer { held.cleanUp() }
    for name in [ArtefactName.establishments, ArtefactName.duplicates] {
      #expect(try Data(contentsOf: held.file(name)) == Data(contentsOf: en.file(name)), "\(name)")
    }
  }
}
