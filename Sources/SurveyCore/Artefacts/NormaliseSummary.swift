/// What the normalise stage did with the rows of each file, written as `normalise-summary.json`.

/// Row counts of one file (or of all files).
///
/// `rowsIn = counted + duplicates + review + rejected`; possible duplicates,
/// fuzzy matches and corrections are among the counted or reviewed rows.
public struct NormaliseCounts: Codable, Sendable, Equatable {
  public var rowsIn = 0
  public var counted = 0
  public var duplicates = 0
  public var review = 0
  public var rejected = 0
  public var possibleDuplicates = 0
  public var fuzzyMatches = 0
  public var correctionsApplied = 0

  public init() {}

  mutating func add(_ other: NormaliseCounts) {
    rowsIn += other.rowsIn
    counted += other.counted
    duplicates += other.duplicates
    review += other.review
    rejected += other.rejected
    possibleDuplicates += other.possibleDuplicates
    fuzzyMatches += other.fuzzyMatches
    correctionsApplied += other.correctionsApplied
  }

  enum CodingKeys: String, CodingKey {
    case counted, duplicates, review, rejected
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

  public init(from decoder: any Decoder) throws {
    file = try decoder.container(keyedBy: FileKey.self).decode(String.self, forKey: .file)
    counts = try NormaliseCounts(from: decoder)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: FileKey.self)
    try container.encode(file, forKey: .file)
    try counts.encode(to: encoder)
  }

  private enum FileKey: String, CodingKey { case file }
}

/// The normalise stage's account of a run.
public struct NormaliseSummary: Codable, Sendable, Equatable {
  public var files: [NormaliseFileSummary]
  public var total: NormaliseCounts
  /// Rows whose district and commune columns disagree (counted by the district column).
  public var placeConflicts: Int
  /// Values that matched no reference entry but did not stop the row (sectors, needs, numbers, dates, tax codes).
  public var valuesUnread: Int

  public init(files: [NormaliseFileSummary], placeConflicts: Int, valuesUnread: Int) {
    self.files = files
    var total = NormaliseCounts()
    for file in files { total.add(file.counts) }
    self.total = total
    self.placeConflicts = placeConflicts
    self.valuesUnread = valuesUnread
  }

  enum CodingKeys: String, CodingKey {
    case files, total
    case placeConflicts = "place_conflicts"
    case valuesUnread = "values_unread"
  }
}
