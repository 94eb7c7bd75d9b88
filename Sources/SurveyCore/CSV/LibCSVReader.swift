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
  private let sink: RecordSink
  private let file: String
  private var failed = false

  /// - Parameters:
  ///   - delimiter: the field separator byte (`,`, `;` or tab).
  ///   - file: the file name used in error messages.
  public init(delimiter: UInt8, file: String, limits: CSVLimits = CSVLimits()) throws {
    self.file = file
    self.sink = RecordSink(limits: limits)
    guard csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)) == 0 else {
      throw PipelineError(.io, "cannot start the CSV parser (out of memory)", at: InputLocation(file: file, line: 1))
    }
    csv_set_delim(&parser, delimiter)
  }

  deinit { csv_free(&parser) }

  /// Parses the next chunk and passes every record it completes to `body`, in order.
  public func parse(_ bytes: [UInt8], _ body: (CSVRecord) throws -> Void) throws {
    try bytes.withUnsafeBytes { try parse(raw: $0, body) }
  }

  private func parse(raw: UnsafeRawBufferPointer, _ body: (CSVRecord) throws -> Void) throws {
    guard !failed, raw.count > 0 else { return }
    let used = withExtendedLifetime(sink) {
      csv_parse(&parser, raw.baseAddress, raw.count, onField, onRecordEnd, Unmanaged.passUnretained(sink).toOpaque())
    }
    // Records completed before any trouble are handed over first, so a caller sees how far the file went.
    let problem: PipelineError?
    if let limit = sink.limitProblem {
      problem = PipelineError(.badInput, limit, at: InputLocation(file: file, line: sink.currentFieldLine))
    } else if used != raw.count {
      problem = failure()
    } else if parser.entry_pos > sink.limits.maxFieldBytes {
      problem = PipelineError(
        .badInput, "a field is longer than \(sink.limits.maxFieldBytes) bytes (an unclosed quote?)",
        at: InputLocation(file: file, line: sink.currentFieldLine))
    } else {
      problem = nil
    }
    try sink.drain(body)
    if let problem {
      failed = true
      throw problem
    }
  }

  /// Ends the input: completes the last record, or fails on an unterminated quoted field.
  public func finish(_ body: (CSVRecord) throws -> Void) throws {
    guard !failed else { return }
    failed = true  // no more input after this
    let status = withExtendedLifetime(sink) {
      csv_fini(&parser, onField, onRecordEnd, Unmanaged.passUnretained(sink).toOpaque())
    }
    if status != 0 {
      throw PipelineError(
        .badInput,
        "a quoted field opened here is never closed (unterminated quote): check the quotes on this line, "
          + "re-export the sheet and drop the file again",
        at: InputLocation(file: file, line: sink.currentFieldLine))
    }
    try sink.drain(body)
  }

  /// The physical lines seen so far: the line the parser is on.
  public var currentLine: Int { sink.physicalLine }

  private func failure() -> PipelineError {
    let reason = String(cString: csv_strerror(csv_error(&parser)))
    return PipelineError(
      .badInput,
      "malformed CSV (\(reason)): a quote inside an unquoted field or text after a closing quote; "
        + "fix the quotes on this line or re-export the sheet",
      at: InputLocation(file: file, line: sink.currentFieldLine))
  }
}

/// Collects what libcsv reports; reached from the C callbacks through libcsv's `void *data`.
private final class RecordSink {
  let limits: CSVLimits
  var physicalLine = 1
  var recordLine = 0
  var fields: [String] = []
  var invalid = false
  var lastEndWasCR = false
  var records: [CSVRecord] = []
  var limitProblem: String?

  init(limits: CSVLimits) { self.limits = limits }

  /// The line where the field in progress starts.
  var currentFieldLine: Int { physicalLine }

  func field(_ bytes: UnsafeRawBufferPointer) {
    if fields.isEmpty { recordLine = physicalLine }
    lastEndWasCR = false
    if fields.count >= limits.maxFields {
      if limitProblem == nil {
        limitProblem = "a record has more than \(limits.maxFields) fields: check the delimiter, or split the sheet"
      }
      return
    }
    physicalLine += lineBreaks(in: bytes)
    if let text = String(validating: bytes, as: UTF8.self) {
      fields.append(text)
    } else {
      invalid = true
      fields.append(String(decoding: bytes, as: UTF8.self))
    }
  }

  func recordEnd(_ terminator: Int32) {
    if terminator == 0x0A && lastEndWasCR && fields.isEmpty {
      lastEndWasCR = false  // the LF of a CRLF: the line was counted at its CR
      return
    }
    if fields.isEmpty { recordLine = physicalLine }
    records.append(CSVRecord(line: recordLine, fields: fields, hasInvalidUTF8: invalid))
    fields = []
    invalid = false
    if terminator == 0x0A || terminator == 0x0D { physicalLine += 1 }
    lastEndWasCR = terminator == 0x0D
  }

  func drain(_ body: (CSVRecord) throws -> Void) throws {
    defer { records.removeAll(keepingCapacity: true) }
    for record in records { try body(record) }
  }

  private func lineBreaks(in bytes: UnsafeRawBufferPointer) -> Int {
    var count = 0
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == 0x0A {
        count += 1
      } else if byte == 0x0D {
        count += 1
        if index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
      }
      index += 1
    }
    return count
  }
}

private func onField(_ bytes: UnsafeMutableRawPointer?, _ count: Int, _ context: UnsafeMutableRawPointer?) {
  let sink = Unmanaged<RecordSink>.fromOpaque(context!).takeUnretainedValue()
  sink.field(UnsafeRawBufferPointer(start: bytes, count: count))  // valid only during this call: copied now
}

private func onRecordEnd(_ terminator: Int32, _ context: UnsafeMutableRawPointer?) {
  Unmanaged<RecordSink>.fromOpaque(context!).takeUnretainedValue().recordEnd(terminator)
}
