// A lookup from written names to reference values, in tiers from strict to
// loose. The index only finds candidates; the caller decides whether a set of
// candidates is an answer (for places: whether they agree on one district).

/// How a written text was matched to its candidates.
public enum MatchTier: Sendable, Hashable, CustomStringConvertible {
  /// Same letters and diacritics (tone placement, case, NFC/NFD and prefixes aside).
  case exact
  /// Same letters once diacritics are removed.
  case folded
  /// Same letters once diacritics and spaces are removed (also former names).
  case compact
  /// Within `distance` edits of the diacritic-free name.
  case fuzzy(distance: Int)
  /// Settled by an entry of the corrections file.
  case correction

  public var description: String {
    switch self {
    case .exact: "exact"
    case .folded: "folded"
    case .compact: "compact"
    case .fuzzy(let distance): "fuzzy:\(distance)"
    case .correction: "correction"
    }
  }
}

/// Written-name lookup over one reference table.
///
/// Keyed by the keys' bytes (`ExactText`): `MatchKey` writes a text's keys from its decomposed letters, so
/// canonically equivalent spellings already have the same bytes, and String's own hash, which runs NFC over a
/// Vietnamese key each time, was most of building the place index every night.
public struct NameIndex<Value: Hashable & Sendable>: Sendable {
  private var byTone: [ExactText: [Value]] = [:]
  private var byPlain: [ExactText: [Value]] = [:]
  private var byCompact: [ExactText: [Value]] = [:]
  /// The names the near match measures, by `spelledPlain`: a place's letters as written, without the i/y reading
  /// of the exact and folded tiers, so that a typo is as near as it was ("Thái Thy" one letter from Thái Thụy).
  private var bySpelledPlain: [ExactText: [Value]] = [:]
  private var plainKeys: [(key: [Unicode.Scalar], value: Value)] = []

  public init() {}

  /// Adds one name of `value`; `compactOnly` adds a key used only by the compact tier.
  public mutating func add(_ key: MatchKey, _ value: Value) {
    guard !key.isEmpty else { return }
    Self.append(value, to: &byTone, at: key.tone)
    Self.append(value, to: &byPlain, at: key.plain)
    if Self.append(value, to: &bySpelledPlain, at: key.spelledPlain) {
      plainKeys.append((Array(key.spelledPlain.unicodeScalars), value))
    }
    Self.append(value, to: &byCompact, at: key.compact)
  }

  /// Adds a key known only without diacritics and spaces (the package's former names).
  public mutating func addCompact(_ compact: String, _ value: Value) {
    guard !compact.isEmpty else { return }
    Self.append(value, to: &byCompact, at: compact)
  }

  @discardableResult
  private static func append(_ value: Value, to map: inout [ExactText: [Value]], at key: String) -> Bool {
    // One lookup of the key, whose hash (NFC, for non-ASCII text) was most of building the index.
    func addOnce(_ values: inout [Value]) -> Bool {
      if values.contains(value) { return false }
      values.append(value)
      return true
    }
    return addOnce(&map[ExactText(key), default: []])
  }

  /// Candidates of the strictest tier that has any, without fuzzy matching;
  /// `compact: false` stops before names run together.
  public func lookup(_ key: MatchKey, compact: Bool = true) -> (tier: MatchTier, values: [Value])? {
    guard !key.isEmpty else { return nil }
    if let values = byTone[ExactText(key.tone)] { return (.exact, values) }
    if let values = byPlain[ExactText(key.plain)] { return (.folded, values) }
    if compact, let values = byCompact[ExactText(key.compact)] { return (.compact, values) }
    return nil
  }

  /// Candidates within `maxDistance` edits of the plain key as spelled (`spelledPlain`), nearest first.
  public func near(_ key: MatchKey, maxDistance: Int) -> [(value: Value, distance: Int)] {
    let written = Array(key.spelledPlain.unicodeScalars)
    var found: [(value: Value, distance: Int)] = []
    for entry in plainKeys where abs(entry.key.count - written.count) <= maxDistance {
      if let distance = EditDistance.bounded(written, entry.key, limit: maxDistance) {
        found.append((entry.value, distance))
      }
    }
    return found.sorted { $0.distance < $1.distance }
  }

  /// The typo allowance for a written key: none for short names, where one edit
  /// already turns a name into another, then one edit, then two.
  public static func fuzzyAllowance(for key: MatchKey) -> Int {
    let letters = key.compact.unicodeScalars.count
    return letters < 6 ? 0 : letters < 11 ? 1 : 2
  }
}

/// Optimal-string-alignment distance (Levenshtein plus adjacent swaps).
enum EditDistance {
  /// The distance between `a` and `b`, or nil when it exceeds `limit`.
  static func bounded(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
    if a == b { return 0 }
    if abs(a.count - b.count) > limit { return nil }
    let n = b.count
    var before = [Int](repeating: 0, count: n + 1)
    var previous = Array(0...n)
    var current = [Int](repeating: 0, count: n + 1)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      current[0] = i
      var rowMin = i
      for j in stride(from: 1, through: n, by: 1) {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d = min(d, before[j - 2] + 1) }
        current[j] = d
        rowMin = min(rowMin, d)
      }
      if rowMin > limit { return nil }
      (before, previous, current) = (previous, current, before)
    }
    let distance = a.isEmpty ? n : previous[n]
    return distance <= limit ? distance : nil
  }
}
