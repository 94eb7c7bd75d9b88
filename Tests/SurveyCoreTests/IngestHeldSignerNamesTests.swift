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

  /// Ingests and normalises `text` as a district's export, with the nightly run's Vietnamese wording, as the
  /// compilation tests do (every row accounted for).
  func run(_ text: String) throws -> IngestCompilationRowsTests.Outcome {
    try IngestCompilationRowsTests().run(["vu-thu-2025-11.csv": Array(text.utf8)])
  }

  /// The block ends the file: the names are skipped with it, the wide rows as the others.
  @Test func namesRightOfTheTableEndingTheFileAreSkippedWithTheBlock() throws {
    let outcome = try run(Self.text)
    #expect(outcome.counted == [2, 3] && outcome.rejects.isEmpty, "\(outcome)")
    #expect(outcome.file.rowsSkippedSignature == 3 && outcome.file.rowsRejected == 0, "\(outcome.file)")
  }

  /// A row of data after the names: the block did not end the file, so the names are a row, and one with a cell
  /// past the header is rejected by ingest, where it stands (line 6), before the row after it is counted.
  @Test func namesRightOfTheTableFollowedByDataAreRejectedByIngest() throws {
    let outcome = try run(Self.text + "3,Cơ sở thêu Vũ Thị Thoa,Hộ KD,Vũ Thư,Xã Minh Lãng,9,Đào tạo nghề\n")
    #expect(outcome.counted == [2, 3, 7], "\(outcome)")
    #expect(outcome.file.rowsRejected == 1 && outcome.file.rowsSkippedSignature == 2, "\(outcome.file)")
    #expect(
      outcome.rejects[6] == [
        "ingest",
        "dòng có giá trị nằm ngoài cột tiêu đề cuối cùng (9 ô, tiêu đề có 7 cột): dấu phân cách hoặc dấu ngoặc kép "
          + "trong một ô đã tách ô ra, hoặc cột đó chưa có tiêu đề; kiểm tra lại dòng này, hoặc đặt tiêu đề cho cột "
          + "(cột sẽ được coi là cột ngoài phiếu và không được đọc)",
        "cột 9", "Trần Thị Bình",
      ], "\(outcome.rejects)")
    #expect(outcome.rejects.count == 1, "\(outcome.rejects)")
  }
}
