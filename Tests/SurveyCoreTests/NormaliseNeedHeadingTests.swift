/// Need columns whose headers carry the `needs` heading they stand under on the form: Google Forms' checkbox grid
/// (`Nhu cầu hỗ trợ [Đào tạo nghề]`) and a two-row header flattened by hand (`Nhu cầu hỗ trợ - Đào tạo nghề`). The
/// grid's bracket was dropped as a unit's, so its first column was read as the one-cell needs column ("không nhận
/// ra nhu cầu: Có") and the other eight were not read; the flattened headers named no column at all, and every row
/// was counted with no needs, unsaid.
import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  @Suite struct NormaliseNeedHeadingTests {
    static let folder = fixturesRoot.appendingPathComponent("header-groups")

    /// Ingests the fixtures `names` and normalises them: the run folder (removed by the caller) and the ingest
    /// summary.
    func run(_ names: [String]) throws -> (TemporaryFolder, IngestSummary) {
      let run = try TemporaryFolder("need-heading-run")
      let summary = try IngestStage.run(
        files: names.map { Self.folder.appendingPathComponent($0) }, runDirectory: run.url,
        schema: try shippedSchema())
      try NormaliseStage.run(runDirectory: run.url, reference: try shippedReference(), corrections: Corrections())
      return (run, summary)
    }

    /// Each counted row's needs and remarks, by line.
    func needs(_ run: TemporaryFolder) throws -> [String: (needs: String, problems: String)] {
      let rows = try NormaliseStageTests().rows(run, ArtefactName.establishments)
      return Dictionary(uniqueKeysWithValues: rows.map { ($0["source_line"]!, ($0["needs"]!, $0["problems"]!)) })
    }

    static let needKeys = [
      "need_training", "need_management", "need_demo_model", "need_machinery", "need_clean_production",
      "need_marketing", "need_product_dev", "need_consulting", "need_cluster",
    ]

    @Test(
      arguments: [
        // Google Forms' checkbox grid as Google exports it: `Có`/`Không`, a blank where a row was not answered.
        (
          "b-gforms-grid.csv",
          ["2": "training;machinery", "3": "marketing;consulting;cluster", "4": "", "5": "product_dev"]
        ),
        // A two-row header flattened by hand, each with rows of marks in two needs, in three, and in none.
        ("c-flat-dash.csv", ["2": "training;machinery", "3": "management;clean_production;cluster", "4": ""]),
        ("d-flat-colon.csv", ["2": "training;machinery", "3": "management;clean_production;cluster", "4": ""]),
        ("e-flat-paren.csv", ["2": "training;machinery", "3": "management;clean_production;cluster", "4": ""]),
        ("f-english-grid.csv", ["2": "training;machinery", "3": "management;clean_production;cluster", "4": ""]),
      ] as [(String, [String: String])])
    func needColumnsUnderTheirHeadingAreRead(_ name: String, _ expected: [String: String]) throws {
      let (run, summary) = try run([name])
      defer { run.cleanUp() }
      let file = try #require(summary.files.first)
      #expect(file.status == .ingested, "\(file)")
      for key in Self.needKeys { #expect(file.mapping[key] != nil, "\(name): \(key) not read") }
      #expect(file.mapping["needs"] == nil)
      #expect(file.unknownColumns == (name == "b-gforms-grid.csv" ? ["Dấu thời gian"] : []))
      #expect(file.warnings.isEmpty)
      let read = try needs(run)
      #expect(read.mapValues(\.needs) == expected)
      for (line, row) in read { #expect(row.problems == "", "\(name):\(line) \(row.problems)") }
    }

    /// A unit in brackets still names its column, and the grid's heading alone is still the one-cell column.
    @Test func aUnitInBracketsIsReadAsBefore() throws {
      let (run, summary) = try run(["e-flat-paren.csv"])
      defer { run.cleanUp() }
      #expect(summary.files[0].mapping["employees"] == "Số lao động (người)")
      #expect(try needs(run).count == 3)
    }

    /// A file with neither the needs column nor any of the nine is counted with no needs, and says so, with what to
    /// do; one whose need columns are there but blank is not warned about (its establishments asked for nothing).
    @Test func aFileWithNoNeedColumnIsWarnedAboutAndStillCounted() throws {
      let (run, summary) = try run(["g-no-need-columns.csv", "h-blank-need-columns.csv"])
      defer { run.cleanUp() }
      let none = try #require(summary.files.first { $0.file == "g-no-need-columns.csv" })
      #expect(none.status == .ingested && none.rowsPassed == 2)
      #expect(none.warningDetails == [.noNeedsColumn("Nhu cầu hỗ trợ")])
      #expect(none.warnings.first?.contains("name the need columns as the form does") == true)
      let blank = try #require(summary.files.first { $0.file == "h-blank-need-columns.csv" })
      #expect(blank.warnings.isEmpty && blank.warningDetails == nil)
      let normalised = try StableJSON.read(NormaliseSummary.self, from: run.file(ArtefactName.normaliseSummary))
      #expect(normalised.totals.counted == 3)
    }

    /// The form's heading, then "/" and an alternative (`Tên cơ sở/hộ kinh doanh`): the file was set aside for a
    /// missing name column.
    @Test func aHeaderWithAnAlternativeAfterASlashIsItsColumn() throws {
      let (run, summary) = try run(["i-name-alternative.csv"])
      defer { run.cleanUp() }
      let file = summary.files[0]
      #expect(file.status == .ingested, "\(file.problem ?? "")")
      #expect(file.mapping["name"] == "Tên cơ sở/hộ kinh doanh")
      #expect(file.mapping["employees"] == "Số lao động / người")
      #expect(file.unknownColumns.isEmpty)
      #expect(try needs(run).mapValues(\.needs) == ["2": "training", "3": "machinery;marketing"])
    }
  }
}

extension IngestStageTests {
  /// A need's header under the `needs` heading is that need's column, in any spelling of either; anything else in
  /// brackets is a note as before. A header with an alternative after `/` is the column before it, unless the
  /// alternative names another column; the form's own slashed headers are read whole.
  @Test(
    arguments: [
      ("Nhu cầu hỗ trợ [Đào tạo nghề]", "need_training"), ("Nhu cầu hỗ trợ - Tư vấn, thông tin", "need_consulting"),
      ("Nhu cầu hỗ trợ: SXSH", "need_clean_production"), ("nhu cau ho tro (Hạ tầng CCN)", "need_cluster"),
      ("Support needs [Vocational training]", "need_training"), ("Nhu cầu – Máy móc - CGCN", "need_machinery"),
      ("9 - Nhu cầu hỗ trợ - Quảng bá SP", "need_marketing"), ("Nhu cầu hỗ trợ - 1. Đào tạo nghề", "need_training"),
      ("Nhu cầu hỗ trợ", "needs"), ("Nhu cầu hỗ trợ (ghi rõ)", "needs"), ("Nhu cầu hỗ trợ - ghi rõ", nil),
      ("Nhu cầu đào tạo (người)", "trainees"), ("Số lao động (người)", "employees"),
      ("Kinh phí đề nghị hỗ trợ (triệu đồng)", "support_requested"), ("Tên cơ sở - Đào tạo nghề", nil),
      ("Tên cơ sở/hộ kinh doanh", "name"), ("Số lao động / người", "employees"), ("Xã/Phường/Thị trấn", "commune"),
      ("Huyện/Thành phố", "district"), ("Xã/Phường", "commune"), ("Huyện/Xã", nil), ("Tên cơ sở/Loại hình", nil),
      ("hộ kinh doanh/Tên cơ sở", nil), ("3/ Mô hình trình diễn kỹ thuật", "need_demo_model"),
    ] as [(String, String?)])
  func aHeaderUnderItsHeadingOrWithAnAlternativeIsRead(_ header: String, _ key: String?) throws {
    #expect(try shippedSchema().key(forHeader: header) == key, "\(header)")
  }
}
