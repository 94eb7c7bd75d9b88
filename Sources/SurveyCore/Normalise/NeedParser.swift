import Foundation

// The nine support needs, from either the nine mark columns (`x`, `có`, `1`,
// `✓`, ...) or the one multi-select column (`Đào tạo nghề; SXSH, XTTM`).
// Google Forms joins the chosen options with ", " although some option names
// hold a comma themselves ("Tư vấn, thông tin"): each half of such a name is an
// alias of the same need in needs.csv, so splitting at every comma is safe.

/// Reads needs into the form's keys, in the form's order.
public final class NeedParser {
  /// Needs found, and what could not be read.
  public struct Reading: Sendable, Hashable {
    public var keys: [String]
    public var unmatched: [String]
  }

  /// The need keys in the form's order.
  public let order: [String]
  private let spellings: SpellingMatcher
  private var markCache: [String: Bool?] = [:]
  private static let yes: Set<String> = ["x", "co", "1", "yes", "true", "y", "c", "v", "dung", "can", "co nhu cau"]
  private static let no: Set<String> = ["khong", "0", "no", "false", "n", "k", "ko", "khong can", "-"]

  public init(reference: ReferenceData, corrections: Corrections = Corrections()) {
    order = reference.needKeys
    spellings = SpellingMatcher(reference.needs, column: "need", corrections: corrections)
  }

  /// Whether a mark cell says the need is wanted; nil when it is something else.
  public func mark(_ written: String) -> Bool? {
    if let cached = markCache[written] { return cached }
    let folded = TextFolding.key(written)
    let result: Bool?
    if folded.isEmpty {
      // "✓", "✔", "☑" fold to nothing (they are symbols); a blank cell is "not needed".
      result =
        written.unicodeScalars.contains { "✓✔☑☒✗".unicodeScalars.contains($0) }
        ? !written.unicodeScalars.contains { "☒✗".unicodeScalars.contains($0) } : false
    } else if Self.yes.contains(folded) {
      result = true
    } else if Self.no.contains(folded) || folded.hasPrefix("khong ") {
      result = false
    } else {
      result = nil
    }
    markCache[written] = result
    return result
  }

  /// The needs of a row: the mark columns (by need key) and the multi-select cell.
  public func read(marks: [String: String], list: String, file: String) -> Reading {
    var chosen = Set<String>()
    var unmatched: [String] = []
    for (key, cell) in marks where !cell.isEmpty {
      switch mark(cell) {
      case true?: chosen.insert(key)
      case false?: break
      case nil:
        // Text in a need's own column ("cần 5 máy") still says the need is wanted.
        chosen.insert(key)
        unmatched.append("need_\(key)=\(cell)")
      }
    }
    for piece in list.split(whereSeparator: { $0 == ";" || $0 == "," || $0 == "\n" || $0 == "+" }) {
      let item = piece.trimmingCharacters(in: .whitespaces)
      guard !item.isEmpty else { continue }
      if let match = spellings.match(item, file: file) {
        if match.key != "none" { chosen.insert(match.key) }
      } else {
        unmatched.append(item)
      }
    }
    return Reading(keys: order.filter(chosen.contains), unmatched: unmatched)
  }
}
