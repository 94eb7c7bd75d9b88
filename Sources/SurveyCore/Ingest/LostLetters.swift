/// A survey saved as Excel's plain "CSV (Comma delimited)" on a Windows not set to Vietnamese: the code page has
/// no room for most Vietnamese letters, and Excel writes "?" in their place ("Cơ s? th? Dương Th? Th?y", a header
/// "S? lao ??ng"). Read as it is, its headers miss the form's columns (the file set aside as having no header, or
/// as missing a column: the wrong fix), and its rows pass with garbled names or are rejected one by one for a type
/// or district no one wrote, which sends the analyst to mend rows when the file needs saving again.
import Foundation

/// The lines of a file's first chunk whose cells show lost letters (`TextFolding.hasLostLetters`), and whether
/// they are enough to set the file aside whole.
///
/// Only the first chunk is looked at (`FileIngester.read` decodes it for the layout anyway): a lossy save loses
/// letters in nearly every line, the header's and the first rows' among them, while the rows themselves are parsed
/// at a million a second and are not slowed by a look at each cell.
struct LostLetters: Equatable {
  /// The lines with lost letters, as a text editor numbers them (LF, CRLF or a lone CR ends a line, as for the
  /// parser's record lines), in order.
  private(set) var lines: [Int] = []
  /// The cell of the first of them as found, shortened around its lost letter when long.
  private(set) var example = ""
  /// The lines holding anything but white space, delimiters and quotes.
  private var filledLines: [Int] = []
  private var wholeFile = false

  /// Cells longer than this are shown by the words around their lost letter.
  static let exampleLength = 60

  /// Scans `text`, a file's first chunk decoded to UTF-8; `wholeFile` when it is all of the file, so that its last
  /// line is whole too (otherwise it is cut off and left out). `unicode`: the file is UTF-8 or UTF-16, so a
  /// Vietnamese letter in it is one the save held (`holdsVietnamese`), and its "?" are typed, not lost.
  init(_ text: [UInt8], wholeFile: Bool, unicode: Bool = false) {
    self.wholeFile = wholeFile
    // Neither a "?" nor the first byte of U+FFFD: nearly every file, and nothing below could find either.
    guard text.contains(where: { $0 == UInt8(ascii: "?") || $0 == 0xEF }) else { return }
    if unicode && Self.holdsVietnamese(text) { return }
    var line = 1
    var start = 0
    var index = 0
    while index < text.count {
      let byte = text[index]
      guard byte == 0x0A || byte == 0x0D else {
        index += 1
        continue
      }
      look(at: text[start..<index], line: line)
      index += byte == 0x0D && index + 1 < text.count && text[index + 1] == 0x0A ? 2 : 1
      (start, line) = (index, line + 1)
    }
    if wholeFile && start < text.count { look(at: text[start...], line: line) }
  }

  private mutating func look(at bytes: ArraySlice<UInt8>, line: Int) {
    if bytes.contains(where: { !Self.isFiller($0) }) { filledLines.append(line) }
    guard bytes.contains(where: { $0 == UInt8(ascii: "?") || $0 == 0xEF }),
      // A line that is not UTF-8 has its own reason, row by row (`RowWording.invalidBytes`); decoded here, its
      // bytes would read as U+FFFD.
      let text = String(validating: bytes, as: UTF8.self)
    else { return }
    // Split at every delimiter a survey may use: a "?" between letters is never split, and a web address's "?"
    // is told by its own cell, not by another one on the line.
    let cells = text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\t" }).map(String.init)
    guard let cell = cells.first(where: TextFolding.hasLostLetters) else { return }
    if lines.isEmpty { example = Self.shortened(cell) }
    lines.append(line)
  }

  /// The line and cell to set the file aside with, or nil when the file is to be read: lost letters in the header
  /// (or a title row above it, which the same save wrote), or on two lines or more that are at least a quarter of
  /// the chunk's data lines, or on the one data line of a file that has only one. A lossy save loses letters on
  /// nearly every line (ơ, ư, ă, đ and most tone marks have no place in its code page); a few cells with a "?"
  /// between letters in a file of many rows ("Có?Không", typed so) are typos, and the file is read.
  /// - Parameter headerEnd: the last line of the header (nil when no header was found: then the first filled line
  ///   is taken for it when counting the data lines).
  func settingAside(headerEnd: Int?) -> (line: Int, example: String)? {
    guard let first = lines.first else { return nil }
    let found = (first, example)
    if let headerEnd, first <= headerEnd { return found }
    guard let header = headerEnd ?? filledLines.first else { return nil }
    let dataLines = filledLines.count(where: { $0 > header })
    if lines.count >= 2 && lines.count * 4 >= dataLines { return found }
    return wholeFile && dataLines <= 1 ? found : nil
  }

  /// Whether UTF-8 `text` holds a letter that no code page a lossy save writes can hold: ơ, ư, ă, đ (and their
  /// capitals), a letter with a Vietnamese tone or dot (U+1EA0 to U+1EF9), or a combining tone mark. A file saved
  /// so kept its letters, and a "?" between two of its letters was typed ("vay vốn?không"). Only for files read as
  /// Unicode: a Western file read as Windows-1258 turns some of its bytes into combining marks.
  static func holdsVietnamese(_ text: [UInt8]) -> Bool {
    guard text.count > 1 else { return false }
    for index in 0..<(text.count - 1) {
      let (lead, next) = (text[index], text[index + 1])
      switch lead {
      case 0xE1 where next == 0xBA || next == 0xBB: return true
      case 0xC6 where [0xA0, 0xA1, 0xAF, 0xB0].contains(next): return true
      case 0xC4 where [0x82, 0x83, 0x90, 0x91].contains(next): return true
      case 0xCC where [0x80, 0x81, 0x83, 0x89, 0xA3].contains(next): return true
      default: continue
      }
    }
    return false
  }

  /// White space, a delimiter or a quote: what a line of empty cells holds.
  private static func isFiller(_ byte: UInt8) -> Bool {
    TextFolding.isSpaceByte(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";")
      || byte == UInt8(ascii: "\"")
  }

  /// `cell` without the white space and quotes around it, and when long, the words around its first lost letter.
  static func shortened(_ cell: String) -> String {
    let trimmed = cell.trimmingCharacters(in: CharacterSet.whitespaces.union(["\""]))
    let characters = Array(trimmed)
    guard characters.count > exampleLength else { return trimmed }
    // The first "?" or U+FFFD with a letter before it; near enough to the one `hasLostLetters` found.
    let mark =
      characters.indices.first { index in
        (characters[index] == "?" && index > 0 && characters[index - 1].isLetter) || characters[index] == "\u{FFFD}"
      } ?? 0
    let from = max(0, mark - exampleLength / 2)
    let to = min(characters.count, from + exampleLength)
    return (from > 0 ? "…" : "") + String(characters[from..<to]) + (to < characters.count ? "…" : "")
  }
}
