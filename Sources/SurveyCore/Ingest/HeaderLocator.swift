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
  /// Form columns named by more than one header cell ("Tên doanh nghiệp" and "Tên cơ sở"): every such cell, in
  /// order. `columnIndex` holds the one read.
  var repeated: [String: [Cell]] = [:]
  /// Distinct form columns recognised: how good a header this is.
  var score: Int { columnIndex.count }

  /// A header cell: where it is and how it is written.
  struct Cell: Sendable, Equatable {
    var position: Int
    var header: String
  }

  /// Of two or more columns for one question, reads the one filled in on the most of `rows` (the records below the
  /// header); on a tie, the one chosen from the header alone stays. The others are listed as not read.
  mutating func settleRepeated(by rows: ArraySlice<CSVRecord>) {
    for (key, cells) in repeated.sorted(by: { $0.value[0].position < $1.value[0].position }) {
      func filled(_ cell: Cell) -> Int {
        rows.reduce(0) { count, row in
          let value = cell.position < row.fields.count ? row.fields[cell.position] : ""
          return count + (value.allSatisfy(\.isWhitespace) ? 0 : 1)
        }
      }
      guard let chosen = columnIndex[key], let current = cells.first(where: { $0.position == chosen }) else {
        continue
      }
      var best = current
      var most = filled(current)
      for cell in cells where cell.position != chosen {
        let count = filled(cell)
        if count > most { (best, most) = (cell, count) }
      }
      guard best.position != chosen else { continue }
      if let index = unknownColumns.firstIndex(of: best.header) { unknownColumns.remove(at: index) }
      unknownColumns.append(current.header)
      columnIndex[key] = best.position
      writtenHeader[key] = best.header
    }
  }
}

enum HeaderLocator {
  /// The fewest recognised columns for a row to count as the header.
  static let minimumScore = 3
  /// How many records from the top may be title rows or header.
  static let searchDepth = 30
  /// How many records below the header decide which of two columns for one question is read.
  static let repeatedSample = 200

  /// The best header among the first records: a single row, or two rows merged (a group heading such as
  /// `Nhu cầu hỗ trợ` above the need names, the other names in the upper row with blanks below them).
  static func locate(in records: [CSVRecord], schema: FormSchema) -> HeaderMatch? {
    var cells = CellMeanings()
    return locate(in: records, schema: schema, cells: &cells)
  }

  /// What each header cell text means, worked out once: the same texts come back in every row pair and
  /// under every delimiter tried, and folding them (`FormSchema.headerKey`) is most of finding a header.
  struct CellMeanings {
    /// By exact bytes: String's `==` holds NFC and NFD spellings equal, and the header is reported as written.
    fileprivate var known: [ExactText: (header: String, key: String?, formHeader: Bool)] = [:]
  }

