// Reads a small reference CSV (a file the department edits) into rows by column name.

import Foundation

/// Loader for the hand-editable tables of input/reference/.
public enum ReferenceTable {
  /// The rows of `url` with their physical lines, each as column → trimmed cell.
  ///
  /// Throws when the file is missing or a required column is not in its header,
  /// naming the file, so the department knows which table to fix.
  public static func records(of url: URL, requiring columns: [String]) throws -> [(line: Int, row: [String: String])] {
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw PipelineError(
        .missingInput, "reference table \(url.path) is missing: run scripts/update-reference or restore it")
    }
    let table = try CSVFile.readTable(url)
    for column in columns { _ = try table.index(of: column) }
    return table.rows.map { record in
      var row: [String: String] = [:]
      for (index, column) in table.columns.enumerated() { row[column] = table.value(record, index) }
      return (record.line, row)
    }
  }

  /// The rows of `url`, each as column → trimmed cell.
  public static func rows(of url: URL, requiring columns: [String]) throws -> [[String: String]] {
    try records(of: url, requiring: columns).map(\.row)
  }
}
