/// The binary companion of a staged CSV (`ingested.rows` beside `ingested.csv`): the same records, already
/// split into fields, so the next stage reads them at memory speed instead of parsing the CSV again.
///
/// The CSV stays the artefact people read and the contract between stages; the companion is only a faster way
/// to read it. A reader takes the companion only when it is complete and fresh (its trailer names the CSV's
/// size, and the CSV is not newer than it), else it parses the CSV through libcsv: a hand-edited CSV, a run
/// folder from before companions, or a test's fixture all read as before. Both paths give the same records
/// with the same line numbers (the CSV's physical lines).
///
/// Layout, little-endian: `magic`, the header as one block, then blocks of records, then the trailer.
/// A block is `u32 records, u32 fields, u32 lengthBytes, u32 bytes`, then per record `u32 line, u32 fields`,
/// then each field's length (one byte below 255, else 255 and a `u32`), then the field bytes. The trailer is a
/// block header of `0xFFFF_FFFF, 0, 0, 0` followed by `u64 csvBytes, u64 records` and `endMagic`.

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

enum StagedRows {
  static let magic = Array("SURVEYROWS1\n".utf8)
  static let endMagic = Array("ENDROWS1".utf8)
  static let trailerMark: UInt32 = 0xFFFF_FFFF
  /// A block header's size: four `u32`.
  static let blockHeaderSize = 16
  /// The trailer's size: block header, two counts, end magic.
  static let trailerSize = blockHeaderSize + 16 + 8

  /// The extension of a companion's name.
  static let fileExtension = "rows"

  /// `ingested.csv` → `ingested.rows`, in the same folder.
  static func companion(of csv: URL) -> URL {
    csv.deletingPathExtension().appendingPathExtension(fileExtension)
  }

  /// Calls `header` with the header row, then `row` with every record, from the companion when it is fresh,
  /// else from the CSV (as `CSVFile.forEachRawRow` reads it).
  static func forEachRow(
    _ csv: URL, header: ([String]) throws -> Void, row: (CSVRawRecord) throws -> Void
  ) throws {
    if let reader = StagedRowsReader(companionOf: csv) {
      try reader.forEach(header: header, row: row)
    } else {
      try CSVFile.forEachRawRow(csv, header: header, row: row)
    }
  }
}

/// Records on their way into a companion, gathered beside a batch of CSV lines: their field bytes one after
/// another, each field's length as a block holds it, and per record its line breaks and field count, until
/// `StagedRowsWriter.append(_:)` numbers their lines and writes them as one block.
///
/// A stage that builds its rows in batches (ingest) fills one of these beside each batch: a row costs one more
/// copy of its field bytes, and the block is written from here. It owns its buffers' memory: keep one copy of
/// it, and free it with `deallocate()`.
struct StagedRowsBatch {
  fileprivate var bytes = ByteBuffer(capacity: 1 << 16)
  fileprivate var lengths = ByteBuffer(capacity: 1 << 12)
  /// `u32 breaks, u32 fields` per record: the line breaks inside its fields, made its line by `number(from:)`.
  fileprivate var entries = ByteBuffer(capacity: 1 << 12)
  fileprivate var fieldCount = 0
  /// The records ended so far.
  private(set) var count = 0
  /// The fields of the record in progress.
  private(set) var openFields = 0
  private var openBreaks = 0

  /// Appends a field to the record in progress. With `mayBreakLines` false the caller vouches that the field
  /// holds no CR or LF (a cell whose `UTF8Bytes.traits` has no `.needsQuotes`), and it is not scanned for them.
  @inline(__always)
  mutating func appendField(_ field: UnsafeRawBufferPointer, mayBreakLines: Bool = true) {
    let length = field.count
    bytes.append(field)
    if length < 255 {
      lengths.append(UInt8(truncatingIfNeeded: length))
    } else {
      appendLongLength(length)
    }
    openFields += 1
    if mayBreakLines { openBreaks += UTF8Bytes.lineBreaks(in: field) }
  }

