/// The binary companion of a staged CSV (`ingested.rows` beside `ingested.csv`): where each record and field
/// of the CSV lies, so that the next stage reads the CSV's bytes at memory speed instead of parsing it again.
///
/// The CSV stays the artefact people read and the contract between stages; the companion is only a faster way
/// to read it. It holds no field bytes of its own: per field, how many bytes the CSV spends on it, so a
/// reader finds every field without looking for commas and quotes, and only a field with a doubled quote is
/// rewritten. A reader takes the companion only when it is complete and fresh (its trailer names the CSV's
/// size, and the CSV is not newer than it), else it parses the CSV through libcsv: a hand-edited CSV, a run
/// folder from before companions, or a test's fixture all read as before. Both paths give the same records
/// with the same line numbers (the CSV's physical lines).
///
/// Layout, little-endian: `magic`, the header as one block, then blocks of records, then the trailer.
/// A block is `u32 records, u32 fields, u32 lengthBytes, u32 csvBytes`, then per record `u32 line, u32 fields`,
/// then each field's span: the CSV bytes between its separators, quotes included (one byte below 255, else 255
/// and a `u32`). The block's records are the next `csvBytes` bytes of the CSV, the header block its first
/// line; each field is followed by a comma, the last by LF. The trailer is a block header of
/// `0xFFFF_FFFF, 0, 0, 0` followed by `u64 csvBytes, u64 records` and `endMagic`.
///
/// The CSV side is `CSVWriter`'s: a field is quoted when `CSVWriter.appendQuoted` quotes it, so a field that
/// starts with a quote is a quoted one.

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

enum StagedRows {
  static let magic = Array("SURVEYROWS2\n".utf8)
  static let endMagic = Array("ENDROWS2".utf8)
  static let trailerMark: UInt32 = 0xFFFF_FFFF
  /// A block header's size: four `u32`.
  static let blockHeaderSize = 16
  /// The trailer's size: block header, two counts, end magic.
  static let trailerSize = blockHeaderSize + 16 + 8

  /// The extension of a companion's name.
  static let fileExtension = "rows"

  /// Rewrites the staged CSV `source` (read through its companion, which must be fresh) in place without the
  /// records at `dropped` (their places among the records, ascending), the others byte for byte as they are;
  /// writes their companion for `destination`; then renames the CSV, then the companion, into place. Neither is
  /// synced to disk, as a staged CSV's first writing is not (`AtomicFileWriter.commit(synchronize:)`). `source`
  /// must begin with `header` as `CSVWriter` writes it. Its own companion is left for the caller to remove.
  ///
  /// Each kept record moves down over the dropped ones before it, so a write never reaches bytes not yet read:
  /// the records kept so far are never longer than the records read so far, and a block is read whole before
  /// any of its records is written. Nothing is read into fields or encoded again. Normalise does this to its
  /// tentative `establishments.csv` when some rows turn out to be duplicates. It used to copy it to a new file:
  /// the same bytes read and written, but into a second file of 190 MB at a million rows, whose pages the kernel
  /// had to find and the disk to reserve.
  static func compact(
    _ source: URL, to destination: URL, header: [String], dropping dropped: [Int]
  ) throws {
    guard let reader = StagedRowsReader(companionOf: source) else {
      throw PipelineError(.io, "cannot read back \(source.path): its companion is missing or not sealed")
    }
    let name = source.path
    func failure(_ verb: String) -> PipelineError { DiskAdvice.writeFailure(verb, source.path, errno) }
    let descriptor = open(source.path, O_RDWR | O_CLOEXEC)
    guard descriptor >= 0 else { throw failure("open for rewriting") }
    defer { close(descriptor) }
    let headerLine = Array(CSVWriter.line(header).utf8)
    var first = [UInt8](repeating: 0, count: headerLine.count)
    let headerRead: Void? = try? first.withUnsafeMutableBytes { try FileRange.read(descriptor, into: $0, at: 0) }
    guard headerRead != nil, first == headerLine else {
      throw PipelineError(.io, "cannot rewrite \(name): it does not begin with its header")
    }
    let rows = try StagedRowsWriter(companion(of: destination), header: header)
    var committed = false
    defer { if !committed { rows.discard() } }
    var compaction = Compaction(
      descriptor: descriptor, name: name, dropped: dropped, rows: rows, written: headerLine.count,
      readEnd: headerLine.count)
    defer { compaction.batch.deallocate() }
    func compactBlocks(_ nextBlock: () throws -> StagedRowsBlock?, _ recycle: (StagedRowsBlock) -> Void) throws {
      while let block = try nextBlock() {
        try compaction.take(block)
        recycle(block)
      }
    }
    try reader.withBlocks(header: { _ in }, compactBlocks)
    try compaction.finish()
    precondition(compaction.next == dropped.count, "\(name) has fewer rows than were dropped from it")
    guard ftruncate(descriptor, off_t(compaction.written)) == 0 else { throw failure("cut back") }
    guard rename(source.path, destination.path) == 0 else {
      throw PipelineError(.io, "cannot rename into \(destination.path): \(String(cString: strerror(errno)))")
    }
    committed = true
    try rows.commit(csv: destination)
  }