  /// As `locate(in:schema:)`, reusing (and adding to) what `cells` knows.
  static func locate(in records: [CSVRecord], schema: FormSchema, cells: inout CellMeanings) -> HeaderMatch? {
    var best: HeaderMatch?
    let limit = min(records.count, searchDepth)
    for index in 0..<limit {
      var candidates = [
        match(records[index].fields, index: index, line: records[index].line, schema: schema, cells: &cells)
      ]
      if index + 1 < records.count {
        let lower = records[index + 1]
        let merged = zip(paddedPair(records[index].fields, lower.fields)).map { upper, below in
          let note = below.trimmingCharacters(in: .whitespacesAndNewlines)
          if note.isEmpty { return upper }
          // A unit under its heading ("Số lao động" over "(người)") belongs to it, as one cell's second line would.
          if Self.isBracketed(note), !upper.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return upper + " " + note
          }
          // A heading over its breakdown ("Số lao động" over "Tổng số" | "Trong đó: nữ"): the column of the total
          // keeps the heading's name (the breakdown's other columns keep theirs, and are not read).
          if Self.totalLabels.contains(TextFolding.key(note)),
            meaning(of: upper, schema: schema, cells: &cells).key != nil
          {
            return upper
          }
          return below
        }
        candidates.append(match(merged, index: index + 1, line: lower.line, schema: schema, cells: &cells))
      }
      for candidate in candidates where candidate.score >= minimumScore {
        if best == nil || candidate.score > best!.score { best = candidate }
      }
    }
    if var found = best, !found.repeated.isEmpty {
      found.settleRepeated(by: records[min(records.count, found.recordIndex + 1)...].prefix(repeatedSample))
      return found
    }
    return best
  }

  static func match(_ cells: [String], index: Int, line: Int, schema: FormSchema) -> HeaderMatch {
    var meanings = CellMeanings()
    return match(cells, index: index, line: line, schema: schema, cells: &meanings)
  }

  private static func match(
    _ cells: [String], index: Int, line: Int, schema: FormSchema, cells meanings: inout CellMeanings
  ) -> HeaderMatch {
    var columnIndex: [String: Int] = [:]
    var written: [String: String] = [:]
    /// Keys whose column has the form's own header: a later alias of theirs does not replace them.
    var byFormHeader: Set<String> = []
    var cellsByKey: [String: [HeaderMatch.Cell]] = [:]
    var unknown: [String] = []
    var width = 0
    var blank = 0
    for (position, cell) in cells.enumerated() {
      let meaning = Self.meaning(of: cell, schema: schema, cells: &meanings)
      let header = meaning.header
      if header.isEmpty {
        blank += 1
        continue
      }
      width = position + 1
      if let key = meaning.key {
        cellsByKey[key, default: []].append(HeaderMatch.Cell(position: position, header: header))
      }
      if let key = meaning.key, columnIndex[key] == nil || (meaning.formHeader && !byFormHeader.contains(key)) {
        // Two columns for one question ("Tên doanh nghiệp" and "Tên cơ sở"): the form's own header wins, then
        // the first; the other is listed with the columns not read.
        if let other = written[key] { unknown.append(other) }
        columnIndex[key] = position
        written[key] = header
        if meaning.formHeader { byFormHeader.insert(key) }
      } else {
        unknown.append(header)
      }
    }
    return HeaderMatch(
      recordIndex: index, line: line, columnIndex: columnIndex, writtenHeader: written, unknownColumns: unknown,
      width: width, blankCells: blank, repeated: cellsByKey.filter { $0.value.count > 1 })
  }

  /// What a header cell means: its text on one line, the form's column it names if any, and whether that is the
  /// form's own header; worked out once per text.
  private static func meaning(
    of cell: String, schema: FormSchema, cells meanings: inout CellMeanings
  ) -> (header: String, key: String?, formHeader: Bool) {
    if let known = meanings.known[ExactText(cell)] { return known }
    let header = cell.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    let key = header.isEmpty ? nil : schema.key(forHeader: header)
    let meaning = (header, key, key != nil && schema.isFormHeader(header))
    meanings.known[ExactText(cell)] = meaning
    return meaning
  }

  /// Lower header cells that say "the total" of the heading above them (folded): a totals row's labels, and two
  /// that only a header says.
  static let totalLabels = RowClassifier.totalsLabels.union(["so luong", "tat ca"])

  /// "(người)", "[triệu đồng]": a note in brackets and nothing else.
  private static func isBracketed(_ text: String) -> Bool {
    (text.hasPrefix("(") && text.hasSuffix(")")) || (text.hasPrefix("[") && text.hasSuffix("]"))
  }

  private static func paddedPair(_ a: [String], _ b: [String]) -> ([String], [String]) {
    let width = max(a.count, b.count)
    return (a + Array(repeating: "", count: width - a.count), b + Array(repeating: "", count: width - b.count))
  }

  private static func zip(_ pair: ([String], [String])) -> Zip2Sequence<[String], [String]> {
    Swift.zip(pair.0, pair.1)
  }
}
