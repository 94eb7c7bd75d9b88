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
  /// Digits past the third decimal (below one thousand đồng) are rounded half away from zero. Read from the
  /// UTF-8 bytes (it runs once per establishment): any byte other than an ASCII digit, one `.` and a leading `-`
  /// makes it not such a number.
  public init?(millionVND text: String) {
    guard let thousands = Self.thousands(millionVND: text.utf8) else { return nil }
    self.thousands = thousands
  }

  /// `init(millionVND:)` on a cell's UTF-8 bytes, for readers that hold bytes rather than a String.
  init?(millionVNDBytes bytes: UnsafeRawBufferPointer) {
    guard let thousands = Self.thousands(millionVND: bytes) else { return nil }
    self.thousands = thousands
  }

  /// The amount in thousands of đồng that the UTF-8 `bytes` write in million VND, or nil (as `init(millionVND:)`).
  @inline(__always)
  static func thousands<Bytes: Sequence<UInt8>>(millionVND bytes: Bytes) -> Int? {
    var value = 0
    var negative = false
    var wholeDigits = 0
    var fractionDigits = 0
    var seenPoint = false
    var roundUp = false
    var first = true
    for byte in bytes {
      defer { first = false }
      if first && byte == UInt8(ascii: "-") {
        negative = true
        continue
      }
      if byte == UInt8(ascii: ".") {
        guard !seenPoint else { return nil }
        seenPoint = true
        continue
      }
      guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
      let digit = Int(byte &- UInt8(ascii: "0"))
      if !seenPoint {
        wholeDigits += 1
        guard wholeDigits <= 12 else { return nil }
        value = value * 10 + digit
      } else {
        fractionDigits += 1
        if fractionDigits <= 3 {
          value = value * 10 + digit
        } else if fractionDigits == 4 {
          roundUp = digit >= 5
        }
      }
    }
    guard wholeDigits > 0, !seenPoint || fractionDigits > 0 else { return nil }
    for _ in min(fractionDigits, 3)..<3 { value *= 10 }
    if roundUp { value += 1 }
    return negative ? -value : value
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
