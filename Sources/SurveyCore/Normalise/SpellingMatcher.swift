// Maps written values to keys through a table of spellings: enterprise types
// (company, cooperative, coop_group, household) and sectors. Exact spelling
// first (case, diacritics form and punctuation aside), then without
// diacritics where that is unique, then the longest spelling that starts the
// cell as whole words, diacritics kept ("Công ty TNHH Mây tre Thái Bình" →
// company; "Mây đan" must not start like "May"), or, when none does, of the
// words the cell writes without any diacritics, a spelling of two words or
// more without them ("Dao tao - tap huan" is training as "Đào tạo - tập huấn"
// is, "Cong ty TNHH Thanh Binh" a company; one word alone is too often another
// word: "Da giay" is leather, not "Đá"; and a word that is a spelling as
// written keeps its reading: "May dan len" is May, sewing and knitting, not
// "Mây đan"). Without diacritics a cell is
// the one spelling it folds to, whatever its marks ("Hộ kinh dóanh", "Gồm"):
// words that differ only in marks ("Mây", rattan, and "May", sewing) are each
// a spelling of their own, so that the one written matches exactly and another
// ("Máy") folds to both and matches neither. Every tier reads a syllable's
// final i or y after a consonant as one letter ("Thủ công mĩ nghệ" is "Thủ
// công mỹ nghệ", "quản lí" is "quản lý": `MatchKey(spelling:)`); the tables
// may hold no two spellings of different keys that this makes one
// (ReferenceData refuses them, SpellingMatcherTests checks the shipped ones).
// A correction wins over all. Results are cached per distinct value.

/// Written value → key, through a spelling table.
public final class SpellingMatcher {
  /// How a value was matched.
  public struct Match: Sendable, Hashable {
    public var key: String
    public var tier: String
    /// The corrections entry that decided it (tier `correction`), as its place in `Corrections.all`.
    var entry: Int? = nil
  }

  private let column: String
  private var exact: [String: Set<String>] = [:]
  private var plain: [String: Set<String>] = [:]
  private var prefixes: [Prefix] = []
  /// The spellings of two words or more, without diacritics, longest first.
  private var plainPrefixes: [Prefix] = []
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
      let key = MatchKey(spelling: spelling.written)
      guard !key.isEmpty else { continue }
      exact[key.tone, default: []].insert(spelling.key)
      plain[key.plain, default: []].insert(spelling.key)
      prefixes.append((key.tone.split(separator: " ").map(String.init), spelling.key))
      let plainWords = key.plain.split(separator: " ").map(String.init)
      if plainWords.count > 1 { plainPrefixes.append((plainWords, spelling.key)) }
    }
    // Longest first, so "Cơ sở sản xuất kinh doanh" wins over "Cơ sở sản xuất".
    prefixes.sort { ($0.words.count, $0.key) > ($1.words.count, $1.key) }
    plainPrefixes.sort { ($0.words.count, $0.key) > ($1.words.count, $1.key) }
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

  private func compute(_ written: String, file: String) -> Match? {
    if let id = corrections.find(column: column, written: written, file: file) {
      return Match(key: corrections.all[id].means, tier: "correction", entry: id)
    }
    let key = MatchKey(spelling: written)
    guard !key.isEmpty else { return nil }
    if let keys = exact[key.tone] { return keys.count == 1 ? Match(key: keys.first!, tier: "exact") : nil }
    if let keys = plain[key.plain] { return keys.count == 1 ? Match(key: keys.first!, tier: "folded") : nil }
    let words = key.tone.split(separator: " ").map(String.init)
    // When no spelling starts the cell as written, the words it writes without diacritics, from its start ("Dao
    // tao - tập huấn": "dao tao"), may start it as a spelling of two words or more does without them. A spelling
    // that starts it as written keeps its reading: "May dan len" (sewing and knitting) is May, not "Mây đan",
    // although it is "Mây đan" too without marks (a helper's regression round).
    var found = Self.longestPrefix(of: words, among: prefixes)
    if found == nil {
      let plainWords = key.plain.split(separator: " ").map(String.init)
      let unmarked = Array(zip(words, plainWords).prefix { $0 == $1 }.map(\.1))
      if unmarked.count > 1 { found = Self.longestPrefix(of: unmarked, among: plainPrefixes) }
    }
    if let found, found.keys.count == 1 { return Match(key: found.keys.first!, tier: "prefix") }
    return nil
  }

  private typealias Prefix = (words: [String], key: String)

  /// The longest spellings of `spellings` (longest first) that start `words` as whole words: their length and
  /// keys; nil when none does.
  private static func longestPrefix(of words: [String], among spellings: [Prefix]) -> (count: Int, keys: Set<String>)? {
    var found: (count: Int, keys: Set<String>)?
    for prefix in spellings
    where prefix.words.count <= words.count && Array(words.prefix(prefix.words.count)) == prefix.words {
      if let current = found, current.count > prefix.words.count { break }
      found = (prefix.words.count, (found?.keys ?? []).union([prefix.key]))
    }
    return found
  }
}
