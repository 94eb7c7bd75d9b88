/// Reading UTF-8 CSV files the pipeline itself or the department writes: artefacts and reference tables.
import Foundation

/// A CSV file with a header row, read through libcsv.
public enum CSVFile {
  /// Calls `body` with the header, then with every later record, streaming the file in chunks.
  ///
  /// A UTF-8 byte-order mark is skipped. Blank lines are passed over.
  public static func forEachRow(
    _ url: URL, delimiter: UInt8 = UInt8(ascii: ","),
    header: ([String]) throws -> Void, row: (CSVRecord) throws -> Void
  ) throws {
    try forEachRawRow(url, delimiter: delimiter, header: header) { try row($0.record) }
  }

  /// As `forEachRow`, handing each record over as bytes (valid only during its call of `row`): a reader that
  /// needs a few cells of each row, or compares bytes, need not make a String of every field.
  static func forEachRawRow(
    _ url: URL, delimiter: UInt8 = UInt8(ascii: ","),
    header: ([String]) throws -> Void, row: (CSVRawRecord) throws -> Void
  ) throws {
    let name = url.lastPathComponent
    guard let handle = FileHandle(forReadingAtPath: url.path) else { throw cannotOpen(url) }
    defer { try? handle.close() }
    let next = {
      do {
        return try handle.read(upToCount: 1 << 16) ?? Data()
      } catch {
        throw PipelineError.io("cannot read \(name)", error)
      }
    }
    try forEachRawRow(name: name, delimiter: delimiter, chunks: next, header: header, row: row)
  }

  /// Parses the chunks `next` gives until it gives none; skips a UTF-8 byte-order mark and blank lines (and the
  /// records `skip` says are blank, before the header too).
  private static func forEachRawRow(
    name: String, delimiter: UInt8, chunks next: () throws -> Data, skip: (CSVRawRecord) -> Bool = { _ in false },
    header: ([String]) throws -> Void, row: (CSVRawRecord) throws -> Void
  ) throws {
    let parser = try CSVStreamParser(delimiter: delimiter, file: name)
    var seenHeader = false
    var first = true
    func deliver(_ record: CSVRawRecord) throws {
      if record.count == 0 || (record.count == 1 && isBlank(record.field(0))) || skip(record) { return }
      if seenHeader {
        try row(record)
      } else {
        seenHeader = true
        try header(record.record.fields)
      }
    }
    while true {
      let chunk = try next()
      if chunk.isEmpty { break }
      try chunk.withUnsafeBytes { bytes in
        var bytes = bytes
        if first {
          first = false
          if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropFirst(3)) }
        }
        try parser.parseRaw(bytes, deliver)
      }
    }
    try parser.finishRaw(deliver)
  }

  /// The error for a file that could not be opened, saying which trouble it is: a file that is not there (check the
  /// path), a folder, or a file there that the run's account may not read (check its permissions, as an unreadable
  /// survey file's reason says). Saying "missing or unreadable" sent an operator to look for a table that was there.
  static func cannotOpen(_ url: URL) -> PipelineError {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      return PipelineError(.missingInput, "cannot open \(url.path): there is no such file")
    }
    if isDirectory.boolValue {
      return PipelineError(.missingInput, "cannot open \(url.path): it is a folder, not a file")
    }
    return PipelineError(
      .missingInput,
      "cannot open \(url.path): the file is there but cannot be read: check its permissions for the account the run "
        + "runs as (ls -l shows its owner and mode)")
  }

  /// `TextFolding.isBlank` of a field's text, decided on its bytes.
  static func isBlank(_ field: UnsafeRawBufferPointer) -> Bool {
    TextFolding.trimmedRange(field).isEmpty
  }

  /// Reads a whole (small) CSV file into a table addressed by column name.
  ///
  /// The reference tables are edited in Excel or LibreOffice, which save in the system's code page and with its
  /// list separator unless told otherwise: so the text may be UTF-8 (with or without a byte-order mark),
  /// UTF-16 or Windows-1258, and the cells separated by commas, semicolons or tabs (`EditedText`). A row whose
  /// cells are all empty is passed over like a blank line; column names are read in lower case.
  public static func readTable(_ url: URL) throws -> CSVTable {
    guard let data = FileManager.default.contents(atPath: url.path) else { throw cannotOpen(url) }
    let text = try EditedText.utf8(data)
    var columns: [String] = []
    var rows: [CSVRecord] = []
    var chunks = [text]
    do {
      try forEachRawRow(
        name: url.lastPathComponent, delimiter: EditedText.delimiter(of: text), chunks: { chunks.popLast() ?? Data() },
        // A row of empty cells (",,,," where a spreadsheet row was cleared, or ";;;;" of another save) is a
        // blank line.
        skip: { record in (0..<record.count).allSatisfy { EditedText.isEmptyCell(record.field($0)) } },
        header: { columns = $0.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } },
        row: { rows.append($0.record) })
    } catch let error as PipelineError {
      // Said as of a table someone edits, not of a survey export to drop again.
      switch error.fileProblem {
      case .unterminatedQuote?:
        throw PipelineError(
          error.kind, "a quoted cell opened here is never closed: close or remove the quote and save the table again",
          at: error.location)
      case .malformedCSV(let why)?:
        throw PipelineError(
          error.kind, "malformed CSV (\(why)): fix the quotes on this line and save the table again",
          at: error.location)
      default: throw error
      }
    }
    return CSVTable(file: url.lastPathComponent, columns: columns, rows: rows)
  }
}

/// A small CSV file held in memory, its cells addressed by column name.
public struct CSVTable: Sendable {
  public var file: String
  public var columns: [String]
  public var rows: [CSVRecord]

  public init(file: String, columns: [String], rows: [CSVRecord]) {
    self.file = file
    self.columns = columns
    self.rows = rows
  }

  /// The index of a column, or an error naming the file and the missing column.
  public func index(of column: String) throws -> Int {
    guard let index = columns.firstIndex(of: column) else {
      throw PipelineError(
        .badInput, "column '\(column)' is missing from the header (has: \(columns.joined(separator: ", ")))",
        at: InputLocation(file: file, line: 1))
    }
    return index
  }

  /// The trimmed cell of `row` in `column`, or "" where the row is short.
  public func value(_ row: CSVRecord, _ column: Int) -> String {
    column < row.fields.count ? TextFolding.trimmingWhiteSpace(row.fields[column], newlines: true) : ""
  }

  /// The cell of `row` in `column` as the case of `Name` it names, or an error at the row naming every case
  /// ("factor 'demnd' is not one of demand, reach, …"); `kind` is what a case is called.
  func named<Name: RawRepresentable & CaseIterable>(_ row: CSVRecord, _ column: Int, kind: String) throws -> Name
  where Name.RawValue == String {
    let text = value(row, column)
    guard let name = Name(rawValue: text) else {
      let known = Name.allCases.map(\.rawValue).joined(separator: ", ")
      throw PipelineError(
        .badInput, "\(kind) '\(text)' is not one of \(known)", at: InputLocation(file: file, line: row.line))
    }
    return name
  }
}
