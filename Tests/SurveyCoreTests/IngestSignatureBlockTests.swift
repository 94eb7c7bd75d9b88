import Foundation
import Testing

@testable import SurveyCore

/// The signature block an administrative export ends with (place and date, titles, instructions to sign, the
/// signers' names) is skipped and counted, not rejected row by row; a real establishment is never skipped.
@Suite struct IngestSignatureBlockTests {
  static let header = "STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Xã/Phường/Thị trấn,Số lao động,Nhu cầu hỗ trợ\n"
  static let data =
    "1,Công ty CP Thêu ren Minh Lãng,CTCP,Vũ Thư,Xã Minh Lãng,120,Đào tạo nghề\n"
    + "2,Cơ sở bún bánh Trần Thị Lan,Hộ KD,Vũ Thư,Xã Song Lãng,6,SXSH\n"
  /// The block as Excel exports it, cells spread over the columns, blank rows between.
  static let block =
    ",,,,,,\n,,,,\"Vũ Thư, ngày 20 tháng 11 năm 2025\",,\n,\"NGƯỜI LẬP BIỂU\",,,\"THỦ TRƯỞNG ĐƠN VỊ\",,\n"
    + ",\"(Ký, ghi rõ họ tên)\",,,\"(Ký tên, đóng dấu)\",,\n,,,,,,\n,\"Nguyễn Văn An\",,,\"Trần Thị Bình\",,\n"

  /// What ingest and normalise made of one file: its ingest summary, the rows normalise counted and rejected, and
  /// the lines of every reject (either stage's).
  struct Outcome {
    var file: IngestFileSummary
    var counted: Int
    var rejected: Int
    var rejectedLines: [Int]
  }

