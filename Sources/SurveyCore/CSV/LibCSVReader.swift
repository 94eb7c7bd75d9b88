/// A minimal streaming wrapper around libcsv, the only file that touches its C API.
///
/// libcsv runs in strict mode (`CSV_STRICT`, `CSV_STRICT_FINI`) so an unterminated quote is an error, and with
/// `CSV_REPALL_NL` so every unquoted CR and LF is reported: libcsv keeps no line numbers and drops blank lines,
/// so the line bookkeeping here is ours. A record's line is the physical line (LF, CRLF or a lone CR ends a
/// line) on which its first field starts; line breaks inside quoted fields move later records down.
import CLibCSV

/// One record of a CSV file: the 1-based physical line where it starts and its fields.
public struct CSVRecord: Sendable, Equatable {
  public var line: Int
  public var fields: [String]
  /// True when some field held bytes that are not UTF-8; those bytes read as U+FFFD in `fields`.
  public var hasInvalidUTF8: Bool

  public init(line: Int, fields: [String], hasInvalidUTF8: Bool = false) {
    self.line = line
    self.fields = fields
    self.hasInvalidUTF8 = hasInvalidUTF8
  }

  /// True when the record has no fields or only empty or blank ones.
  public var isBlank: Bool {
    fields.allSatisfy(TextFolding.isBlank)
  }
}

/// Limits that keep a hostile file from taking unbounded memory.
public struct CSVLimits: Sendable {
  /// The largest field, in bytes.
  public var maxFieldBytes: Int
  /// The most fields in one record.
  public var maxFields: Int

  public init(maxFieldBytes: Int = 1 << 20, maxFields: Int = 1_000) {
    self.maxFieldBytes = maxFieldBytes
    self.maxFields = maxFields
  }
}

/// A push parser: feed it chunks of UTF-8 bytes, it hands back complete records.
public final class CSVStreamParser {
  private var parser = csv_parser()
  /// The callbacks' state, reached through libcsv's `void *data` as a plain pointer: no reference counting or
  /// exclusivity bookkeeping on each of the millions of fields.
  private let sink: UnsafeMutablePointer<RecordSink>
  private let file: String
  private var failed = false

  /// - Parameters:
  ///   - delimiter: the field separator byte (`,`, `;` or tab).
  ///   - file: the file name used in error messages.
  public init(delimiter: UInt8, file: String, limits: CSVLimits = CSVLimits()) throws {
    self.file = file
    sink = .allocate(capacity: 1)
    sink.initialize(to: RecordSink(limits: limits))
    guard csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)) == 0 else {
      throw PipelineError(.io, "cannot start the CSV parser (out of memory)", at: InputLocation(file: file, line: 1))
    }
    csv_set_delim(&parser, delimiter)
  }

  deinit {
    csv_free(&parser)
    sink.pointee.store.deallocate()
    sink.deinitialize(count: 1)
    sink.deallocate()
  }

  /// Parses the next chunk and passes every record it completes to `body`, in order.
  public func parse(_ bytes: [UInt8], _ body: (CSVRecord) throws -> Void) throws {
    try bytes.withUnsafeBytes { chunk in try parseRaw(chunk) { try body($0.record) } }
  }

  /// Parses the next chunk and passes every record it completes to `body` as bytes, without making a String.
  ///
  /// The record (and every field buffer it hands out) is valid only during its call of `body`.
  func parseRaw(_ chunk: UnsafeRawBufferPointer, _ body: (CSVRawRecord) throws -> Void) throws {
    guard !failed, chunk.count > 0 else { return }
    let problem = step(chunk)
    // Records completed before any trouble are handed over first, so a caller sees how far the file went.
    try sink.pointee.drain(body)
    if let problem {
      failed = true
      throw problem
    }
  }

  /// Parses the next chunk into `batch` (emptied first): the records it completes, for reading on another
  /// thread while this parser goes on. On trouble, `batch` holds the records completed before it.
  func parse(_ chunk: UnsafeRawBufferPointer, into batch: CSVRecordBatch) throws {
    let problem = failed || chunk.count == 0 ? nil : step(chunk)
    sink.pointee.detach(into: batch)
    if let problem {
      failed = true
      throw problem
    }
  }

  /// Runs libcsv over a chunk; the trouble it met, if any.
  private func step(_ chunk: UnsafeRawBufferPointer) -> PipelineError? {
    let used = csv_parse(&parser, chunk.baseAddress, chunk.count, onField, onRecordEnd, UnsafeMutableRawPointer(sink))
    if let limit = sink.pointee.limitProblem {
      return PipelineError(limit, at: InputLocation(file: file, line: sink.pointee.limitLine))
    } else if used != chunk.count {
      return failure()
    } else if parser.entry_pos > sink.pointee.limits.maxFieldBytes {
      return PipelineError(
        .fieldTooLong(limit: sink.pointee.limits.maxFieldBytes),
        at: InputLocation(file: file, line: sink.pointee.currentFieldLine))
    }
    return nil
  }

  /// Ends the input: completes the last record, or fails on an unterminated quoted field.
  public func finish(_ body: (CSVRecord) throws -> Void) throws {
    try finishRaw { try body($0.record) }
  }

  /// As `finish(_:)`, handing the last records over as bytes (valid only during each call of `body`).
  func finishRaw(_ body: (CSVRawRecord) throws -> Void) throws {
    guard !failed else { return }
    try end()
    try sink.pointee.drain(body)
  }

  /// As `finish(_:)`, putting the last records into `batch` (emptied first).
  func finish(into batch: CSVRecordBatch) throws {
    batch.removeAll()
    if !failed { try end() }
    sink.pointee.detach(into: batch)
  }

  private func end() throws {
    failed = true  // no more input after this
    let status = csv_fini(&parser, onField, onRecordEnd, UnsafeMutableRawPointer(sink))
    if status != 0 {
      throw PipelineError(.unterminatedQuote, at: InputLocation(file: file, line: sink.pointee.currentFieldLine))
    }
  }

  private func failure() -> PipelineError {
    let reason = String(cString: csv_strerror(csv_error(&parser)))
    return PipelineError(.malformedCSV(reason), at: InputLocation(file: file, line: sink.pointee.currentFieldLine))
  }
}

