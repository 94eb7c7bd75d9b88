/// Numbers as Vietnamese readers write them (`1.250`, `2,5 tỷ đồng`) or as English readers do (`1,250`).

/// Formats counts, percentages and money for one report language. Integers only, so output never drifts.
public struct NumberFormat: Sendable {
  public var language: ReportLanguage

  public init(_ language: ReportLanguage) { self.language = language }

  private var thousandsSeparator: String { language == .vi ? "." : "," }
  private var decimalSeparator: String { language == .vi ? "," : "." }

  /// A whole number with thousands grouped: `1.250` (vi), `1,250` (en).
  public func integer(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var groups: [Substring] = []
    var end = digits.endIndex
    while end > digits.startIndex {
      let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
      groups.insert(digits[start..<end], at: 0)
      end = start
    }
    return (value < 0 ? "-" : "") + groups.joined(separator: thousandsSeparator)
  }

  /// A number given in hundredths, with at most two decimals and no trailing zeros: `2,5`, `12,35`, `10`.
  public func hundredths(_ value: Int) -> String {
    let whole = integer(value / 100)
    let fraction = abs(value % 100)
    if fraction == 0 { return whole }
    var digits = fraction < 10 ? "0\(fraction)" : "\(fraction)"
    if digits.hasSuffix("0") { digits.removeLast() }
    return whole + decimalSeparator + digits
  }

  /// A number given in tenths with one decimal always shown: `82,5`, `60,0`.
  public func tenths(_ value: Int) -> String {
    integer(value / 10) + decimalSeparator + String(abs(value % 10))
  }

  /// `part` as a whole percentage of `whole`, rounded half up from the exact ratio: `38%` for 75 of 195. (Rounding
  /// a percentage already rounded to tenths would give 39%: 38,46 → 38,5 → 39.)
  public func percent(_ part: Int, of whole: Int) -> String {
    let rounded = whole > 0 ? (part * 200 + whole) / (2 * whole) : 0
    // Some, but under half a percent: "0%" would read as none.
    if rounded == 0 && part > 0 { return language == .vi ? "dưới 1%" : "under 1%" }
    return integer(rounded) + "%"
  }

  /// A whole percentage: `125%`.
  public func percent(_ value: Int) -> String { integer(value) + "%" }

  /// Money the way a manager reads it: `2,5 tỷ đồng` from one billion up, else `850 triệu đồng`.
  public func money(_ amount: Money) -> String {
    let thousands = amount.thousands
    if thousands >= 1_000_000 {
      let hundredthsOfBillion = (thousands + 5_000) / 10_000
      return hundredths(hundredthsOfBillion) + (language == .vi ? " tỷ đồng" : " billion VND")
    }
    let hundredthsOfMillion = thousands >= 10_000 ? (thousands + 500) / 1_000 * 100 : (thousands + 5) / 10
    return hundredths(hundredthsOfMillion) + (language == .vi ? " triệu đồng" : " million VND")
  }
}