  /// `compact`'s way through the blocks. The kept records of a block go to the file straight from the block, a run
  /// of side-by-side records at a time (normalise drops one row in hundreds or fewer), where each was copied into a
  /// buffer first; and the state lives in one value the records' closure reaches in place, where five variables
  /// captured from `compact` cost Swift's dynamic exclusivity checks, about a tenth of the rewrite, for each record.
  private struct Compaction {
    let descriptor: Int32
    let name: String
    let dropped: [Int]
    let rows: StagedRowsWriter
    var batch = StagedRowsBatch()
    /// Where the next kept bytes go, and where the records read so far end (blank ones not counted).
    var written: Int
    var readEnd: Int
    /// The record's place among those read, and the next of `dropped` to meet.
    var place = 0
    var next = 0

    init(
      descriptor: Int32, name: String, dropped: [Int], rows: StagedRowsWriter, written: Int, readEnd: Int
    ) {
      self.descriptor = descriptor
      self.name = name
      self.dropped = dropped
      self.rows = rows
      self.written = written
      self.readEnd = readEnd
    }

    /// Writes the records of `block` that are kept, and their companion's part.
    mutating func take(_ block: StagedRowsBlock) throws {
      var run = UnsafeRawBufferPointer(start: nil, count: 0)
      try block.forEachEncodedRecord { spans, fields, breaks, bytes in
        defer { place += 1 }
        readEnd += bytes.count
        if next < dropped.count && dropped[next] == place {
          next += 1
          return
        }
        batch.appendEncodedRecord(spans: spans, fields: fields, breaks: breaks, csvBytes: bytes.count)
        // The companion in blocks of 1 MiB of CSV, as when the records were copied into a buffer of that size.
        if batch.csvBytes >= 1 << 20 { try rows.append(&batch) }
        if let start = run.baseAddress, start + run.count == bytes.baseAddress {
          run = UnsafeRawBufferPointer(start: start, count: run.count + bytes.count)
        } else {
          try write(run)
          run = bytes
        }
      }
      try write(run)
    }

    /// The companion's last records.
    mutating func finish() throws { try rows.append(&batch) }

    private mutating func write(_ run: UnsafeRawBufferPointer) throws {
      guard !run.isEmpty else { return }
      precondition(written + run.count <= readEnd, "\(name): a kept record would overwrite one not yet read")
      guard FileRange.write(descriptor, run, at: written) else { throw DiskAdvice.writeFailure("write", name, errno) }
      written += run.count
    }
  }

  /// `ingested.csv` → `ingested.rows`, in the same folder.
  static func companion(of csv: URL) -> URL {
    csv.deletingPathExtension().appendingPathExtension(fileExtension)
  }

  /// Calls `header` with the header row, then `row` with every record, from the companion when it is fresh,
  /// else from the CSV (as `CSVFile.forEachRawRow` reads it).
  ///
  /// With `ahead`, each group of up to 64 records goes to it before their rows, when the companion is read (the
  /// CSV's own records come one by one, with nothing ahead): for a caller that loads what the rows will ask for,
  /// many at once.
  static func forEachRow(
    _ csv: URL, header: ([String]) throws -> Void, ahead: (([CSVRawRecord]) -> Void)? = nil,
    row: (CSVRawRecord) throws -> Void
  ) throws {
    guard let reader = StagedRowsReader(companionOf: csv) else {
      return try CSVFile.forEachRawRow(csv, header: header, row: row)
    }
    guard let ahead else { return try reader.forEach(header: header, row: row) }
    func readBlocks(_ next: () throws -> StagedRowsBlock?, _ recycle: (StagedRowsBlock) -> Void) throws {
      while let block = try next() {
        try block.forEachGroup(of: 64) { group in
          ahead(group)
          for record in group { try row(record) }
        }
        recycle(block)
      }
    }
    try reader.withBlocks(header: header, readBlocks)
  }
}

/// Records on their way into a CSV and its companion: each cell is written to a buffer of CSV lines, as
/// `CSVWriter` writes it, and its span is noted here, until `StagedRowsWriter.append(_:)` numbers the records'
/// lines and writes them as one block, and the lines go to the CSV.
///
/// A stage that writes its rows in batches fills one of these beside each batch of lines. It owns its buffers'
/// memory: keep one copy of it, and free it with `deallocate()`.
struct StagedRowsBatch {
  fileprivate var lengths = ByteBuffer(capacity: 1 << 12)
  /// `u32 breaks, u32 fields` per record: the line breaks inside its fields, made its line by `number(from:)`.
  fileprivate var entries = ByteBuffer(capacity: 1 << 12)
  fileprivate var fieldCount = 0
  /// The CSV bytes of the records ended so far.
  fileprivate var csvBytes = 0
  /// The records ended so far.
  private(set) var count = 0
  /// The fields of the record in progress.
  private(set) var openFields = 0
  private var openBreaks = 0
  private var openBytes = 0

  /// Appends `cell` to `line` as `CSVWriter.appendQuoted(_:to:)` writes it, after a comma unless it is the
  /// record's first.
  @inline(__always)
  mutating func appendCell(_ cell: UnsafeRawBufferPointer, to line: inout ByteBuffer) {
    if openFields > 0 { line.append(0x2C) }
    let start = line.count
    CSVWriter.appendQuoted(cell, to: &line)
    let span = line.count - start
    // A cell written as it is holds no CR or LF: those are always quoted.
    note(span: span, breaks: span == cell.count ? 0 : UTF8Bytes.lineBreaks(in: cell))
  }

