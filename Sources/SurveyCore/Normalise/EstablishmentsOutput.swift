// establishments.csv and its staged-rows companion, written on two threads of
// their own: the stage's second pass decides which rows stand (the dedup
// links) and hands their packed cells over in batches; one thread encodes
// them as CSV lines and writes the CSV, the other encodes the companion's
// records and writes it. Each takes every batch in order, so the files are
// those one thread would write; a batch is reused once both are done with it.

import Foundation

/// Writes counted rows, in the order given, to `establishments.csv` and `establishments.rows`.
final class EstablishmentsOutput: @unchecked Sendable {
  /// One batch of rows: per row, its packed cells' length (`u32`) and the cells; `readers` is how many of
  /// the two writers have still to write it.
  private final class Batch {
    var rows = ByteBuffer(capacity: EstablishmentsOutput.batchBytes + (1 << 12))
    var readers = 0
    deinit { rows.deallocate() }
  }

  private enum Writer: Int, CaseIterable {
    case csv, companion
  }

  private let csv: URL
  private let output: AtomicFileWriter
  private let companion: StagedRowsWriter
  private let condition = NSCondition()
  /// Batches handed over and not yet written, per writer; at most `limit` in flight, so memory stays at a few
  /// megabytes.
  private var queues: [[Batch]] = [[], []]
  private var inFlight = 0
  private var spares: [Batch] = []
  private var closed = false
  private var failure: (any Error)?
  private var finished = 0
  private let limit = 3
  /// The batch being filled on the stage's thread.
  private var batch = Batch()
  fileprivate static let batchBytes = 1 << 20

  init(_ csv: URL) throws {
    self.csv = csv
    output = try AtomicFileWriter(csv)
    try output.write(CSVWriter.line(Establishment.header))
    companion = try StagedRowsWriter(StagedRows.companion(of: csv), header: Establishment.header)
    for writer in Writer.allCases {
      let thread = Thread { [self] in run(writer) }
      thread.name = "establishments \(writer)"
      thread.start()
    }
  }

  /// Adds one counted row's packed cells (`StagedText.appendFields` layout).
  func append(_ packed: UnsafeRawBufferPointer) throws {
    withUnsafeBytes(of: UInt32(packed.count)) { batch.rows.append($0) }
    batch.rows.append(packed)
    if batch.rows.count >= Self.batchBytes { try handOver() }
  }

  /// Writes what is left, waits for the writers, and renames both files into place (the CSV first).
  func commit() throws {
    try handOver()
    condition.lock()
    closed = true
    condition.broadcast()
    while finished < Writer.allCases.count { condition.wait() }
    let failure = failure
    condition.unlock()
    if let failure { throw failure }
    try output.commit()
    try companion.commit(csv: csv)
  }

  /// Stops the writers without committing (the temporary files go with the writers).
  func abandon() {
    condition.lock()
    closed = true
    queues = [[], []]
    condition.broadcast()
    while finished < Writer.allCases.count { condition.wait() }
    condition.unlock()
  }

  private func handOver() throws {
    condition.lock()
    defer { condition.unlock() }
    while inFlight >= limit && failure == nil { condition.wait() }
    if let failure { throw failure }
    batch.readers = Writer.allCases.count
    for writer in Writer.allCases { queues[writer.rawValue].append(batch) }
    inFlight += 1
    batch = spares.popLast() ?? Batch()
    batch.rows.removeAll()
    condition.broadcast()
  }

  /// A writer thread: its batches in order until closed and drained, or the first error of either writer.
  private func run(_ writer: Writer) {
    var line = ByteBuffer(capacity: 1 << 12)
    defer { line.deallocate() }
    while true {
      condition.lock()
      while queues[writer.rawValue].isEmpty && !closed && failure == nil { condition.wait() }
      guard !queues[writer.rawValue].isEmpty, failure == nil else {
        finished += 1
        condition.broadcast()
        condition.unlock()
        return
      }
      let next = queues[writer.rawValue].removeFirst()
      condition.unlock()
      do {
        switch writer {
        case .csv: try writeCSV(next.rows.bytes, line: &line)
        case .companion: try writeCompanion(next.rows.bytes)
        }
      } catch {
        condition.lock()
        if failure == nil { failure = error }
        condition.unlock()
      }
      condition.lock()
      next.readers -= 1
      if next.readers == 0 {
        inFlight -= 1
        spares.append(next)
      }
      condition.broadcast()
      condition.unlock()
    }
  }

  /// Calls `body` with each row's packed cells in `rows`.
  private func forEachRow(_ rows: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
    var position = 0
    while position + 4 <= rows.count {
      let count = Int(rows.loadUnaligned(fromByteOffset: position, as: UInt32.self))
      try body(UnsafeRawBufferPointer(rebasing: rows[(position + 4)..<(position + 4 + count)]))
      position += 4 + count
    }
  }

  private func writeCSV(_ rows: UnsafeRawBufferPointer, line: inout ByteBuffer) throws {
    line.removeAll()
    forEachRow(rows) { fields in
      StagedText.forEachField(fields) { index, field in
        if index > 0 { line.append(0x2C) }
        CSVWriter.appendQuoted(field, to: &line)
      }
      line.append(0x0A)
    }
    try output.write(raw: line.bytes)
  }

  private func writeCompanion(_ rows: UnsafeRawBufferPointer) throws {
    try forEachRow(rows) { fields in
      try companion.appendRecord { append in StagedText.forEachField(fields) { append($1) } }
    }
  }
}
