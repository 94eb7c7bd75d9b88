// Numbers as Vietnamese respondents write them: `.` groups thousands and `,`
// is the decimal comma (`1.250` = 1250, `2,5` = 2.5), often with a unit in the
// cell (`15 người`, `120 tr`, `1,5 tỷ`). English forms from Google Sheets
// (`2.5`, `1,250,000`) are read where they cannot be misread.

import Foundation

/// A parsed number and the canonical text written to artefacts.
public struct VietnameseNumber: Sendable, Hashable {
  public var value: Decimal

  /// Plain machine form: `1250`, `2.5`, no grouping, no trailing zeros.
  public var text: String {
    var value = value
    var rounded = Decimal()
    NSDecimalRound(&rounded, &value, 6, .plain)
    return NSDecimalNumber(decimal: rounded).stringValue
  }

  /// True when the number has no fractional part.
  public var isWhole: Bool {
    var value = value
    var rounded = Decimal()
    NSDecimalRound(&rounded, &value, 0, .plain)
    return rounded == value
  }

  /// The amount in million VND: units `tỷ` multiply by 1000, `nghìn`/`ngàn` divide by 1000, `đồng`/`VND` by a
  /// million.
  public static func millionVND(_ written: String) -> VietnameseNumber? {
    guard let (number, unit) = split(written) else { return nil }
    return millionVND(number, unit: unit)
  }

  /// The amount in million VND of a cell in a column whose header states `headerUnit` ("Kinh phí đề nghị hỗ trợ
  /// (nghìn đồng)"): a bare number is in the header's unit, while a unit written in the cell ("1,5 tỷ") wins, as
  /// the respondent wrote it for that cell. Nil for a bare number under a unit that is not read.
  public static func millionVND(_ written: String, headerUnit: MoneyUnit) -> VietnameseNumber? {
    guard let (number, unit) = split(written) else { return nil }
    guard unit.isEmpty else { return millionVND(number, unit: unit) }
    return headerUnit.inMillionVND(number.value).map(VietnameseNumber.init(value:))
  }

  /// `number` written with the folded `unit` after it, in million VND, converted as a header's unit is
  /// (`MoneyUnit.inMillionVND`), so that `500 nghìn đồng` in a cell and `500` under "(nghìn đồng)" are one amount.
  private static func millionVND(_ number: VietnameseNumber, unit: String) -> VietnameseNumber? {
    guard let unit = cellUnits[unit], let value = unit.inMillionVND(number.value) else { return nil }
    return VietnameseNumber(value: value)
  }

  /// The units read after an amount in its cell, folded: those the header's unit is read as too, spelled as a
  /// respondent writes them in the cell (`150 triệu đồng`, `1,5 tỷ`, `500 nghìn đồng`, `500 ngàn`, `500.000đ`).
  /// What the advice on an unread header names ("chỉ đọc triệu đồng, nghìn đồng, đồng và tỷ đồng") is read here.
  private static let cellUnits: [String: MoneyUnit] = {
    var units: [String: MoneyUnit] = [:]
    for spelling in ["", "tr", "trieu", "trd", "tr d", "trieu dong", "trieu d", "million", "m", "tr vnd", "trieu vnd"] {
      units[spelling] = .millionVND
    }
    for spelling in ["ty", "ti", "ty dong", "ty d", "billion", "ty vnd"] { units[spelling] = .billionVND }
    for spelling in ["nghin", "ngan", "nghin dong", "ngan dong", "nghin d", "ngan d", "nghin vnd", "ngan vnd"] {
      units[spelling] = .thousandVND
    }
    for spelling in ["d", "dong", "vnd", "vnd dong"] { units[spelling] = .vnd }
    return units
  }()

