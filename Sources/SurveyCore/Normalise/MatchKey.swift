// Keys for comparing what respondents wrote with reference names.
//
// Three keys per text, from strict to loose:
// - `tone`: lower case, diacritics kept, each syllable's tone mark moved to the
//   syllable's end, so "Hòa"/"Hoà" and NFC/NFD agree but "Thành"/"Thạnh" differ;
// - `plain`: no diacritics at all, đ → d ("thanh");
// - `compact`: `plain` without spaces, for "ĐôngHưng" and the package's
//   former-name keys.
// For spellings of the type, sector and need tables and for places, `tone` and
// `plain` read a syllable's final i or y after a consonant as one letter
// (`iyFolded`): "mĩ nghệ" is "mỹ nghệ", "Trà Lí" is "Trà Lý". A place's
// `compact` keeps the letters as written: the former-name keys it is compared
// with have no spaces, so their syllables, and which y ends one, are not known
// ("quynhon" may be Quy Nhơn or Quỳnh + ơn); the package lists both spellings
// where a former name had them ("dongqui;dongquy"). So does `spelledPlain`,
// which the near match measures edits on: a typo is a typo of the letters
// written ("Thái Thy" is one letter from Thái Thụy, two from it read as "thi").
// Punctuation separates words. For places, leading administrative prefixes
// (Huyện, H., TP, Xã, Phường, Thị trấn, ...) and a trailing English level word
// ("Thai Binh city", "Dong Hung district") are removed and remembered; a trailing
// Vietnamese one ("Kiến Xương huyện") is removed in a later reading.

import Foundation

/// The administrative level a written prefix names ("Xã", "Huyện", "TP", ...).
public enum PlacePrefix: String, Sendable, Hashable {
  case province, district, city, town, commune, ward, township

  /// The reference tables' `type` of a commune-level unit this level word names (Xã, Phường, Thị trấn); nil above.
  var communeType: String? {
    switch self {
    case .commune: "Xã"
    case .ward: "Phường"
    case .township: "Thị trấn"
    default: nil
    }
  }
}

/// Comparison keys of one written text.
public struct MatchKey: Hashable, Sendable {
  /// Diacritics kept, tone marks in a canonical place.
  public var tone: String
  /// Without diacritics.
  public var plain: String
  /// `plain` without spaces.
  public var compact: String
  /// `plain` with the letters as written: for a place, without the i/y reading of `tone` and `plain` (the near
  /// match's key, `NameIndex.near`); otherwise `plain`.
  public var spelledPlain: String
  /// Level words removed: the prefixes from the front, outermost first, then any English word from the end.
  public var prefixes: [PlacePrefix]

  /// True when nothing but prefixes and punctuation was written.
  public var isEmpty: Bool { plain.isEmpty }

  /// Keys of a general text (enterprise types, needs, sectors): no prefix removal.
  public init(text: String) {
    self.init(words: MatchKey.words(text), stripPrefixes: false)
  }

  /// Keys of a spelling of the enterprise-type, sector and need tables, or of a cell matched against them: as
  /// `init(text:)`, with a syllable's final i or y after a consonant written as i (`iyFolded`), so that "mĩ
  /// nghệ" is "mỹ nghệ" and "quản lí" is "quản lý".
  public init(spelling: String) {
    self.init(words: MatchKey.words(spelling).map(MatchKey.iyFolded), stripPrefixes: false)
  }

  /// Keys of a place name, with its administrative prefixes removed, and in `tone` and `plain` a syllable's final
  /// i or y after a consonant read as one letter, as in spellings: "Trà Lí" is "Trà Lý", "Kì Bá" "Kỳ Bá", "An
  /// Qui" "An Quy". `compact` and `spelledPlain` keep the letters as written (the former-name keys `compact` meets
  /// have no syllables; the near match counts the edits of a typo as it was typed).
  public init(place: String) {
    self.init(place: place, iyFolded: true)
  }

  /// `init(place:)`, or with `iyFolded` false the keys as they were before the i/y reading, which the check that
  /// the reading joins no two places compares with (`PlaceIndex.iyCollisions`).
  init(place: String, iyFolded: Bool) {
    let words = MatchKey.words(place)
    self.init(words: words, levels: MatchKey.levels(of: words), keeping: 0, iyFolded: iyFolded)
  }