  /// The high bit of a packed cell's `u32` length: the cell is plain, written in a CSV as it is (no comma, quote,
  /// CR or LF in it, and no space or tab at an end), so `appendPackedRecord` copies it without reading its bytes
  /// for one. Only a cell whose bytes the writer vouches for carries it (`StagedText.appendFields` looks);
  /// without it, the cell's bytes decide.
  static let plainCell: UInt32 = 1 << 31

  /// Appends one record of packed cells (each a `u32` length and its bytes, `StagedText.appendFields`' layout) to
  /// `line` and ends it: what `appendCell(_:to:)` for each cell and then `endRecord(_:)` write, in one pass with
  /// the room for the whole record made first. Normalise's encoders write a million records so; cell by cell,
  /// the two buffers' counts and checks were most of their instructions. A cell marked `plainCell` is copied
  /// as it is: most of a row's cells are answers the stage made once per spelling, or numbers.
  mutating func appendPackedRecord(_ packed: UnsafeRawBufferPointer, to line: inout ByteBuffer) {
    precondition(openFields == 0, "a packed record was appended to a record in progress")
    // Each cell has a 4-byte length in `packed`, so there are at most count / 4 of them: room for each quoted with
    // every byte doubled and a comma, and for a span's 5 bytes where the cell is long enough to need them.
    line.reserve(line.count + 3 * packed.count + 1)
    lengths.reserve(lengths.count + packed.count / 2 + 8)
    let out = UnsafeMutableRawPointer(line.base)
    let spans = lengths.base
    let lineStart = line.count
    var at = lineStart
    var spanAt = lengths.count
    var fields = 0
    var breaks = 0
    var position = 0
    let end = packed.count
    // Wrapping sums: every offset is bounded by `packed.count` (checked for each cell) or by the room made above,
    // and the overflow checks of `+` were a fifth of the loop's instructions.
    while position &+ 4 <= end {
      let length = UInt32(littleEndian: packed.loadUnaligned(fromByteOffset: position, as: UInt32.self))
      let count = Int(length & ~Self.plainCell)
      position &+= 4
      precondition(count <= end &- position, "a packed cell runs past its record")
      if fields > 0 {
        out.storeBytes(of: 0x2C, toByteOffset: at, as: UInt8.self)
        at &+= 1
      }
      let cell = UnsafeRawBufferPointer(start: packed.baseAddress! + position, count: count)
      let span: Int
      if length & Self.plainCell != 0 {
        if count > 0 { ByteBuffer.copyInWords(cell, to: out + at) { _ in } }
        span = count
      } else {
        span = CSVWriter.writeQuoted(cell, to: out + at)
        // A cell written as it is holds no CR or LF: those are always quoted.
        if span != count { breaks &+= UTF8Bytes.lineBreaks(in: cell) }
      }
      at &+= span
      spanAt &+= Self.writeSpan(span, to: spans + spanAt)
      fields &+= 1
      position &+= count
    }
    out.storeBytes(of: 0x0A, toByteOffset: at, as: UInt8.self)
    at += 1
    line.setCount(at)
    lengths.setCount(spanAt)
    withUnsafeBytes(of: (UInt32(truncatingIfNeeded: breaks).littleEndian, UInt32(fields).littleEndian)) {
      entries.append($0)
    }
    fieldCount += fields
    csvBytes += at - lineStart
    count += 1
  }

  /// Makes room in `line`, and for the spans, for `cells` more cells of `cellBytes` bytes in all, which
  /// `appendReservedCell` then writes without looking for room: ingest's rows, whose checks of room and counts, a
  /// cell at a time, were a third of writing them.
  mutating func reserve(cells: Int, cellBytes: Int, in line: inout ByteBuffer) {
    // Each cell quoted with every byte doubled (`CSVWriter.quotedRoom`), and a comma before it.
    line.reserve(line.count + 2 * cellBytes + 3 * cells)
    lengths.reserve(lengths.count + 5 * cells)
  }

  /// Appends `cell` to `line` as `CSVWriter.writeQuoted(_:needsQuotes:hasQuote:to:)` writes it, after a comma
  /// unless it is the record's first, into room `reserve(cells:cellBytes:in:)` made for it. `needsQuotes` false
  /// vouches that it holds no CR or LF.
  @inline(__always)
  mutating func appendReservedCell(
    _ cell: UnsafeRawBufferPointer, needsQuotes: Bool, hasQuote: Bool, to line: inout ByteBuffer
  ) {
    let out = UnsafeMutableRawPointer(line.base)
    // Wrapping sums: every offset is bounded by the room made.
    var at = line.count
    if openFields > 0 {
      out.storeBytes(of: 0x2C, toByteOffset: at, as: UInt8.self)
      at &+= 1
    }
    let span = CSVWriter.writeQuoted(cell, needsQuotes: needsQuotes, hasQuote: hasQuote, to: out + at)
    line.setCount(at &+ span)
    lengths.setCount(lengths.count &+ Self.writeSpan(span, to: lengths.base + lengths.count))
    openFields &+= 1
    openBytes &+= span &+ 1  // and its comma, or the record's LF
    if needsQuotes { openBreaks &+= UTF8Bytes.lineBreaks(in: cell) }
  }

