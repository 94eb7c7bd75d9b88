/// Money in the survey's unit (million VND), held exactly in thousands of đồng so sums never drift.

/// An amount of money, exact to one thousand đồng; the CSV files carry it in million VND (`2.5` = 2,500,000 đ).
///
/// Adding `Double`s would make a total depend on the order the rows arrive in; whole thousands of đồng keep the
/// outputs byte-identical whatever the order.
public struct Money: Sendable, Hashable, Comparable, AdditiveArithmetic {
  /// The amount in thousands of đồng.
  public var thousands: Int

  public init(thousands: Int) { self.thousands = thousands }

  public static let zero = Money(thousands: 0)

  public static func + (lhs: Money, rhs: Money) -> Money { Money(thousands: lhs.thousands + rhs.thousands) }
  public static func - (lhs: Money, rhs: Money) -> Money { Money(thousands: lhs.thousands - rhs.thousands) }
  public static func < (lhs: Money, rhs: Money) -> Bool { lhs.thousands < rhs.thousands }

  /// An amount of million VND written plainly (`1250`, `2.5`, `0.125`); nil if it is not such a number.
  ///
  /// Digits past the third decimal (below one thousand đồng) are rounded half away from zero.
  public init?(millionVND text: String) {
    var digits = Substring(text)
    let negative = digits.first == "-"
    if negative { digits = digits.dropFirst() }
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty,
      whole.allSatisfy(\.isASCIIDigit), whole.count <= 12
    else { return nil }
    var fraction = parts.count == 2 ? parts[1] : ""
    guard fraction.allSatisfy(\.isASCIIDigit), parts.count == 1 || !fraction.isEmpty else { return nil }
    var roundUp = false
    if fraction.count > 3 {
      roundUp = fraction[fraction.index(fraction.startIndex, offsetBy: 3)] >= "5"
      fraction = fraction.prefix(3)
    }
    let padded = fraction + String(repeating: "0", count: 3 - fraction.count)
    let value = Int(whole)! * 1000 + Int(padded)! + (roundUp ? 1 : 0)
    thousands = negative ? -value : value
  }

  /// The amount in million VND as the artefacts write it: `1250`, `2.5`, `0.125`.
  public var plainMillionVND: String {
    let sign = thousands < 0 ? "-" : ""
    let magnitude = abs(thousands)
    var fraction = String(magnitude % 1000)
    if magnitude % 1000 == 0 { return sign + String(magnitude / 1000) }
    fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return "\(sign)\(magnitude / 1000).\(fraction)"
  }
}

extension Character {
  /// An ASCII digit 0–9 (not any Unicode number, which `isNumber` would accept).
  fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
