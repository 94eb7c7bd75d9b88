/// What the ingest stage found in each input file, written as `ingest-summary.json`.

/// The ingest stage's account of one input file.
public struct IngestFileSummary: Codable, Sendable, Equatable {
  /// What became of the file as a whole.
  public enum Status: String, Codable, Sendable {
    /// Rows were read and accounted for.
    case ingested
    /// No data rows (empty, or a header alone): reported, not an error.
    case empty
    /// Malformed as a whole (unterminated quote, binary, no recognisable header, letters lost in a save): none of
    /// its rows is used.
    case setAside = "set_aside"
  }

  public var file: String
  public var status: Status
  public var bytes: Int
  /// SHA-256 of the file's bytes (hex), to tell new and changed inputs from those seen before.
  public var sha256: String?
  public var encoding: String?
  public var delimiter: String?
  /// The physical line of the header row (for a two-row header, the lower row).
  public var headerLine: Int?
  /// Form column key → the header as written in the file.
  public var mapping: [String: String]
  /// Headers that match no form column, kept visible for the analyst.
  public var unknownColumns: [String]
  /// Money column key → the unit its header states (`MoneyUnit`'s raw value), for those whose header states one
  /// other than the form's million VND: normalise converts their amounts from it. Nil when none does, as in
  /// summaries older than it.
  public var moneyUnits: [String: String]?
  public var rowsRead: Int
  public var rowsPassed: Int
  public var rowsSkippedBlank: Int
  public var rowsSkippedTotals: Int
  /// Rows of a signature block under the table (`SignatureBlock`): its headings, and the signers' names below
  /// them when the block ends the file. Written only when not 0, so a summary without it, older or not, reads 0.
  public var rowsSkippedSignature: Int {
    get { skippedSignature ?? 0 }
    set { skippedSignature = newValue == 0 ? nil : newValue }
  }
  private var skippedSignature: Int?
  public var rowsRejected: Int
  /// Why the file was set aside or is empty, with what to do (in English, as the log says it).
  public var problem: String?
  /// The same as data, for the report to word in its language; nil in summaries older than it.
  public var problemDetail: FileProblem?
  /// The line where the problem starts, for a set-aside file.
  public var problemLine: Int?
  /// Things an analyst should know that did not stop the file (a missing optional column, ...).
  public var warnings: [String]
  /// The same as data, one for each warning; nil in summaries older than it.
  public var warningDetails: [FileProblem]?

  public init(file: String, bytes: Int) {
    self.file = file
    self.status = .ingested
    self.bytes = bytes
    self.mapping = [:]
    self.unknownColumns = []
    self.warnings = []
    self.rowsRead = 0
    self.rowsPassed = 0
    self.rowsSkippedBlank = 0
    self.rowsSkippedTotals = 0
    self.rowsRejected = 0
  }

  /// The money columns whose amounts normalise converts to million VND, as their headers are written, with the unit
  /// each states: none for a file not ingested, or whose headers state the form's unit or one that is not read (a
  /// unit not read is the file's warning). The report's data quality and normalise's log say them alike.
  public var moneyConversions: [(header: String, unit: MoneyUnit)] {
    guard status == .ingested, let moneyUnits else { return [] }
    return MoneyUnit.columns.compactMap { column in
      guard let unit = moneyUnits[column].flatMap(MoneyUnit.init(rawValue:)), unit != .unknown, unit != .millionVND
      else { return nil }
      return (mapping[column] ?? column, unit)
    }
  }

  /// The rows skipped and counted: blank, totals, and a signature block's.
  public var rowsSkipped: Int { rowsSkippedBlank + rowsSkippedTotals + rowsSkippedSignature }

  /// Records why the file was set aside or is empty, in English and as data.
  public mutating func record(_ problem: FileProblem) {
    self.problem = problem.english
    problemDetail = problem
  }

  /// Adds a warning, in English and as data.
  public mutating func warn(_ warning: FileProblem) {
    warnings.append(warning.english)
    warningDetails = (warningDetails ?? []) + [warning]
  }

  enum CodingKeys: String, CodingKey {
    case file, status, bytes, sha256, encoding, delimiter, mapping, problem, warnings
    case headerLine = "header_line"
    case unknownColumns = "unknown_columns"
    case moneyUnits = "money_units"
    case rowsRead = "rows_read"
    case rowsPassed = "rows_passed"
    case rowsSkippedBlank = "rows_skipped_blank"
    case rowsSkippedTotals = "rows_skipped_totals"
    case skippedSignature = "rows_skipped_signature"
    case rowsRejected = "rows_rejected"
    case problemLine = "problem_line"
    case problemDetail = "problem_detail"
    case warningDetails = "warning_details"
  }
}

/// The ingest stage's account of a whole input folder.
public struct IngestSummary: Codable, Sendable, Equatable {
  public var files: [IngestFileSummary]
  /// The SHA-256 of each reference table read this run, by file name (`ReferenceTable.survey`); nil in
  /// summaries older than it.
  public var referenceTables: [String: String]?
  /// Files in the reference folder that look like a table but are read by no stage; nil for none.
  public var referenceFilesNotRead: [String]?
  /// Folders inside the input folder that hold files (the reference folder aside): nothing in them is read, so
  /// they are said; nil for none.
  public var foldersNotRead: [String]?

  enum CodingKeys: String, CodingKey {
    case files
    case referenceTables = "reference_tables"
    case referenceFilesNotRead = "reference_files_not_read"
    case foldersNotRead = "folders_not_read"
  }

  public init(files: [IngestFileSummary]) { self.files = files }

  public var rowsRead: Int { files.reduce(0) { $0 + $1.rowsRead } }
  public var rowsPassed: Int { files.reduce(0) { $0 + $1.rowsPassed } }
  public var rowsSkipped: Int { files.reduce(0) { $0 + $1.rowsSkipped } }
  /// Of `rowsSkipped`, the rows of signature blocks.
  public var rowsSkippedSignature: Int { files.reduce(0) { $0 + $1.rowsSkippedSignature } }
  public var rowsRejected: Int { files.reduce(0) { $0 + $1.rowsRejected } }
  public var filesSetAside: Int { files.filter { $0.status == .setAside }.count }
}