  mutating func appendCell(_ cell: String, to line: inout ByteBuffer) {
    var cell = cell
    cell.withUTF8 { appendCell(UnsafeRawBufferPointer($0), to: &line) }
  }

  /// Appends a cell already encoded as the CSV has it, holding `breaks` line breaks.
  @inline(__always)
  mutating func appendEncodedCell(_ encoded: UnsafeRawBufferPointer, breaks: Int, to line: inout ByteBuffer) {
    if openFields > 0 { line.append(0x2C) }
    line.append(encoded)
    note(span: encoded.count, breaks: breaks)
  }

  /// Appends `value`'s decimal digits as a cell.
  @inline(__always)
  mutating func appendDecimalCell(_ value: Int, to line: inout ByteBuffer) {
    if openFields > 0 { line.append(0x2C) }
    let start = line.count
    line.append(decimal: value)
    note(span: line.count - start, breaks: 0)
  }

  @inline(__always)
  private mutating func note(span: Int, breaks: Int) {
    if span < 255 {
      lengths.append(UInt8(truncatingIfNeeded: span))
    } else {
      appendLongLength(span)
    }
    openFields += 1
    openBytes += span + 1  // and its comma, or the record's LF
    openBreaks += breaks
  }

  /// Writes `span` as the companion notes it (one byte below 255; else 255, then the span as a `u32`) at `target`,
  /// where there is room for five bytes, and returns how many bytes that took: for the writers that make the room
  /// for a whole record first.
  @inline(__always)
  private static func writeSpan(_ span: Int, to target: UnsafeMutablePointer<UInt8>) -> Int {
    if span < 255 {
      target.pointee = UInt8(truncatingIfNeeded: span)
      return 1
    }
    target.pointee = 255
    UnsafeMutableRawPointer(target + 1).storeBytes(of: UInt32(span).littleEndian, as: UInt32.self)
    return 5
  }

  /// A span of 255 or more: 255, then the span as a `u32`. Kept out of `note`, so that its common path is small
  /// enough to be inlined where a row's cells are written.
  @inline(never)
  private mutating func appendLongLength(_ length: Int) {
    lengths.append(255)
    withUnsafeBytes(of: UInt32(length).littleEndian) { lengths.append($0) }
  }

  /// Ends the record in progress with LF: the cells appended since the one before ended.
  @inline(__always)
  mutating func endRecord(_ line: inout ByteBuffer) {
    line.append(0x0A)
    withUnsafeBytes(of: (UInt32(truncatingIfNeeded: openBreaks).littleEndian, UInt32(openFields).littleEndian)) {
      entries.append($0)
    }
    fieldCount += openFields
    csvBytes += max(openBytes, 1)
    count += 1
    openFields = 0
    openBreaks = 0
    openBytes = 0
  }

  /// Notes a record already encoded, as another companion holds it: its fields' `spans` as `note` writes them,
  /// `breaks` line breaks inside its fields and `csvBytes` bytes of CSV, its LF included. The caller appends the
  /// record's CSV bytes to its lines.
  mutating func appendEncodedRecord(spans: UnsafeRawBufferPointer, fields: Int, breaks: Int, csvBytes: Int) {
    precondition(openFields == 0, "an encoded record was appended to a record in progress")
    lengths.append(spans)
    withUnsafeBytes(of: (UInt32(truncatingIfNeeded: breaks).littleEndian, UInt32(fields).littleEndian)) {
      entries.append($0)
    }
    fieldCount += fields
    self.csvBytes += csvBytes
    count += 1
  }

  /// Drops every record and field, the record in progress too (the caller drops their lines).
  mutating func removeAll() {
    lengths.removeAll()
    entries.removeAll()
    fieldCount = 0
    csvBytes = 0
    count = 0
    openFields = 0
    openBreaks = 0
    openBytes = 0
  }

  func deallocate() {
    lengths.deallocate()
    entries.deallocate()
  }

  /// Turns each record's line breaks into its line: the first record on `line`, each later one on the line
  /// after the last line break of the one before; `line` ends as the line after the last record.
  fileprivate mutating func number(from line: inout Int) {
    for index in 0..<count {
      let entry = UnsafeMutableRawPointer(entries.base + index * 8)
      let breaks = Int(UInt32(littleEndian: entry.loadUnaligned(as: UInt32.self)))
      entry.storeBytes(of: UInt32(truncatingIfNeeded: line).littleEndian, as: UInt32.self)
      line += 1 + breaks
    }
  }
}

/// Writes a companion block by block; `commit(csv:)` seals it with the CSV's size and renames it into place.
///
/// Lines are counted as the CSV has them: the header on line 1, each record on the line after the last line
/// break of the one before. Each batch must be written to the CSV as the lines it was filled beside, in the
/// same order; `mark()` and `rollBack(to:)` take records back out, as `CSVWriter`'s do for the CSV.
final class StagedRowsWriter {
  private let file: AtomicFileWriter
  private var nextLine = 1
  private var records: UInt64 = 0

