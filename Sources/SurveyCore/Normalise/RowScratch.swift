// The countable rows of a normalise run, held on disk until duplicates are
// known: one record per row with what deduplication, duplicates.csv and the
// counts need of it, and, when the rows must be sorted before they are
// written, its establishments.csv cells already packed
// (`StagedText.appendFields`). Records are addressed by their offset, which
// also orders them (they are written in output order).

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The fixed part of one scratch record.
struct ScratchRecordHeader {
  /// Bytes of the whole record, this header included.
  var size: UInt32
  /// Index into the stage's table of source files.
  var file: UInt32
  var line: Int
  /// The packed tax code (`TaxKey`), 0 when the row has none.
  var tax: UInt64
  /// The packed survey date (`yyyymmdd`), 0 when there is none.
  var date: UInt32
  /// Bytes of the packed establishments.csv cells, the name and the identity that follow the header.
  var fieldsBytes: UInt32
  var nameBytes: UInt32
  var identityBytes: UInt32
  var flags: ScratchFlags
  /// The row's district (`RowNormaliser.districtOrdinal`), 0 for none: a merge by tax code across two districts is
  /// remarked (the code may be mistyped), and the rows written in order keep no cells here to read it from.
  var district: UInt16
  /// The record's place among the file's records, from 0: the row's place in the tentative establishments.csv.
  var ordinal: UInt32 = 0

  static let size = MemoryLayout<ScratchRecordHeader>.size
}

/// What the stage remembers of a row for its counts.
struct ScratchFlags: OptionSet {
  var rawValue: UInt16
  /// Counted among the rows with remarks: its `problems` cell is filled, and not only with the place note of an
  /// analyst's decision.
  static let remarked = ScratchFlags(rawValue: 1)
  /// A value entry of the corrections settled it, and a `duplicate` decision names it: the row counts once among
  /// the corrections applied, however many entries settled it.
  static let correctedByValue = ScratchFlags(rawValue: 2)
  /// A row with a tax code whose identity bytes (its place) end with the 8 bytes of its identity's
  /// `WordFolding.identityHash`, made in the row worker.
  static let identityHashed = ScratchFlags(rawValue: 4)
  /// The row's survey date was after the run's day, and taken as none: duplicates.csv says so if it is merged.
  static let dateAfterRun = ScratchFlags(rawValue: 8)
}

/// One record read back: its header and its variable parts.
struct ScratchRecord {
  var offset: UInt64
  var header: ScratchRecordHeader
  /// The packed establishments.csv cells (none when they went straight to the file), name and identity, in that
  /// order.
  var body: UnsafeRawBufferPointer

  var fields: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: body[0..<Int(header.fieldsBytes)]) }
  var name: String {
    let start = Int(header.fieldsBytes)
    return String(decoding: body[start..<start + Int(header.nameBytes)], as: UTF8.self)
  }
  var identity: String? {
    guard header.tax == 0 else { return nil }
    return String(decoding: identityBytes, as: UTF8.self)
  }
  /// The identity's bytes: for a row with a tax code, only its district and commune (`CountedRow.identityPlace`).
  var identityBytes: UnsafeRawBufferPointer {
    let start = Int(header.fieldsBytes) + Int(header.nameBytes)
    return UnsafeRawBufferPointer(rebasing: body[start..<start + Int(header.identityBytes)])
  }
}

/// `close(2)`, out of reach of `RowScratch.close()` inside the class.
private func closeDescriptor(_ fd: Int32) { close(fd) }

/// An unlinked temporary file of records: appended, then read back in order or at an offset.
final class RowScratch {
  private var fd: Int32
  private let path: String
  /// Unchecked, and a ByteBuffer: each row appends four parts here, and `Array`'s generic append and the runtime's
  /// exclusivity checks cost more than the copies. Only the stage's thread uses a scratch file.
  @exclusivity(unchecked) private var buffer = ByteBuffer(capacity: RowScratch.flushThreshold + (1 << 16))
  /// Bytes already in the file; everything after is in `buffer`.
  @exclusivity(unchecked) private var flushed: UInt64 = 0
  private static let flushThreshold = 1 << 20

  /// Bytes written so far: the offset of the next record.
  var size: UInt64 { flushed + UInt64(buffer.count) }
  /// Records appended so far.
  private(set) var count = 0

  init(in directory: URL, name: String) throws {
    let path = directory.appendingPathComponent(".\(name).scratch-\(getpid())").path
    self.path = path
    // Unlinked at once, so it is gone with the process, whatever happens to it; both inside the gate, so that a
    // stage stopped with SIGTERM meanwhile never leaves it named in the run folder.
    let made = TemporaryFileGate.create(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, mode: 0o600, unlinked: true)
    guard let made else { throw PipelineError(.io, "cannot create \(path): the stage is being stopped") }
    guard made >= 0 else {
      throw PipelineError(.io, "cannot create a scratch file in \(directory.path): \(DiskAdvice.create(-made))")
    }
    fd = made
  }

  deinit {
    if fd >= 0 { closeDescriptor(fd) }
    buffer.deallocate()
  }

  /// Closes the file, which nothing reads after: the system then drops its pages from the cache (tens of
  /// megabytes at a million rows), a few milliseconds the stage spends while it waits for establishments.csv to
  /// reach the disk rather than after. Nothing may be read or appended after this.
  func close() {
    guard fd >= 0 else { return }
    closeDescriptor(fd)
    fd = -1
  }

