// establishments.csv and its staged-rows companion, written by threads of
// their own: the stage's second pass decides which rows stand (the dedup
// links) and hands their packed cells over in batches; two encoders take
// batches in turn, each encoding its batch as CSV lines and noting where each
// cell lies for the companion, and write them to both files in the batches'
// order, so the files are those one thread would write.

import Foundation

/// Writes counted rows, in the order given, to `establishments.csv` and `establishments.rows`.
final class EstablishmentsOutput: @unchecked Sendable {
  /// One batch of rows: per row, its packed cells' length (`u32`) and the cells; `sequence` is its place in
  /// the files.
  private final class Batch {
    // Unchecked: the stage's thread fills a batch before handing it over under the lock, and an encoder reads
    // it after; the runtime's checks were two per row.
    @exclusivity(unchecked) var rows = ByteBuffer(capacity: EstablishmentsOutput.batchBytes + (1 << 12))
    var sequence = 0
    deinit { rows.deallocate() }
  }

  private let csv: URL
  private let output: AtomicFileWriter
  private let companion: StagedRowsWriter
  private let condition = NSCondition()
  /// Batches handed over and not yet taken by an encoder; with those being encoded, at most `limit`, so memory
  /// stays at a few megabytes.
  private var queue: [Batch] = []
  private var inFlight = 0
  private var spares: [Batch] = []
  private var closed = false
  private var failure: (any Error)?
  /// Encoders that have stopped.
  private var finished = 0
  private static let encoders = 2
  private let limit = 4
  /// The next batch's `sequence`, and the sequence of the batch whose turn it is to be written.
  private var handedOver = 0
  private var nextToWrite = 0
  /// The rows being filled on the stage's thread (only that thread touches them, so unchecked), in a buffer of
  /// the output's own rather than a batch's: reaching a batch for each row retained and released it, three times.
  @exclusivity(unchecked) private var filling = ByteBuffer(capacity: EstablishmentsOutput.batchBytes + (1 << 12))
  fileprivate static let batchBytes = 1 << 20

  init(_ csv: URL) throws {
    self.csv = csv
    output = try AtomicFileWriter(csv)
    try output.write(CSVWriter.line(Establishment.header))
    companion = try StagedRowsWriter(StagedRows.companion(of: csv), header: Establishment.header)
    for encoder in 0..<Self.encoders {
      let thread = Thread { [self] in run() }
      thread.name = "establishments \(encoder)"
      thread.start()
    }
  }

  deinit { filling.deallocate() }

  /// Adds one counted row's packed cells (`StagedText.appendFields` layout).
  func append(_ packed: UnsafeRawBufferPointer) throws {
    withUnsafeBytes(of: UInt32(packed.count)) { filling.append($0) }
    filling.append(packed)
    if filling.count >= Self.batchBytes { try handOver() }
  }

  /// Writes what is left, waits for the encoders, and renames both files into place (the CSV first).
  ///
  /// Neither is synced to disk (`AtomicFileWriter.commit(synchronize:)`). At a million rows on a disk of about
  /// 500 MB/s, the sync of the CSV's 190 MB, or of any small file after it (ext4 writes a file's allocated blocks
  /// before the journal commit that a later sync waits for), kept the stage waiting 0.13–0.22 s at its end.
  func commit() throws {
    try handOver()
    condition.lock()
    closed = true
    condition.broadcast()
    while finished < Self.encoders { condition.wait() }
    let failure = failure
    condition.unlock()
    if let failure { throw failure }
    try output.commit(synchronize: false)
    try companion.commit(csv: csv)
  }

  /// Stops the encoders and removes the temporary files, unless committed.
  func abandon() {
    condition.lock()
    closed = true
    queue = []
    condition.broadcast()
    while finished < Self.encoders { condition.wait() }
    condition.unlock()
    output.discard()
    companion.discard()
  }

  private func handOver() throws {
    condition.lock()
    defer { condition.unlock() }
    while inFlight >= limit && failure == nil { condition.wait() }
    if let failure { throw failure }
    guard filling.count > 0 else { return }
    // A spare's rows were written; its buffer and the one filled trade places.
    let batch = spares.popLast() ?? Batch()
    batch.rows.removeAll()
    swap(&batch.rows, &filling)
    batch.sequence = handedOver
    handedOver += 1
    queue.append(batch)
    inFlight += 1
    condition.broadcast()
  }

  /// An encoder thread: takes the next batch, encodes it, waits for its turn and writes it, until closed and
  /// drained, or the first error of any encoder.
  private func run() {
    var lines = ByteBuffer(capacity: Self.batchBytes + (1 << 16))
    var fields = StagedRowsBatch()
    defer {
      lines.deallocate()
      fields.deallocate()
    }
    while true {
      condition.lock()
      while queue.isEmpty && !closed && failure == nil { condition.wait() }
      guard !queue.isEmpty, failure == nil else {
        finished += 1
        condition.broadcast()
        condition.unlock()
        return
      }
      let next = queue.removeFirst()
      condition.unlock()
      encode(next.rows.bytes, lines: &lines, fields: &fields)
      condition.lock()
      while nextToWrite != next.sequence && failure == nil { condition.wait() }
      let failed = failure != nil
      condition.unlock()
      var error: (any Error)?
      if !failed {
        do {
          try output.write(raw: lines.bytes)
          try companion.append(&fields)
        } catch let thrown {
          error = thrown
        }
      }
      fields.removeAll()
      condition.lock()
      if let error, failure == nil { failure = error }
      nextToWrite += 1
      inFlight -= 1
      spares.append(next)
      condition.broadcast()
      condition.unlock()
    }
  }

  /// Encodes each row's packed cells in `rows` as a CSV line in `lines`, noting the cells in `fields`.
  private func encode(_ rows: UnsafeRawBufferPointer, lines: inout ByteBuffer, fields: inout StagedRowsBatch) {
    lines.removeAll()
    var position = 0
    while position + 4 <= rows.count {
      let count = Int(rows.loadUnaligned(fromByteOffset: position, as: UInt32.self))
      fields.appendPackedRecord(
        UnsafeRawBufferPointer(rebasing: rows[(position + 4)..<(position + 4 + count)]), to: &lines)
      position += 4 + count
    }
  }
}