  /// Starts the companion of a CSV whose first line is `header` as `CSVWriter` writes it.
  init(_ destination: URL, header: [String]) throws {
    file = try AtomicFileWriter(destination)
    try file.write(bytes: StagedRows.magic)
    var batch = StagedRowsBatch()
    var line = ByteBuffer(capacity: 1 << 10)
    defer {
      batch.deallocate()
      line.deallocate()
    }
    for name in header { batch.appendCell(name, to: &line) }
    batch.endRecord(&line)
    try write(&batch, counted: false)  // the header is a block of its own, not counted as a record
  }

  /// Appends the records of `batch` as one block, leaving it empty.
  func append(_ batch: inout StagedRowsBatch) throws { try write(&batch) }

  /// Writes `batch` as one block, its records numbered from `nextLine`, and empties it.
  private func write(_ batch: inout StagedRowsBatch, counted: Bool = true) throws {
    precondition(batch.openFields == 0, "a batch was appended with a record not ended")
    guard batch.count > 0 else { return }
    precondition(batch.csvBytes <= Int(UInt32.max), "a batch of \(batch.csvBytes) CSV bytes is too large")
    batch.number(from: &nextLine)
    let head: [UInt32] = [
      UInt32(batch.count), UInt32(batch.fieldCount), UInt32(batch.lengths.count), UInt32(batch.csvBytes),
    ]
    try head.withUnsafeBytes { try file.write(raw: $0) }
    try file.write(raw: batch.entries.bytes)
    try file.write(raw: batch.lengths.bytes)
    if counted { records += UInt64(batch.count) }
    batch.removeAll()
  }

  /// Where the companion stands, for `rollBack(to:)`.
  struct Mark {
    fileprivate var bytes: UInt64
    fileprivate var nextLine: Int
    fileprivate var records: UInt64
  }

  /// The current end of the companion, between two blocks.
  func mark() -> Mark { Mark(bytes: file.position, nextLine: nextLine, records: records) }

  /// Cuts the companion back to `mark`, forgetting the records appended since, and numbering the next record
  /// as it would have been numbered then.
  func rollBack(to mark: Mark) throws {
    try file.truncate(to: mark.bytes)
    nextLine = mark.nextLine
    records = mark.records
  }

  /// Removes the unfinished companion (`AtomicFileWriter.discard`).
  func discard() { file.discard() }

  /// Seals the companion with the size of `csv`, which must already be in place, and renames it into place.
  func commit(csv: URL) throws {
    var status = stat()
    guard stat(csv.path, &status) == 0 else {
      throw PipelineError(.io, "cannot read the size of \(csv.path): \(String(cString: strerror(errno)))")
    }
    var trailer: [UInt32] = [StagedRows.trailerMark, 0, 0, 0]
    let csvBytes = UInt64(status.st_size)
    trailer.append(contentsOf: [UInt32(truncatingIfNeeded: csvBytes), UInt32(truncatingIfNeeded: csvBytes >> 32)])
    trailer.append(contentsOf: [UInt32(truncatingIfNeeded: records), UInt32(truncatingIfNeeded: records >> 32)])
    try trailer.withUnsafeBytes { try file.write(raw: $0) }
    try file.write(bytes: StagedRows.endMagic)
    // Not synced: after a crash a reader finds the companion unsealed or damaged and reads the CSV, or says so.
    try file.commit(synchronize: false)
  }
}

/// Reads a companion that `StagedRowsWriter` sealed, with the CSV it belongs to.
struct StagedRowsReader {
  let url: URL
  let csv: URL
  let size: Int
  let csvSize: Int
  /// The records the companion holds, the header not counted (its trailer's count).
  let records: Int

