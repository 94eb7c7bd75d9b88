/// Parsing a file on a second thread: reading, transcoding and libcsv there, while the ingesting thread
/// classifies and writes the records of the chunks already parsed, and hashes the bytes they came from (each
/// batch carries them: `InputBytes.hash(_:at:)`).
///
/// Batches go through the pipe in order, so the result is the same as parsing on one thread; a parse error
/// arrives after the records completed before it, as `CSVStreamParser.parseRaw` delivers them.
import Foundation

/// A bounded, ordered hand-over of record batches from one producer thread to one consumer.
final class ParsePipe: @unchecked Sendable {
  private let condition = NSCondition()
  /// Batches are made as the producer needs them, up to `limit`: a small file needs one or two.
  private let limit: Int
  private var made = 0
  private var spares: [CSVRecordBatch] = []
  private var ready: [CSVRecordBatch] = []
  private var ended = false
  private var failure: (any Error)?
  private var cancelled = false
  /// Who is waiting, so that a hand-over wakes a thread only when one waits (each wake-up costs a switch).
  private var producerWaits = false
  private var consumerWaits = false

  /// - Parameter batches: how many batches may be in flight (parsed or being parsed, not yet read back).
  init(batches: Int) {
    limit = batches
  }

  /// For the producer: a batch to fill, waiting for one to come back; nil once the consumer has stopped.
  func spare() -> CSVRecordBatch? {
    condition.lock()
    defer { condition.unlock() }
    if spares.isEmpty && made < limit && !cancelled {
      made += 1
      return CSVRecordBatch()
    }
    while spares.isEmpty && !cancelled {
      producerWaits = true
      condition.wait()
      producerWaits = false
    }
    return cancelled ? nil : spares.removeLast()
  }

  /// For the producer: a filled batch, next in order.
  func send(_ batch: CSVRecordBatch) {
    condition.lock()
    ready.append(batch)
    if consumerWaits { condition.broadcast() }
    condition.unlock()
  }

  /// For the producer: no more batches, and why if it stopped early.
  func end(_ error: (any Error)?) {
    condition.lock()
    ended = true
    failure = error
    condition.broadcast()
    condition.unlock()
  }

  /// For the consumer: the next batch, nil at the end; rethrows the producer's error after the batches before it.
  func receive() throws -> CSVRecordBatch? {
    condition.lock()
    defer { condition.unlock() }
    while ready.isEmpty && !ended {
      consumerWaits = true
      condition.wait()
      consumerWaits = false
    }
    if !ready.isEmpty { return ready.removeFirst() }
    if let failure { throw failure }
    return nil
  }

  /// For the consumer: a batch read to the end, for the producer to fill again.
  func recycle(_ batch: CSVRecordBatch) {
    condition.lock()
    spares.append(batch)
    if producerWaits { condition.broadcast() }
    condition.unlock()
  }

  /// For the consumer: stop the producer at its next batch.
  func cancel() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
  }
}

/// What the producer thread works with; only it touches them until the consumer has waited for it.
struct ParseJob: @unchecked Sendable {
  let input: InputBytes
  let parser: CSVStreamParser
  let transcoder: Transcoder?
  let byteOrderMark: Int

  /// Parses the file from the start into batches sent through `pipe`, then ends it.
  func run(into pipe: ParsePipe) {
    do {
      try input.restart()
      var first = true
      while var piece = try input.nextPiece() {
        let (source, offset) = (piece, input.pieceOffset)
        if first {
          piece = UnsafeRawBufferPointer(rebasing: piece.dropFirst(min(byteOrderMark, piece.count)))
          first = false
        }
        let sent = try fill(pipe) { batch in
          batch.keepSource(source, at: offset)
          if let transcoder {
            try transcoder.convert(Array(piece)).withUnsafeBytes { try parser.parse($0, into: batch) }
          } else {
            try parser.parse(piece, into: batch)
          }
        }
        guard sent else { return }
      }
      if let tail = transcoder?.convert([], final: true), !tail.isEmpty {
        guard try fill(pipe, { batch in try tail.withUnsafeBytes { try parser.parse($0, into: batch) } }) else {
          return
        }
      }
      guard try fill(pipe, { try parser.finish(into: $0) }) else { return }
      pipe.end(nil)
    } catch {
      pipe.end(error)
    }
  }

  /// Fills a spare batch with `body` and sends it, also when `body` throws (the batch then holds the records
  /// completed before the trouble); false, sending nothing, once the consumer has stopped.
  private func fill(_ pipe: ParsePipe, _ body: (CSVRecordBatch) throws -> Void) throws -> Bool {
    guard let batch = pipe.spare() else { return false }
    defer { pipe.send(batch) }
    batch.forgetSource()
    try body(batch)
    return true
  }
}
