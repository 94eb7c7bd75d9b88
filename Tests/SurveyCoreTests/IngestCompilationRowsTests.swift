/// Rows of administrative exports that are no establishment and were rejected as ones every night: a signer's name
/// standing in a need column under its title, and the district group headings of a province compilation.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct IngestCompilationRowsTests {
  static let fixtures = fixturesRoot.appendingPathComponent("compilations")

  /// What became of each row of one file: the lines counted by normalise, the lines rejected (by either stage)
  /// with their stage and reason, and the file's ingest summary.
  struct Outcome {
    var file: IngestFileSummary
    var counted: [Int]
    /// The rejects of either stage by line: stage, reason, column, value.
    var rejects: [Int: [String]]

    var rejected: [Int: (stage: String, reason: String)] { rejects.mapValues { (stage: $0[0], reason: $0[1]) } }
    var rejectedLines: [Int] { rejects.keys.sorted() }
  }

  /// Ingests and normalises `files` (name → bytes) with the Vietnamese wording of the nightly run; the outcome of
  /// the first file.
  func run(_ files: [String: [UInt8]], wording: RowWording = .vietnamese) throws -> Outcome {
    var outcome: Outcome?
    try TemporaryFolder.withInputAndRun("compilation") { input, run in
      for (name, bytes) in files { try Data(bytes).write(to: input.file(name)) }
      let ingest = try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema(),
        wording: wording)
      _ = try NormaliseStage.run(
        runDirectory: run.url, reference: try shippedReference(), corrections: Corrections(), wording: wording)
      let file = try #require(ingest.files.first)
      // Every row is accounted for: read = passed on + skipped + rejected.
      #expect(
        file.rowsRead == file.rowsPassed + file.rowsSkippedBlank + file.rowsSkippedTotals + file.rowsSkippedSignature
          + file.rowsRejected, "\(file)")
      let counted = try readArtefact(run.file(ArtefactName.establishments))
      let line = try #require(counted.header.firstIndex(of: "source_line"))
      let rejects = try readArtefact(run.file(ArtefactName.rejects))
      outcome = Outcome(
        file: file, counted: counted.rows.compactMap { Int($0[line]) }.sorted(),
        rejects: Dictionary(uniqueKeysWithValues: rejects.rows.map { (Int($0[1])!, Array($0[2...])) }))
    }
    return try #require(outcome)
  }

  func run(fixture name: String) throws -> Outcome {
    try run([name: Array(try Data(contentsOf: Self.fixtures.appendingPathComponent(name)))])
  }

  // MARK: signers' names over a need column

  /// The README's own signature block under a table with the nine need columns (Excel's "CSV UTF-8": BOM, CRLF):
  /// the right-hand title, `THỦ TRƯỞNG ĐƠN VỊ`, and its signer, `Trần Thị Bình`, stand in column K, a need
  /// column. The name row was rejected for its missing district and type, and the run exited 1 every night.
  @Test func aSignerUnderItsTitleInANeedColumnIsSkipped() throws {
    let outcome = try run(fixture: "dong-hung-ky-ten-cot-nhu-cau.csv")
    #expect(outcome.counted == [2, 3], "\(outcome)")
    #expect(outcome.rejected.isEmpty, "\(outcome.rejected)")
    #expect(outcome.file.rowsRead == 7 && outcome.file.rowsPassed == 2, "\(outcome.file)")
    #expect(outcome.file.rowsSkippedSignature == 4 && outcome.file.rowsSkippedBlank == 1, "\(outcome.file)")
  }

  /// The same in an older Excel's Windows-1258 (tone marks as combining bytes) with semicolons: `KT. CHỦ TỊCH`
  /// over `PHÓ CHỦ TỊCH` in a need column (M), the signers' names on the file's last line.
  @Test func aSignerInANeedColumnOfAWindows1258SemicolonFileIsSkipped() throws {
    let outcome = try run(fixture: "thai-thuy-ky-ten-cot-nhu-cau-1258.csv")
    #expect(outcome.file.encoding == "windows-1258" && outcome.file.delimiter == ";", "\(outcome.file)")
    #expect(outcome.counted == [2, 3] && outcome.rejected.isEmpty, "\(outcome)")
    #expect(outcome.file.rowsSkippedSignature == 5 && outcome.file.rowsSkippedBlank == 1, "\(outcome.file)")
  }

  static let needHeader =
    "STT,Tên cơ sở,Loại hình,Xã/Phường/Thị trấn,Huyện/Thành phố,Số lao động,Đào tạo nghề,Nâng cao năng lực quản lý,"
    + "Mô hình trình diễn kỹ thuật,\"Máy móc thiết bị, chuyển giao công nghệ\","
    + "\"Sản xuất sạch hơn, tiết kiệm năng lượng\",\"Quảng bá sản phẩm, phát triển thị trường\","
    + "Sản phẩm công nghiệp nông thôn tiêu biểu,\"Tư vấn, thông tin\",\"Hạ tầng cụm công nghiệp, di dời\",Ngày khảo sát\r\n"
  static let needData = "1,Cơ sở mộc Trần Văn Hải,Hộ KD,Xã Đông La,Đông Hưng,5,x,,,x,,,,,,11/11/2025\r\n"
  static let needHeadings =
    ",,,,,,,,,,\"Đông Hưng, ngày 20 tháng 11 năm 2025\",,,,,\r\n,NGƯỜI LẬP BIỂU,,,,,,,,,THỦ TRƯỞNG ĐƠN VỊ,,,,,\r\n"

  /// A need column holds marks, and other text there is read as the need wanted: a name in it is a signer's only
  /// under a heading of the block in that column. Under none (column L, the title in K), or a mark written as
  /// words (`Có Nhu Cầu`), the row is what it was: passed on, and rejected by normalise with its reason.
  @Test func aNameInANeedColumnWithNoHeadingAboveItOrAMarkIsNotSkipped() throws {
    let elsewhere = Self.needHeadings + ",Nguyễn Văn An,,,,,,,,,,Trần Thị Bình,,,,\r\n"
    let mark = Self.needHeadings + ",Nguyễn Văn An,,,,,,,,,Có Nhu Cầu,,,,,\r\n"
    for block in [elsewhere, mark] {
      let outcome = try run(["a.csv": Array((Self.needHeader + Self.needData + block).utf8)])
      #expect(outcome.counted == [2], "\(outcome)")
      #expect(outcome.rejectedLines == [5], "\(block): \(outcome.rejected)")
      #expect(outcome.rejected[5]?.stage == "normalise", "\(outcome.rejected)")
      #expect(outcome.file.rowsSkippedSignature == 2 && outcome.file.rowsPassed == 2, "\(outcome.file)")
    }
  }

  /// Names under the heading in a need column, followed by a row of data: the block did not end the file, so the
  /// names are read as any row (rejected with their reason) and the establishment after them is counted.
  @Test func namesInANeedColumnBeforeARowOfDataAreNotSkipped() throws {
    let text =
      Self.needHeader + Self.needData + Self.needHeadings + ",Nguyễn Văn An,,,,,,,,,Trần Thị Bình,,,,,\r\n"
      + "2,Cơ sở may Lê Thị Hoa,Hộ KD,Xã Đông La,Đông Hưng,6,,x,,,,,,,,12/11/2025\r\n"
    let outcome = try run(["a.csv": Array(text.utf8)])
    #expect(outcome.counted == [2, 6], "\(outcome)")
    #expect(outcome.rejectedLines == [5], "\(outcome.rejected)")
  }

  // MARK: district group headings of a compilation

  /// A province compilation (Excel's "CSV UTF-8"): `I,,HUYỆN VŨ THƯ`, `II,,HUYỆN ĐÔNG HƯNG` head their groups and
  /// are skipped and counted as the subtotals and the grand total are; `Cơ sở mộc Vũ Thư`, an establishment named
  /// after its district, is counted; `III,,HUYỆN MÊ LINH`, a heading of no district of the province, is rejected
  /// by ingest with a reason that says it looks like a heading, not that it names no district.
  @Test func districtHeadingsAreSkippedAsTotalsAndAnEstablishmentNamedAfterADistrictIsCounted() throws {
    let outcome = try run(fixture: "tong-hop-nhom-huyen.csv")
    #expect(outcome.counted == [3, 4, 7], "\(outcome)")
    #expect(outcome.rejectedLines == [9], "\(outcome.rejected)")
    let reason = try #require(outcome.rejected[9])
    #expect(reason.stage == "ingest", "\(reason)")
    #expect(
      reason.reason
        == "dòng này giống dòng tiêu đề nhóm của một bảng tổng hợp (chỉ có \"HUYỆN MÊ LINH\"), không phải một cơ sở, "
        + "nhưng không ghi huyện nào của tỉnh: xoá dòng này nếu là tiêu đề, hoặc sửa lại tên huyện", "\(reason)")
    #expect(outcome.file.rowsRead == 9 && outcome.file.rowsPassed == 3, "\(outcome.file)")
    // Lines 2 and 6 (the headings), 5 and 8 (the subtotals), 10 (the grand total).
    #expect(outcome.file.rowsSkippedTotals == 5 && outcome.file.rowsRejected == 1, "\(outcome.file)")
  }

  /// Excel's "Unicode Text" (UTF-16LE, tabs): the province over all with no STT (`TỈNH THÁI BÌNH`), districts
  /// under letters, written in mixed case and by an alias (`Huyện Quỳnh Phụ`, `B.` `TP. Thái Bình`).
  @Test func headingsInAUnicodeTextFileWithLettersAndTheProvinceAreSkipped() throws {
    let outcome = try run(fixture: "tong-hop-nhom-huyen-unicode-text.txt")
    #expect(outcome.file.encoding == "utf-16le" && outcome.file.delimiter == "tab", "\(outcome.file)")
    #expect(outcome.counted == [4, 6] && outcome.rejected.isEmpty, "\(outcome)")
    #expect(outcome.file.rowsSkippedTotals == 4 && outcome.file.rowsPassed == 2, "\(outcome.file)")
  }

  /// The heading over a compilation's districts names the province since 2025 (`TỈNH HƯNG YÊN`), with no STT or a
  /// letter: skipped and counted as a district heading is, by a name of `province-names.csv` after `TỈNH`. It was
  /// rejected every night as a heading of no district. A heading of another province (`TỈNH NAM ĐỊNH`) is still
  /// rejected so, and a name of the table without `TỈNH` (`VIỆT NAM` alone in its row) is no heading.
  @Test func theProvinceHeadingOverTheDistrictsIsSkippedAndAnotherProvinceIsNot() throws {
    let text =
      "STT,Mã số thuế,Tên cơ sở,Loại hình,Huyện/Thành phố,Số lao động\r\n" + ",,TỈNH HƯNG YÊN,,,\r\n"
      + "I,,HUYỆN VŨ THƯ,,,\r\n" + "1,,Cơ sở mộc Trần Văn Hải,Hộ KD,Vũ Thư,5\r\n" + "A,,Tỉnh Hưng Yên,,,\r\n"
      + "II,,HUYỆN ĐÔNG HƯNG,,,\r\n" + "1,,Cơ sở may Lê Thị Hoa,Hộ KD,Đông Hưng,6\r\n" + "B,,TỈNH NAM ĐỊNH,,,\r\n"
      + ",,VIỆT NAM,,,\r\n"
    let outcome = try run(["a.csv": Array(text.utf8)])
    #expect(outcome.counted == [4, 7], "\(outcome)")
    #expect(outcome.rejectedLines == [8, 9], "\(outcome.rejected)")
    let other = try #require(outcome.rejected[8])
    #expect(
      other.stage == "ingest" && other.reason == RowWording.vietnamese.looksLikeGroupHeading("TỈNH NAM ĐỊNH"),
      "\(other)")
    #expect(outcome.rejected[9]?.stage == "normalise", "\(outcome.rejected)")
    // Lines 2 and 5 (the province), 3 and 6 (the districts).
    #expect(outcome.file.rowsSkippedTotals == 4 && outcome.file.rowsPassed == 3, "\(outcome.file)")
  }

  /// The province's names are the table's: a name added to `province-names.csv` heads a compilation too.
  @Test func theProvinceHeadingIsNamedByTheTable() throws {
    let folder = try TemporaryFolder("reference")
    defer { folder.cleanUp() }
    #expect(try GroupHeadings.load(from: folder.url).kind(of: "TỈNH HƯNG YÊN") == .lookalike)
    try "name,note\nHưng Yên,\nT. Bình,viết tắt\n".write(
      to: folder.file("province-names.csv"), atomically: true, encoding: .utf8)
    let headings = try GroupHeadings.load(from: folder.url)
    for cell in ["TỈNH HƯNG YÊN", "Tỉnh T. Bình", "TINH HUNG YEN"] {
      #expect(headings.kind(of: cell) == .district, "\(cell)")
    }
    #expect(headings.kind(of: "HUYỆN HƯNG YÊN") == .lookalike)
    #expect(headings.kind(of: "Hưng Yên") == nil)
  }

  /// Only a row whose one filled cell stands beside a Roman numeral, a letter or nothing is a heading: numbered
  /// `1`, or with anything else filled, the district's name is an establishment's row, rejected with its reason.
  @Test func aDistrictNameWithANumberOrOtherCellsIsNoHeading() throws {
    let header = "STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Số lao động\r\n"
    let text =
      header + "1,Cơ sở mộc Trần Văn Hải,Hộ KD,Vũ Thư,5\r\n" + "2,HUYỆN VŨ THƯ,,,\r\n" + "I,HUYỆN VŨ THƯ,,,3\r\n"
      + "II,Huyện Tiền Hải (cũ),,,\r\n" + "III,Mộc Vũ Thư,,,\r\n"
    let outcome = try run(["a.csv": Array(text.utf8)])
    #expect(outcome.counted == [2], "\(outcome)")
    #expect(outcome.rejectedLines == [3, 4, 5, 6], "\(outcome.rejected)")
    #expect(outcome.rejected.values.allSatisfy { $0.stage == "normalise" }, "\(outcome.rejected)")
    #expect(outcome.file.rowsSkippedTotals == 0, "\(outcome.file)")
  }

  @Test(arguments: [
    ("I", true), ("II", true), ("IV.", true), ("XII", true), ("A", true), ("b)", true), ("1", false),
    ("1.", false), ("AB", false), ("Hộ", false), ("", false),
  ])
  func theNumberOfAHeadingIsRomanOrALetter(_ cell: String, _ isGroup: Bool) {
    #expect(GroupHeadings.isGroupNumber(cell) == isGroup, "\(cell)")
  }

  @Test(arguments: [
    ("HUYỆN VŨ THƯ", GroupHeadings.Kind.district), ("Vũ Thư", .district), ("THÀNH PHỐ THÁI BÌNH", .district),
    ("TP THÁI BÌNH", .district), ("TỈNH THÁI BÌNH", .district), ("Huyen Kien Xuong", .district),
    ("HUYỆN MÊ LINH", .lookalike), ("Huyện Mê Linh", nil), ("Cơ sở mộc Vũ Thư", nil), ("HUYỆN", nil),
    ("HUYỆN VŨ THƯ 2", nil),
  ])
  func aHeadingNamesADistrictOfTheTables(_ cell: String, _ kind: GroupHeadings.Kind?) throws {
    #expect(try shippedSchema().groupHeadings.kind(of: cell) == kind, "\(cell)")
  }
}