  /// A length of 255 or more: 255, then the length as a `u32`. Kept out of `appendField`, so that its common
  /// path is small enough to be inlined where a row's cells are written.
  @inline(never)
  private mutating func appendLongLength(_ length: Int) {
    lengths.append(255)
    withUnsafeBytes(of: UInt32(length).littleEndian) { lengths.append($0) }
  }

  mutating func appendField(_ field: String) {
    var field = field
    field.withUTF8 { appendField(UnsafeRawBufferPointer($0)) }
  }

  /// Appends an empty field to the record in progress.
  @inline(__always)
  mutating func appendEmptyField() {
    lengths.append(0)
    openFields += 1
  }

  /// Ends the record in progress: the fields appended since the one before ended.
  @inline(__always)
  mutating func endRecord() {
    withUnsafeBytes(of: (UInt32(truncatingIfNeeded: openBreaks).littleEndian, UInt32(openFields).littleEndian)) {
      entries.append($0)
    }
    fieldCount += openFields
    count += 1
    openFields = 0
    openBreaks = 0
  }

  /// Drops every record and field, the record in progress too.
  mutating func removeAll() {
    bytes.removeAll()
    lengths.removeAll()
    entries.removeAll()
    fieldCount = 0
    count = 0
    openFields = 0
    openBreaks = 0
  }

