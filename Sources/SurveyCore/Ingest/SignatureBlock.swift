/// The signature block an administrative spreadsheet ends with: what its rows look like.
///
/// Below the table, most exports carry a place and date, the signers' titles, an instruction to sign and, after
/// a gap, the signers' names, spread over the columns:
///
///     ,,,,"Vũ Thư, ngày 20 tháng 11 năm 2025",,
///     ,"NGƯỜI LẬP BIỂU",,,"THỦ TRƯỞNG ĐƠN VỊ",,
///     ,"(Ký, ghi rõ họ tên)",,,"(Ký tên, đóng dấu)",,
///     ,"Nguyễn Văn An",,,"Trần Thị Bình",,
///
/// None of them is an establishment, and each was rejected as one without a district or type, every night. The
/// phrases are a short list here, as the totals labels are (`RowClassifier.totalsLabels`): they are the words of
/// the form's paperwork, not data the department edits. Everything is compared folded (`TextFolding.key`: no
/// diacritics, no punctuation, lower case), so `NGUOI LAP BIEU` and `Người lập biểu:` are one phrase.
enum SignatureBlock {
  /// The most filled cells a row of phrases has (a place-and-date line, or two or three titles side by side).
  static let mostPhraseCells = 4
  /// The most signers' names one row of the block holds (two signers side by side).
  static let mostNameCells = 2
  /// The longest cell looked at as a phrase, in bytes.
  static let longestPhrase = 120

  /// Titles and headings a whole cell may be: who drew up, checked, approved or confirmed the list.
  static let titles: Set<String> = [
    // Vietnamese, as the department's forms and the districts' lists write them.
    "nguoi lap bieu", "nguoi lap", "nguoi lap phieu", "nguoi lap bang", "nguoi lap danh sach", "nguoi tong hop",
    "nguoi kiem tra", "nguoi duyet", "nguoi khai", "nguoi dieu tra", "nguoi ghi phieu", "nguoi nhap lieu",
    "can bo dieu tra", "can bo tong hop", "can bo khao sat", "dieu tra vien", "thu truong don vi",
    "thu truong co quan", "giam doc", "pho giam doc", "chu tich", "pho chu tich", "truong phong", "pho truong phong",
    "ke toan", "ke toan truong", "chu co so", "dai dien co so", "xac nhan", "da ky",
    // English.
    "prepared by", "compiled by", "checked by", "reviewed by", "approved by", "verified by", "confirmed by",
    "surveyor", "director", "deputy director", "head of unit", "signature", "signed",
  ]
  /// Beginnings of a title that names whom it signs for: `TM. UBND XÃ VŨ HỘI` (on behalf of), `KT. GIÁM ĐỐC`
  /// (signing for), `TL.`, `TUQ.`, `XÁC NHẬN CỦA UBND XÃ`, `CHỦ TỊCH UBND XÃ`, `On behalf of ...`. At least one
  /// word must follow.
  static let titleStarts: [[Substring]] = [
    "tm", "kt", "tl", "tuq", "thay mat", "ky thay", "xac nhan cua", "xac nhan", "dai dien", "chu tich",
    "pho chu tich", "on behalf of", "for and on behalf of",
  ].map { $0.split(separator: " ") }
  /// Words that make a bracketed cell an instruction to sign: `(Ký, ghi rõ họ tên)`, `(Ký tên, đóng dấu)`,
  /// `(Signature and full name)`, `(Sign and stamp)`.
  static let signingWords: Set<Substring> = ["ky", "signature", "sign", "signed", "stamp", "seal"]
  /// Word pairs that do the same: `(Họ tên)`, `(Họ và tên)`, `(Đóng dấu)`, `(Full name)`.
  static let signingPairs: [[Substring]] = [["ho", "ten"], ["va", "ten"], ["dong", "dau"], ["full", "name"]]

  /// True for a cell of a signature block's heading: a place-and-date line, a title (or a title and its signer's
  /// name after a colon, `Người lập biểu: Nguyễn Văn An`), or a bracketed instruction to sign.
  static func isPhrase(_ cell: String) -> Bool {
    guard !cell.isEmpty, cell.utf8.count <= longestPhrase else { return false }
    let words = TextFolding.key(cell).split(separator: " ")
    guard !words.isEmpty else { return false }
    if isBracketed(cell) && isSigningInstruction(words) { return true }
    return isTitle(words) || isPlaceAndDate(words) || isTitleAndName(cell)
  }