  init(words: [(tone: String, plain: String)], stripPrefixes: Bool) {
    self.init(words: words, levels: stripPrefixes ? MatchKey.levels(of: words) : Levels(), keeping: 0)
  }

  /// Keys of `words` without the level words `levels` found, except the innermost `keeping` prefixes; with
  /// `iyFolded`, `tone` and `plain` read the name's words through `iyFolded` (level words are found first, from
  /// the words as written).
  private init(words: [(tone: String, plain: String)], levels: Levels, keeping: Int, iyFolded: Bool = false) {
    let kept = levels.prefixes.count - keeping
    let dropped = levels.prefixes.prefix(kept).reduce(0) { $0 + $1.length }
    let words = words[dropped..<(words.count - (levels.suffix?.length ?? 0))]
    prefixes = levels.prefixes.prefix(kept).map(\.level) + (levels.suffix.map { [$0.level] } ?? [])
    // Appended in one pass rather than mapped and joined: the place names' keys are made for every name of the
    // reference tables before the stage reads a row, and the joins' arrays were a third of making them.
    // `spelledPlain` differs from `plain` only for a place read with the i/y folding; otherwise it is `plain`.
    var tone = ""
    var plain = ""
    var spelledPlain = ""
    var compact = ""
    for (index, word) in words.enumerated() {
      let read = iyFolded ? MatchKey.iyFolded(word) : word
      if index > 0 {
        tone.append(" ")
        plain.append(" ")
        if iyFolded { spelledPlain.append(" ") }
      }
      tone.append(read.tone)
      plain.append(read.plain)
      if iyFolded { spelledPlain.append(word.plain) }
      compact.append(word.plain)
    }
    self.tone = tone
    self.plain = plain
    self.spelledPlain = iyFolded ? spelledPlain : plain
    self.compact = compact
  }

  /// The readings of a written place name, to look up in turn: first `init(place:)`'s, with every prefix
  /// removed; then, for each prefix written without diacritics (from the innermost out), the reading that takes
  /// it as the first word of the name: "Phuong Cong" is the commune Phương Công, not a ward "Công". Last, when a
  /// Vietnamese level word ends the name, written with its diacritics or with none ("Kiến Xương huyện", "Phuong
  /// Cong xa"), the same readings without it: only last, since "Đông Xã" is first of all Đông Xá with a tone
  /// mark wrong, and "huyen" may be the syllable Huyền.
  public static func readings(place: String) -> [MatchKey] {
    let words = MatchKey.words(place)
    var result = readings(of: words, endingLevel: nil)
    if let (level, length) = vietnameseSuffix(of: words[...]), length < words.count {
      result += readings(of: Array(words.dropLast(length)), endingLevel: level)
    }
    return result
  }

  private static func readings(of words: [(tone: String, plain: String)], endingLevel: PlacePrefix?) -> [MatchKey] {
    var levels = MatchKey.levels(of: words)
    if let endingLevel, levels.suffix == nil { levels.suffix = (endingLevel, 0) }
    var result = [MatchKey(words: words, levels: levels, keeping: 0, iyFolded: true)]
    var start = levels.prefixes.reduce(0) { $0 + $1.length }
    for (keeping, prefix) in levels.prefixes.reversed().enumerated() {
      start -= prefix.length
      guard words[start..<(start + prefix.length)].allSatisfy({ $0.tone == $0.plain }) else { break }
      result.append(MatchKey(words: words, levels: levels, keeping: keeping + 1, iyFolded: true))
    }
    return result
  }

  /// The level words of a place name: prefixes from the front (each with its number of words), and an English
  /// level word at the end ("Thai Binh city"; a Vietnamese one is only a later reading, `readings(place:)`).
  /// At least one word of the name is always left.
  private struct Levels {
    var prefixes: [(level: PlacePrefix, length: Int)] = []
    /// The level written after the name, and how many of the words it is (0 when they are already gone).
    var suffix: (level: PlacePrefix, length: Int)?
  }

  private static func levels(of words: [(tone: String, plain: String)]) -> Levels {
    var levels = Levels()
    var rest = words[...]
    if rest.count > 1, let last = rest.last, last.tone == last.plain, let level = englishLevels[last.plain] {
      levels.suffix = (level, 1)
      rest = rest.dropLast()
    }
    while let (prefix, length) = MatchKey.prefix(of: Array(rest)), length < rest.count {
      levels.prefixes.append((prefix, length))
      rest = rest.dropFirst(length)
    }
    return levels
  }