  /// Appends one record; its bytes are the header's parts.
  func append(
    file: UInt32, line: Int, tax: UInt64, date: UInt32, flags: ScratchFlags = [], district: UInt16 = 0,
    fields: [UInt8], name: String, identity: String
  ) throws {
    var name = name
    try fields.withUnsafeBytes { fields in
      try name.withUTF8 { name in
        try append(
          file: file, line: line, tax: tax, date: date, flags: flags, district: district, fields: fields,
          name: UnsafeRawBufferPointer(name), identity: identity)
      }
    }
  }

  /// Appends one record from the packed cells and the name's bytes; the identity is `identity` (a row without a
  /// tax code), else the bytes of `place` (a row with one: `CountedRow.identityPlace`).
  func append(
    file: UInt32, line: Int, tax: UInt64, date: UInt32, flags: ScratchFlags, district: UInt16,
    fields: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer, identity: String,
    place: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
  ) throws {
    let identityUTF8 = identity.utf8
    let identityCount = identityUTF8.count + place.count
    let header = ScratchRecordHeader(
      size: UInt32(ScratchRecordHeader.size + fields.count + name.count + identityCount), file: file,
      line: line, tax: tax, date: date, fieldsBytes: UInt32(fields.count), nameBytes: UInt32(name.count),
      identityBytes: UInt32(identityCount), flags: flags, district: district,
      ordinal: UInt32(truncatingIfNeeded: count))
    count += 1
    withUnsafeBytes(of: header) { buffer.append($0) }
    buffer.append(fields)
    buffer.append(name)
    // Most rows have a tax code and no identity: taking the empty String's bytes retained and released it twice.
    if !identityUTF8.isEmpty {
      var identity = identity
      identity.withUTF8 { buffer.append(UnsafeRawBufferPointer($0)) }
    }
    buffer.append(place)
    if buffer.count >= Self.flushThreshold { try flush() }
  }

  /// Appends a record read from another scratch file.
  func append(_ record: ScratchRecord) throws {
    var header = record.header
    header.ordinal = UInt32(truncatingIfNeeded: count)
    count += 1
    withUnsafeBytes(of: header) { buffer.append($0) }
    buffer.append(record.body)
    if buffer.count >= Self.flushThreshold { try flush() }
  }

  /// Writes the buffer out; only whole records are ever buffered, so a record is in the file or in the buffer.
  func flush() throws {
    guard buffer.count > 0 else { return }
    precondition(fd >= 0, "a scratch file was written after it was closed")
    guard FileRange.write(fd, buffer.bytes, at: Int(flushed)) else {
      throw DiskAdvice.writeFailure("write the scratch file", path, errno)
    }
    flushed += UInt64(buffer.count)
    buffer.removeAll()
  }

  /// Reads the record at `offset` and passes it to `body` (its bytes are valid only there).
  func withRecord<T>(at offset: UInt64, _ body: (ScratchRecord) throws -> T) throws -> T {
    if offset >= flushed {
      return try body(Self.record(in: buffer.bytes, at: Int(offset - flushed), offset: offset))
    }
    let header = try read(
      UnsafeMutableRawBufferPointer.allocate(byteCount: ScratchRecordHeader.size, alignment: 8), at: offset)
    defer { header.deallocate() }
    let size = Int(header.loadUnaligned(as: ScratchRecordHeader.self).size)
    let whole = try read(UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8), at: offset)
    defer { whole.deallocate() }
    return try body(Self.record(in: UnsafeRawBufferPointer(whole), at: 0, offset: offset))
  }

  /// Calls `body` with every record from the start, in order.
  func forEachRecord(_ body: (ScratchRecord) throws -> Void) throws {
    try flush()
    var chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 4 << 20, alignment: 8)
    defer { chunk.deallocate() }
    var offset: UInt64 = 0
    while offset < flushed {
      let wanted = min(chunk.count, Int(flushed - offset))
      try fill(UnsafeMutableRawBufferPointer(rebasing: chunk[0..<wanted]), at: offset)
      var position = 0
      while position + ScratchRecordHeader.size <= wanted {
        let size = Int(UnsafeRawBufferPointer(chunk).loadUnaligned(fromByteOffset: position, as: UInt32.self))
        if position + size > wanted { break }
        try body(Self.record(in: UnsafeRawBufferPointer(chunk), at: position, offset: offset + UInt64(position)))
        position += size
      }
      if position == 0 {
        // A record larger than the chunk: read it with a chunk its size.
        let size = Int(UnsafeRawBufferPointer(chunk).loadUnaligned(as: UInt32.self))
        chunk.deallocate()
        chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: max(size, 4 << 20), alignment: 8)
        continue
      }
      offset += UInt64(position)
    }
  }

  private static func record(in bytes: UnsafeRawBufferPointer, at position: Int, offset: UInt64) -> ScratchRecord {
    let header = bytes.loadUnaligned(fromByteOffset: position, as: ScratchRecordHeader.self)
    let body = UnsafeRawBufferPointer(
      rebasing: bytes[(position + ScratchRecordHeader.size)..<(position + Int(header.size))])
    return ScratchRecord(offset: offset, header: header, body: body)
  }

  private func read(_ target: UnsafeMutableRawBufferPointer, at offset: UInt64) throws
    -> UnsafeMutableRawBufferPointer
  {
    do {
      try fill(target, at: offset)
    } catch {
      target.deallocate()
      throw error
    }
    return target
  }

  private func fill(_ target: UnsafeMutableRawBufferPointer, at offset: UInt64) throws {
    precondition(fd >= 0, "a scratch file was read after it was closed")
    do {
      try FileRange.read(fd, into: target, at: Int(offset))
    } catch {
      throw PipelineError(
        .io,
        "cannot read back the scratch file \(path): \(error == .failed ? String(cString: strerror(errno)) : "short file")"
      )
    }
  }
}
