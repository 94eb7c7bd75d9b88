/// Finding the header row below any title rows, and mapping its cells to the form's columns.

/// The header found in a file and what each of its cells means.
struct HeaderMatch: Sendable, Equatable {
  /// Index, among the records examined, of the header's last row.
  var recordIndex: Int
  /// The physical line of the header's last row.
  var line: Int
  /// Form column key → index of the cell holding it.
  var columnIndex: [String: Int]
  /// Form column key → the header as written.
  var writtenHeader: [String: String]
  /// Header cells that match no form column (or repeat one already matched).
  var unknownColumns: [String]
  /// Cells up to and including the last non-blank header cell.
  var width: Int
  /// Blank header cells within or after the header (columns left by merged cells).
  var blankCells: Int
  /// Distinct form columns recognised: how good a header this is.
  var score: Int { columnIndex.count }
}

enum HeaderLocator {
  /// The fewest recognised columns for a row to count as the header.
  static let minimumScore = 3
  /// How many records from the top may be title rows or header.
  static let searchDepth = 30

  /// The best header among the first records: a single row, or two rows merged (a group heading such as
  /// `Nhu cầu hỗ trợ` above the need names, the other names in the upper row with blanks below them).
  static func locate(in records: [CSVRecord], schema: FormSchema) -> HeaderMatch? {
    var best: HeaderMatch?
    let limit = min(records.count, searchDepth)
    for index in 0..<limit {
      var candidates = [match(records[index].fields, index: index, line: records[index].line, schema: schema)]
      if index + 1 < records.count {
        let lower = records[index + 1]
        let merged = zip(paddedPair(records[index].fields, lower.fields)).map { upper, below in
          below.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? upper : below
        }
        candidates.append(match(merged, index: index + 1, line: lower.line, schema: schema))
      }
      for candidate in candidates where candidate.score >= minimumScore {
        if best == nil || candidate.score > best!.score { best = candidate }
      }
    }
    return best
  }

  static func match(_ cells: [String], index: Int, line: Int, schema: FormSchema) -> HeaderMatch {
    var columnIndex: [String: Int] = [:]
    var written: [String: String] = [:]
    var unknown: [String] = []
    var width = 0
    var blank = 0
    for (position, cell) in cells.enumerated() {
      let header = cell.split(whereSeparator: \.isNewline).joined(separator: " ")
        .trimmingCharacters(in: .whitespaces)
      if header.isEmpty {
        blank += 1
        continue
      }
      width = position + 1
      if let key = schema.key(forHeader: header), columnIndex[key] == nil {
        columnIndex[key] = position
        written[key] = header
      } else {
        unknown.append(header)
      }
    }
    return HeaderMatch(
      recordIndex: index, line: line, columnIndex: columnIndex, writtenHeader: written, unknownColumns: unknown,
      width: width, blankCells: blank)
  }

  private static func paddedPair(_ a: [String], _ b: [String]) -> ([String], [String]) {
    let width = max(a.count, b.count)
    return (a + Array(repeating: "", count: width - a.count), b + Array(repeating: "", count: width - b.count))
  }

  private static func zip(_ pair: ([String], [String])) -> Zip2Sequence<[String], [String]> {
    Swift.zip(pair.0, pair.1)
  }
}