  /// A level word spelt out in full (not "TP" or "H.") that ends `words`, with its own diacritics or with none.
  private static func vietnameseSuffix(of words: ArraySlice<(tone: String, plain: String)>) -> (PlacePrefix, Int)? {
    for (plainWords, toneWords, level) in suffixTable where words.count >= plainWords.count {
      let written = words.suffix(plainWords.count)
      let matches = zip(written, zip(plainWords, toneWords)).allSatisfy { word, expected in
        word.plain == expected.0 && (word.tone == expected.1 || word.tone == word.plain)
      }
      if matches { return (level, plainWords.count) }
    }
    return nil
  }

  /// The prefixes spelt out in full, their words in plain and in tone form: the level words read at the end.
  private static let suffixTable: [([String], [String], PlacePrefix)] = prefixTable.compactMap { plain, tone, level in
    tone.map { (plain, $0.map(toneForm), level) }
  }

  /// The level words written alone, without diacritics: the prefixes that go before a name ("tinh", "thanh pho";
  /// not the one-letter abbreviations) and the English words that follow it ("province").
  static var prefixWords: Set<String> { Set(prefixTable.map { $0.0.joined(separator: " ") }.filter { $0.count > 1 }) }
  static var englishLevelWords: Set<String> { Set(englishLevels.keys) }

  /// English level words written after a name ("Thai Binh city").
  private static let englishLevels: [String: PlacePrefix] = [
    "province": .province, "city": .city, "town": .town, "district": .district, "township": .township,
    "commune": .commune, "ward": .ward,
  ]