  /// The companion of `csv`, or nil when there is none, it is not sealed, or it does not belong to the CSV
  /// as it is now (another size, or the CSV changed after it).
  init?(companionOf csv: URL) {
    let url = StagedRows.companion(of: csv)
    var rows = stat()
    var table = stat()
    guard stat(url.path, &rows) == 0, stat(csv.path, &table) == 0 else { return nil }
    guard Self.modified(table) <= Self.modified(rows) else { return nil }
    let size = Int(rows.st_size)
    guard size >= StagedRows.magic.count + StagedRows.trailerSize else { return nil }
    guard let handle = FileHandle(forReadingAtPath: url.path) else { return nil }
    defer { try? handle.close() }
    guard let head = try? handle.read(upToCount: StagedRows.magic.count), Array(head) == StagedRows.magic,
      (try? handle.seek(toOffset: UInt64(size - StagedRows.trailerSize))) != nil,
      let tail = try? handle.read(upToCount: StagedRows.trailerSize), tail.count == StagedRows.trailerSize
    else { return nil }
    let words = tail.withUnsafeBytes { raw in
      (0..<8).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self) }
    }
    let csvBytes = UInt64(words[4]) | UInt64(words[5]) << 32
    guard words[0] == StagedRows.trailerMark, Array(tail.suffix(8)) == StagedRows.endMagic,
      csvBytes == UInt64(table.st_size)
    else { return nil }
    self.url = url
    self.csv = csv
    self.size = size
    csvSize = Int(table.st_size)
    records = Int(truncatingIfNeeded: UInt64(words[6]) | UInt64(words[7]) << 32)
  }

  private static func modified(_ status: stat) -> Double {
    #if canImport(Darwin)
      Double(status.st_mtimespec.tv_sec) + Double(status.st_mtimespec.tv_nsec) / 1e9
    #else
      Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
    #endif
  }

  private func damaged(_ what: String) -> PipelineError { Self.damaged(url, csv, what) }

  fileprivate static func damaged(_ url: URL, _ csv: URL, _ what: String) -> PipelineError {
    PipelineError(
      .badInput,
      "\(url.lastPathComponent) is damaged (\(what)): delete it and the stage reads "
        + "\(csv.lastPathComponent) instead")
  }

  func forEach(header: ([String]) throws -> Void, row: (CSVRawRecord) throws -> Void) throws {
    try withBlocks(header: header) { next, recycle in
      while let block = try next() {
        try block.forEachRecord(row)
        recycle(block)
      }
    }
  }

  /// Reads the header, then hands `body` a function that reads the next block of records (nil after the last),
  /// and one that takes back a block done with, to be filled again. Each block owns its memory, so blocks may
  /// be read ahead and worked on by other threads; a block finds its fields in the CSV's bytes on the thread
  /// that first asks for its records.
  func withBlocks<T>(
    header: ([String]) throws -> Void,
    _ body: (_ next: () throws -> StagedRowsBlock?, _ recycle: (StagedRowsBlock) -> Void) throws -> T
  ) throws -> T {
    let rowsFile = open(url.path, O_RDONLY | O_CLOEXEC)
    guard rowsFile >= 0 else { throw PipelineError(.missingInput, "cannot open \(url.path)") }
    defer { close(rowsFile) }
    let csvFile = open(csv.path, O_RDONLY | O_CLOEXEC)
    guard csvFile >= 0 else { throw PipelineError(.missingInput, "cannot open \(csv.path)") }
    defer { close(csvFile) }
    var position = StagedRows.magic.count
    var csvPosition = 0
    /// Appends `count` bytes of `fd` from `offset` to `buffer`.
    func read(_ fd: Int32, _ count: Int, at offset: Int, into buffer: inout ByteBuffer) throws {
      let start = buffer.count
      buffer.reserve(start + count)
      do {
        try FileRange.read(
          fd, into: UnsafeMutableRawBufferPointer(start: buffer.base + start, count: count), at: offset)
      } catch {
        throw damaged(fd == rowsFile ? "it ends early" : "the CSV ends before it does")
      }
      buffer.setCount(start + count)
    }
    var head = ByteBuffer(capacity: StagedRows.blockHeaderSize)
    defer { head.deallocate() }
    var spares: [StagedRowsBlock] = []
    func next() throws -> StagedRowsBlock? {
      let headSize = StagedRows.blockHeaderSize
      guard position + headSize <= size else { throw damaged("no trailer") }
      head.removeAll()
      try read(rowsFile, headSize, at: position, into: &head)
      position += headSize
      let (records, fields, lengthBytes, csvBytes) = head.bytes.withMemoryRebound(to: UInt32.self) {
        (Int($0[0]), Int($0[1]), Int($0[2]), Int($0[3]))
      }
      if records == Int(StagedRows.trailerMark) {
        guard csvPosition == csvSize else { throw damaged("its records end before the CSV's") }
        return nil
      }
      let tableBytes = records * 8
      guard position + tableBytes + lengthBytes <= size - StagedRows.trailerSize + headSize else {
        throw damaged("a block runs past the end")
      }
      guard csvPosition + csvBytes <= csvSize else { throw damaged("a block runs past the CSV's end") }
      let block = spares.popLast() ?? StagedRowsBlock(companion: url, csv: csv)
      block.reset(records: records, fields: fields, tableBytes: tableBytes, lengthBytes: lengthBytes)
      try read(rowsFile, tableBytes + lengthBytes, at: position, into: &block.buffer)
      position += tableBytes + lengthBytes
      try read(csvFile, csvBytes, at: csvPosition, into: &block.buffer)
      csvPosition += csvBytes
      return block
    }
    var seenHeader = false
    while !seenHeader, let block = try next() {
      guard block.recordCount > 0 else { continue }
      try block.forEachRecord { record in
        if seenHeader { throw damaged("a header block holds more than the header") }
        seenHeader = true
        try header(record.record.fields)
      }
    }
    return try body(next) { spares.append($0) }
  }
}

/// One block of a companion's records with their CSV bytes, in memory it owns.
final class StagedRowsBlock: @unchecked Sendable {
  private(set) var recordCount = 0
  private var fieldCount = 0
  private var tableBytes = 0
  private var lengthBytes = 0
  fileprivate var buffer = ByteBuffer(capacity: 1 << 16)
  private var starts: [Int] = []
  private var ends: [Int] = []
  /// Whether `index()` has found the fields of the block's records.
  private var indexed = false
  private let companion: URL
  private let csv: URL

  fileprivate init(companion: URL, csv: URL) {
    self.companion = companion
    self.csv = csv
  }

