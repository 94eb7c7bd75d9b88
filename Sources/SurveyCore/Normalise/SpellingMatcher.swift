// Maps written values to keys through a table of spellings: enterprise types
// (company, cooperative, coop_group, household) and sectors. Exact spelling
// first (case, diacritics form and punctuation aside), then without
// diacritics where that is unique, then the longest spelling that starts the
// cell as whole words, diacritics kept ("Công ty TNHH Mây tre Thái Bình" →
// company; "Mây đan" must not start like "May"). Without diacritics, a cell of
// several words is the spelling whatever its marks (the other words tell the
// phrase: "Hộ kinh dóanh", "Hơp tác xã" are typos); a cell of one word only
// when its marks are some of the spelling's, a mark left out ("Gôm" for "Gốm"),
// for a word marked otherwise is another word ("Mây", rattan, is not "May",
// sewing, nor "Máy", a machine). A correction wins over all. Results are cached
// per distinct value.

/// Written value → key, through a spelling table.
public final class SpellingMatcher {
  /// How a value was matched.
  public struct Match: Sendable, Hashable {
    public var key: String
    public var tier: String
  }

  private let column: String
  private var exact: [String: Set<String>] = [:]
  /// By the spelling's words without diacritics: its words with them, and its key.
  private var plain: [String: [(words: [Substring], key: String)]] = [:]
  private var prefixes: [(words: [String], key: String)] = []
  private let corrections: Corrections
  private var cache: [CacheKey: Match?] = [:]
  /// Whether corrections name this column, so a value's match depends on the row's file.
  private let scoped: Bool

  private struct CacheKey: Hashable {
    var file: ExactText
    var written: ExactText
  }

  /// - Parameter column: the corrections-file column for this table (`enterprise_type`, `sector`).
  public init(_ spellings: [Spelling], column: String, corrections: Corrections = Corrections()) {
    self.column = column
    self.corrections = corrections
    scoped = corrections.has(column: column)
    for spelling in spellings {
      let key = MatchKey(text: spelling.written)
      guard !key.isEmpty else { continue }
      exact[key.tone, default: []].insert(spelling.key)
      plain[key.plain, default: []].append((key.tone.split(separator: " "), spelling.key))
      prefixes.append((key.tone.split(separator: " ").map(String.init), spelling.key))
    }
    // Longest first, so "Cơ sở sản xuất kinh doanh" wins over "Cơ sở sản xuất".
    prefixes.sort { ($0.words.count, $0.key) > ($1.words.count, $1.key) }
  }

  /// The key of `written`, or nil when nothing matches (or it matches two keys).
  public func match(_ written: String, file: String) -> Match? {
    let cacheKey = CacheKey(file: ExactText(scoped ? file : ""), written: ExactText(written))
    if let cached = cache[cacheKey] { return cached }
    let result = compute(written, file: file)
    if cache.count >= NormaliseCache.limit { cache.removeAll(keepingCapacity: true) }
    cache[cacheKey] = result
    return result
  }

  /// True when `word`'s diacritics are some of `spelling`'s, letter by letter (the two are one word without them):
  /// marks left out are a typo, a mark the spelling lacks makes another word. "đ" is "d" with a mark.
  static func marks(of word: Substring, within spelling: Substring) -> Bool {
    let (written, reference) = (letterMarks(word), letterMarks(spelling))
    guard written.count == reference.count else { return false }
    return zip(written, reference).allSatisfy { $0.base == $1.base && $0.marks.isSubset(of: $1.marks) }
  }

  /// Each letter of `word` with the marks on it (decomposed; "đ" as "d" with a stroke).
  private static func letterMarks(_ word: Substring) -> [(base: Unicode.Scalar, marks: Set<Unicode.Scalar>)] {
    var letters: [(base: Unicode.Scalar, marks: Set<Unicode.Scalar>)] = []
    for scalar in word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
      if scalar == "đ" {
        letters.append(("d", ["\u{0335}"]))
      } else if scalar.properties.generalCategory == .nonspacingMark, !letters.isEmpty {
        letters[letters.count - 1].marks.insert(scalar)
      } else {
        letters.append((scalar, []))
      }
    }
    return letters
  }

  private func compute(_ written: String, file: String) -> Match? {
    if let fix = corrections.lookup(column: column, written: written, file: file) {
      return Match(key: fix.means, tier: "correction")
    }
    let key = MatchKey(text: written)
    guard !key.isEmpty else { return nil }
    if let keys = exact[key.tone] { return keys.count == 1 ? Match(key: keys.first!, tier: "exact") : nil }
    if let spellings = plain[key.plain] {
      let written = key.tone.split(separator: " ")
      let keys = Set(
        spellings.filter { written.count > 1 || Self.marks(of: written[0], within: $0.words[0]) }.map(\.key))
      if !keys.isEmpty { return keys.count == 1 ? Match(key: keys.first!, tier: "folded") : nil }
    }
    let words = key.tone.split(separator: " ").map(String.init)
    var found: (count: Int, keys: Set<String>)?
    for prefix in prefixes
    where prefix.words.count <= words.count && Array(words.prefix(prefix.words.count)) == prefix.words {
      if let current = found, current.count > prefix.words.count { break }
      found = (prefix.words.count, (found?.keys ?? []).union([prefix.key]))
    }
    if let found, found.keys.count == 1 { return Match(key: found.keys.first!, tier: "prefix") }
    return nil
  }
}