  // Tone marks: grave, acute, tilde, hook above, dot below. Circumflex, breve
  // and horn change the vowel itself and stay where they are.
  private static func isToneMark(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x300, 0x301, 0x303, 0x309, 0x323: true
    default: false
    }
  }

  /// Splits text into words and gives each its tone and plain form.
  ///
  /// Text of ASCII and precomposed Latin letters (all of Vietnamese in NFC) is read a scalar at a time through
  /// `latinTable`; anything else (a combining mark, another script) goes through `wordsByUnicode`. Lower-casing,
  /// decomposing and asking Unicode properties of each name was most of loading the reference tables, which the
  /// normalise stage does before it reads a row.
  static func words(_ text: String) -> [(tone: String, plain: String)] {
    var words = Words()
    let table = latinTable  // once, not a lazy global's check per scalar
    for scalar in text.unicodeScalars {
      guard let pieces = table[scalar] else { return wordsByUnicode(text) }
      for piece in pieces { words.take(piece.scalar, piece.kind) }
    }
    return words.finish()
  }

  /// `words` through Unicode lower-casing, decomposition and properties, for any text.
  static func wordsByUnicode(_ text: String) -> [(tone: String, plain: String)] {
    var words = Words()
    for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
      words.take(scalar, ScalarKind(scalar))
    }
    return words.finish()
  }

  /// What a decomposed scalar is to `words`: a mark on the letter before it, a letter or digit, or a break.
  private enum ScalarKind: Sendable {
    case mark, letter, other

    init(_ scalar: Unicode.Scalar) {
      let properties = scalar.properties
      if properties.generalCategory == .nonspacingMark {
        self = .mark
      } else if properties.isAlphabetic || properties.numericType != nil {
        self = .letter
      } else {
        self = .other
      }
    }
  }

  /// The words split off so far, and the one being read: its letters and marks, its tone marks (which go at
  /// its end) and its plain letters, as UTF-8 (appending to a String's scalars cost far more).
  private struct Words {
    private var result: [(tone: String, plain: String)] = []
    private var base: [UInt8] = []
    private var tones: [UInt8] = []
    private var plain: [UInt8] = []

    mutating func take(_ scalar: Unicode.Scalar, _ kind: ScalarKind) {
      switch kind {
      case .mark:
        if base.isEmpty { return }
        if MatchKey.isToneMark(scalar) { Self.append(scalar, to: &tones) } else { Self.append(scalar, to: &base) }
      case .letter:
        Self.append(scalar, to: &base)
        Self.append(scalar == "đ" ? "d" : scalar, to: &plain)
      case .other:
        flush()
      }
    }

    private static func append(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
      if scalar.isASCII {
        bytes.append(UInt8(truncatingIfNeeded: scalar.value))
      } else {
        UTF8.encode(scalar) { bytes.append($0) }
      }
    }

    private mutating func flush() {
      guard !base.isEmpty else { return }
      base += tones
      result.append((String(decoding: base, as: UTF8.self), String(decoding: plain, as: UTF8.self)))
      base.removeAll(keepingCapacity: true)
      tones.removeAll(keepingCapacity: true)
      plain.removeAll(keepingCapacity: true)
    }

    mutating func finish() -> [(tone: String, plain: String)] {
      flush()
      return result
    }
  }

  /// One scalar of a text lower-cased and decomposed, with its kind.
  private typealias Piece = (scalar: Unicode.Scalar, kind: ScalarKind)

  /// What `wordsByUnicode` reads of each Latin scalar: its lower-case form decomposed, each scalar with its kind.
  /// Each one's pieces begin with a letter or a break, so no mark moves from one scalar's pieces to another's
  /// when the whole text is decomposed. Made by `wordsByUnicode`'s own steps, so the two paths cannot disagree.
  private static let latinTable = LatinScalarTable { scalar -> [Piece] in
    String(scalar).lowercased().decomposedStringWithCanonicalMapping.unicodeScalars.map { ($0, ScalarKind($0)) }
  }

  /// The consonants that begin a syllable, as `plain` writes them (đ as d).
  private static let onsets: Set<String> = [
    "b", "c", "ch", "d", "g", "gh", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t",
    "th", "tr", "v", "x",
  ]

  /// A word whose one vowel is a final y after a consonant, written with i: Vietnamese writes such a syllable
  /// either way for the same word ("kỹ"/"kĩ", "mỹ"/"mĩ", "lý"/"lí", "quy"/"qui", "ty"/"ti"; the spelling rules of
  /// 1984 ask for i, and many still write y). Not a y after a vowel ("tay" is not "tai"; "thủy" is not "thủi"),
  /// nor a y alone ("y tế").
  static func iyFolded(_ word: (tone: String, plain: String)) -> (tone: String, plain: String) {
    guard word.plain.count > 1, word.plain.last == "y", onsets.contains(String(word.plain.dropLast())) else {
      return word
    }
    // `tone` is the word's letters, then its tone mark: the y is the last letter before the mark.
    var scalars = Array(word.tone.unicodeScalars)
    guard let y = scalars.lastIndex(where: { !isToneMark($0) }), scalars[y] == "y" else { return word }
    scalars[y] = "i"
    var tone = String.UnicodeScalarView()
    tone.append(contentsOf: scalars)
    return (String(tone), String(word.plain.dropLast()) + "i")
  }

  // Prefixes as plain words; a written word with diacritics must also match the
  // tone form, so "Xá ..." is never read as "Xã ...".
  private static let prefixTable: [([String], [String]?, PlacePrefix)] = [
    (["thanh", "pho"], ["thành", "phố"], .city), (["tp"], nil, .city), (["t", "p"], nil, .city),
    (["thi", "xa"], ["thị", "xã"], .town), (["tx"], nil, .town),
    (["thi", "tran"], ["thị", "trấn"], .township), (["tt"], nil, .township),
    (["huyen"], ["huyện"], .district), (["h"], nil, .district),
    (["phuong"], ["phường"], .ward), (["p"], nil, .ward),
    (["xa"], ["xã"], .commune), (["x"], nil, .commune),
    (["tinh"], ["tỉnh"], .province),
  ]

  private static func prefix(of words: [(tone: String, plain: String)]) -> (PlacePrefix, Int)? {
    for (plain, tone, prefix) in prefixForms where words.count >= plain.count {
      var matches = true
      for (i, word) in plain.enumerated() {
        let written = words[i]
        if written.plain != word {
          matches = false
          break
        }
        if written.tone != written.plain, let tone, tone[i] != written.tone {
          matches = false
          break
        }
      }
      if matches { return (prefix, plain.count) }
    }
    return nil
  }

  /// `prefixTable` with its words' tone forms made once: `toneForm` reads a word through `words`, and made for
  /// each name that begins with a level word, it was a third of finding a place name's keys.
  private static let prefixForms: [([String], [String]?, PlacePrefix)] = prefixTable.map { plain, tone, level in
    (plain, tone.map { $0.map(toneForm) }, level)
  }

  private static func toneForm(_ word: String) -> String { words(word).first?.tone ?? word }
}
