// establishments.csv and its staged-rows companion, written on a thread of
// their own: the stage's second pass decides which rows stand (the dedup
// links) and hands their packed cells over in batches; the writer encodes
// each batch as CSV lines, noting where each cell lies for the companion,
// and writes both files, batch after batch in order.

import Foundation

/// Writes counted rows, in the order given, to `establishments.csv` and `establishments.rows`.
final class EstablishmentsOutput: @unchecked Sendable {
  /// One batch of rows: per row, its packed cells' length (`u32`) and the cells.
  private final class Batch {
    var rows = ByteBuffer(capacity: EstablishmentsOutput.batchBytes + (1 << 12))
    deinit { rows.deallocate() }
  }

  private let csv: URL
  private let output: AtomicFileWriter
  private let companion: StagedRowsWriter
  private let condition = NSCondition()
  /// Batches handed over and not yet written; with the one being written, at most `limit`, so memory stays at
  /// a few megabytes.
  private var queue: [Batch] = []
  private var inFlight = 0
  private var spares: [Batch] = []
  private var closed = false
  private var failure: (any Error)?
  private var finished = false
  private let limit = 3
  /// The batch being filled on the stage's thread.
  private var batch = Batch()
  fileprivate static let batchBytes = 1 << 20

  init(_ csv: URL) throws {
    self.csv = csv
    output = try AtomicFileWriter(csv)
    try output.write(CSVWriter.line(Establishment.header))
    companion = try StagedRowsWriter(StagedRows.companion(of: csv), header: Establishment.header)
    let thread = Thread { [self] in run() }
    thread.name = "establishments"
    thread.start()
  }

  /// Adds one counted row's packed cells (`StagedText.appendFields` layout).
  func append(_ packed: UnsafeRawBufferPointer) throws {
    withUnsafeBytes(of: UInt32(packed.count)) { batch.rows.append($0) }
    batch.rows.append(packed)
    if batch.rows.count >= Self.batchBytes { try handOver() }
  }

  /// Writes what is left, waits for the writer, and renames both files into place (the CSV first).
  func commit() throws {
    try handOver()
    condition.lock()
    closed = true
    condition.broadcast()
    while !finished { condition.wait() }
    let failure = failure
    condition.unlock()
    if let failure { throw failure }
    try output.commit()
    try companion.commit(csv: csv)
  }

  /// Stops the writer without committing (the temporary files go with the writers).
  func abandon() {
    condition.lock()
    closed = true
    queue = []
    condition.broadcast()
    while !finished { condition.wait() }
    condition.unlock()
  }

  private func handOver() throws {
    condition.lock()
    defer { condition.unlock() }
    while inFlight >= limit && failure == nil { condition.wait() }
    if let failure { throw failure }
    queue.append(batch)
    inFlight += 1
    batch = spares.popLast() ?? Batch()
    batch.rows.removeAll()
    condition.broadcast()
  }

  /// The writer thread: batches in order until closed and drained, or the first error.
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
        finished = true
        condition.broadcast()
        condition.unlock()
        return
      }
      let next = queue.removeFirst()
      condition.unlock()
      do {
        try write(next.rows.bytes, lines: &lines, fields: &fields)
      } catch {
        condition.lock()
        if failure == nil { failure = error }
        condition.unlock()
      }
      condition.lock()
      inFlight -= 1
      spares.append(next)
      condition.broadcast()
      condition.unlock()
    }
  }

  /// Encodes each row's packed cells in `rows` as a CSV line, and writes the lines and their companion block.
  private func write(_ rows: UnsafeRawBufferPointer, lines: inout ByteBuffer, fields: inout StagedRowsBatch) throws {
    lines.removeAll()
    var position = 0
    while position + 4 <= rows.count {
      let count = Int(rows.loadUnaligned(fromByteOffset: position, as: UInt32.self))
      let packed = UnsafeRawBufferPointer(rebasing: rows[(position + 4)..<(position + 4 + count)])
      StagedText.forEachField(packed) { _, field in fields.appendCell(field, to: &lines) }
      fields.endRecord(&lines)
      position += 4 + count
    }
    try output.write(raw: lines.bytes)
    try companion.append(&fields)
  }
}
