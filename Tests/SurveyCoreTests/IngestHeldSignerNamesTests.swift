import Foundation
import Testing

@testable import SurveyCore

/// A signature block's signers' names are held until the file shows what they are: skipped with the block when
/// nothing but the block follows, and accounted for as any other row when a row of data comes after them. A name
/// standing right of the table's last header column, as a right-hand signer often does in a district's export
/// (the table is narrower than the sheet), is then a row ingest itself rejects, with the reason an analyst fixes it
/// by: never skipped, never lost from the file's counts.
@Suite struct IngestHeldSignerNamesTests {
  static let header = "STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Xã/Phường/Thị trấn,Số lao động,Nhu cầu hỗ trợ\n"
  /// The block under the first two rows: its date, the titles and the names, the right-hand ones in the ninth
  /// column, two past the header's seven.
  static let text =
    header
    + "1,Công ty CP Thêu ren Minh Lãng,CTCP,Vũ Thư,Xã Minh Lãng,120,Đào tạo nghề\n"
    + "2,Cơ sở bún bánh Trần Thị Lan,Hộ KD,Vũ Thư,Xã Song Lãng,6,SXSH\n"
    + ",,,,,,,,\"Vũ Thư, ngày 20 tháng 11 năm 2025\"\n"
    + ",NGƯỜI LẬP BIỂU,,,,,,,THỦ TRƯỞNG ĐƠN VỊ\n"
    + ",Nguyễn Văn An,,,,,,,Trần Thị Bình\n"

  struct Outcome {
    var file: IngestFileSummary
    var counted: [Int]
    /// The rejects of either stage by line: stage, reason, column, value.
    var rejected: [Int: [String]]
  }

  func run(_ text: String) throws -> Outcome {
    var outcome: Outcome?
    try TemporaryFolder.withInputAndRun("held-names") { input, run in
      try Data(text.utf8).write(to: input.file("vu-thu-2025-11.csv"))
      let ingest = try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema(),
        wording: .vietnamese)
      _ = try NormaliseStage.run(
        runDirectory: run.url, reference: try shippedReference(), corrections: Corrections(), wording: .vietnamese)
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
        rejected: Dictionary(uniqueKeysWithValues: rejects.rows.map { (Int($0[1])!, Array($0[2...])) }))
    }
    return try #require(outcome)
  }

  /// The block ends the file: the names are skipped with it, the wide rows as the others.
  @Test func namesRightOfTheTableEndingTheFileAreSkippedWithTheBlock() throws {
    let outcome = try run(Self.text)
    #expect(outcome.counted == [2, 3] && outcome.rejected.isEmpty, "\(outcome)")
    #expect(outcome.file.rowsSkippedSignature == 3 && outcome.file.rowsRejected == 0, "\(outcome.file)")
  }

  /// A row of data after the names: the block did not end the file, so the names are a row, and one with a cell
  /// past the header is rejected by ingest, where it stands (line 6), before the row after it is counted.
  @Test func namesRightOfTheTableFollowedByDataAreRejectedByIngest() throws {
    let outcome = try run(Self.text + "3,Cơ sở thêu Vũ Thị Thoa,Hộ KD,Vũ Thư,Xã Minh Lãng,9,Đào tạo nghề\n")
    #expect(outcome.counted == [2, 3, 7], "\(outcome)")
    #expect(outcome.file.rowsRejected == 1 && outcome.file.rowsSkippedSignature == 2, "\(outcome.file)")
    #expect(
      outcome.rejected[6] == [
        "ingest",
        "dòng có giá trị nằm ngoài cột tiêu đề cuối cùng (9 ô, tiêu đề có 7 cột): dấu phân cách hoặc dấu ngoặc kép "
          + "trong một ô đã tách ô ra, hoặc cột đó chưa có tiêu đề; kiểm tra lại dòng này, hoặc đặt tiêu đề cho cột "
          + "(cột sẽ được coi là cột ngoài phiếu và không được đọc)",
        "cột 9", "Trần Thị Bình",
      ], "\(outcome.rejected)")
    #expect(outcome.rejected.count == 1, "\(outcome.rejected)")
  }
}
