/// Surveys saved as plain "CSV (Comma delimited)" on a Windows not set to Vietnamese, their letters lost as "?":
/// set aside whole with the fix (save the workbook again as "CSV UTF-8"), where they were set aside for a header
/// or column they do have, or read with garbled names and rows rejected one by one.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct IngestLostLettersTests {
  static let fixtures = fixturesRoot.appendingPathComponent("lost-letters")
  static let lossy = ["dong-hung-excel-csv-1258.csv", "quynh-phu-excel-csv-1258.csv", "vu-thu-cp1252.csv"]
  /// The form's header typed without diacritics, as the analysts of lossy files do.
  static let plainHeader = "STT,Ten co so,Loai hinh,Huyen/Thanh pho,So lao dong,Ghi chu\r\n"
  /// A clean export whose notes hold a "?" between two letters typed so, and a web address with a "?".
  static let clean =
    "\u{FEFF}STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Số lao động,Ghi chú\r\n"
    + "1,Cơ sở mây tre Hương,Hộ kinh doanh,Vũ Thư,5,Có?Không\r\n"
    + "2,HTX Dệt chiếu Tây Ninh,HTX,Tiền Hải,30,https://congthuong.thaibinh.gov.vn/chi-tiet?id=1523\r\n"
    + "3,Công ty TNHH Thêu ren Đông Trà,Công ty TNHH,Tiền Hải,45,\r\n"

  /// Ingests `files` (name → bytes) beside the lossy fixtures, in the given wording.
  func ingest(
    _ files: [String: [UInt8]], wording: RowWording = .english, lossy: [String] = Self.lossy,
    _ check: (IngestSummary, _ run: TemporaryFolder) throws -> Void
  ) throws {
    try TemporaryFolder.withInputAndRun("lost-letters") { input, run in
      for (name, bytes) in files { try Data(bytes).write(to: input.file(name)) }
      for name in lossy {
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent(name), to: input.file(name))
      }
      let summary = try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema(),
        wording: wording)
      try check(summary, run)
    }
  }

  /// Each lossy save is set aside whole at the line of its first lost letter, with that cell as found: a
  /// Vietnamese header with "?" (no header was recognised, and the file was set aside as having none), a header
  /// typed without diacritics over rows with "?" (they were read with garbled names and district, and rows
  /// rejected one by one), a Windows-1252 save. A clean file of the same night with a "?" typed between two
  /// letters and a web address with one is read as it is.
  @Test func aSaveThatLostLettersIsSetAsideWholeAndTheOthersAreRead() throws {
    try ingest(["0-clean.csv": Array(Self.clean.utf8)]) { summary, run in
      #expect(summary.files.map(\.file) == ["0-clean.csv"] + Self.lossy)
      #expect(summary.files.map(\.status) == [.ingested, .setAside, .setAside, .setAside])
      #expect(
        summary.files.map(\.problemDetail) == [
          nil, .lostLetters("Lo?i h?nh"), .lostLetters("Cơ s? d?t Ngô Văn D?ng 141-1"),
          .lostLetters("C? s? d?t Lư V?n To?n 131-1"),
        ])
      #expect(summary.files.map(\.problemLine) == [nil, 1, 2, 2])
      #expect(summary.files[0].rowsPassed == 3 && summary.files[0].rowsRejected == 0)
      let staged = try readArtefact(run.file(ArtefactName.ingested))
      #expect(staged.rows.map { $0[0] } == ["0-clean.csv", "0-clean.csv", "0-clean.csv"])
      let notes = staged.header.firstIndex(of: "notes")!
      #expect(
        staged.rows.map { $0[notes] } == ["Có?Không", "https://congthuong.thaibinh.gov.vn/chi-tiet?id=1523", ""])
      let rejects = try readArtefact(run.file(ArtefactName.rejects))
      #expect(
        rejects.rows.map { $0[0...1] } == [
          ["dong-hung-excel-csv-1258.csv", "1"], ["quynh-phu-excel-csv-1258.csv", "2"], ["vu-thu-cp1252.csv", "2"],
        ])
      for row in rejects.rows {
        #expect(row[3].hasPrefix("file set aside: letters lost in a save: “"), "\(row[3])")
        #expect(row[3].contains("open the original workbook and save it as “CSV UTF-8 (Comma delimited)”"))
      }
    }
  }

  /// The reason in rejects.csv is in the run's language, with the cell as found.
  @Test func theReasonIsInVietnameseForTheDepartment() throws {
    try ingest([:], wording: .vietnamese, lossy: ["dong-hung-excel-csv-1258.csv"]) { _, run in
      let rejects = try readArtefact(run.file(ArtefactName.rejects))
      #expect(rejects.rows.count == 1)
      #expect(
        rejects.rows[0][3].hasPrefix(
          "tệp bị để riêng: chữ bị mất khi lưu tệp: “Lo?i h?nh” có dấu “?” (hoặc �) thay cho chữ"),
        "\(rejects.rows[0][3])")
      #expect(
        rejects.rows[0][3].contains(
          "hãy mở bảng tính gốc, lưu lại dưới dạng “CSV UTF-8 (Comma delimited)” rồi đặt lại tệp vào thư mục input"))
    }
  }

  /// Where every lost letter was a "?" in an otherwise ASCII file (read as UTF-8, not Windows-1258), where only one
  /// data line has lost letters, where only the header has, and where the header is found but for a column: each
  /// is the lost letters', not "a required column missing, add the column".
  @Test func theHeaderOrTheOneDataLineWithLostLettersIsEnough() throws {
    let ascii =
      Self.plainHeader + "1,C? s? th? Nguy?n V?n A,H? kinh doanh,V? Th?,5,\r\n"
      + "2,C? s? m?y tre D??ng Th? Th?y,HTX,Ti?n H?i,7,\r\n"
    let oneRow = Self.plainHeader + "1,C? s? th? Nguy?n V?n A,H? kinh doanh,Vu Thu,5,\r\n"
    let header = "STT,Tên c? s?,Lo?i hình,Huy?n/Thành ph?,S? lao ??ng\r\n1,Co so A,HTX,Vu Thu,5\r\n"
    // "Huy?n/Thành ph?" is no district column: the header is found, but a required column is missing.
    let column =
      "STT,Ten co so,Loai hinh,Huy?n/Thành ph?,So lao dong,Ghi chu\r\n1,Co so A,HTX,Vu Thu,5,Co?Khong\r\n"
      + "2,Co so B,HTX,Vu Thu,6,\r\n3,Co so C,HTX,Vu Thu,7,\r\n"
    // The same two headers over rows that hold Vietnamese letters: that file's save kept them, so its "?" were
    // typed, and the header is what to mend.
    let typedHeader = "STT,Tên c? s?,Lo?i hình,Huy?n/Thành ph?,S? lao ??ng\r\n1,Cơ sở A,HTX,Vũ Thư,5\r\n"
    let typedColumn =
      "STT,Tên cơ sở,Loại hình,Huy?n/Thành ph?,Số lao động,Ghi chú\r\n1,Cơ sở A,HTX,Vũ Thư,5,Có?Không\r\n"
    let files = [
      "1-ascii.csv": ascii, "2-one-row.csv": oneRow, "3-header.csv": header, "4-column.csv": column,
      "5-typed-header.csv": typedHeader, "6-typed-column.csv": typedColumn,
    ]
    try ingest(files.mapValues { Array($0.utf8) }, lossy: []) { summary, _ in
      #expect(summary.files.map(\.status) == [.setAside, .setAside, .setAside, .setAside, .setAside, .setAside])
      #expect(
        summary.files.map(\.problemDetail) == [
          .lostLetters("C? s? th? Nguy?n V?n A"), .lostLetters("C? s? th? Nguy?n V?n A"), .lostLetters("Lo?i hình"),
          .lostLetters("Huy?n/Thành ph?"),
          .noHeader(depth: HeaderLocator.searchDepth, minimum: HeaderLocator.minimumScore),
          .missingColumns([], eitherOf: ["Huyện/Thành phố", "Xã/Phường/Thị trấn"]),
        ])
      #expect(summary.files.map(\.problemLine) == [2, 2, 1, 1, 1, 1])
      #expect(summary.files[0].encoding == "utf-8")
    }
  }

  /// One cell with a "?" between letters among many clean rows is a typo, whatever the letters around it; so is a
  /// "?" after a word, or one in a cell that holds a web address. The row keeps its "?" as written.
  @Test func aTypedQuestionMarkInOneRowIsNoLostLetter() throws {
    var text = Self.plainHeader
    for number in 1...40 { text += "\(number),Co so \(number),HTX,Vu Thu,5,\r\n" }
    text += "41,Cơ sở Hạnh?Phúc,HTX,Vu Thu,5,Có cần hỗ trợ?\r\n"
    text += "42,Co so 42,HTX,Vu Thu,5,xem www.congthuong.vn/tin?id=3 và https://a.vn/b?c=d\r\n"
    // Two such typos on two lines are still typos among 43 rows: a lossy save loses letters on nearly every line.
    text += "43,Cơ sở 43,HTX,Vu Thu,5,Có?Không\r\n"
    try ingest(["typo.csv": Array(text.utf8)], lossy: []) { summary, run in
      #expect(summary.files.map(\.status) == [.ingested])
      #expect(summary.files[0].rowsPassed == 43)
      let staged = try readArtefact(run.file(ArtefactName.ingested))
      #expect(staged.rows.contains { $0.contains("Cơ sở Hạnh?Phúc") })
    }
  }

  /// Lost letters on two lines that are a quarter of the data lines set the file aside, as the rule says (at least
  /// a quarter); the same two lines beside one clean row more are typos among many, and the file is read.
  @Test func lostLettersOnAQuarterOfTheDataLinesSetTheFileAside() throws {
    var quarter = Self.plainHeader
    for number in 1...6 { quarter += "\(number),Co so \(number),HTX,Vu Thu,5,\r\n" }
    quarter += "7,Co so d?t Ngo V?n D?ng,HTX,Vu Thu,5,\r\n8,Co so m?c Tr?n V?n H?i,HTX,Vu Thu,5,\r\n"
    let fewer = quarter + "9,Co so 9,HTX,Vu Thu,5,\r\n"
    try ingest(["a-quarter.csv": Array(quarter.utf8), "b-fewer.csv": Array(fewer.utf8)], lossy: []) { summary, _ in
      #expect(summary.files.map(\.status) == [.setAside, .ingested])
      #expect(summary.files[0].problemLine == 8)
      #expect(summary.files[0].problemDetail == .lostLetters("Co so d?t Ngo V?n D?ng"))
      #expect(summary.files[1].rowsPassed == 9)
    }
  }

  /// A tester's round on files that kept their letters: a "?" typed between two words on many rows ("vay
  /// vốn?Không", "needed?Yes"), a web address without its scheme, a Google Maps link whose commas split its line,
  /// and, in a file that holds Vietnamese letters, a "?" before a small letter on every row. Each was set aside
  /// whole and told to be saved again.
  @Test func filesThatKeptTheirLettersAreReadWhateverTheirQuestionMarks() throws {
    var typed = "\u{FEFF}STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Số lao động,Ghi chú\r\n"
    var plain = Self.plainHeader
    var links = Self.plainHeader
    for number in 1...12 {
      typed += "\(number),Cơ sở \(number),HTX,Vũ Thư,5,Có nhu cầu vay vốn?không\r\n"
      plain += "\(number),Co so Anh?Duong \(number),HTX,Vu Thu,5,Loan needed?Yes\r\n"
      links +=
        "\(number),Co so \(number),HTX,Vu Thu,5,\"https://www.google.com/maps/@20.4461,106.3369,17z?entry=ttu\"\r\n"
      links +=
        "\(number + 100),Co so,HTX,Vu Thu,5,facebook.com/profile.php?id=1000\(number) sct.thaibinh.gov.vn/tin?id=2\r\n"
    }
    let files = ["typed.csv": typed, "plain.csv": plain, "links.csv": links]
    try ingest(files.mapValues { Array($0.utf8) }, lossy: []) { summary, _ in
      #expect(summary.files.map(\.status) == [.ingested, .ingested, .ingested])
      #expect(summary.files.map(\.rowsPassed) == [24, 12, 12])
    }
    for (written, lost) in [
      ("vay vốn?Không", false), ("Loan needed?Yes", false), ("Ánh?Dương", false), ("17z?entry=ttu", false),
      ("facebook.com/profile.php?id=100", false), ("sct.thaibinh.gov.vn/tin-tuc?id=2045", false),
      ("NGUY?N", true), ("D??ng", true), ("Th?y", true), ("C? s?", false),
    ] {
      #expect(TextFolding.hasLostLetters(written) == lost, "\(written)")
    }
    // A file read as Unicode that holds Vietnamese letters kept them; one read as Windows-1258 is not told so.
    #expect(LostLetters.holdsVietnamese(Array("Thương".utf8)) && LostLetters.holdsVietnamese(Array("Hợp".utf8)))
    #expect(!LostLetters.holdsVietnamese(Array("Co so Hoa, Lý, Ánh".utf8)))
  }

  /// The scan of the first chunk: lines numbered as a text editor does (CRLF, LF or a lone CR), a run of "?" as one
  /// lost letter, a line that is not UTF-8 left to its row's own reason, a cut-off last line left out, and a long
  /// cell shown by the words around its lost letter.
  @Test func theFirstChunkIsScannedByTheLinesAnAnalystSees() {
    let lines = LostLetters(Array("a,b\r\nc,d\re,Th??ng\nf,D??ng".utf8), wholeFile: true)
    #expect(lines.lines == [3, 4])
    #expect(lines.example == "Th??ng")
    let cut = LostLetters(Array("a,b\r\nc,Th??ng\nf,D??n".utf8), wholeFile: false)
    #expect(cut.lines == [2])
    let invalid = LostLetters([UInt8]("a,b\nc,Th".utf8) + [0xFF] + [UInt8]("?ng\n".utf8), wholeFile: true)
    #expect(invalid.lines.isEmpty)
    let replaced = LostLetters(Array("a,b\nc,D\u{FFFD}ng\n".utf8), wholeFile: true)
    #expect(replaced.lines == [2] && replaced.example == "D\u{FFFD}ng")
    let long = String(repeating: "ghi chú dài ", count: 10) + "Th?y " + String(repeating: "x", count: 50)
    let shortened = LostLetters.shortened("\"\(long)\"")
    #expect(shortened.hasPrefix("…") && shortened.hasSuffix("…") && shortened.contains("Th?y"), "\(shortened)")
    #expect(shortened.count == LostLetters.exampleLength + 2)
  }
}
