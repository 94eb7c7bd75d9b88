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
    /// Text not read, and so no need: in the multi-select cell, or in a column the form does not know.
    public var unmatched: [String]
    /// Text not read as a mark in a need's own column, and counted as the need ("cần 5 máy", "?").
    public var counted: [String] = []
    /// The corrections entries that read pieces of the multi-select cell, as their places in `Corrections.all`.
    var entries: [Int] = []
  }

  /// The need keys in the form's order.
  public let order: [String]
  private let spellings: SpellingMatcher
  private var markCache: [ExactText: Bool?] = [:]
  private var listCache: [ListKey: ListReading] = [:]
  /// Whether corrections name needs, so a list cell's reading depends on the file.
  private let listScoped: Bool
  private static let yes: Set<String> = [
    "x", "co", "1", "yes", "true", "y", "c", "v", "dung", "can", "co nhu cau", "da",
  ]
  private static let no: Set<String> = ["khong", "0", "no", "false", "n", "k", "ko", "khong can", "chua"]
  private static let yesStarts = ["co ", "da "]
  private static let noStarts = ["khong ", "chua "]
  private static let yesSymbols = Set("✓✔☑√+•●*×✕".unicodeScalars)
  private static let noSymbols = Set("☒✗☐".unicodeScalars)

  public init(reference: ReferenceData, corrections: Corrections = Corrections()) {
    order = reference.needKeys
    spellings = SpellingMatcher(reference.needs, column: "need", corrections: corrections)
    listScoped = corrections.has(column: "need")
  }

  /// Whether a mark cell says the need is wanted; nil when it is something else.
  public func mark(_ written: String) -> Bool? {
    if let cached = markCache[ExactText(written)] { return cached }
    let result = Self.reading(mark: written)
    if markCache.count >= NormaliseCache.limit { markCache.removeAll(keepingCapacity: true) }
    markCache[ExactText(written)] = result
    return result
  }

  /// `mark(_:)` without its cache: also what ingest asks of a cell in a need column under a signature block's
  /// heading, which is a signer's name only when it is no mark (`RowClassifier.isSignerNameRow`).
  static func reading(mark written: String) -> Bool? {
    let folded = TextFolding.key(written)
    let result: Bool?
    if folded.isEmpty {
      // Symbols fold to nothing. A tick, a plus, a bullet or a star marks the need; a crossed or empty box does
      // not, nor does a blank cell or a placeholder ("-", "..."); any other symbol ("?") is not read.
      let scalars = written.unicodeScalars
      if scalars.contains(where: { Self.noSymbols.contains($0) }) {
        result = false
      } else if scalars.contains(where: { Self.yesSymbols.contains($0) }) {
        result = true
      } else if written.isEmpty || StagedText.isPlaceholder(written) {
        result = false
      } else {
        result = nil
      }
    } else if Self.yes.contains(folded) || Self.yesStarts.contains(where: folded.hasPrefix) {
      // "Có (2019)", "Đã được hỗ trợ" (the answer to "đã ... chưa?")
      result = true
    } else if Self.no.contains(folded) || Self.noStarts.contains(where: folded.hasPrefix) {
      // "Không có", "Chưa được hỗ trợ"
      result = false
    } else {
      result = nil
    }
    return result
  }

  /// The needs of a row: the mark columns (by need key) and the multi-select cell.
  ///
  /// Mark columns are read in the form's order (keys the form does not know after them, by name), so the
  /// unread marks come out in the same order on every run.
  public func read(marks: [String: String], list: String, file: String) -> Reading {
    let extra = marks.keys.filter { !order.contains($0) }.sorted()
    return read(markCells: order.map { marks[$0] ?? "" }, extra: extra.map { ($0, marks[$0]!) }, list: list, file: file)
  }

  /// The needs of a row from its mark cells in the form's order (`order`) and its multi-select cell.
  func read(markCells: [String], extra: [(key: String, cell: String)] = [], list: String, file: String) -> Reading {
    let listed = listReading(list, file: file)
    var keys: [String] = []
    var counted: [String] = []
    var unmatched: [String] = []
    for (index, key) in order.enumerated() {
      var chosen = listed.chosen[index]
      let cell = index < markCells.count ? markCells[index] : ""
      if !cell.isEmpty {
        switch mark(cell) {
        case true?: chosen = true
        case false?: break
        case nil:
          // Text in a need's own column ("cần 5 máy") still says the need is wanted.
          chosen = true
          counted.append("need_\(key)=\(cell)")
        }
      }
      if chosen { keys.append(key) }
    }
    // Mark columns the form does not know: their unread text is reported; they are no need of the form.
    for (key, cell) in extra where !cell.isEmpty && mark(cell) == nil { unmatched.append("need_\(key)=\(cell)") }
    return Reading(keys: keys, unmatched: unmatched + listed.unmatched, counted: counted, entries: listed.entries)
  }

  /// The needs of a row as establishments.csv writes them (keys joined by `;`), what could not be read (counted, and
  /// not), and the corrections entries that read pieces of it.
  func readJoined(markCells: [String], list: String, file: String) -> (
    keys: String, unmatched: [String], counted: [String], entries: [Int]
  ) {
    if markCells.allSatisfy(\.isEmpty) {
      let listed = listReading(list, file: file)
      return (listed.keys, listed.unmatched, [], listed.entries)
    }
    let reading = read(markCells: markCells, list: list, file: file)
    return (reading.keys.joined(separator: ";"), reading.unmatched, reading.counted, reading.entries)
  }

  /// What the multi-select cell says: chosen needs by their place in `order` (and as the row's keys when no
  /// mark column says more), and pieces not read.
  private struct ListReading {
    var chosen: [Bool]
    var keys: String
    var unmatched: [String]
    var entries: [Int]
  }

  /// How needs are joined in one piece besides the list's separators, the looser join first: signs and words
  /// ("/", "&", "và", "hoặc", the words as `TextFolding.key` folds them, so that "va" and "hoac" typed without
  /// diacritics join too), then dashes.
  static let joins: [(signs: [String], words: [String])] = [(["/", "&"], ["va", "hoac"]), (["-", "–", "—"], [])]

  /// The parts of a piece joined by `join`; one part when it joins nothing.
  static func joinedParts(_ piece: String, by join: (signs: [String], words: [String])) -> [String] {
    var parts = [piece]
    for sign in join.signs {
      parts = parts.flatMap { $0.components(separatedBy: sign) }
    }
    if !join.words.isEmpty {
      parts = parts.flatMap { part in
        part.split(separator: " ", omittingEmptySubsequences: false).split {
          join.words.contains(TextFolding.key(String($0)))
        }
        .map { $0.joined(separator: " ") }
      }
    }
    return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  private struct ListKey: Hashable {
    var file: ExactText
    var list: ExactText
  }

  /// The multi-select cell read once per distinct value (and file, when corrections name needs).
  private func listReading(_ list: String, file: String) -> ListReading {
    let key = ListKey(file: ExactText(listScoped ? file : ""), list: ExactText(list))
    if let cached = listCache[key] { return cached }
    var chosen = [Bool](repeating: false, count: order.count)
    var unmatched: [String] = []
    var entries: [Int] = []
    /// A choice the form's list numbered (`1.Đào tạo nghề`, `3) Quảng bá sản phẩm`, as a form that numbers its
    /// options exports them), when it reads without its number.
    func unnumbered(_ part: String) -> String? {
      guard let text = FormSchema.removingItemNumber(part).map(String.init) else { return nil }
      return spellings.match(text, file: file) != nil ? text : nil
    }
    func reads(_ part: String) -> Bool {
      spellings.match(part, file: file) != nil || mark(part) == false || unnumbered(part) != nil
    }
    /// `level`: the first of `joins` still to be tried; past the last, the item is read whole.
    func read(_ item: String, level: Int) {
      let match = spellings.match(item, file: file)
      if match == nil, let text = unnumbered(item) { return read(text, level: level) }
      // An analyst's decision for the whole piece settles it. A piece may join needs ("Đào tạo nghề/SXSH",
      // "quảng bá sản phẩm và tư vấn", "Đào tạo/Quản lý", which without its sign reads as one need, "Đào tạo
      // quản lý"): when each part is a need, each is read, so that none is dropped unsaid. When a part is not,
      // the piece is one need said more fully ("Đào tạo - tập huấn", "Quảng bá - thị trường nông thôn"), as
      // before; a piece that reads as no need is read by its parts when some part is one ("triển lãm và đào
      // tạo nghề"). The looser join is tried first, then a dash within each part ("Đào tạo nghề / Quảng bá -
      // thị trường nông thôn" is two needs, the second said more fully).
      if match?.tier != "correction" {
        for join in level..<Self.joins.count {
          let parts = Self.joinedParts(item, by: Self.joins[join])
          guard parts.count > 1 else { continue }
          if parts.allSatisfy(reads) || (match == nil && parts.contains(where: reads)) {
            for part in parts { read(part, level: join + 1) }
            return
          }
          break
        }
      }
      if let match {
        if let entry = match.entry, !entries.contains(entry) { entries.append(entry) }
        if match.key != "none", let index = order.firstIndex(of: match.key) { chosen[index] = true }
      } else if mark(item) == false {
        // "Không", "Chưa", "-": the establishment chose no need.
        return
      } else {
        unmatched.append(item)
      }
    }
    for piece in list.split(whereSeparator: { $0 == ";" || $0 == "," || $0.isNewline || $0 == "+" }) {
      let item = piece.trimmingCharacters(in: .whitespaces)
      guard !item.isEmpty else { continue }
      read(item, level: 0)
    }
    let keys = zip(order, chosen).filter(\.1).map(\.0).joined(separator: ";")
    let reading = ListReading(chosen: chosen, keys: keys, unmatched: unmatched, entries: entries)
    if listCache.count >= NormaliseCache.limit { listCache.removeAll(keepingCapacity: true) }
    listCache[key] = reading
    return reading
  }
}