  func run(_ bytes: [UInt8], name: String = "vu-thu.csv") throws -> Outcome {
    var outcome: Outcome?
    try TemporaryFolder.withInputAndRun("signature") { input, run in
      try Data(bytes).write(to: input.file(name))
      let ingest = try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema())
      let normalise = try NormaliseStage.run(
        runDirectory: run.url, reference: try shippedReference(), corrections: Corrections())
      let file = try #require(ingest.files.first)
      #expect(
        file.rowsRead == file.rowsPassed + file.rowsSkippedBlank + file.rowsSkippedTotals + file.rowsSkippedSignature
          + file.rowsRejected)
      let rejects = try readArtefact(run.file(ArtefactName.rejects))
      outcome = Outcome(
        file: file, counted: normalise.totals.counted, rejected: normalise.totals.rejected + file.rowsRejected,
        rejectedLines: rejects.rows.compactMap { Int($0[1]) }.sorted())
    }
    return try #require(outcome)
  }

  func run(_ text: String) throws -> Outcome { try run(Array(text.utf8)) }

  @Test func theBlockUnderTheTableIsSkippedAndCountedWithNoReject() throws {
    let outcome = try run(Self.header + Self.data + Self.block)
    #expect(outcome.counted == 2 && outcome.rejected == 0, "\(outcome)")
    #expect(outcome.file.rowsSkippedSignature == 4 && outcome.file.rowsSkippedBlank == 2, "\(outcome.file)")
    #expect(outcome.file.rowsSkipped == 6)
  }

  @Test func aBlockInEnglishOrWithoutDiacriticsIsSkipped() throws {
    let english =
      ",,,,,,\n,,,,Date: 20/11/2025,,\n,Prepared by,,,Approved by,,\n"
      + ",(Signature and full name),,,(Signature and full name),,\n,Nguyen Van An,,,Tran Thi Binh,,\n"
    let plain =
      ",,,,\"Thai Binh, ngay ... thang ... nam 2025\",,\n,NGUOI LAP BIEU,,,KT. GIAM DOC,,\n"
      + ",\"(Ky, ghi ro ho ten)\",,,PHO GIAM DOC,,\n,,,,,,\n,NGUYEN VAN AN,,,TRAN THI BINH,,\n"
    for (block, skipped) in [(english, 4), (plain, 4)] {
      let outcome = try run(Self.header + Self.data + block)
      #expect(outcome.counted == 2 && outcome.rejected == 0, "\(block): \(outcome)")
      #expect(outcome.file.rowsSkippedSignature == skipped, "\(block): \(outcome.file)")
    }
  }

  /// Variants of the headings: `TM. UBND XÃ`, `XÁC NHẬN CỦA UBND XÃ`, `Ngày 20/11/2025`, `Người khai`, in a
  /// semicolon file and in Excel's "Unicode Text" (UTF-16LE, tabs).
  @Test func headingVariantsInSemicolonAndUnicodeTextFiles() throws {
    let text =
      Self.header + Self.data
      + ",,,,Ngày 20/11/2025,,\n,XÁC NHẬN CỦA UBND XÃ,,,Người khai,,\n,TM. UBND XÃ MINH LÃNG,,,,,\n"
      + ",CHỦ TỊCH,,,(Đã ký),,\n,Lê Văn Dũng,,,Phạm Thị Hoa,,\n"
    let semicolons = text.replacingOccurrences(of: ",", with: ";")
    let tabs = text.replacingOccurrences(of: ",", with: "\t").replacingOccurrences(of: "\n", with: "\r\n")
    for bytes in [Array(semicolons.utf8), [0xFF, 0xFE] + Array(tabs.data(using: .utf16LittleEndian)!)] {
      let outcome = try run(bytes)
      #expect(outcome.counted == 2 && outcome.rejected == 0, "\(outcome)")
      #expect(outcome.file.rowsSkippedSignature == 5, "\(outcome.file)")
    }
  }

  /// The signers' names with no heading above them are rows to fix, as before.
  @Test func signersNamesWithoutAHeadingAboveAreStillRejected() throws {
    let outcome = try run(Self.header + Self.data + ",,,,,,\n,\"Nguyễn Văn An\",,,\"Trần Thị Bình\",,\n")
    #expect(outcome.file.rowsSkippedSignature == 0, "\(outcome.file)")
    #expect(outcome.counted == 2 && outcome.rejectedLines == [5], "\(outcome)")
  }

  /// A row of data after a block is counted; names between a heading and data are rows to fix, since the block
  /// did not end the file; a heading above the table hides nothing below it.
  @Test func aRowOfDataAfterABlockIsCountedAndTheNamesAboveItAreNotSkipped() throws {
    let text =
      Self.header + ",,,,\"Vũ Thư, ngày 20 tháng 11 năm 2025\",,\n" + Self.data
      + ",NGƯỜI LẬP BIỂU,,,,,\n,Nguyễn Văn An,,,,,\n"
      + "3,Cơ sở thêu Vũ Thị Thoa,Hộ KD,Vũ Thư,Xã Minh Lãng,9,Đào tạo nghề\n" + Self.block
    let outcome = try run(text)
    #expect(outcome.counted == 3, "\(outcome)")
    // Line 6, "Nguyễn Văn An", is followed by data: rejected with its reason, not skipped.
    #expect(outcome.rejectedLines == [6], "\(outcome)")
    #expect(outcome.file.rowsSkippedSignature == 2 + 4, "\(outcome.file)")
  }

  /// A title with its signer's name in the same cell, as a district office types the block by hand: skipped, where
  /// each such row was rejected for its missing district and type.
  @Test func aTitleAndItsSignerInOneCellAreSkipped() throws {
    let block =
      ",,,,\"Vũ Thư, ngày 20 tháng 11 năm 2025\",,\n"
      + ",Người lập biểu: Nguyễn Văn An,,,Thủ trưởng đơn vị: Trần Thị Bình,,\n"
    let outcome = try run(Self.header + Self.data + block)
    #expect(outcome.counted == 2 && outcome.rejected == 0, "\(outcome)")
    #expect(outcome.file.rowsSkippedSignature == 2, "\(outcome.file)")
  }

  /// A row inside a block with a type, district or needs filled is an answer to fix: rejected with its reason.
  @Test func aRowWithATypeOrDistrictInsideABlockIsStillRejected() throws {
    let text =
      Self.header + Self.data + ",NGƯỜI LẬP BIỂU,,,,,\n,Nguyễn Văn An,Hộ XYZ,,,,\n,Trần Thị Bình,,Vũ Thư,,,\n"
    let outcome = try run(text)
    #expect(outcome.counted == 2 && outcome.rejectedLines == [5, 6], "\(outcome)")
    #expect(outcome.file.rowsSkippedSignature == 1, "\(outcome.file)")
  }

  /// A header and a signature block only: an empty file, as a header and a totals row are.
  @Test func aHeaderAndABlockAloneIsAnEmptyFile() throws {
    let outcome = try run(Self.header + Self.block)
    #expect(outcome.file.status == .empty && outcome.file.problemDetail == .noDataRows, "\(outcome.file)")
    #expect(outcome.rejected == 0 && outcome.file.rowsSkippedSignature == 4)
  }

  /// `rows_skipped_signature` is written when not 0, so every other file's summary reads as before.
  @Test func theCountIsWrittenOnlyWhenNotZero() throws {
    var file = IngestFileSummary(file: "a.csv", bytes: 1)
    let without = String(decoding: try JSONEncoder().encode(file), as: UTF8.self)
    #expect(!without.contains("rows_skipped_signature"))
    file.rowsSkippedSignature = 4
    let with = try JSONEncoder().encode(file)
    #expect(String(decoding: with, as: UTF8.self).contains(#""rows_skipped_signature":4"#))
    let back = try JSONDecoder().decode(IngestFileSummary.self, from: with)
    #expect(back.rowsSkippedSignature == 4 && back.rowsSkipped == 4 && back == file)
  }

  @Test(arguments: [
    ("Vũ Thư, ngày 20 tháng 11 năm 2025", true), ("Thái Bình, ngày ... tháng ... năm 2025", true),
    ("Thái Bình, ngày …… tháng 11 năm 2025", true), ("Ngày 20/11/2025", true), ("Date: 20/11/2025", true),
    ("ngày 5 tháng 12 năm 2025", true), ("NGƯỜI LẬP BIỂU", true), ("Người lập biểu:", true),
    ("NGUOI LAP BIEU", true), ("THỦ TRƯỞNG ĐƠN VỊ", true), ("TM. UBND XÃ VŨ HỘI", true), ("KT. GIÁM ĐỐC", true),
    ("PHÓ GIÁM ĐỐC", true), ("XÁC NHẬN CỦA UBND XÃ", true), ("Người tổng hợp", true), ("Cán bộ điều tra", true),
    ("Người khai", true), ("(Ký, ghi rõ họ tên)", true), ("(Ký tên, đóng dấu)", true), ("(Ky, ghi ro ho ten)", true),
    ("(Signature and full name)", true), ("Prepared by", true), ("Approved by", true),
    ("Cơ sở Ngày Mới", false), ("Công ty TNHH Giám Đốc", false), ("Tổng công ty May", false), ("Vũ Thư", false),
    ("Hộ KD", false), ("20/11/2025", false), ("Ngày khảo sát", false), ("KT", false), ("(1)", false),
    ("(Cơ sở mới)", false), ("Nguyễn Văn An", false),
    // A title and its signer in one cell; not a title with anything else after its colon.
    ("Người lập biểu: Nguyễn Văn An", true), ("NGƯỜI LẬP BIỂU: TRẦN THỊ BÌNH", true),
    ("Prepared by: Nguyen Van An", true), ("Người lập biểu: Cơ sở Mây Tre", false),
    ("Người lập biểu: 0912 345 678", false), ("Ghi chú: Nguyễn Văn An", false),
  ])
  func phrasesOfABlockAreKnownAndNamesAreNot(_ cell: String, _ isPhrase: Bool) {
    #expect(SignatureBlock.isPhrase(cell) == isPhrase, "\(cell)")
  }

  @Test(arguments: [
    ("Nguyễn Văn An", true), ("TRẦN THỊ BÌNH", true), ("Nguyen Van An", true), ("Lò Văn Páo", true),
    ("HTX Mây Tre", false), ("Cơ Sở Mây Tre", false), ("Công Ty Dệt", false), ("Cơ sở A", false), ("An", false),
    ("Nguyễn Văn 2", false), ("Tổng Cộng", false), ("Nguyễn Văn An, Vũ Thư", false),
  ])
  func signersNamesArePeoplesNames(_ cell: String, _ isName: Bool) {
    #expect(SignatureBlock.isSignerName(cell) == isName, "\(cell)")
  }
}
