/// Amounts in the unit a money column's header states ("Kinh phí đề nghị hỗ trợ (nghìn đồng)"): header matching
/// drops the brackets, so such a file's thousands of đồng were summed as millions, a thousand times too much.
import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  @Suite struct NormaliseMoneyUnitTests {
    static let fixture = fixturesRoot.appendingPathComponent("money-units/kien-xuong-nghin-dong.csv")

    /// Ingests `files` (name → bytes) and normalises them: the run folder (removed by the caller) and the ingest
    /// summary.
    func run(_ files: [String: Data]) throws -> (TemporaryFolder, IngestSummary) {
      let input = try TemporaryFolder("money-in")
      defer { input.cleanUp() }
      let run = try TemporaryFolder("money-run")
      for (name, bytes) in files { try bytes.write(to: input.file(name)) }
      let summary = try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema())
      try NormaliseStage.run(runDirectory: run.url, reference: try shippedReference(), corrections: Corrections())
      return (run, summary)
    }

    /// A file of the form's other columns with `revenue` and `support` as the money columns' headers, and rows of
    /// (revenue, support) cells, quoted ("2,5"); its establishments' names are `name` and the row's number.
    static func file(_ name: String, revenue: String, support: String, _ amounts: [(String, String)]) -> Data {
      let header = "STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Số lao động,Nhu cầu hỗ trợ,\(revenue),\(support)\n"
      let rows = amounts.enumerated().map { "\($0 + 1),\(name) \($0 + 1),HTX,Vũ Thư,5,SXSH,\"\($1.0)\",\"\($1.1)\"\n" }
      return Data((header + rows.joined()).utf8)
    }

    /// Each counted row's (revenue_mvnd, support_requested_mvnd, problems), by file and line.
    func amounts(_ run: TemporaryFolder) throws -> [String: (String, String, String)] {
      let rows = try NormaliseStageTests().rows(run, ArtefactName.establishments)
      return Dictionary(
        uniqueKeysWithValues: rows.map {
          (
            "\($0["source_file"]!):\($0["source_line"]!)",
            ($0["revenue_mvnd"]!, $0["support_requested_mvnd"]!, $0["problems"]!)
          )
        })
    }

    /// The tester's case: support requested in nghìn đồng (100,000 is 100 million, not 100,000 million) and
    /// revenue in đồng, which was blanked as too large although the header said so. A cell that writes its own
    /// unit keeps it; the String path reads the same.
    @Test func amountsAreReadInTheUnitTheirHeaderStates() throws {
      let (run, summary) = try run(["kien-xuong.csv": try Data(contentsOf: Self.fixture)])
      defer { run.cleanUp() }
      #expect(summary.files[0].moneyUnits == ["revenue": "vnd", "support_requested": "thousand_vnd"])
      #expect(summary.files[0].warnings.isEmpty)
      let expected: [String: (String, String)] = [
        "kien-xuong.csv:6": ("1200", "100"),
        "kien-xuong.csv:7": ("3500", "101"),
        "kien-xuong.csv:8": ("150", "1500"),  // "150 tr" and "1,5 tỷ": the cell's unit wins
        "kien-xuong.csv:9": ("850", "0.5"),  // "850.000.000 đồng" and "500.000đ"
        "kien-xuong.csv:10": ("", "104"),
      ]
      let (stringRun, _) = try NormaliseStageTests().throughTheStringPath(run, corrections: [])
      defer { stringRun.cleanUp() }
      for folder in [run, stringRun] {
        let read = try amounts(folder)
        #expect(read.count == expected.count)
        for (row, (revenue, support)) in expected {
          #expect(read[row]?.0 == revenue && read[row]?.1 == support, "\(row): \(String(describing: read[row]))")
          #expect(read[row]?.2 == "", "\(row) has no remark: \(String(describing: read[row]))")
        }
      }
    }

    /// Thousands of đồng written in the cell ("500 nghìn đồng", "500 ngàn", "2.500 ngàn đ"), which the remark on an
    /// unread header advises ("ghi đơn vị ngay trong ô", naming nghìn đồng), are read as the header's "(nghìn
    /// đồng)" is: they were "not read", under the form's unit and under "(USD)" alike. A lone "-" under "(USD)" is
    /// a blank cell. The String path reads the same.
    @Test func thousandsOfDongWrittenInTheCellAreRead() throws {
      let folder = Self.fixture.deletingLastPathComponent()
      let (run, _) = try run([
        "dong-hung-nghin.csv": try Data(contentsOf: folder.appendingPathComponent("dong-hung-nghin-trong-o.csv")),
        "dong-hung-usd.csv": try Data(contentsOf: folder.appendingPathComponent("dong-hung-usd-don-vi-trong-o.csv")),
      ])
      defer { run.cleanUp() }
      let unread = RowWording.english.amountUnitNotRead(.supportRequested, "2000")
      let expected: [String: (String, String)] = [
        "dong-hung-nghin.csv:2": ("0.5", ""),  // 500 nghìn
        "dong-hung-nghin.csv:3": ("0.5", ""),  // 500 nghìn đồng
        "dong-hung-nghin.csv:4": ("0.5", ""),  // 500 ngàn đồng
        "dong-hung-nghin.csv:5": ("0.5", ""),  // 500 ngàn
        "dong-hung-nghin.csv:6": ("2.5", ""),  // 2.500 ngàn đ
        "dong-hung-nghin.csv:7": ("0.75", ""),  // 750 NGHIN DONG
        "dong-hung-nghin.csv:8": ("1.5", ""),  // 1,5 triệu
        "dong-hung-nghin.csv:9": ("0.5", ""),  // 500.000đ
        "dong-hung-nghin.csv:10": ("1500", ""),  // 1.5 tỷ
        "dong-hung-usd.csv:2": ("", unread),  // a bare number under (USD) stays unread
        "dong-hung-usd.csv:3": ("0.5", ""),  // 500 nghìn đồng
        "dong-hung-usd.csv:4": ("150", ""),  // 150 triệu đồng
        "dong-hung-usd.csv:5": ("1.5", ""),  // 1.500 ngàn
        "dong-hung-usd.csv:6": ("", ""),  // -
      ]
      let (stringRun, _) = try NormaliseStageTests().throughTheStringPath(run, corrections: [])
      defer { stringRun.cleanUp() }
      for folder in [run, stringRun] {
        let read = try amounts(folder)
        #expect(read.count == expected.count)
        for (row, (support, remark)) in expected {
          #expect(read[row]?.1 == support && read[row]?.2 == remark, "\(row): \(String(describing: read[row]))")
        }
      }
    }

    /// A file in the form's unit (in any of its spellings) is read as it always was, and its summary records no
    /// unit, so that the summaries of such files stay as they were; a file in tỷ beside it is multiplied.
    @Test func aFileInTheFormsUnitIsReadAsBeforeBesideOneInTy() throws {
      let (run, summary) = try run([
        "a-form.csv": Self.file(
          "HTX mây tre", revenue: "Doanh thu năm (triệu đồng)", support: "Kinh phí đề nghị hỗ trợ (Tr.đ)",
          [("1.250", "100000")]),
        "b-english.csv": Self.file(
          "Xưởng dệt", revenue: "Annual revenue (million VND)", support: "Requested support", [("2,5", "300")]),
        "c-ty.csv": Self.file(
          "Công ty gốm", revenue: "Doanh thu năm (tỷ đồng)", support: "Kinh phí đề nghị hỗ trợ (tỷ)", [("1,25", "0,3")]),
      ])
      defer { run.cleanUp() }
      let read = try amounts(run)
      #expect(read["a-form.csv:2"].map { [$0.0, $0.1] } == ["1250", "100000"])
      #expect(read["b-english.csv:2"].map { [$0.0, $0.1] } == ["2.5", "300"])
      #expect(read["c-ty.csv:2"].map { [$0.0, $0.1] } == ["1250", "300"])
      #expect(
        summary.files.map(\.moneyUnits) == [nil, nil, ["revenue": "billion_vnd", "support_requested": "billion_vnd"]])
      let written = try String(contentsOf: run.file(ArtefactName.ingestSummary), encoding: .utf8)
      #expect(written.components(separatedBy: "money_units").count == 2, "only c-ty.csv records units")
    }

    /// A unit of money that is not read ("(USD)") is not guessed at: the file is warned about, and its bare amounts
    /// are left blank with a remark, while a cell that writes a unit of its own is read in it.
    @Test func aUnitNotReadIsFlaggedAndItsAmountsLeftBlank() throws {
      let (run, summary) = try run([
        "usd.csv": Self.file(
          "Cơ sở", revenue: "Doanh thu năm (triệu đồng)", support: "Kinh phí đề nghị hỗ trợ (USD)",
          [("1.000", "5000"), ("800", "150 tr")])
      ])
      defer { run.cleanUp() }
      #expect(summary.files[0].moneyUnits == ["support_requested": "unknown"])
      #expect(summary.files[0].warningDetails == [.moneyUnitNotRead("Kinh phí đề nghị hỗ trợ (USD)")])
      let read = try amounts(run)
      #expect(read["usd.csv:2"]?.0 == "1000" && read["usd.csv:2"]?.1 == "")
      #expect(
        read["usd.csv:2"]?.2.contains("support_requested 5000 not read: the column's header states a unit") == true)
      #expect(read["usd.csv:3"].map { [$0.0, $0.1, $0.2] } == ["800", "150", ""])
    }

    /// The report's data quality says which file's amounts were converted from which unit, one line a file, and
    /// shows the warning of a unit not read, in either language.
    @Test func theReportSaysWhichFilesAmountsWereConverted() throws {
      let (input, _) = try ReportRendererTests.input("changed", .vi)
      var changed = input
      let file = try #require(changed.ingest.files.firstIndex { $0.status == .ingested })
      let name = changed.ingest.files[file].file
      changed.ingest.files[file].mapping["support_requested"] = "Kinh phí đề nghị hỗ trợ (nghìn đồng)"
      changed.ingest.files[file].mapping["revenue"] = "Doanh thu năm (đồng)"
      changed.ingest.files[file].moneyUnits = ["support_requested": "thousand_vnd", "revenue": "vnd"]
      changed.ingest.files[file].warn(.moneyUnitNotRead("Doanh thu năm (USD)"))
      let vietnamese = ReportRenderer(changed, language: .vi).render()
      #expect(
        vietnamese.contains(
          "- `\(name)`: số tiền được đổi sang triệu đồng theo đơn vị ghi ở tiêu đề cột, “Doanh thu năm (đồng)” từ "
            + "đồng, “Kinh phí đề nghị hỗ trợ (nghìn đồng)” từ nghìn đồng (ô tự ghi đơn vị thì giữ đơn vị của ô)"))
      #expect(vietnamese.contains("tiêu đề 'Doanh thu năm (USD)' ghi đơn vị tiền không đọc được"))
      let english = ReportRenderer(changed, language: .en).render()
      #expect(
        english.contains(
          "- `\(name)`: amounts converted to million VND from the unit their column's header states, “Doanh thu năm "
            + "(đồng)” from VND, “Kinh phí đề nghị hỗ trợ (nghìn đồng)” from thousand VND"))
      #expect(english.contains("the header 'Doanh thu năm (USD)' states a unit of money that is not read"))
    }
  }
}