  fileprivate func reset(records: Int, fields: Int, tableBytes: Int, lengthBytes: Int) {
    recordCount = records
    fieldCount = fields
    self.tableBytes = tableBytes
    self.lengthBytes = lengthBytes
    buffer.removeAll()
    indexed = false
  }

  deinit { buffer.deallocate() }

  /// Finds each field in the block's CSV bytes from the spans, undoubling the quotes of a quoted field that
  /// has them; false when the spans and the bytes do not agree (a comma or LF after each field, quotes paired).
  fileprivate func index() -> Bool {
    let dataStart = tableBytes + lengthBytes
    guard buffer.count >= dataStart else { return false }
    let table = UnsafeRawPointer(buffer.base)
    let lengths = UnsafePointer(buffer.base + tableBytes)
    let lengthCount = lengthBytes
    let data = buffer.base + dataStart
    let dataCount = buffer.count - dataStart
    let fieldCount = fieldCount
    let recordCount = recordCount
    if starts.count < max(fieldCount, 1) {
      starts = Array(repeating: 0, count: max(fieldCount, 1))
      ends = starts
    }
    // Written through pointers: each touch of a class's stored array would be an exclusivity check. The counts
    // are below 2^32 each (the companion's fields are u32), so the sums below cannot overflow an Int.
    return starts.withUnsafeMutableBufferPointer { starts in
      ends.withUnsafeMutableBufferPointer { ends in
        let (starts, ends) = (starts.baseAddress!, ends.baseAddress!)
        var filled = 0
        var at = 0
        var position = 0
        /// Notes the field of `span` bytes at `position`, which the byte `separator` must follow; false when the
        /// bytes do not agree.
        @inline(__always) func field(_ span: Int, _ separator: UInt8) -> Bool {
          let end = position &+ span
          guard end < dataCount, data[end] == separator else { return false }
          var (start, stop) = (position, end)
          if span > 0 && data[position] == 0x22 {
            guard let unquoted = Self.unquoted(data, start, stop) else { return false }
            (start, stop) = unquoted
          }
          starts[filled] = start
          ends[filled] = stop
          filled &+= 1
          position = end &+ 1
          return true
        }
        for index in 0..<recordCount {
          let count = Int(table.loadUnaligned(fromByteOffset: index &* 8 &+ 4, as: UInt32.self))
          guard count <= fieldCount &- filled else { return false }
          if count == 0 {
            guard position < dataCount, data[position] == 0x0A else { return false }
            position &+= 1
            continue
          }
          // Nearly every record: a byte for each span (none of 255 or more), so the spans need no check of their
          // own beyond there being that many bytes.
          if count <= lengthCount &- at && memchr(lengths + at, 255, count) == nil {
            let last = at &+ count &- 1
            while at < last {
              guard field(Int(lengths[at]), 0x2C) else { return false }
              at &+= 1
            }
            guard field(Int(lengths[at]), 0x0A) else { return false }
            at &+= 1
            continue
          }
          for index in 0..<count {
            guard at < lengthCount else { return false }
            var span = Int(lengths[at])
            at &+= 1
            if span == 255 {
              guard at &+ 4 <= lengthCount else { return false }
              span = Int(UInt32(littleEndian: UnsafeRawPointer(lengths + at).loadUnaligned(as: UInt32.self)))
              at &+= 4
            }
            guard field(span, index == count &- 1 ? 0x0A : 0x2C) else { return false }
          }
        }
        return filled == fieldCount && at == lengthCount && position == dataCount
      }
    }
  }