  func deallocate() {
    bytes.deallocate()
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
/// Lines are counted as the CSV writer writes the same cells: the header on line 1, each record on the line
/// after the last line break of the one before. Records come one at a time, or a batch at a time
/// (`append(_:)`); `mark()` and `rollBack(to:)` take records back out, as `CSVWriter`'s do for the CSV.
final class StagedRowsWriter {
  private let file: AtomicFileWriter
  /// The block being filled by records appended one at a time, written out at `blockBytes`.
  private var pending = StagedRowsBatch()
  private var nextLine = 1
  private var records: UInt64 = 0
  private let blockBytes: Int

  /// - Parameter blockBytes: field bytes per block (tests make blocks small to have many).
  init(_ destination: URL, header: [String], blockBytes: Int = 1 << 20) throws {
    self.blockBytes = blockBytes
    file = try AtomicFileWriter(destination)
    try file.write(bytes: StagedRows.magic)
    for name in header { pending.appendField(name) }
    pending.endRecord()
    try write(&pending, counted: false)  // the header is a block of its own, not counted as a record
  }

  deinit { pending.deallocate() }

  /// Appends a field to the record in progress.
  func appendField(_ field: UnsafeRawBufferPointer) { pending.appendField(field) }

  func appendField(_ field: String) { pending.appendField(field) }

  /// Ends the record in progress.
  func endRecord() throws {
    pending.endRecord()
    if pending.bytes.count >= blockBytes { try write(&pending) }
  }

  /// Appends one whole record: `fields` calls the function it is given with each field in turn.
  ///
  /// The same as `appendField` for each field, then `endRecord`, with the writer's state touched once per record
  /// rather than per field (each touch of a class's stored property is an exclusivity check).
  func appendRecord(_ fields: ((UnsafeRawBufferPointer) -> Void) -> Void) throws {
    var batch = pending
    fields { batch.appendField($0) }
    batch.endRecord()
    pending = batch
    if pending.bytes.count >= blockBytes { try write(&pending) }
  }

  /// Appends the records of `batch` as one block, after those appended one by one before, leaving it empty.
  func append(_ batch: inout StagedRowsBatch) throws {
    try write(&pending)
    try write(&batch)
  }

  /// Writes `batch` as one block, its records numbered from `nextLine`, and empties it.
  private func write(_ batch: inout StagedRowsBatch, counted: Bool = true) throws {
    precondition(batch.openFields == 0, "a batch was appended with a record not ended")
    guard batch.count > 0 else { return }
    precondition(batch.bytes.count <= Int(UInt32.max), "a batch of \(batch.bytes.count) bytes is too large")
    batch.number(from: &nextLine)
    let head: [UInt32] = [
      UInt32(batch.count), UInt32(batch.fieldCount), UInt32(batch.lengths.count), UInt32(batch.bytes.count),
    ]
    try head.withUnsafeBytes { try file.write(raw: $0) }
    try file.write(raw: batch.entries.bytes)
    try file.write(raw: batch.lengths.bytes)
    try file.write(raw: batch.bytes.bytes)
    if counted { records += UInt64(batch.count) }
    batch.removeAll()
  }

  /// Where the companion stands, for `rollBack(to:)`.
  struct Mark {
    fileprivate var bytes: UInt64
    fileprivate var nextLine: Int
    fileprivate var records: UInt64
  }

  /// The current end of the companion. Records appended one by one are written out first, so that a mark
  /// always falls between blocks and a roll back only has to cut the file.
  func mark() throws -> Mark {
    try write(&pending)
    return Mark(bytes: file.position, nextLine: nextLine, records: records)
  }

  /// Cuts the companion back to `mark`, forgetting the records appended since, and numbering the next record
  /// as it would have been numbered then.
  func rollBack(to mark: Mark) throws {
    pending.removeAll()
    try file.truncate(to: mark.bytes)
    nextLine = mark.nextLine
    records = mark.records
  }

  /// Seals the companion with the size of `csv`, which must already be in place, and renames it into place.
  func commit(csv: URL) throws {
    try write(&pending)
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

/// Reads a companion that `StagedRowsWriter` sealed.
struct StagedRowsReader {
  let url: URL
  let size: Int

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
    let words = tail.withUnsafeBytes { raw in (0..<8).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self) } }
    let csvBytes = UInt64(words[4]) | UInt64(words[5]) << 32
    guard words[0] == StagedRows.trailerMark, Array(tail.suffix(8)) == StagedRows.endMagic,
      csvBytes == UInt64(table.st_size)
    else { return nil }
    self.url = url
    self.size = size
  }

  private static func modified(_ status: stat) -> Double {
    #if canImport(Darwin)
      Double(status.st_mtimespec.tv_sec) + Double(status.st_mtimespec.tv_nsec) / 1e9
    #else
      Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
    #endif
  }

  private func damaged(_ what: String) -> PipelineError {
    PipelineError(
      .badInput,
      "\(url.lastPathComponent) is damaged (\(what)): delete it and the stage reads "
        + "\(url.deletingPathExtension().lastPathComponent).csv instead")
  }

  func forEach(header: ([String]) throws -> Void, row: (CSVRawRecord) throws -> Void) throws {
    try withBlocks(header: header) { next, recycle in
      while let block = try next() {
        try block.forEach(row)
        recycle(block)
      }
    }
  }

  /// Reads the header, then hands `body` a function that reads the next block of records (nil after the last),
  /// and one that takes back a block done with, to be filled again. Each block owns its memory, so blocks may
  /// be read ahead and worked on by other threads.
  func withBlocks<T>(
    header: ([String]) throws -> Void,
    _ body: (_ next: () throws -> StagedRowsBlock?, _ recycle: (StagedRowsBlock) -> Void) throws -> T
  ) throws -> T {
    let fd = open(url.path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw PipelineError(.missingInput, "cannot open \(url.path)") }
    defer { close(fd) }
    var position = StagedRows.magic.count
    func readExactly(_ count: Int, into buffer: inout ByteBuffer) throws {
      buffer.removeAll()
      buffer.reserve(count)
      var done = 0
      while done < count {
        let got = pread(fd, buffer.base + done, count - done, off_t(position + done))
        if got < 0 && errno == EINTR { continue }
        guard got > 0 else { throw damaged("it ends early") }
        done += got
      }
      buffer.setCount(count)
      position += count
    }
    var head = ByteBuffer(capacity: StagedRows.blockHeaderSize)
    defer { head.deallocate() }
    var spares: [StagedRowsBlock] = []
    func next() throws -> StagedRowsBlock? {
      let headSize = StagedRows.blockHeaderSize
      guard position + headSize <= size else { throw damaged("no trailer") }
      try readExactly(headSize, into: &head)
      let (records, fields, lengthBytes, byteCount) = head.bytes.withMemoryRebound(to: UInt32.self) {
        (Int($0[0]), Int($0[1]), Int($0[2]), Int($0[3]))
      }
      if records == Int(StagedRows.trailerMark) { return nil }
      let tableBytes = records * 8
      guard position + tableBytes + lengthBytes + byteCount <= size - StagedRows.trailerSize + headSize else {
        throw damaged("a block runs past the end")
      }
      let block = spares.popLast() ?? StagedRowsBlock()
      block.reset(records: records, fields: fields, tableBytes: tableBytes, lengthBytes: lengthBytes)
      try readExactly(tableBytes + lengthBytes + byteCount, into: &block.buffer)
      guard block.index() else { throw damaged("its fields do not fit their block") }
      return block
    }
    var seenHeader = false
    while !seenHeader, let block = try next() {
      guard block.recordCount > 0 else { continue }
      try block.forEach { record in
        if seenHeader { throw damaged("a header block holds more than the header") }
        seenHeader = true
        try header(record.record.fields)
      }
    }
    return try body(next) { spares.append($0) }
  }
}

/// One block of a companion's records, in memory it owns.
final class StagedRowsBlock: @unchecked Sendable {
  private(set) var recordCount = 0
  private var fieldCount = 0
  private var tableBytes = 0
  private var lengthBytes = 0
  fileprivate var buffer = ByteBuffer(capacity: 1 << 16)
  private var ends: [Int] = []

