/// The survey dates the counted establishments carry, per source file and for the whole run: when the surveys
/// were made, and a file of an earlier survey round left in input/ shows up as a period a year apart.

/// The first and last survey dates of some rows, and how many rows had none.
public struct SurveyPeriod: Sendable, Equatable {
  /// `yyyy-mm-dd`, as establishments.csv writes `survey_date`; nil when no row had a date.
  public var first: String?
  public var last: String?
  public var undated = 0

  public init(first: String? = nil, last: String? = nil, undated: Int = 0) {
    (self.first, self.last, self.undated) = (first, last, undated)
  }

  mutating func add(_ date: String) {
    if date.isEmpty {
      undated += 1
      return
    }
    if first.map({ date < $0 }) ?? true { first = date }
    if last.map({ date > $0 }) ?? true { last = date }
  }

  mutating func add(_ other: SurveyPeriod) {
    if let date = other.first { add(date) }
    if let date = other.last { add(date) }
    undated += other.undated
  }

  /// `dd/mm/yyyy` of a `yyyy-mm-dd` date, as the report writes days; other text as it is.
  static func day(_ iso: String) -> String {
    let parts = iso.split(separator: "-")
    guard parts.count == 3, iso.utf8.count == 10 else { return iso }
    return "\(parts[2])/\(parts[1])/\(parts[0])"
  }

  /// The dates as a table cell: `02/10/2025–28/10/2025`, one day alone, or `–` when no row had a date.
  var range: String {
    guard let first, let last else { return "–" }
    return first == last ? Self.day(first) : Self.day(first) + "–" + Self.day(last)
  }

  /// True when the last date is a year or more after the first: more than one survey round.
  public var spansAYear: Bool {
    guard let first, let last, first.utf8.count == 10, let year = Int(first.prefix(4)) else { return false }
    return last >= String(year + 1) + first.dropFirst(4)
  }
}

/// Survey periods by source file, gathered row by row in file order (one dictionary write per file).
public struct SurveyPeriods: Sendable, Equatable {
  public private(set) var byFile: [String: SurveyPeriod] = [:]
  private var file = ""
  private var current = SurveyPeriod()
  private var started = false
  /// The last dated row's date: rows of a file mostly repeat a few dates, and the same text again changes
  /// nothing (the reader hands one String per spelling, so this is mostly a pointer comparison).
  private var lastDate = ""
  /// The spellings of the dates the file's rows have carried so far (`add(file:fileSpelling:date:spelling:)`), each
  /// with whether it was a date or blank: a date seen before changes neither end of the period, so only a new one is
  /// compared with them. Dates were a twentieth of the report stage at 1,000,000 rows, where nearly every row's date
  /// differs from the row before's.
  private var seenDates = SpellingMemo<Bool>()
  /// The spelling of the current file's name on the row before (`CellSpelling.none` when not given).
  private var fileSpelling = CellSpelling.none

  public init() {}

  /// The periods gathered, whatever dates were remembered along the way.
  public static func == (a: SurveyPeriods, b: SurveyPeriods) -> Bool {
    (a.byFile, a.file, a.current, a.started, a.lastDate) == (b.byFile, b.file, b.current, b.started, b.lastDate)
  }

  /// Periods already gathered (tests, and a report made from figures kept elsewhere).
  public init(byFile: [String: SurveyPeriod]) { self.byFile = byFile }

  /// One counted establishment of `file`, with its survey date (`""` for none) and, when the reader gives them,
  /// the spellings of the file and the date (`CellSpelling.none` otherwise). The file and the date are made only
  /// when their spellings do not answer: a row whose file is spelled as the row before's is of the same file, and a
  /// date spelling met before in the file changes nothing but, for a blank one, the count of undated rows.
  mutating func add(
    file: @autoclosure () -> String, fileSpelling: CellSpelling = .none, date: @autoclosure () -> String,
    spelling: CellSpelling = .none
  ) {
    if !started || fileSpelling == .none || fileSpelling != self.fileSpelling {
      let file = file()
      if !started || file != self.file {
        flush()
        started = true
        self.file = file
        current = byFile[file] ?? SurveyPeriod()
        lastDate = ""
        seenDates = SpellingMemo<Bool>()
      }
      self.fileSpelling = fileSpelling
    }
    if let dated = seenDates.answer(spelling) {
      if !dated { current.add("") }
      return
    }
    let date = date()
    seenDates.keep(!date.isEmpty, for: spelling)
    if date.isEmpty {
      current.add(date)
      return
    }
    if date != lastDate { current.add(date) }
    lastDate = date
  }

  /// Records the file being gathered; call once every row is added.
  mutating func flush() {
    if started { byFile[file] = current }
  }

  /// Every file's period together.
  public var whole: SurveyPeriod {
    var result = SurveyPeriod()
    for period in byFile.values { result.add(period) }
    return result
  }
}