  /// A count of people: a whole number, optionally followed by `người`, `lao động`, `LĐ`. Not `2,000`: by the
  /// decimal comma that is 2, but no one counts workers to three decimals, and a sheet in English writes two
  /// thousand so; the cell is left for an analyst rather than read as either (`1.250` and `2000` are read).
  public static func count(_ written: String) -> VietnameseNumber? {
    guard let (number, unit) = split(written), number.isWhole, number.value >= 0, !thousandsOrDecimals(written)
    else { return nil }
    return ["", "nguoi", "lao dong", "ld", "cong nhan", "cn", "workers", "people"].contains(unit) ? number : nil
  }

  /// True when the number at the start of `written` has one comma, no point, and three digits after the comma
  /// (`2,000`, `12,500`): English thousands, or a decimal comma.
  private static func thousandsOrDecimals(_ written: String) -> Bool {
    let number = written.utf8.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "-") }
      .prefix { $0 &- UInt8(ascii: "0") < 10 || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ".") }
    guard let comma = number.firstIndex(of: UInt8(ascii: ",")), !number.contains(UInt8(ascii: ".")) else {
      return false
    }
    let after = number[number.index(after: comma)...]
    return after.count == 3 && !after.contains(UInt8(ascii: ","))
  }

  /// The number at the start of `written` and the unit after it, folded ("tr", "nguoi").
  static func split(_ written: String) -> (VietnameseNumber, String)? {
    let trimmed = written.trimmingCharacters(in: .whitespacesAndNewlines)
    let digits = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "," || $0 == " ") || $0 == "-" }
    let unit = TextFolding.key(String(trimmed.dropFirst(digits.count)))
    guard let number = parse(digits.replacingOccurrences(of: " ", with: "")) else { return nil }
    return (number, unit)
  }

  /// The number written with Vietnamese or unambiguous English separators.
  public static func parse(_ text: String) -> VietnameseNumber? {
    var body = Substring(text)
    let negative = body.first == "-"
    if negative { body = body.dropFirst() }
    guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }),
      body.first!.isNumber, body.last!.isNumber
    else { return nil }
    let dots = body.filter { $0 == "." }.count
    let commas = body.filter { $0 == "," }.count
    var integer: Substring
    var fraction: Substring = ""
    switch (dots, commas) {
    case (0, 0):
      integer = body
    case (_, 0) where dots > 1 || groupedThousands(body, separator: "."):
      // 1.250 and 1.250.000: Vietnamese thousands.
      guard groupedThousands(body, separator: ".") else { return nil }
      integer = Substring(body.filter { $0 != "." })
    case (1, 0):
      // 2.5, 12.75: a decimal point (a Vietnamese writer would group as 1.250).
      (integer, fraction) = halves(body, at: ".")
    case (0, 1):
      // 2,5 and 1,250: the decimal comma, as the form says.
      (integer, fraction) = halves(body, at: ",")
    case (0, _):
      // 1,250,000: English thousands.
      guard groupedThousands(body, separator: ",") else { return nil }
      integer = Substring(body.filter { $0 != "," })
    default:
      // Both: the last one is the decimal separator.
      let decimal: Character = body.lastIndex(of: ",")! > body.lastIndex(of: ".")! ? "," : "."
      let grouping: Character = decimal == "," ? "." : ","
      let (whole, part) = halves(body, at: decimal)
      guard !part.contains(grouping), groupedThousands(whole, separator: grouping) else { return nil }
      integer = Substring(whole.filter { $0 != grouping })
      fraction = part
    }
    guard let value = Decimal(string: fraction.isEmpty ? String(integer) : "\(integer).\(fraction)") else { return nil }
    return VietnameseNumber(value: negative ? -value : value)
  }

  private static func halves(_ text: Substring, at separator: Character) -> (Substring, Substring) {
    let index = text.lastIndex(of: separator)!
    return (text[..<index], text[text.index(after: index)...])
  }

  /// True when `text` is 1-3 digits then groups of exactly three, split by `separator`.
  private static func groupedThousands(_ text: Substring, separator: Character) -> Bool {
    let groups = text.split(separator: separator, omittingEmptySubsequences: false)
    guard groups.count > 1, let head = groups.first, (1...3).contains(head.count) else { return false }
    return groups.dropFirst().allSatisfy { $0.count == 3 }
  }
}
