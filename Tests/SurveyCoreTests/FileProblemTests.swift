/// File problems as data: kept whole through `ingest-summary.json`, and worded by the report in its language.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct FileProblemTests {
  /// One of every kind ingest makes.
  static let every: [FileProblem] = [
    .unreadable("No such file or directory"), .symbolicLink, .folder, .notRegularFile, .emptyFile,
    .tooLarge(bytes: 2_147_483_648, limit: 1_073_741_824), .cannotOpen, .binary,
    .lostLetters("Cơ s? th? Dương Th? Th?y"), .noHeader(depth: 30, minimum: 3),
    .missingColumns(["Tên cơ sở", "Số lao động"], eitherOf: ["Huyện/Thành phố", "Xã/Phường/Thị trấn"]),
    .missingColumns(["Loại hình"], eitherOf: []),
    .missingColumns([], eitherOf: ["Huyện/Thành phố", "Xã/Phường/Thị trấn"], address: "Địa chỉ cơ sở"), .noDataRows,
    .unterminatedQuote,
    .malformedCSV("error parsing data while strict checking enabled"), .fieldTooLong(limit: 1_048_576),
    .tooManyFields(limit: 1_000), .noNeedsColumn("Nhu cầu hỗ trợ"), .moneyUnitNotRead("Kinh phí đề nghị hỗ trợ (USD)"),
    .other("something new went wrong"),
  ]

  @Test func everyKindComesBackWholeFromTheSummary() throws {
    var summary = IngestFileSummary(file: "a.csv", bytes: 10)
    for problem in Self.every {
      summary.record(problem)
      summary.warn(problem)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let back = try JSONDecoder().decode(IngestFileSummary.self, from: try encoder.encode(summary))
    #expect(back.problemDetail == Self.every.last)
    #expect(back.problem == Self.every.last?.english)
    #expect(back.warningDetails == Self.every)
    #expect(back.warnings == Self.every.map(\.english))
  }

  @Test func aCodeThisVersionDoesNotKnowReadsAsOtherAndAnOlderSummaryAsNone() throws {
    let newer = #"{"code": "from_the_future", "values": ["x"]}"#
    #expect(try JSONDecoder().decode(FileProblem.self, from: Data(newer.utf8)) == .other("x"))
    let wrong = #"{"code": "too_large", "values": ["many"]}"#
    #expect(try JSONDecoder().decode(FileProblem.self, from: Data(wrong.utf8)) == .other("many"))
    let older = #"""
      {"file": "a.csv", "status": "set_aside", "bytes": 1, "mapping": {}, "unknown_columns": [], "rows_read": 0,
       "rows_passed": 0, "rows_skipped_blank": 0, "rows_skipped_totals": 0, "rows_rejected": 0,
       "problem": "binary content", "warnings": ["a note"]}
      """#
    let summary = try JSONDecoder().decode(IngestFileSummary.self, from: Data(older.utf8))
    #expect(summary.problemDetail == nil && summary.warningDetails == nil)
    #expect(summary.rowsSkippedSignature == 0)
  }

  @Test func theVietnameseReportWordsEveryKindInVietnameseWithItsNumbers() {
    let number = NumberFormat(.vi).integer
    for problem in Self.every {
      let text = ReportStrings.vietnamese.fileProblem(problem, number)
      if case .other = problem {
        #expect(text == nil, "the summary's own sentence is shown for \(problem)")
        continue
      }
      #expect(text != nil && text != problem.english, "\(problem)")
      // Vietnamese words around the values, not the English sentence's.
      #expect(text.map { !$0.contains(" the ") && !$0.contains("check ") } == true, "\(text ?? "")")
    }
    let large = ReportStrings.vietnamese.fileProblem(.tooLarge(bytes: 2_147_483_648, limit: 1_073_741_824), number)
    #expect(large?.contains("2.147.483.648 byte") == true && large?.contains("1.073.741.824 byte") == true)
    let missing = ReportStrings.vietnamese.fileProblem(Self.every[10], number)
    #expect(missing?.contains("'Tên cơ sở', 'Số lao động', 'Huyện/Thành phố' (hoặc 'Xã/Phường/Thị trấn')") == true)
    #expect(ReportStrings.english.fileProblem(.binary, number) == FileProblem.binary.english)
  }

  /// A set-aside file in a report: Vietnamese words from the summary's data, and the English sentence where
  /// the summary has none (an older run, or a kind with no wording).
  @Test func theReportShowsTheProblemInItsLanguageAndFallsBackToTheSentence() throws {
    let (input, _) = try ReportRendererTests.input("changed", .vi)
    var changed = input
    changed.ingest.files[0].record(.tooLarge(bytes: 2_147_483_648, limit: 1_073_741_824))
    changed.ingest.files[0].problemLine = nil
    let vietnamese = ReportRenderer(changed, language: .vi).render()
    #expect(
      vietnamese.contains(
        "- `broken.csv` bị để riêng: tệp nặng 2.147.483.648 byte, vượt giới hạn 1.073.741.824 byte"))
    changed.ingest.files[0].problemDetail = nil
    #expect(ReportRenderer(changed, language: .vi).render().contains(": the file is 2147483648 bytes, over the limit"))
    changed.ingest.files[0].record(.other("an unforeseen trouble"))
    #expect(ReportRenderer(changed, language: .vi).render().contains("bị để riêng: an unforeseen trouble"))
  }
}

/// The row lists' words: every entry worded in Vietnamese, and the English ones what the lists always said.
@Suite struct RowWordingTests {
  /// Every entry of a wording, with sample values.
  static func all(_ w: RowWording) -> [String] {
    [
      w.invalidBytes, w.controlCharacters, w.beyondHeader(21, 19), w.fileSetAside(.binary), w.noName, w.noType,
      w.typeMatchesNone, w.noEmployees, w.sectorNotRecognised("Xyz"), w.needNotRecognised("Xyz"),
      w.placeholderTaxCode("0000000000"), w.needMarkCounted("need_training=?"),
      w.districtOnlyApproximate,
      w.communeLiesIn("Minh Tân", "Huyện Đông Hưng (340)"), w.communeNotRecognisedNote("Xyz"),
      w.districtNotRecognisedNote("Xyz"), w.neitherDistrictNorCommune, w.onlyProvinceGiven,
      w.outsideByCorrection("corrections.csv:3"),
      w.fitsSeveralDistricts, w.outside("Thành phố Nam Định (Tỉnh Nam Định)"), w.districtNotRecognised,
      w.oldNameNowOutside, w.communeNotRecognised, w.newCommuneSpansDistricts, w.communeInSeveralDistricts,
      w.newCommuneTag, w.sameTaxCode("1042828485", .laterSurvey(kept: "20/11/2025", row: "10/11/2025")),
      w.sameTaxCode("1042828485", .datedSurvey(kept: "20/11/2025")), w.sameTaxCode("1", .laterFile(sameDate: "1/1")),
      w.sameTaxCode("1", .laterFile(sameDate: nil)), w.sameTaxCode("1", .laterRow(sameDate: "1/1")),
      w.sameTaxCode("1", .laterRow(sameDate: nil)), w.sameByCorrection("corrections.csv:3"), w.possibleDuplicate,
      w.surveyDateAfterRun("20/11/2052", "01/12/2026", true), w.surveyDateAfterRun("03/12/2026", "02/12/2026", false),
      w.mergedDateAfterRun("1", .datedSurvey(kept: "20/11/2025")), w.mergedDateAfterRun("1", .laterFile(sameDate: nil)),
      w.mergedDateAfterRun("1", .laterRow(sameDate: nil)),
    ] + UnreadField.allCases.map { w.notRead($0, "Xyz") }
  }

  @Test func everyEntryHasItsVietnameseWords() {
    let english = Self.all(.english)
    let vietnamese = Self.all(.vietnamese)
    for (en, vi) in zip(english, vietnamese) {
      #expect(en != vi)
      let words = vi.split { !$0.isLetter }.map { $0.lowercased() }
      for word in ["the", "not", "no", "of", "file", "row", "commune", "district", "same", "outside"] {
        #expect(!words.contains(word), "'\(word)' in \(vi)")
      }
    }
    #expect(Set(vietnamese).count == vietnamese.count, "two entries worded alike")
  }

  @Test func englishIsWhatTheListsAlwaysSaid() {
    let w = RowWording.english
    #expect(
      w.sameTaxCode("1042828485", .laterSurvey(kept: "20/11/2025", row: "10/11/2025"))
        == "same tax code 1042828485; the later survey stands (20/11/2025; this one 10/11/2025)")
    // The location names its file: "(corrections corrections.csv:2)" said the file twice.
    #expect(w.sameByCorrection("corrections.csv:2") == "same establishment (decided in corrections.csv:2)")
    #expect(w.outsideByCorrection("corrections.csv:9") == "outside the province (decided in corrections.csv:9)")
    #expect(w.notRead(.supportRequested, "abc") == "support_requested not read: abc")
    #expect(w.fileSetAside(.binary) == "file set aside: " + FileProblem.binary.english)
    #expect(RowWording.of(.en).noName == "no establishment name" && RowWording.of(.vi).noName == "thiếu tên cơ sở")
  }
}
