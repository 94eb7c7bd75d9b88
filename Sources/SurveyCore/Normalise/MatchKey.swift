// Keys for comparing what respondents wrote with reference names.
//
// Three keys per text, from strict to loose:
// - `tone`: lower case, diacritics kept, each syllable's tone mark moved to the
//   syllable's end, so "Hòa"/"Hoà" and NFC/NFD agree but "Thành"/"Thạnh" differ;
// - `plain`: no diacritics at all, đ → d ("thanh");
// - `compact`: `plain` without spaces, for "ĐôngHưng" and the package's
//   former-name keys.
// Punctuation separates words. For places, leading administrative prefixes
// (Huyện, H., TP, Xã, Phường, Thị trấn, ...) are removed and remembered.

import Foundation

/// The administrative level a written prefix names ("Xã", "Huyện", "TP", ...).
public enum PlacePrefix: String, Sendable, Hashable {
  case province, district, city, town, commune, ward, township
}

/// Comparison keys of one written text.
public struct MatchKey: Hashable, Sendable {
  /// Diacritics kept, tone marks in a canonical place.
  public var tone: String
  /// Without diacritics.
  public var plain: String
  /// `plain` without spaces.
  public var compact: String
  /// Prefixes removed from the front, outermost first.
  public var prefixes: [PlacePrefix]

  /// True when nothing but prefixes and punctuation was written.
  public var isEmpty: Bool { plain.isEmpty }

  /// Keys of a general text (enterprise types, needs, sectors): no prefix removal.
  public init(text: String) {
    self.init(words: MatchKey.words(text), stripPrefixes: false)
  }

  /// Keys of a place name, with its administrative prefixes removed.
  public init(place: String) {
    self.init(words: MatchKey.words(place), stripPrefixes: true)
  }

  init(words: [(tone: String, plain: String)], stripPrefixes: Bool) {
    var words = words
    var prefixes: [PlacePrefix] = []
    if stripPrefixes {
      while let (prefix, length) = MatchKey.prefix(of: words), length < words.count {
        prefixes.append(prefix)
        words.removeFirst(length)
      }
    }
    self.prefixes = prefixes
    tone = words.map(\.tone).joined(separator: " ")
    plain = words.map(\.plain).joined(separator: " ")
    compact = words.map(\.plain).joined()
  }

  // Tone marks: grave, acute, tilde, hook above, dot below. Circumflex, breve
  // and horn change the vowel itself and stay where they are.
  private static let toneMarks: Set<Unicode.Scalar> = ["\u{300}", "\u{301}", "\u{303}", "\u{309}", "\u{323}"]

  /// Splits text into words and gives each its tone and plain form.
  static func words(_ text: String) -> [(tone: String, plain: String)] {
    var result: [(tone: String, plain: String)] = []
    var base = String.UnicodeScalarView()
    var tones = String.UnicodeScalarView()
    var plain = String.UnicodeScalarView()
    func flush() {
      guard !base.isEmpty else { return }
      base.append(contentsOf: tones)
      result.append((String(base), String(plain)))
      base = .init()
      tones = .init()
      plain = .init()
    }
    for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
      let props = scalar.properties
      if props.generalCategory == .nonspacingMark {
        if base.isEmpty { continue }
        if toneMarks.contains(scalar) { tones.append(scalar) } else { base.append(scalar) }
      } else if props.isAlphabetic || props.numericType != nil {
        base.append(scalar)
        plain.append(scalar == "đ" ? "d" : scalar)
      } else {
        flush()
      }
    }
    flush()
    return result
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
    for (plain, tone, prefix) in prefixTable where words.count >= plain.count {
      var matches = true
      for (i, word) in plain.enumerated() {
        let written = words[i]
        if written.plain != word {
          matches = false
          break
        }
        if written.tone != written.plain, let tone, MatchKey.toneForm(tone[i]) != written.tone {
          matches = false
          break
        }
      }
      if matches { return (prefix, plain.count) }
    }
    return nil
  }

  private static func toneForm(_ word: String) -> String { words(word).first?.tone ?? word }
}
