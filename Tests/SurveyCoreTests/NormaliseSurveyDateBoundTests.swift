import Foundation
import Testing

@testable import SurveyCore

/// A survey date after the day the run takes as today (`survey-normalise --today`): a year typed wrong, which won
/// deduplication over the corrected re-survey and stretched the report's survey period, unsaid.
extension NormaliseTests.NormaliseStageTests {
  /// A district's first round, with two years typed wrong (one as Excel's ISO form) and a survey made on the run's
  /// day itself, and its re-survey, in a file earlier by name: date, not file order, decides between them.
  static let firstRound = """
    1,1000000001,HTX Mây tre đan Hồng Lý,HTX,Vũ Thư,Xã Hồng Lý,,12,,,20/11/2052
    2,1000000002,Cơ sở gốm Nguyễn Thị Bình,Hộ KD,Vũ Thư,Xã Hồng Lý,,6,,,2052-11-21
    3,1000000003,Cơ sở thêu ren Minh Lãng,Hộ KD,Vũ Thư,Xã Minh Lãng,,5,,,18/11/2025
    4,1000000004,Cơ sở chiếu cói Việt Hùng,Hộ KD,Vũ Thư,Xã Việt Hùng,,4,,,01/12/2026

    """
  static let reSurvey = """
    1,1000000001,HTX Mây tre đan Hồng Lý,HTX,Vũ Thư,Xã Hồng Lý,,14,,,25/11/2025

    """
  static let roundFiles = ["vu-thu-dot-1.csv": firstRound, "vu-thu-bo-sung.csv": reSurvey]
  static let runDay = SurveyDate(year: 2026, month: 12, day: 1)!

  func duplicateLines(_ run: TemporaryFolder) throws -> [String] {
    try rows(run, ArtefactName.duplicates).map {
      "\($0["source_file"]!):\($0["source_line"]!) \($0["kept_file"]!):\($0["kept_line"]!) \($0["reason"]!)"
    }
  }

  @Test func aSurveyDateAfterTheRunsDayIsTakenAsNotWrittenAndTheReSurveyStands() throws {
    let (run, summary) = try run(Self.roundFiles, today: Self.runDay)
    defer { run.cleanUp() }
    // The re-survey stands as over a row without a date; the first round's row is merged, not lost, and its
    // reason says why it has none (its remark went with it).
    #expect(
      try duplicateLines(run) == [
        "vu-thu-dot-1.csv:2 vu-thu-bo-sung.csv:2 same tax code 1000000001; the survey with a date stands "
          + "(25/11/2025); this one's survey date is after the run's day, so taken as none: check it in the survey "
          + "file"
      ])
    #expect(summary.totals.rowsIn == 5 && summary.totals.counted == 4 && summary.totals.duplicates == 1)
    #expect(summary.totals.remarked == 1)
    let counted = Dictionary(
      uniqueKeysWithValues: try rows(run, ArtefactName.establishments).map { ($0["tax_code"]!, $0) })
    #expect(counted["1000000001"]?["employees"] == "14")
    #expect(counted["1000000001"]?["survey_date"] == "2025-11-25")
    // Counted, its date blank, and said on its row as the date is read: as dd/mm/yyyy beside the run's day.
    #expect(counted["1000000002"]?["survey_date"] == "")
    #expect(
      counted["1000000002"]?["problems"]
        == "survey date 21/11/2052 after the run's day 01/12/2026: taken as not written; check the year")
    // The run's day itself is no future.
    #expect(counted["1000000004"]?["survey_date"] == "2026-12-01")
    #expect(counted["1000000004"]?["problems"] == "")

    // The reference (every row held through the String path, then `Deduplicator`) makes the same bytes.
    let (held, _) = try throughTheStringPath(run, corrections: [], today: Self.runDay)
    defer { held.cleanUp() }
    for name in [ArtefactName.establishments, ArtefactName.duplicates] {
      #expect(try Data(contentsOf: held.file(name)) == Data(contentsOf: run.file(name)), "\(name)")
    }
  }

  @Test func theRemarkAndTheReasonSpeakVietnamese() throws {
    let (run, _) = try run(Self.roundFiles, wording: .vietnamese, today: Self.runDay)
    defer { run.cleanUp() }
    let remarks = try rows(run, ArtefactName.establishments).map { $0["problems"]! }.filter { !$0.isEmpty }
    #expect(remarks == ["ngày khảo sát 21/11/2052 sau ngày chạy 01/12/2026: coi như không ghi; kiểm tra lại năm"])
    #expect(
      try rows(run, ArtefactName.duplicates).map { $0["reason"] } == [
        "trùng mã số thuế 1000000001; lấy phiếu có ngày khảo sát (25/11/2025); ngày khảo sát của phiếu này sau "
          + "ngày chạy nên coi như không ghi: kiểm tra lại trong tệp gốc"
      ])
  }

  /// Without `--today` (tests, runs by hand) no date is bounded: the stage is what it was, byte for byte.
  @Test func withoutTheRunsDayNoDateIsBounded() throws {
    let (run, summary) = try run(Self.roundFiles)
    defer { run.cleanUp() }
    #expect(
      try duplicateLines(run) == [
        "vu-thu-bo-sung.csv:2 vu-thu-dot-1.csv:2 same tax code 1000000001; the later survey stands "
          + "(20/11/2052; this one 25/11/2025)"
      ])
    #expect((summary.totals.remarked ?? 0) == 0)
    let dates = try rows(run, ArtefactName.establishments).map { $0["survey_date"]! }
    #expect(dates == ["2052-11-20", "2052-11-21", "2025-11-18", "2026-12-01"])
  }

  /// A normaliser kept across runs (the fuzzer's) answers a date's spelling from its caches: a new day must not
  /// find the answer made under the old one.
  @Test func aNormaliserKeptAcrossRunsAnswersEachRunsDay() throws {
    let normaliser = RowNormaliser(reference: try shippedReference(), corrections: Corrections())
    func problems(_ date: String) -> String {
      guard
        case .counted(let row) = normaliser.normalise(
          file: "a.csv", line: 2,
          { key in
            [
              "name": "HTX Hồng Lý", "enterprise_type": "HTX", "district": "Vũ Thư", "employees": "5",
              "survey_date": date,
            ][key] ?? ""
          })
      else { return "not counted" }
      return row.cells[Establishment.header.firstIndex(of: "problems")!]
    }
    #expect(!problems("20/11/2052").contains("2052"))
    normaliser.today = Self.runDay
    #expect(problems("20/11/2052").hasPrefix("survey date 20/11/2052 after the run's day 01/12/2026"))
    normaliser.today = SurveyDate(year: 2053, month: 1, day: 1)
    #expect(!problems("20/11/2052").contains("2052"))
  }
}
