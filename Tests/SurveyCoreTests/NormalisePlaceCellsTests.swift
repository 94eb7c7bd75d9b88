import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  /// Place cells of a district survey that name the wrong level or the wrong province, as an analyst finds them in
  /// `review.csv` and `rejects.csv` after a nightly run (Vietnamese): the row is asked about or rejected, with the
  /// reason that says which cell to fix, never counted in a district it may not lie in.
  @Suite struct NormalisePlaceCellsTests {
    static let header =
      "STT,Mã số thuế,Tên cơ sở,Loại hình,Huyện/Thành phố,Xã/Phường/Thị trấn,Ngành nghề chính,Số lao động,"
      + "Nhu cầu hỗ trợ,Ngày khảo sát\n"

    /// The rows of `review.csv`, `rejects.csv` and `establishments.csv` after ingesting `body` (under the header)
    /// as one file and normalising it in Vietnamese, each row by its header.
    struct Outcome {
      var review: [[String: String]]
      var rejects: [[String: String]]
      var counted: [[String: String]]
    }

    func run(_ body: String, reference: ReferenceData? = nil) throws -> Outcome {
      var outcome: Outcome?
      try TemporaryFolder.withInputAndRun("place-cells") { input, run in
        try Data((Self.header + body).utf8).write(to: input.file("dong-hung-2025-11.csv"))
        try IngestStage.run(
          files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema(),
          wording: .vietnamese)
        try NormaliseStage.run(
          runDirectory: run.url, reference: try reference ?? shippedReference(), corrections: Corrections(),
          wording: .vietnamese)
        func rows(_ name: String) throws -> [[String: String]] {
          let table = try readArtefact(run.file(name))
          return table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0)) }
        }
        outcome = Outcome(
          review: try rows(ArtefactName.review), rejects: try rows(ArtefactName.rejects),
          counted: try rows(ArtefactName.establishments))
      }
      return try #require(outcome)
    }

    /// "Xã Tiên Hưng" (a 2025 commune of Đông Hưng) in the district cell, as post-2025 addresses begin, beside
    /// "Xã Tân Hòa", a name of a commune of Hưng Hà and of one of Vũ Thư but of none of Đông Hưng: the two cells
    /// cannot both be right, so the row is asked about, not counted in Đông Hưng nor guessed into either.
    @Test func aCommuneInTheDistrictCellBesideACommuneOfOtherDistrictsIsAskedAbout() throws {
      let outcome = try run(
        "1,,Cơ sở mộc Trần Văn Hải,Hộ KD,Xã Tiên Hưng,Xã Tân Hòa,Mộc,5,Đào tạo nghề,12/11/2025\n"
          + "2,,Cơ sở bún Nguyễn Thị Lan,Hộ KD,Đông Hưng,Xã Tiên Hưng,Chế biến,4,,12/11/2025\n")
      #expect(outcome.counted.map { $0["source_line"] } == ["3"], "\(outcome.counted)")
      let review = try #require(outcome.review.first, "\(outcome)")
      #expect(outcome.review.count == 1 && outcome.rejects.isEmpty, "\(outcome)")
      #expect(review["source_line"] == "2")
      #expect(
        review["reason"]
          == "ô huyện ghi tên xã/phường: Xã Tiên Hưng; "
          + "xã/phường Xã Tân Hòa thuộc Huyện Hưng Hà (339) hoặc Huyện Vũ Thư (344)", "\(review)")
      #expect(review["column"] == "district" && review["written"] == "Xã Tiên Hưng", "\(review)")
      // The commune the district cell names comes first among the suggestions, then the commune cell's.
      let suggestions = try #require(review["suggestions"])
      #expect(suggestions.hasPrefix("Xã Tiên Hưng [từ 2025], Huyện Đông Hưng (340)"), "\(suggestions)")
      #expect(
        suggestions.contains("Huyện Hưng Hà (339)") && suggestions.contains("Huyện Vũ Thư (344)"), "\(suggestions)")
    }

    /// "Dị Sử", a ward of Mỹ Hào (Hưng Yên before 2025), written in the district cell without its level word, and
    /// the village in the commune cell: the place the district cell names lies outside former Thái Bình, so the row
    /// is rejected as outside and says where that place is, rather than sent to review as a district not recognised
    /// (the village being no commune of ours either).
    @Test func aCommuneOutsideTheProvinceInTheDistrictCellIsRejectedAsOutside() throws {
      let outcome = try run("1,,Công ty TNHH Dệt may Dị Sử,Công ty TNHH,Dị Sử,Thôn Phúc Lâm,Dệt may,40,,05/11/2025\n")
      #expect(outcome.counted.isEmpty && outcome.review.isEmpty, "\(outcome)")
      let reject = try #require(outcome.rejects.first, "\(outcome)")
      #expect(reject["stage"] == "normalise" && reject["source_line"] == "2", "\(reject)")
      #expect(
        reject["reason"] == "ngoài tỉnh: Phường Dị Sử (Thị xã Mỹ Hào, Tỉnh Hưng Yên (trước 2025))", "\(reject)")
      #expect(reject["column"] == "district" && reject["value"] == "Dị Sử", "\(reject)")
    }

    /// The shipped tables with `lines` added to `district-aliases.csv`, as the department adds a district's
    /// former name.
    func reference(aliases lines: String) throws -> ReferenceData {
      try withEditedReference("district-aliases.csv", { $0 + lines }, { try ReferenceData.load(from: $0) })
    }

    /// Aliases that differ only in their diacritics, given to two districts ("Duyên Hà", Hưng Hà's former name,
    /// and "Duyen Hà" typed on a row of Tiền Hải): the table loads (they are two spellings), the spelling with its
    /// diacritics finds its district, and a cell written without them fits both, so the row is asked about with
    /// both districts suggested rather than counted in the one a table's order would give.
    @Test func aSpellingTheAliasesGiveTwoDistrictsIsAskedAbout() throws {
      let reference = try reference(aliases: "Duyên Hà,339\nDuyen Hà,342\n")
      let outcome = try run(
        "1,,Cơ sở dệt khăn Đỗ Văn Minh,Hộ KD,Duyen Ha,,Dệt may,7,,03/11/2025\n"
          + "2,,Cơ sở dệt khăn Đỗ Thị Nga,Hộ KD,Duyên Hà,,Dệt may,5,,03/11/2025\n",
        reference: reference)
      #expect(outcome.counted.map { $0["district_code"] } == ["339"], "\(outcome.counted)")
      #expect(outcome.rejects.isEmpty && outcome.review.count == 1, "\(outcome)")
      let review = try #require(outcome.review.first)
      #expect(review["source_line"] == "2" && review["reason"] == "tên này khớp với nhiều huyện", "\(review)")
      #expect(review["column"] == "district" && review["written"] == "Duyen Ha", "\(review)")
      #expect(review["suggestions"] == "Huyện Hưng Hà (339) | Huyện Tiền Hải (342)", "\(review)")
    }
  }
}
