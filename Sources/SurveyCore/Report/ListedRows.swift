/// The first rows of `rejects.csv` and `review.csv`, for the report to list: the mail goes to analysts who may
/// never open the run's folder, so the rows they must act on are in the report itself, as many as read well.
import Foundation

/// The first rows of one of the row lists, and how many it holds.
public struct ListedRows: Sendable, Equatable {
  /// One row as the report shows it.
  public struct Row: Sendable, Equatable {
    public var file: String
    public var line: String
    public var reason: String
    /// A form column key (normalise's rows) or the header as the file wrote it (ingest's).
    public var column: String
    /// The value as written.
    public var value: String
    /// The nearest reference places (review rows; none for rejects).
    public var suggestions: [String]

    public init(file: String, line: String, reason: String, column: String, value: String, suggestions: [String] = []) {
      (self.file, self.line, self.reason, self.column, self.value) = (file, line, reason, column, value)
      self.suggestions = suggestions
    }
  }

  public var rows: [Row]
  /// All the list's rows, those shown included.
  public var total: Int

  public init(rows: [Row] = [], total: Int = 0) {
    self.rows = rows
    self.total = total
  }

  /// How many rows of each list the report shows.
  public static let limit = 20

  /// The first `limit` rows of the list at `url`, in the file's order, leaving out the rows of set-aside files
  /// (the report explains those files already); nothing when the run has no such file (an older run).
  ///
  /// - Parameters:
  ///   - value: the column holding the value as written (`value` in rejects, `written` in review).
  ///   - suggestions: the column of suggestions, when the list has one (`suggestions` in review).
  ///   - settled: true for a row's reason when the row waits for no one (an analyst's decision settled it): left
  ///     out, and not counted in `total`.
  static func read(
    _ url: URL, value: String, suggestions: String? = nil, leavingOut setAside: [String], limit: Int = limit,
    settled: (_ reason: String) -> Bool = { _ in false }
  ) throws -> ListedRows {
    guard FileManager.default.fileExists(atPath: url.path) else { return ListedRows() }
    // By exact name: a String takes a set-aside NFD name for its NFC twin, which was read.
    let setAside = Set(setAside.map(ExactText.init))
    var listed = ListedRows()
    var columns: [Int] = []
    try CSVFile.forEachRow(
      url,
      header: { header in
        let names = ["source_file", "source_line", "reason", "column", value] + (suggestions.map { [$0] } ?? [])
        columns = try names.map(CSVTable(file: url.lastPathComponent, columns: header, rows: []).index(of:))
      },
      row: { record in
        // As written in the survey: without the `'` the list put before a formula for spreadsheets.
        let cells = columns.map { $0 < record.fields.count ? CSVWriter.unneutralised(record.fields[$0]) : "" }
        guard !setAside.contains(ExactText(cells[0])), !settled(cells[2]) else { return }
        listed.total += 1
        if listed.rows.count < limit {
          listed.rows.append(
            Row(
              file: cells[0], line: cells[1], reason: cells[2], column: cells[3], value: cells[4],
              suggestions: cells.count > 5
                ? cells[5].components(separatedBy: RowNormaliser.suggestionSeparator).filter { !$0.isEmpty } : []))
        }
      })
    return listed
  }
}
