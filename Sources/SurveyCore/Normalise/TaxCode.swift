// Vietnamese tax codes (mã số thuế): 10 digits for an enterprise, or 10 digits,
// a dash and 3 digits for a branch. Respondents add spaces and dots, and Excel
// drops a leading zero when it takes the code for a number.

/// A normalised tax code.
public enum TaxCode {
  /// The outcome of reading a tax-code cell.
  public enum Reading: Sendable, Equatable {
    case blank
    /// `0101234567` or `0101234567-001`.
    case valid(String)
    /// Not a tax code; kept as written and not used for merging.
    case invalid(String)
    /// Ten times one digit (`0000000000`, `1111111111`, with or without a branch): what a surveyor types to fill a
    /// cell that must not stay blank. Not used for merging, which would take every establishment so written for
    /// one; said as such, so that the real code is written or the cell left blank.
    case placeholder(String)
  }

  /// Reads a written tax code.
  public static func read(_ written: String) -> Reading {
    if let code = plain(written) { return .valid(code) }
    return readGenerally(written)
  }

  /// `read` without its fast path for plain codes: the tests hold that path to this one.
  static func readGenerally(_ written: String) -> Reading {
    let text = written.trimmingCharacters(in: .whitespacesAndNewlines)
    if text.isEmpty || ["-", "không", "khong", "không có", "chưa có", "0"].contains(text.lowercased()) {
      return .blank
    }
    // Remove what people put between digits; keep the branch dash.
    let kept = text.unicodeScalars.filter { !" .\u{a0}_'".unicodeScalars.contains($0) }
    var cleaned = String(String.UnicodeScalarView(kept))
    // An en dash has no other canonical spelling: without its scalar there is nothing to replace.
    if kept.contains("–") { cleaned = cleaned.replacingOccurrences(of: "–", with: "-") }
    if cleaned.hasPrefix("MST:") || cleaned.hasPrefix("mst:") { cleaned.removeFirst(4) }
    let pieces = cleaned.split(separator: "-", omittingEmptySubsequences: false)
    guard pieces.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
      return .invalid(text)
    }
    let main = String(pieces[0])
    let branch = pieces.count == 2 ? String(pieces[1]) : nil
    if pieces.count > 2 { return .invalid(text) }
    if main.count == 10 || (branch == nil && main.count == 13), Set(main.prefix(10)).count == 1 {
      return .placeholder(text)
    }
    if branch == nil, main.count == 13 { return .valid(main.prefix(10) + "-" + main.suffix(3)) }
    // A 9-digit code may be one whose leading 0 Excel dropped, or one with a
    // digit missing: restoring it would be a guess that could merge two
    // establishments, so it stays invalid.
    guard main.count == 10 else { return .invalid(text) }
    if let branch {
      guard branch.count == 3 else { return .invalid(text) }
      return .valid(main + "-" + branch)
    }
    return .valid(main)
  }

  /// The code of a cell written exactly as `0101234567`, `0101234567-001` or `0101234567001` (most cells),
  /// read from its bytes; nil for every other cell (a placeholder too), which takes the general path.
  static func plain(_ written: String) -> String? {
    var text = written
    return text.withUTF8 { utf8 -> String? in
      let bytes = UnsafeRawBufferPointer(utf8)
      if isPlain(bytes) { return written }
      guard bytes.count == 13, bytes.allSatisfy({ $0 &- 0x30 < 10 }), Set(bytes.prefix(10)).count > 1 else {
        return nil
      }
      return String(decoding: bytes[0..<10], as: UTF8.self) + "-" + String(decoding: bytes[10...], as: UTF8.self)
    }
  }

  /// True when the bytes are a plain code as `plain` takes them and gives them back unchanged: ten digits, or ten
  /// digits, a hyphen and three digits. The normaliser's byte path asks this of every row's cell.
  /// The shape is `TaxKey.packPlain`'s, which reads it a word at a time for every row's key.
  @inline(__always)
  static func isPlain(_ bytes: UnsafeRawBufferPointer) -> Bool { TaxKey.packPlain(bytes) != nil }
}