  /// Calls `body` with each record as the files hold it, without finding its fields: its fields' spans (the
  /// companion's bytes), the line breaks inside its fields, and its CSV bytes with their LF. Passes over blank
  /// records as `forEachRecord` does. Only for a block whose records have not been read (`forEachRecord` unquotes
  /// fields in place); throws when the spans and the bytes do not agree.
  func forEachEncodedRecord(
    _ body: (_ spans: UnsafeRawBufferPointer, _ fields: Int, _ breaks: Int, _ csv: UnsafeRawBufferPointer) throws
      -> Void
  ) throws {
    precondition(!indexed, "an indexed block's quoted fields were rewritten")
    let table = UnsafeRawBufferPointer(start: buffer.base, count: tableBytes)
    let lengths = UnsafeRawBufferPointer(start: buffer.base + tableBytes, count: lengthBytes)
    let data = UnsafeRawBufferPointer(
      start: buffer.base + tableBytes + lengthBytes, count: buffer.count - tableBytes - lengthBytes)
    func damaged() -> PipelineError {
      StagedRowsReader.damaged(companion, csv, "its fields do not fit the CSV's bytes")
    }
    var at = 0
    var position = 0
    for index in 0..<recordCount {
      let count = Int(table.loadUnaligned(fromByteOffset: index * 8 + 4, as: UInt32.self))
      let spansStart = at
      var end = position
      var breaks = 0
      var blank = true
      // Nearly every record of normalise's: more than one field, a byte for each span (none of 255 or more), as
      // in `index()`. Each field is checked for its comma or LF alone, and a quoted one for line breaks; the
      // general loop below (for the rest) also makes each cell, which only a record of one field needs.
      if count > 1 && count <= lengths.count &- at && memchr(lengths.baseAddress! + at, 255, count) == nil {
        let last = at &+ count &- 1
        while at <= last {
          let span = Int(lengths[at])
          guard end &+ span < data.count, data[end &+ span] == (at == last ? 0x0A : 0x2C) else { throw damaged() }
          if span > 0 && data[end] == 0x22 {
            breaks &+= UTF8Bytes.lineBreaks(in: UnsafeRawBufferPointer(rebasing: data[end..<(end &+ span)]))
          }
          end &+= span &+ 1
          at &+= 1
        }
        try body(
          UnsafeRawBufferPointer(rebasing: lengths[spansStart..<at]), count, breaks,
          UnsafeRawBufferPointer(rebasing: data[position..<end]))
        position = end
        continue
      }
      for field in 0..<count {
        guard at < lengths.count else { throw damaged() }
        var span = Int(lengths[at])
        at += 1
        if span == 255 {
          guard at + 4 <= lengths.count else { throw damaged() }
          span = Int(UInt32(littleEndian: lengths.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
          at += 4
        }
        guard end + span < data.count, data[end + span] == (field == count - 1 ? 0x0A : 0x2C) else {
          throw damaged()
        }
        var cell = UnsafeRawBufferPointer(rebasing: data[end..<(end + span)])
        // Only a quoted field holds a line break.
        if span > 0 && data[end] == 0x22 {
          breaks += UTF8Bytes.lineBreaks(in: cell)
          if span >= 2 { cell = UnsafeRawBufferPointer(rebasing: cell.dropFirst().dropLast()) }
        }
        if count == 1 { blank = CSVFile.isBlank(cell) }
        end += span + 1
      }
      if count == 0 {
        guard end < data.count, data[end] == 0x0A else { throw damaged() }
        end += 1
      }
      if count > 1 || !blank {
        try body(
          UnsafeRawBufferPointer(rebasing: lengths[spansStart..<at]), count, breaks,
          UnsafeRawBufferPointer(rebasing: data[position..<end]))
      }
      position = end
    }
    guard at == lengths.count, position == data.count else { throw damaged() }
  }

  /// The bytes inside a quoted field's quotes (from `start`, the opening quote, to `end`, just past the closing
  /// one), its `""` rewritten as `"` in place; nil when the quotes are not paired. Out of line: few fields are
  /// quoted, and the index's loop keeps its registers.
  @inline(never)
  private static func unquoted(_ data: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int)? {
    guard end - start >= 2, data[end - 1] == 0x22 else { return nil }
    guard memchr(data + start + 1, 0x22, end - start - 2) != nil else { return (start + 1, end - 1) }
    return undouble(data, start + 1, end - 1).map { (start + 1, $0) }
  }

  /// Rewrites a quoted field's `""` as `"` in place; its new end, or nil for a quote that is not doubled.
  private static func undouble(_ data: UnsafeMutablePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
    var read = start
    var write = start
    while read < end {
      let byte = data[read]
      if byte == 0x22 {
        guard read + 1 < end, data[read + 1] == 0x22 else { return nil }
        read += 1
      }
      data[write] = byte
      write += 1
      read += 1
    }
    return write
  }

  /// Calls `body` with each record, passing over blank ones as the CSV reader passes over blank lines; an
  /// error that names the companion when its spans do not fit the CSV's bytes.
  func forEachRecord(_ body: (CSVRawRecord) throws -> Void) throws {
    try forEachRecord(body, then: {})
  }

  /// As `forEachRecord(_:)`, handing the records over in groups of up to `size`, valid only during the call.
  func forEachGroup(of size: Int, _ body: ([CSVRawRecord]) throws -> Void) throws {
    var group: [CSVRawRecord] = []
    group.reserveCapacity(size)
    try forEachRecord { record in
      group.append(record)
      if group.count == size {
        try body(group)
        group.removeAll(keepingCapacity: true)
      }
    } then: {
      if !group.isEmpty { try body(group) }
    }
  }

  /// Calls `body` with each record, then `last` while the records are still valid.
  private func forEachRecord(_ body: (CSVRawRecord) throws -> Void, then last: () throws -> Void) throws {
    if !indexed {
      guard index() else {
        throw StagedRowsReader.damaged(companion, csv, "its fields do not fit the CSV's bytes")
      }
      indexed = true
    }
    let table = UnsafeRawBufferPointer(start: buffer.base, count: tableBytes)
    let data = UnsafeRawBufferPointer(
      start: buffer.base + tableBytes + lengthBytes, count: buffer.count - tableBytes - lengthBytes)
    try starts.withUnsafeBufferPointer { startsBuffer in
      try ends.withUnsafeBufferPointer { endsBuffer in
        var firstField = 0
        for index in 0..<recordCount {
          let line = Int(table.loadUnaligned(fromByteOffset: index * 8, as: UInt32.self))
          let count = Int(table.loadUnaligned(fromByteOffset: index * 8 + 4, as: UInt32.self))
          let record = CSVRawRecord(
            line: line, bytes: data, fieldStarts: startsBuffer, fieldEnds: endsBuffer, firstField: firstField,
            count: count)
          if count > 1 || (count == 1 && !CSVFile.isBlank(record.field(0))) { try body(record) }
          firstField += count
        }
        try last()
      }
    }
  }
}
