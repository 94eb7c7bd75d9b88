// establishments.csv and its staged-rows companion, written on a thread of
// their own: the stage's second pass decides which rows stand (the dedup
// links) and hands their packed cells over in batches; this thread encodes
// them as CSV lines and companion records and writes both files. Batches
// keep their order, so the files are those one thread would write.

import Foundation

/// Writes counted rows, in the order given, to `establishments.csv` and `establishments.rows`.
final class EstablishmentsOutput: @unchecked Sendable {
  private let csv: URL
  private let output: AtomicFileWriter
  private let companion: StagedRowsWriter
  private let condition = NSCondition()
  /// Batches handed over and not yet written; at most `limit` wait, so memory stays at a few megabytes.
  private var queue: [ByteBuffer] = []
  private var spares: [ByteBuffer] = []
  private var closed = false
  private var failure: (any Error)?
  private var finished = false
  private let limit = 3
  /// The batch being filled on the stage's thread: per row, its packed cells' length (`u32`) and the cells.
  private var batch = ByteBuffer(capacity: 1 << 20)
  private static let batchBytes = 1 << 20

  init(_ csv: URL) throws {
    self.csv = csv
    output = try AtomicFileWriter(csv)
    try output.write(CSVWriter.line(Establishment.header))
    companion = try StagedRowsWriter(StagedRows.companion(of: csv), header: Establishment.header)
    let thread = Thread { [self] in run() }
    thread.name = "establishments writer"
    thread.start()
  }

  deinit {
    batch.deallocate()
    for buffer in queue + spares { buffer.deallocate() }
  }

  /// Adds one counted row's packed cells (`StagedText.appendFields` layout).
  func append(_ packed: UnsafeRawBufferPointer) throws {
    withUnsafeBytes(of: UInt32(packed.count)) { batch.append($0) }
    batch.append(packed)
    if batch.count >= Self.batchBytes { try handOver() }
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
    queue.forEach { $0.deallocate() }
    queue.removeAll()
    condition.broadcast()
    while !finished { condition.wait() }
    condition.unlock()
  }

  private func handOver() throws {
    condition.lock()
    defer { condition.unlock() }
    while queue.count >= limit && failure == nil { condition.wait() }
    if let failure { throw failure }
    queue.append(batch)
    batch = spares.popLast() ?? ByteBuffer(capacity: Self.batchBytes + (1 << 12))
    batch.removeAll()
    condition.broadcast()
  }

  /// The writer thread: batches in order until closed and drained, or the first error.
  private func run() {
    var line = ByteBuffer(capacity: 1 << 12)
    defer { line.deallocate() }
    while true {
      condition.lock()
      while queue.isEmpty && !closed { condition.wait() }
      guard !queue.isEmpty, failure == nil else {
        finished = true
        condition.broadcast()
        condition.unlock()
        return
      }
      let next = queue.removeFirst()
      condition.unlock()
      do {
        try write(next.bytes, line: &line)
      } catch {
        condition.lock()
        failure = error
        condition.unlock()
      }
      condition.lock()
      spares.append(next)
      condition.broadcast()
      condition.unlock()
    }
  }

  private func write(_ rows: UnsafeRawBufferPointer, line: inout ByteBuffer) throws {
    var position = 0
    while position + 4 <= rows.count {
      let count = Int(rows.loadUnaligned(fromByteOffset: position, as: UInt32.self))
      let fields = UnsafeRawBufferPointer(rebasing: rows[(position + 4)..<(position + 4 + count)])
      position += 4 + count
      line.removeAll()
      StagedText.forEachField(fields) { index, field in
        if index > 0 { line.append(0x2C) }
        CSVWriter.appendQuoted(field, to: &line)
      }
      line.append(0x0A)
      try companion.appendRecord { append in StagedText.forEachField(fields) { append($1) } }
      try output.write(raw: line.bytes)
    }
  }
}
