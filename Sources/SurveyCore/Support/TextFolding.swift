/// Folding of Vietnamese text into comparison keys: case, Unicode form, diacritics, đ, punctuation.
import Foundation

public enum TextFolding {
  /// NFC form of `text`; ASCII text is returned as it is, without the cost of normalising.
  public static func nfc(_ text: String) -> String {
    if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
    return text.precomposedStringWithCanonicalMapping
  }

  /// A key that keeps the tone marks: NFC, lower case, punctuation and runs of white space as one space.
  ///
  /// `"  Huyện  Đông-Hưng "` becomes `"huyện đông hưng"`.
  public static func keyWithDiacritics(_ text: String) -> String {
    collapse(nfc(text).lowercased().unicodeScalars.map { isWordScalar($0) ? $0 : " " })
  }

  /// A key without diacritics: as `keyWithDiacritics`, then tone and vowel marks removed and đ read as d.
  ///
  /// `"Huyện Đông Hưng"`, `"huyen dong hung"` and its NFD form all become `"huyen dong hung"`.
  public static func key(_ text: String) -> String {
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
    return collapse(scalars)
  }

  /// Removes bracketed parts such as a unit: `"Doanh thu (triệu đồng)"` becomes `"Doanh thu "`.
  public static func removingBrackets(_ text: String) -> String {
    var result = ""
    var depth = 0
    for character in text {
      switch character {
      case "(", "[", "{": depth += 1
      case ")", "]", "}": depth = max(0, depth - 1)
      default: if depth == 0 { result.append(character) }
      }
    }
    return result
  }

  private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.isAlphabetic || scalar.properties.numericType != nil
      || scalar.properties.generalCategory == .nonspacingMark
  }

  private static func collapse(_ scalars: [Unicode.Scalar]) -> String {
    var view = String.UnicodeScalarView()
    var pendingSpace = false
    for scalar in scalars {
      if scalar == " " {
        pendingSpace = !view.isEmpty
      } else {
        if pendingSpace { view.append(" ") }
        pendingSpace = false
        view.append(scalar)
      }
    }
    return String(view)
  }
}
