/// Where ingest puts the rows it passes on: `ingested.csv`, and `ingested.rows`, its binary companion.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The staged CSV and its companion, written side by side: the same records, the same rolls back.
///
/// The companion says where each cell of the CSV lies, so that normalise reads the CSV's records without
/// parsing it (see `StagedRows`).
final class StagedOutput {
  let csv: CSVWriter
  let rows: StagedRowsWriter
  private let csvURL: URL

  /// Starts both files in `runDirectory`, with the header `FormSchema.stagedHeader`.
  init(runDirectory: URL) throws {
    csvURL = runDirectory.appendingPathComponent(ArtefactName.ingested)
    csv = try CSVWriter(csvURL, header: FormSchema.stagedHeader)
    rows = try StagedRowsWriter(StagedRows.companion(of: csvURL), header: FormSchema.stagedHeader)
  }

  /// Where both files stand, for `rollBack(to:)`.
  struct Mark {
    fileprivate var csv: CSVWriter.Mark
    fileprivate var rows: StagedRowsWriter.Mark
  }

  /// The current end of both files.
  func mark() -> Mark { Mark(csv: csv.mark(), rows: rows.mark()) }

  /// Cuts both files back to `mark`: a set-aside input's rows, say.
  func rollBack(to mark: Mark) throws {
    try csv.rollBack(to: mark.csv)
    try rows.rollBack(to: mark.rows)
  }

  /// Appends `count` rows encoded as CSV lines (as `CSVWriter.line(_:)` writes them), and their companion
  /// records, which `fields` noted as the lines were written; `fields` is left empty.
  func append(encodedRows bytes: UnsafeRawBufferPointer, count: Int, fields: inout StagedRowsBatch) throws {
    precondition(fields.count == count, "\(count) rows for the CSV, \(fields.count) for its companion")
    try csv.append(encodedRows: bytes, count: count)
    try rows.append(&fields)
  }

  /// Renames the CSV into place, then seals the companion with its size and renames it into place.
  ///
  /// A companion from an earlier ingest into the same folder is removed first, so that no moment sees the new
  /// CSV beside the old companion (a reader would pass it over anyway, as older than the CSV).
  func commit() throws {
    let companion = StagedRows.companion(of: csvURL)
    if unlink(companion.path) != 0 && errno != ENOENT {
      throw PipelineError(.io, "cannot remove the old \(companion.path): \(String(cString: strerror(errno)))")
    }
    // Not flushed to disk: `ingested.csv` is this run's hand-off to normalise. A crash before the run is complete
    // leaves no manifest and `latest` where it was, and the next run ingests again from input/, so a flush of
    // the whole copy (50 ms of ingest's 0.9 s at 1M rows) buys nothing.
    try csv.commit(synchronize: false)
    try rows.commit(csv: csvURL)
  }
}
