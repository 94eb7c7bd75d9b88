// Reads a small reference CSV (a file the department edits) into rows by column name.

import Foundation

/// Loader for the hand-editable tables of input/reference/.
public enum ReferenceTable {
  /// The tables `scripts/update-reference` writes; the others are kept by hand.
  static let generated: Set<String> = [
    "districts.csv", "district-aliases.csv", "communes-legacy.csv", "communes-2025.csv", "outside-places.csv",
  ]

  /// Every table the stages read from the reference folder.
  public static let tables: Set<String> = generated.union([
    "columns.csv", "needs.csv", "enterprise-types.csv", "sectors.csv", "corrections.csv", "plan-targets.csv",
    "scoring-weights.csv", "recommend-actions.csv", "report-labels.csv", RecommendSettings.file,
    ReferenceData.provinceNamesFile,
  ])

  /// The SHA-256 of a table's header and cells as read: a table saved again with nothing changed (with a BOM,
  /// CRLF line ends, semicolons, in another encoding) is not "edited" (a helper's round); the file's bytes when
  /// it cannot be read as a table.
  static func contentDigest(_ url: URL) -> String? {
    guard let table = try? CSVFile.readTable(url) else { return FileDigest.sha256(of: url) }
    let rows =
      [table.columns]
      + table.rows.map { record in record.fields.map { TextFolding.trimmingWhiteSpace($0, newlines: false) } }
    return FileDigest.sha256(of: rows.map { $0.joined(separator: "\u{1F}") }.joined(separator: "\u{1E}"))
  }

