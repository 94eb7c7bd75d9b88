/// What the normalise stage did with each file's rows, written as `normalise-summary.json`.

/// The normalise stage's counts for one input file (or, as `totals`, for the run).
public struct NormaliseCounts: Codable, Sendable, Equatable {
  /// Rows ingest passed on.
  public var rowsIn: Int = 0
  /// Rows counted as establishments (kept rows of merged duplicates included).
  public var counted: Int = 0
  /// Rows superseded by a later answer for the same tax code.
  public var duplicates: Int = 0
  /// Rows held back for an analyst (ambiguous or unknown place, ...).
  public var review: Int = 0
  /// Rows rejected with a reason (no name, unknown type, outside the province, ...).
  public var rejected: Int = 0
  /// Counted rows listed as possible duplicates (no tax code, same name and place).
  public var possibleDuplicates: Int = 0
  /// Places resolved by a bounded fuzzy match.
  public var fuzzyMatches: Int = 0
  /// Values settled by the analysts' corrections file.
  public var correctionsApplied: Int = 0
  /// Counted rows with a remark in establishments.csv's `problems` column that asks for attention (a value not
  /// read or left out, a place noted); not a row whose only remark is the place note of an analyst's decision
  /// (an entry of corrections.csv placed it), which keeps the note; nil for none, and in summaries written before
  /// it was counted.
  public var remarked: Int?
  /// Of the rejected rows, those an analyst decided lie outside the province (`outside` in corrections.csv):
  /// settled, so they wait for no one; nil for none, and in summaries written before they were told apart.
  public var decidedOutside: Int?
  /// Of the duplicates, those merged by tax code into a row in another district: the same code under two
  /// districts may be a mistyped code joining two establishments, so duplicates.csv says so and the report counts
  /// them; nil for none, and in summaries written before they were counted.
  public var duplicatesAcrossDistricts: Int?

  public init() {}

  /// Rejected rows that wait for someone to fix them (those decided to lie outside do not).
  public var rejectedToFix: Int { rejected - (decidedOutside ?? 0) }

  enum CodingKeys: String, CodingKey {
    case counted, duplicates, review, rejected, remarked
    case decidedOutside = "decided_outside"
    case duplicatesAcrossDistricts = "duplicates_across_districts"
    case rowsIn = "rows_in"
    case possibleDuplicates = "possible_duplicates"
    case fuzzyMatches = "fuzzy_matches"
    case correctionsApplied = "corrections_applied"
  }
}

/// One file's counts.
public struct NormaliseFileSummary: Codable, Sendable, Equatable {
  public var file: String
  public var counts: NormaliseCounts

  public init(file: String, counts: NormaliseCounts) {
    self.file = file
    self.counts = counts
  }
}

/// A line of the corrections file that settled no row in the run.
public struct UnusedCorrection: Codable, Sendable, Equatable {
  /// Its line in the corrections file.
  public var line: Int
  public var column: String
  public var written: String
  public var means: String
  public var sourceFile: String?
  /// The establishment's name the entry gives (`duplicate` only).
  public var name: String?
  public var reason: UnusedReason
  /// For `name_differs`: the row whose name is not the entry's, and its name.
  public var foundRow: String?
  public var foundName: String?

  public init(_ correction: Correction, reason: UnusedReason, found: FoundRow? = nil) {
    line = correction.location.line
    column = correction.column
    written = correction.written
    means = correction.means
    sourceFile = correction.sourceFile
    name = correction.name
    self.reason = reason
    foundRow = found?.row
    foundName = found?.name
  }

  enum CodingKeys: String, CodingKey {
    case line, column, written, means, name, reason
    case sourceFile = "source_file"
    case foundRow = "found_row"
    case foundName = "found_name"
  }
}

/// A file most of whose rows duplicate rows of another file (or of itself, when `other` is `file`).
public struct FileOverlap: Codable, Sendable, Equatable {
  public var file: String
  public var other: String
  /// Rows of `file` linked to rows of `other` in duplicates.csv (either way).
  public var rows: Int
  /// Rows of `file` that reached deduplication (counted or merged).
  public var of: Int
  /// Of `rows`, the possible duplicates: rows without a tax code, each counted in both files.
  public var countedTwice: Int

  public init(file: String, other: String, rows: Int, of: Int, countedTwice: Int) {
    (self.file, self.other, self.rows, self.of, self.countedTwice) = (file, other, rows, of, countedTwice)
  }

  enum CodingKeys: String, CodingKey {
    case file, other, rows, of
    case countedTwice = "counted_twice"
  }
}

/// The normalise stage's account of the run: rows_in = counted + duplicates + review + rejected, per file.
public struct NormaliseSummary: Codable, Sendable, Equatable {
  public var files: [NormaliseFileSummary]
  public var totals: NormaliseCounts
  /// The corrections entries that settled no row (absent when every entry did, and in older summaries).
  public var unusedCorrections: [UnusedCorrection]?
  /// Files that share most of their rows with another (absent when none does, and in older summaries).
  public var fileOverlaps: [FileOverlap]?

  public init(
    files: [NormaliseFileSummary], totals: NormaliseCounts, unusedCorrections: [UnusedCorrection]? = nil,
    fileOverlaps: [FileOverlap]? = nil
  ) {
    self.files = files
    self.totals = totals
    self.unusedCorrections = unusedCorrections
    self.fileOverlaps = fileOverlaps
  }

  enum CodingKeys: String, CodingKey {
    case files, totals
    case unusedCorrections = "unused_corrections"
    case fileOverlaps = "file_overlaps"
  }

  /// The files of `fileOverlaps` with establishments counted twice (rows without a tax code repeated), each once:
  /// these need an analyst; an overlap merged by tax codes alone is only said.
  public var filesCountedTwice: Int {
    Set((fileOverlaps ?? []).filter { $0.countedTwice > 0 }.map(\.file)).count
  }
}
