/// Deciding what each record below the header is: a blank row, a totals row, a bad row or a survey answer.

/// Classifies records of one file against its header.
struct RowClassifier {
  enum Outcome {
    case blank
    case totals
    /// A reject row: `source_file,source_line,stage,reason,column,value`.
    case rejected([String])
    /// A staged row: `source_file,source_line` then the form columns.
    case passed([String])
  }

  let file: String
  let schema: FormSchema
  let header: HeaderMatch
  /// Cells up to the last non-blank header cell: cells past it are trailing empty columns.
  private let width: Int
  private let stagedIndices: [Int?]

  /// First cells that mark a totals row (folded).
  static let totalsLabels: Set<String> = ["tong cong", "cong", "tong", "tong so", "total", "grand total", "sum"]

  init(file: String, schema: FormSchema, header: HeaderMatch) {
    self.file = file
    self.schema = schema
    self.header = header
    width = header.width
    stagedIndices = FormSchema.stagedKeys.map { header.columnIndex[$0] }
  }

  func classify(_ record: CSVRecord) -> Outcome {
    if record.isBlank { return .blank }
    let line = String(record.line)
    let cells = record.fields.map { TextFolding.nfc(TextFolding.trim($0)) }
    if let first = cells.first(where: { !$0.isEmpty }), Self.isTotalsLabel(first) { return .totals }
    func reject(_ reason: String, column index: Int?) -> Outcome {
      let column = index.map { headerName(at: $0) } ?? ""
      let value = index.map { String(cells[$0].prefix(200)) } ?? ""
      return .rejected([file, line, "ingest", reason, column, value])
    }
    if let bad = cells.firstIndex(where: { $0.unicodeScalars.contains("\u{FFFD}") }) {
      return reject(
        "bytes that are not valid text in this row (a damaged file or a mixed encoding): "
          + "correct the cell and re-export the file as CSV UTF-8", column: bad)
    }
    if let bad = cells.firstIndex(where: { $0.unicodeScalars.contains { Self.isControl($0) } }) {
      return reject("control characters (such as NUL) in a cell: retype the cell and re-export", column: bad)
    }
    let lastFilled = cells.lastIndex(where: { !$0.isEmpty }) ?? 0
    if lastFilled >= width {
      return reject(
        "the row has values beyond the last header column (\(lastFilled + 1) cells, header \(width)): "
          + "a delimiter or quote inside a cell probably split it; check the row", column: lastFilled)
    }
    var row = [file, line]
    row.reserveCapacity(FormSchema.stagedKeys.count + 2)
    for index in stagedIndices {
      row.append(index.map { $0 < cells.count ? cells[$0] : "" } ?? "")
    }
    return .passed(row)
  }

  /// True for the first cell of a totals row (`Tổng cộng`, `Cộng`, `Total`).
  static func isTotalsLabel(_ cell: String) -> Bool {
    guard cell.utf8.count <= 24, let first = cell.utf8.first, !(0x30...0x39).contains(first) else { return false }
    return totalsLabels.contains(TextFolding.key(cell))
  }

  private func headerName(at index: Int) -> String {
    if let key = header.columnIndex.first(where: { $0.value == index })?.key { return header.writtenHeader[key] ?? key }
    return "column \(index + 1)"
  }

  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0x7F
  }
}