  /// What a run knows of the reference folder: each table's SHA-256, to tell the report which changed since the
  /// previous run (a night whose figures moved with no new survey file); and the files there that look like a
  /// table saved under another name or format ("district-aliases.txt" from Excel's "Unicode Text", an .xlsx),
  /// which no stage reads.
  public static func survey(_ folder: URL) -> (digests: [String: String], notRead: [String]) {
    var digests: [String: String] = [:]
    var notRead: [String] = []
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
      if name.hasPrefix(".") || name.hasPrefix("~$") { continue }
      let url = folder.appendingPathComponent(name)
      if tables.contains(name) {
        digests[name] = contentDigest(url)
      } else if ["csv", "txt", "tsv", "xlsx", "xls", "xlsm", "ods"].contains(url.pathExtension.lowercased()) {
        notRead.append(name)
      }
    }
    return (digests, notRead)
  }

  /// The rows of `url` with their physical lines, each as column → trimmed cell.
  ///
  /// Throws when the file is missing or a required column is not in its header, naming the file, so the
  /// department knows which table to fix; and, with the line, when a row has fewer cells than the header (a
  /// comma left out) or leaves one of `filled` blank.
  ///
  /// - Parameters:
  ///   - later: a column added to the table after its first version. A row that `laterApplies` to with more
  ///     cells than the header is an error: when the header lacks the column, it says to add it; else that a
  ///     cell holds an unquoted comma (its cells would otherwise be read shifted, or dropped). Other rows'
  ///     extra cells are dropped, as they always were.
  ///   - asWritten: columns that quote survey cells as they were written, which may hold what `read` refuses.
  ///   - ifEmpty: what a file with no header (0 bytes, or blank) is: refused, or a table of no rows.
  public static func records(
    of url: URL, requiring columns: [String], filled: [String] = [], later: String? = nil,
    laterApplies: ([String: String]) -> Bool = { _ in true }, asWritten: Set<String> = [],
    ifEmpty: IfEmpty = .refused
  ) throws -> [(line: Int, row: [String: String])] {
    let name = url.lastPathComponent
    let table = try read(
      url, keepingAsWritten: asWritten, extraCells: later == nil ? .refused : .allowed, ifEmpty: ifEmpty)
    if table.columns.isEmpty { return [] }  // empty, and taken as no rows (`ifEmpty`)
    for column in columns { _ = try table.index(of: column) }
    return try table.rows.map { record in
      let location = InputLocation(file: name, line: record.line)
      if !filled.isEmpty && record.fields.count < table.columns.count {
        throw PipelineError(
          .badInput,
          "the row has \(record.fields.count) cells and the header \(table.columns.count) "
            + "(\(table.columns.joined(separator: ", "))): is a comma missing?", at: location)
      }
      var row: [String: String] = [:]
      for (index, column) in table.columns.enumerated() { row[column] = table.value(record, index) }
      if let later, record.fields.count > table.columns.count,
        record.fields[table.columns.count...].contains(where: { !TextFolding.isBlank($0) }), laterApplies(row)
      {
        let fix =
          table.columns.contains(later)
          ? "a cell holds a comma: put that cell in double quotes (Excel does so when it saves)"
          : "if its last cell is the \(later), add \(later) to the end of the header line; if a cell holds a comma, "
            + "put that cell in double quotes"
        throw PipelineError(
          .badInput,
          "the row has \(record.fields.count) cells and the header \(table.columns.count) "
            + "(\(table.columns.joined(separator: ", "))): \(fix)", at: location)
      }
      for column in filled where row[column, default: ""].isEmpty {
        throw PipelineError(.badInput, "\(column) is blank: every row needs one", at: location)
      }
      return (record.line, row)
    }
  }

  /// A reference table as `CSVFile.readTable` reads it, refused when a cell shows the marks of a save that lost
  /// letters: "?" inside a word, or U+FFFD. Excel's plain "CSV (Comma delimited)" on Vietnamese Windows writes
  /// the table in code page 1258, which has no room for many precomposed letters (ế, ệ, ổ…), and puts "?" in
  /// their place; read as it is, every spelling with such a letter would silently stop matching.
  ///
  /// A row with text beyond the header's last column is refused too (`extraCells`): a comma typed for the ";"
  /// between a list's items, or an unquoted comma in a cell, whose cells would otherwise be read shifted or
  /// silently dropped.
  ///
  /// A file with no header at all (0 bytes, or blank: a save cut short when Excel or the disk failed, a sheet
  /// cleared) is refused as empty, with how to restore it (`ifEmpty`), rather than read as a header that lacks
  /// every column.
  /// - Parameter asWritten: columns exempt from the check (`records`).
  public static func read(
    _ url: URL, keepingAsWritten asWritten: Set<String> = [], extraCells: ExtraCells = .refused,
    ifEmpty: IfEmpty = .refused
  ) throws -> CSVTable {
    // Every table a stage reads says so, with how to take it back: "cannot open …: there is no such file", as a
    // survey file's reason, said nothing of where a table comes from (needs.csv, scoring-weights.csv, the labels).
    guard FileManager.default.fileExists(atPath: url.path) else {
      let name = url.lastPathComponent
      throw PipelineError(
        .missingInput,
        "reference table \(url.path) is missing: "
          + (generated.contains(name)
            ? "run scripts/update-reference or restore it"
            : "copy it back from the repository's input/reference/ folder (git checkout -- input/reference/\(name) "
              + "in the checkout; the tables are read from INPUT/reference/ when that folder exists)"))
    }
    var table = try CSVFile.readTable(url)
    if table.columns.isEmpty {
      guard ifEmpty == .noRows else { throw empty(url) }
      return table
    }
    // A table saved on a Mac (NFD) matches as NFC does, but its names would reach the report decomposed.
    for index in table.rows.indices where table.rows[index].fields.contains(where: { !TextFolding.isKnownNFC($0) }) {
      table.rows[index].fields = table.rows[index].fields.map { $0.precomposedStringWithCanonicalMapping }
    }
    let checked = table.columns.enumerated().filter { !asWritten.contains($0.element) }.map(\.offset)
    let repaired =
      url.lastPathComponent == "corrections.csv"
      ? "mend those letters by hand, or take the table from a copy made before that save"
      : "take the table back from before that save (a copy, or git checkout -- \(url.lastPathComponent) in "
        + "input/reference for the one in the repository), make the change again"
    for record in table.rows {
      if extraCells == .refused, record.fields.count > table.columns.count,
        let extra = record.fields[table.columns.count...].first(where: { !TextFolding.isBlank($0) })
      {
        throw PipelineError(
          .badInput,
          "“\(extra.trimmingCharacters(in: .whitespacesAndNewlines))” is beyond the header's last column "
            + "(\(table.columns.joined(separator: ", "))): a comma inside a cell splits it; separate the items of "
            + "a list with “;”, or put the cell in double quotes",
          at: InputLocation(file: url.lastPathComponent, line: record.line))
      }
      for column in checked where column < record.fields.count && TextFolding.hasLostLetters(record.fields[column]) {
        throw PipelineError(
          .badInput,
          "“\(record.fields[column].trimmingCharacters(in: .whitespacesAndNewlines))” has lost letters (a “?” "
            + "inside a word, or �): the table was saved as plain “CSV (Comma delimited)”, which cannot hold every "
            + "Vietnamese letter. \(repaired.prefix(1).uppercased() + repaired.dropFirst()), and save it as "
            + "“CSV UTF-8 (Comma delimited)”",
          at: InputLocation(file: url.lastPathComponent, line: record.line))
      }
    }
    return table
  }

  /// Whether `read` refuses text beyond a table's last column; `records` with a `later` column decides itself.
  public enum ExtraCells: Sendable { case refused, allowed }

  /// What a table with no header is: refused, as for every table the stages cannot do without; or no rows, for
  /// `corrections.csv`, where an empty file says no decision as a missing one does.
  public enum IfEmpty: Sendable { case refused, noRows }

  /// The error for a table with no header: it is empty, and how to take it back.
  static func empty(_ url: URL) -> PipelineError {
    let name = url.lastPathComponent
    let restore =
      generated.contains(name)
      ? "run scripts/update-reference to write it again, or restore it with git checkout -- input/reference/\(name) "
        + "in the checkout"
      : "take it back from its previous version (git checkout -- input/reference/\(name) in the checkout, or a copy "
        + "kept), then make the change again"
    return PipelineError(
      .badInput,
      "reference table \(url.path) is empty (no header, no rows: a save cut short, or the sheet cleared?): \(restore); "
        + "the tables are read from INPUT/reference/ when that folder exists")
  }
}
