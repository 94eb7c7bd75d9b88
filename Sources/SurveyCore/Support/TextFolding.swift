/// Folding of Vietnamese text into comparison keys: case, Unicode form, diacritics, đ, punctuation.
import Foundation

public enum TextFolding {
  /// NFC form of `text`; ASCII text is returned as it is, without the cost of normalising.
  public static func nfc(_ text: String) -> String {
    if isKnownNFC(text) { return text }
    return text.precomposedStringWithCanonicalMapping
  }

  /// True when every scalar is below U+0300 or precomposed Latin (U+1E00–U+1EFF), as Vietnamese typed on a
  /// precomposing keyboard is: such text is NFC already, and Foundation's normaliser need not run.
  static func isKnownNFC(_ text: String) -> Bool {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return true }
    return text.unicodeScalars.allSatisfy { $0.value < 0x300 || (0x1E00...0x1EFF).contains($0.value) }
  }

  /// A key that keeps the tone marks: NFC, lower case, punctuation and runs of white space as one space.
  ///
  /// `"  Huyện  Đông-Hưng "` becomes `"huyện đông hưng"`.
  public static func keyWithDiacritics(_ text: String) -> String {
    collapse(nfc(text).lowercased().unicodeScalars.map { isWordScalar($0) ? $0 : " " })
  }

  /// The text on one line: each line break (a file name's, a cell typed with Alt+Enter) a space, for logs and
  /// summaries read one line per problem.
  public static func singleLine(_ text: String) -> String {
    String(text.map { $0.isNewline ? " " : $0 })
  }

  /// The text without leading and trailing white space (ASCII, and the no-break space Excel leaves).
  ///
  /// Works on the UTF-8 bytes: far cheaper than Foundation's `trimmingCharacters` on every cell.
  public static func trim(_ text: String) -> String {
    let bytes = text.utf8
    guard let first = bytes.first, let last = bytes.last,
      isSpaceByte(first) || isSpaceByte(last) || first == 0xC2 || last == 0xA0
    else { return text }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// `text.trimmingCharacters(in: .whitespaces)`, or `.whitespacesAndNewlines` with `newlines`, without
  /// Foundation when neither end is white space (nearly every cell): only then does the answer depend on
  /// Foundation's set, so it is asked only then.
  static func trimmingWhiteSpace(_ text: String, newlines: Bool) -> String {
    let bytes = text.utf8
    guard let firstByte = bytes.first, let lastByte = bytes.last else { return text }
    let set = newlines ? whitespacesAndNewlines : whitespaces
    // Both ends ASCII (codes, numbers, keys, most names): only space and tab trim, and with `newlines` LF, VT,
    // FF and CR too.
    if firstByte < 0x80 && lastByte < 0x80 {
      func trims(_ byte: UInt8) -> Bool { newlines ? isSpaceByte(byte) : byte == 0x20 || byte == 0x09 }
      if !trims(firstByte) && !trims(lastByte) { return text }
      return text.trimmingCharacters(in: set)
    }
    func trims(_ scalar: Unicode.Scalar) -> Bool { newlines ? isSpaceOrNewline(scalar) : set.contains(scalar) }
    let scalars = text.unicodeScalars
    if !trims(scalars.first!) && !trims(scalars.last!) { return text }
    return text.trimmingCharacters(in: set)
  }

  private static let whitespaces = CharacterSet.whitespaces
  private static let whitespacesAndNewlines = CharacterSet.whitespacesAndNewlines

  /// Whether `whitespacesAndNewlines` holds the scalar; below U+3100, where all of it lies, from a table asked of
  /// Foundation once (normalise trims a name ending in a Vietnamese letter on most rows).
  private static func isSpaceOrNewline(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < UInt32(spaceTable.count) ? spaceTable[Int(scalar.value)] : whitespacesAndNewlines.contains(scalar)
  }

  private static let spaceTable: [Bool] = (0..<0x3100).map {
    Unicode.Scalar($0).map(whitespacesAndNewlines.contains) ?? false
  }

  /// What `trim` keeps of UTF-8 bytes, as a range of them, without making a String.
  ///
  /// Bytes that are not UTF-8 are never trimmed here; `trim` reads them as U+FFFD, which it keeps too.
  ///
  /// The check of the two ends is inlined into the callers (ingest's cell loop calls it for every cell); the
  /// trimming, for the few cells with white space at an end, is not.
  @inline(__always)
  static func trimmedRange(_ bytes: UnsafeRawBufferPointer) -> Range<Int> {
    let count = bytes.count
    guard count > 0 else { return 0..<0 }
    let first = bytes[0]
    let last = bytes[count - 1]
    guard isSpaceByte(first) || isSpaceByte(last) || first == 0xC2 || last == 0xA0 else { return 0..<count }
    return trimmedRangeOfSpacedCell(bytes)
  }

  /// `trimmedRange` of a cell that may have white space at an end.
  private static func trimmedRangeOfSpacedCell(_ bytes: UnsafeRawBufferPointer) -> Range<Int> {
    let count = bytes.count
    // `trim` runs Foundation's trimming here, scalar by scalar from each end.
    var start = 0
    var end = count
    while start < end {
      if isSpaceByte(bytes[start]) {
        start += 1
      } else if let length = unicodeSpaceLength(bytes, startingAt: start, before: end) {
        start += length
      } else {
        break
      }
    }
    while end > start {
      if isSpaceByte(bytes[end - 1]) {
        end -= 1
      } else if end - start >= 2 && unicodeSpaceLength(bytes, startingAt: end - 2, before: end) == 2 {
        end -= 2
      } else if end - start >= 3 && unicodeSpaceLength(bytes, startingAt: end - 3, before: end) == 3 {
        end -= 3
      } else {
        break
      }
    }
    return start == end ? 0..<0 : start..<end
  }

  /// The non-ASCII scalars Foundation's `.whitespacesAndNewlines` holds, for `trimmedRange`
  /// (a test holds this list to Foundation's set).
  static let unicodeSpaces: [Unicode.Scalar] = [
    "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{2001}", "\u{2002}", "\u{2003}", "\u{2004}", "\u{2005}",
    "\u{2006}", "\u{2007}", "\u{2008}", "\u{2009}", "\u{200A}", "\u{200B}", "\u{2028}", "\u{2029}", "\u{202F}",
    "\u{205F}", "\u{3000}",
  ]

  /// Whether `trimmingWhiteSpace(_:newlines: true)` would change the text these bytes of well-formed UTF-8 are:
  /// its first or last scalar is one of `isSpaceByte`'s or of `unicodeSpaces`. Decided on the bytes, for
  /// normalise's cells that end in a Vietnamese letter (most names), which took a String each to find out.
  @inline(__always)
  static func endsInWhiteSpace(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let count = bytes.count
    guard count > 0 else { return false }
    let (first, last) = (bytes[0], bytes[count - 1])
    if first < 0x80 ? isSpaceByte(first) : unicodeSpaceLength(bytes, startingAt: 0, before: count) != nil {
      return true
    }
    if last < 0x80 { return isSpaceByte(last) }
    // The last scalar is two or three bytes long when it is one of the spaces: their lead bytes are never
    // continuation bytes, so a match ending at the end is the last scalar.
    return (count >= 2 && unicodeSpaceLength(bytes, startingAt: count - 2, before: count) == 2)
      || (count >= 3 && unicodeSpaceLength(bytes, startingAt: count - 3, before: count) == 3)
  }

  /// The length of the UTF-8 sequence of one of `unicodeSpaces` at `start` (ending by `end`), or nil.
  /// Their lead bytes (C2, E1, E2, E3) are never continuation bytes, so a match is a whole scalar.
  @inline(__always)
  private static func unicodeSpaceLength(_ bytes: UnsafeRawBufferPointer, startingAt start: Int, before end: Int)
    -> Int?
  {
    let lead = bytes[start]
    guard lead == 0xC2 || (lead >= 0xE1 && lead <= 0xE3) else { return nil }
    if lead == 0xC2 {
      guard start + 2 <= end else { return nil }
      let next = bytes[start + 1]
      return next == 0x85 || next == 0xA0 ? 2 : nil
    }
    guard start + 3 <= end else { return nil }
    let (second, third) = (bytes[start + 1], bytes[start + 2])
    switch lead {
    case 0xE1: return second == 0x9A && third == 0x80 ? 3 : nil  // U+1680
    case 0xE3: return second == 0x80 && third == 0x80 ? 3 : nil  // U+3000
    default:
      if second == 0x80 {
        return (0x80...0x8B).contains(third) || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : nil
      }
      return second == 0x81 && third == 0x9F ? 3 : nil  // U+205F
    }
  }

  /// True when the text is empty or only white space.
  public static func isBlank(_ text: String) -> Bool {
    text.utf8.allSatisfy(isSpaceByte) || trim(text).isEmpty
  }

  /// True when `text` holds U+FFFD, or a "?" (or a run of them) inside a word: the marks Excel's plain "CSV (Comma
  /// delimited)" leaves where the code page had no room for a letter ("Th?y", "D??ng", "NGUY?N"). A "?" typed
  /// between two words is not one: the word after it starts with a capital after a small letter ("vay vốn?Không",
  /// "needed?Yes"); nor is one in a web address, with or without its scheme ("profile.php?id=1", "…/tin?id=3",
  /// "17z?entry=ttu"). Reference tables are refused for them (`ReferenceTable.read`), survey files set aside
  /// (`LostLetters`).
  static func hasLostLetters(_ text: String) -> Bool {
    // Neither a "?" nor the first byte of U+FFFD (nearly every cell): nothing below can find either.
    if !text.utf8.contains(where: { $0 == UInt8(ascii: "?") || $0 == 0xEF }) { return false }
    let characters = Array(text)
    var index = 0
    while index < characters.count {
      let character = characters[index]
      if character == "\u{FFFD}" { return true }
      guard character == "?", index > 0, characters[index - 1].isLetter else {
        index += 1
        continue
      }
      // A run of "?" counts as one: "Th??ng" ("Thương") lost two letters in a row.
      var after = index
      while after < characters.count && characters[after] == "?" { after += 1 }
      if after < characters.count, characters[after].isLetter,
        characters[after].isLowercase || (characters[index - 1].isUppercase && characters[after].isUppercase),
        !inWebAddress(characters, at: index)
      {
        return true
      }
      index = after
    }
    return false
  }

  /// Whether the "?" at `index` is in a web address: the run of characters around it that holds no space, quote,
  /// bracket or delimiter has "=" after it, or "/" or "www." before it, or "://".
  private static func inWebAddress(_ characters: [Character], at index: Int) -> Bool {
    func bounds(_ character: Character) -> Bool { character.isWhitespace || ",;\"'()<>[]".contains(character) }
    var start = index
    while start > 0 && !bounds(characters[start - 1]) { start -= 1 }
    var end = index
    while end < characters.count && !bounds(characters[end]) { end += 1 }
    let before = String(characters[start..<index])
    return characters[(index + 1)..<end].contains("=") || before.contains("/") || before.lowercased().contains("www.")
  }

  /// Space, tab, LF, VT, FF or CR: one test of a bit, where six comparisons ran for both ends of every cell ingest
  /// reads.
  @inline(__always)
  static func isSpaceByte(_ byte: UInt8) -> Bool {
    // Bit n set for byte n: 0x09 to 0x0D, and 0x20.
    let spaces: UInt64 = 1 << 0x20 | 1 << 0x09 | 1 << 0x0A | 1 << 0x0B | 1 << 0x0C | 1 << 0x0D
    return byte < 64 && (spaces >> UInt64(byte)) & 1 != 0
  }

  /// A key without diacritics: as `keyWithDiacritics`, then tone and vowel marks removed and đ read as d.
  ///
  /// `"Huyện Đông Hưng"`, `"huyen dong hung"` and its NFD form all become `"huyen dong hung"`.
  ///
  /// Text of ASCII and precomposed Latin letters (all of Vietnamese in NFC) is folded a scalar at a time through
  /// `latinFolds`; anything else (a combining mark, another script) goes through Unicode decomposition and
  /// properties, which took about 1.5 µs for a name and 8% of the report stage.
  public static func key(_ text: String) -> String {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiKey(text) }
    var scalars: [Unicode.Scalar] = []
    scalars.reserveCapacity(text.utf8.count)
    let folds = latinFolds  // once, not a lazy global's check per scalar
    for scalar in text.unicodeScalars {
      if scalar.isASCII {
        scalars.append(Unicode.Scalar(foldedASCII(UInt8(scalar.value)) ?? 0x20))
      } else if let folded = folds[scalar] {
        scalars.append(contentsOf: folded)
      } else {
        return keyByUnicode(text)
      }
    }
    return collapse(scalars)
  }

  /// What `keyByUnicode` makes of each Latin scalar before runs of spaces are collapsed: these scalars fold one
  /// by one, with no context. Made from `foldScalars` itself, so the two paths cannot disagree.
  private static let latinFolds = LatinScalarTable { foldScalars(String($0)) }

  /// `key` through Unicode decomposition and properties, for any text.
  static func keyByUnicode(_ text: String) -> String { collapse(foldScalars(text)) }

  /// `key` before runs of spaces are collapsed: decomposed, lower case, marks removed, đ read as d, and anything
  /// other than a letter or digit a space.
  private static func foldScalars(_ text: String) -> [Unicode.Scalar] {
    var scalars: [Unicode.Scalar] = []
    scalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.decomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
      switch scalar.properties.generalCategory {
      case .nonspacingMark, .spacingMark, .enclosingMark: continue
      default: break
      }
      if scalar == "đ" || scalar == "Đ" {
        scalars.append("d")
      } else {
        scalars.append(isWordScalar(scalar) ? scalar : " ")
      }
    }
    return scalars
  }

  /// Removes bracketed parts such as a unit: `"Doanh thu (triệu đồng)"` becomes `"Doanh thu "`.
  public static func removingBrackets(_ text: String) -> String { splittingBrackets(text).outside }

  /// `text` split at its brackets (`()`, `[]`, `{}`): what lies outside them, and the text inside each outermost
  /// pair, in order (`"Doanh thu (triệu đồng)"`: `"Doanh thu "` and `["triệu đồng"]`). A bracket inside another
  /// reads as a space in its note, a closing bracket with none open is dropped, and one left open runs to the end.
  /// Header matching reads the outside (`removingBrackets`), and a money column's unit the notes (`MoneyUnit`), so
  /// the two always part a header alike.
  static func splittingBrackets(_ text: String) -> (outside: String, notes: [String]) {
    var outside = ""
    var notes: [String] = []
    var current = ""
    var depth = 0
    for character in text {
      switch character {
      case "(", "[", "{":
        if depth > 0 { current.append(" ") }
        depth += 1
      case ")", "]", "}":
        guard depth > 0 else { continue }
        depth -= 1
        if depth == 0 {
          notes.append(current)
          current = ""
        } else {
          current.append(" ")
        }
      default:
        if depth == 0 { outside.append(character) } else { current.append(character) }
      }
    }
    if depth > 0 { notes.append(current) }
    return (outside, notes)
  }

  private static func asciiKey(_ text: String) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var pendingSpace = false
    for byte in text.utf8 {
      guard let folded = foldedASCII(byte) else {
        pendingSpace = !bytes.isEmpty
        continue
      }
      if pendingSpace { bytes.append(0x20) }
      pendingSpace = false
      bytes.append(folded)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// An ASCII letter or digit as `key` keeps it (a letter in lower case); nil for anything else, which `key` reads
  /// as a space.
  @inline(__always)
  private static func foldedASCII(_ byte: UInt8) -> UInt8? {
    if byte &- 0x30 < 10 || byte &- 0x61 < 26 { return byte }
    return byte &- 0x41 < 26 ? byte + 0x20 : nil
  }

  private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.isAlphabetic || scalar.properties.numericType != nil
      || scalar.properties.generalCategory == .nonspacingMark
  }

  /// The scalars with runs of spaces as one and none at the ends, written as UTF-8 bytes (a String's scalar
  /// view took about 11,000 instructions to append a name's scalars one by one).
  private static func collapse(_ scalars: [Unicode.Scalar]) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(scalars.count + 8)
    var pendingSpace = false
    for scalar in scalars {
      if scalar == " " {
        pendingSpace = !bytes.isEmpty
      } else {
        if pendingSpace { bytes.append(0x20) }
        pendingSpace = false
        if scalar.isASCII {
          bytes.append(UInt8(truncatingIfNeeded: scalar.value))
        } else {
          UTF8.encode(scalar) { bytes.append($0) }
        }
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// Answers for each ASCII and precomposed Latin scalar (U+0000–U+024F and U+1E00–U+1EFF: all of Vietnamese in NFC),
/// made once from each scalar alone, so that text of such scalars can be read a scalar at a time where the whole
/// text would otherwise be decomposed and each scalar's Unicode properties asked (`TextFolding.key`,
/// `MatchKey.words`). None of these scalars is a combining mark, so reading them one by one loses no context.
struct LatinScalarTable<Entry: Sendable>: Sendable {
  private let low: [Entry]
  private let extended: [Entry]

  init(_ make: (Unicode.Scalar) -> Entry) {
    low = (0..<0x250).map { make(Unicode.Scalar(UInt32($0))!) }
    extended = (0x1E00..<0x1F00).map { make(Unicode.Scalar(UInt32($0))!) }
  }

  /// The entry of `scalar`, or nil for a scalar outside the table.
  @inline(__always)
  subscript(scalar: Unicode.Scalar) -> Entry? {
    let value = Int(scalar.value)
    if value < 0x250 { return low[value] }
    if value >= 0x1E00 && value < 0x1F00 { return extended[value - 0x1E00] }
    return nil
  }
}
