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
    share(whole > 0 ? (part * 200 + whole) / (2 * whole) : 0, some: part > 0, all: part >= whole)
  }

  /// A share rounded to `rounded` percent, of a part that is above 0 (`some`) or the whole (`all`) or neither.
  private func share(_ rounded: Int, some: Bool, all: Bool) -> String {
    // Some, but under half a percent: "0%" would read as none.
    if rounded == 0 && some { return under + "1%" }
    // Not all, but within half a percent of it: "100%" would read as every one (199 of 200 establishments).
    if rounded == 100 && !all { return over + "99%" }
    return percent(rounded)
  }

  /// The shares of `parts` in their sum as whole percentages adding up to 100% (`LargestRemainder`), for a list
  /// read as dividing a whole: weights of 1, 1 and 1 are 34%, 33% and 33%, not 33% three times. A part above 0
  /// that rounds to none is "dưới 1%", and one short of the sum that rounds to all of it "trên 99%", as
  /// `percent(_:of:)` says them.
  public func percents(parts: [Double]) -> [String] {
    let sum = parts.reduce(0, +)
    guard sum > 0 else { return parts.map { _ in percent(0) } }
    let rounded = LargestRemainder.whole(parts.map { $0 * 100 / sum }, total: 100)
    return zip(parts, rounded).map { part, whole in share(whole, some: part > 0, all: part >= sum) }
  }

  /// A whole percentage: `125%`.
  public func percent(_ value: Int) -> String { integer(value) + "%" }

  /// Amounts that are the parts of their sum, each written as `money(_:)` writes it but rounded to the precision
  /// it gives the sum (`LargestRemainder`), so that the parts shown add up to the total shown: districts'
  /// requests each rounded on its own added up to 42,47 tỷ đồng under a total of 42,45. A part above 0 that rounds
  /// to none is written `dưới 0,01 triệu đồng` rather than as nothing.
  ///
  /// Only the parts on the total's own scale are rounded together (from a billion up under a total in billions,
  /// from ten million up under one in millions). A smaller part is written on its own scale, as `money(_:)`
  /// writes it: rounded to the total's ten million, a district's 4 triệu đồng was given a unit to make the sum
  /// and shown as 10 triệu đồng, beside another's 3 triệu shown as `dưới 10 triệu đồng`. Written as they are,
  /// they still add up to the total at its precision, give or take its last unit.
  public func money(parts: [Money]) -> [String] {
    let total = parts.reduce(Money.zero, +).thousands
    let unit = Self.roundingUnit(total)
    let onScale = parts.indices.filter { Self.roundingUnit(parts[$0].thousands) == unit }
    let rounded = LargestRemainder.units(onScale.map { parts[$0].thousands }, of: unit)
    var written = parts.map(money)
    for (index, units) in zip(onScale, rounded) {
      written[index] =
        units == 0 && parts[index].thousands > 0
        ? under + money(Money(thousands: unit)) : money(Money(thousands: units * unit))
    }
    return written
  }

  /// Money the way a manager reads it: `2,5 tỷ đồng` from one billion up, else `850 triệu đồng`.
  public func money(_ amount: Money) -> String {
    let thousands = amount.thousands
    let unit = Self.roundingUnit(thousands)
    let units = (thousands + unit / 2) / unit
    if unit == 10_000 { return hundredths(units) + (language == .vi ? " tỷ đồng" : " billion VND") }
    return hundredths(units * unit / 10) + (language == .vi ? " triệu đồng" : " million VND")
  }

  /// What `money(_:)` rounds an amount of `thousands` (thousands of đồng) to, in thousands: two decimals of a
  /// billion from a billion up, whole millions from ten million, else two decimals of a million. An amount that
  /// whole millions would round up to a billion (999,5 triệu and more) is on the billion's scale: it was written
  /// "1.000 triệu đồng".
  private static func roundingUnit(_ thousands: Int) -> Int {
    thousands >= 999_500 ? 10_000 : thousands >= 10_000 ? 1_000 : 10
  }

  /// Before an amount or share above 0 that rounds to none: `dưới 1%`, `dưới 0,01 triệu đồng`.
  private var under: String { language == .vi ? "dưới " : "under " }

  /// Before a share short of the whole that rounds to all of it: `trên 99%`.
  private var over: String { language == .vi ? "trên " : "over " }
}