/// Collects what libcsv reports; reached from the C callbacks through libcsv's `void *data`.
///
/// Field bytes go into one buffer, reused from chunk to chunk, with the end offset of each field beside them:
/// no String or array is made per field or record here. A record still open at a chunk's end stays in the
/// buffers, moved to their front, until libcsv reports its end.
private struct RecordSink {
  let limits: CSVLimits
  var physicalLine = 1
  var recordLine = 0
  /// Fields of the record in progress.
  var fieldCount = 0
  var lastEndWasCR = false
  /// Owned by the parser, which frees it.
  var store = RecordStore()
  var limitProblem: FileProblem?
  /// Where the record or field past a limit starts (libcsv parses on to the chunk's end after it).
  var limitLine = 0

  init(limits: CSVLimits) { self.limits = limits }

  /// The line where the field in progress starts.
  var currentFieldLine: Int { physicalLine }

  mutating func field(_ field: UnsafeRawBufferPointer) {
    if fieldCount == 0 { recordLine = physicalLine }
    lastEndWasCR = false
    guard fieldCount < limits.maxFields && field.count <= limits.maxFieldBytes else { return pastLimit(field) }
    // Wrapping sums: line and field counts stay far below Int.max.
    physicalLine &+= store.bytes.appendCountingLineBreaks(field)
    store.fieldEnds.append(store.bytes.count)
    fieldCount &+= 1
  }

  /// A field past a limit: noted once, kept out of `field(_:)` so that its common path stays small (the callback
  /// runs for every field of the file).
  @inline(never)
  private mutating func pastLimit(_ field: UnsafeRawBufferPointer) {
    guard limitProblem == nil else { return }
    limitProblem =
      fieldCount >= limits.maxFields
      ? .tooManyFields(limit: limits.maxFields) : .fieldTooLong(limit: limits.maxFieldBytes)
    limitLine = fieldCount >= limits.maxFields ? recordLine : physicalLine
  }

  mutating func recordEnd(_ terminator: Int32) {
    if terminator == 0x0A && lastEndWasCR && fieldCount == 0 {
      lastEndWasCR = false  // the LF of a CRLF: the line was counted at its CR
      return
    }
    if fieldCount == 0 { recordLine = physicalLine }
    store.entries.append(
      RecordStore.Entry(line: recordLine, firstField: store.fieldEnds.count - fieldCount, fieldCount: fieldCount))
    fieldCount = 0
    if terminator == 0x0A || terminator == 0x0D { physicalLine += 1 }
    lastEndWasCR = terminator == 0x0D
  }

  /// Hands the completed records to `body`, then drops them, keeping the record in progress.
  mutating func drain(_ body: (CSVRawRecord) throws -> Void) throws {
    guard !store.entries.isEmpty else { return }
    defer { store.removeRecords(keepingLast: fieldCount) }
    try store.forEachRecord(body)
  }

  /// Moves the completed records into `batch`, keeping the record in progress.
  mutating func detach(into batch: CSVRecordBatch) {
    batch.take(from: &store, openFields: fieldCount)
  }
}

private func onField(_ bytes: UnsafeMutableRawPointer?, _ count: Int, _ context: UnsafeMutableRawPointer?) {
  // The bytes are valid only during this call: the sink copies them now.
  context!.assumingMemoryBound(to: RecordSink.self).pointee.field(UnsafeRawBufferPointer(start: bytes, count: count))
}

private func onRecordEnd(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
  context!.assumingMemoryBound(to: RecordSink.self).pointee.recordEnd(terminator)
}