  /// `Người lập biểu: Nguyễn Văn An`, `Prepared by: Nguyen Van An`: a title, a colon, then a signer's name
  /// (`isSignerName`); the name is what the block's next rows would hold, and the cell is skipped wherever it is.
  private static func isTitleAndName(_ cell: String) -> Bool {
    guard let colon = cell.firstIndex(of: ":") else { return false }
    let title = TextFolding.key(String(cell[..<colon])).split(separator: " ")
    let name = cell[cell.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    return !title.isEmpty && isTitle(title) && isSignerName(name)
  }

  /// First words of an establishment's name or a totals label, never of a person's (lower case, NFC): a name
  /// typed alone in a row, `Cơ Sở Mây Tre`, `HTX Dệt Chiếu`, or `Tổng Cộng`, is not taken for a signer's.
  static let establishmentWords: Set<Substring> = [
    "công", "cong", "cty", "ctcp", "tnhh", "dntn", "htx", "tht", "cơ", "co", "hộ", "xưởng", "xuong", "tổ", "hợp",
    "doanh", "nhà", "trang", "cửa", "làng", "thôn", "ubnd", "phòng", "sở", "tổng", "tong", "cộng",
  ]

  /// True for a signer's name as written under the block: two to five words of letters, each starting with a
  /// capital, all in capitals or none beyond its first letter (`Nguyễn Văn An`, `TRẦN THỊ BÌNH`, `Nguyen Van An`),
  /// no digits, no punctuation, not starting as an establishment's name does.
  static func isSignerName(_ cell: String) -> Bool {
    guard cell.count <= 40 else { return false }
    let words = cell.split(separator: " ")
    guard (2...5).contains(words.count), !establishmentWords.contains(Substring(words[0].lowercased())) else {
      return false
    }
    let letters = words.allSatisfy { word in
      guard let first = word.first, first.isUppercase else { return false }
      return word.allSatisfy(\.isLetter)
    }
    // "HTX Mây Tre": a word in capitals among words that are not.
    let capitals = words.filter { $0.count > 1 && $0.allSatisfy(\.isUppercase) }.count
    return letters && (capitals == 0 || capitals == words.count)
  }

  private static func isBracketed(_ cell: String) -> Bool {
    (cell.hasPrefix("(") && cell.hasSuffix(")")) || (cell.hasPrefix("[") && cell.hasSuffix("]"))
  }

  private static func isSigningInstruction(_ words: [Substring]) -> Bool {
    if words.contains(where: signingWords.contains) { return true }
    return signingPairs.contains { pair in
      zip(words, words.dropFirst()).contains { $0 == pair[0] && $1 == pair[1] }
    }
  }

  private static func isTitle(_ words: [Substring]) -> Bool {
    if titles.contains(words.joined(separator: " ")) { return true }
    return titleStarts.contains { start in words.count > start.count && words.starts(with: start) }
  }

  /// `Vũ Thư, ngày 20 tháng 11 năm 2025`, `Thái Bình, ngày ... tháng ... năm 2025` (dots typed for the day),
  /// `Ngày 20/11/2025`, `Date: 20/11/2025`: words of a place (no number among them), then `ngày` (or `date`,
  /// `dated` first), then nothing but the day, month and year, with `tháng` and `năm` in their places.
  private static func isPlaceAndDate(_ words: [Substring]) -> Bool {
    guard let at = words.firstIndex(where: { $0 == "ngay" || $0 == "date" || $0 == "dated" }) else { return false }
    let place = words[..<at]
    if words[at] != "ngay" && !place.isEmpty { return false }
    guard place.count <= 8, place.allSatisfy({ !$0.contains(where: \.isNumber) }) else { return false }
    let rest = words[(at + 1)...]
    guard !rest.isEmpty, rest.count <= 6 else { return false }
    // What may come next: a number (only one in each place), then "thang", then "nam", in that order.
    var stage = 0  // 0: the day, 1: after "thang", 2: after "nam"
    var numbers = [0, 0, 0]
    var saidMonthOrYear = false
    for word in rest {
      if word.allSatisfy(\.isASCII) && word.allSatisfy(\.isNumber) {
        guard word.count <= 4 else { return false }
        if saidMonthOrYear {
          numbers[stage] += 1
          if numbers[stage] > 1 { return false }
        } else if numbers[0] == 3 {
          return false
        } else {
          numbers[0] += 1  // "20 11 2025": the day, month and year written with slashes
        }
      } else if word == "thang" && stage == 0 && numbers[0] <= 1 {
        (stage, saidMonthOrYear) = (1, true)
      } else if word == "nam" && stage <= 1 && (stage == 1 || numbers[0] == 0) {
        (stage, saidMonthOrYear) = (2, true)
      } else {
        return false
      }
    }
    return saidMonthOrYear || numbers[0] >= 1
  }
}