  fileprivate init() {}

  fileprivate func reset(records: Int, fields: Int, tableBytes: Int, lengthBytes: Int) {
    recordCount = records
    fieldCount = fields
    self.tableBytes = tableBytes
    self.lengthBytes = lengthBytes
    ends.removeAll(keepingCapacity: true)
  }

  deinit { buffer.deallocate() }

  /// Turns the field lengths into end offsets; false when they do not fit the block.
  fileprivate func index() -> Bool {
    let block = buffer.bytes
    let lengths = UnsafeRawBufferPointer(rebasing: block[tableBytes..<tableBytes + lengthBytes])
    let dataCount = block.count - tableBytes - lengthBytes
    ends.reserveCapacity(fieldCount)
    var end = 0
    var at = 0
    while at < lengths.count {
      var length = Int(lengths[at])
      at += 1
      if length == 255 {
        guard at + 4 <= lengths.count else { return false }
        length = Int(UInt32(littleEndian: lengths.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        at += 4
      }
      end += length
      ends.append(end)
    }
    guard ends.count == fieldCount, end <= dataCount else { return false }
    var firstField = 0
    for index in 0..<recordCount {
      firstField += Int(block.loadUnaligned(fromByteOffset: index * 8 + 4, as: UInt32.self))
      guard firstField <= fieldCount else { return false }
    }
    return true
  }

  /// Calls `body` with each record, passing over blank ones as the CSV reader passes over blank lines.
  func forEach(_ body: (CSVRawRecord) throws -> Void) rethrows {
    let block = buffer.bytes
    let table = UnsafeRawBufferPointer(rebasing: block[0..<tableBytes])
    let data = UnsafeRawBufferPointer(rebasing: block[(tableBytes + lengthBytes)...])
    try ends.withUnsafeBufferPointer { endsBuffer in
      var firstField = 0
      for index in 0..<recordCount {
        let line = Int(table.loadUnaligned(fromByteOffset: index * 8, as: UInt32.self))
        let count = Int(table.loadUnaligned(fromByteOffset: index * 8 + 4, as: UInt32.self))
        let record = CSVRawRecord(line: line, bytes: data, fieldEnds: endsBuffer, firstField: firstField, count: count)
        if count > 1 || (count == 1 && !CSVFile.isBlank(record.field(0))) { try body(record) }
        firstField += count
      }
    }
  }
}
