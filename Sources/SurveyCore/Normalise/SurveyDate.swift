// Survey dates in every form the survey form lists: `dd/mm/yyyy`, `d/m/yyyy`,
// `yyyy-mm-dd`, and an Excel serial day number (days since 1899-12-30, as
// Excel counts them after its 1900 leap-year bug). Also `dd-mm-yyyy` and
// `dd.mm.yyyy`, which Vietnamese Excel produces with other regional settings.

/// A calendar date without time zone.
public struct SurveyDate: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var year: Int
  public var month: Int
  public var day: Int

  /// Years a survey of the programme can have been made in: "01/01/1900", Excel's day 1 in a date cell left
  /// blank, or a typed 1925, is no survey date (a helper's round: it set the report's survey period).
  public static let years = 2000...2100

  public init?(year: Int, month: Int, day: Int) {
    guard Self.years.contains(year), (1...12).contains(month), (1...Self.days(in: month, of: year)).contains(day)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// ISO form `yyyy-mm-dd`.
  public var description: String {
    func pad(_ n: Int, _ width: Int) -> String {
      String(repeating: "0", count: max(0, width - String(n).count)) + String(n)
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }

  /// `dd/mm/yyyy`, as the form and the analysts write a day.
  public var dayMonthYear: String {
    (day < 10 ? "0" : "") + "\(day)/" + (month < 10 ? "0" : "") + "\(month)/\(year)"
  }

  public static func < (a: SurveyDate, b: SurveyDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }

  /// The day districts were abolished and communes merged.
  public static let reform = SurveyDate(year: 2025, month: 7, day: 1)!

  /// Reads a written date; nil when it is none of the known forms or not a real day.
  public static func parse(_ written: String) -> SurveyDate? {
    let text = written.trimmingCharacters(in: .whitespaces)
    if text.isEmpty { return nil }
    // Drop a time of day that a spreadsheet may add ("12/03/2024 00:00:00").
    let datePart = text.split(separator: " ").first.map(String.init) ?? text
    // ASCII digits only: `isNumber` is also true of digits Int() cannot read (٣, ½, ²), and a date with
    // them once left `numbers` short and crashed the stage (found by scripts/fuzz).
    let isDigit: (Character) -> Bool = { $0.isASCII && $0.isNumber }
    if datePart.allSatisfy(isDigit) { return excelSerial(datePart) }
    // An Excel serial with its time of day as a fraction ("45964.5", or "45964,5" with a Vietnamese comma).
    let serialParts = datePart.split(separator: ".", omittingEmptySubsequences: false)
      .flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
    if serialParts.count == 2, serialParts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isDigit) }),
      serialParts[0].count == 5
    {
      return excelSerial(String(serialParts[0]))
    }
    let fields = datePart.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." }).map(String.init)
    guard fields.count == 3, fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isDigit) }) else { return nil }
    let numbers = fields.compactMap { Int($0) }
    guard numbers.count == 3 else { return nil }
    if fields[0].count == 4 {
      return SurveyDate(year: numbers[0], month: numbers[1], day: numbers[2])
    }
    guard fields[2].count == 4 else { return nil }
    return SurveyDate(year: numbers[2], month: numbers[1], day: numbers[0])
  }

  /// An Excel serial day number between 1950 and 2100.
  static func excelSerial(_ text: String) -> SurveyDate? {
    guard text.count <= 6, let serial = Int(text), (18_264...73_050).contains(serial) else { return nil }
    return fromDaysSince1970(serial - 25_569)
  }

  /// The civil date `days` after 1970-01-01 (Howard Hinnant's algorithm).
  static func fromDaysSince1970(_ days: Int) -> SurveyDate? {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    return SurveyDate(year: year, month: month, day: day)
  }

  private static func days(in month: Int, of year: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }
}
