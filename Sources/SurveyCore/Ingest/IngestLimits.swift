/// The bounds ingest holds every input file to, so one hostile file cannot exhaust the machine.

/// Size limits for input files; a file past one is set aside with the limit named.
public struct IngestLimits: Sendable {
  /// The largest input file, in bytes (a province's survey is a few MB; a national one about 200 MB).
  public var maxFileBytes: Int
  /// Limits on fields and records passed to the CSV parser.
  public var csv: CSVLimits

  public init(maxFileBytes: Int = 1 << 30, csv: CSVLimits = CSVLimits()) {
    self.maxFileBytes = maxFileBytes
    self.csv = csv
  }
}
