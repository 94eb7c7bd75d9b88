/// One read of an input file serves the parser and its SHA-256 alike.
///
/// Ingest used to read a file three times: for its digest, for the census that tells UTF-8 from
/// Windows-1258, and to parse it. Here each byte is read in blocks (`blockSize`), hashed the first time it is read,
/// and handed to the parser in the 64 KiB pieces it always took, so that parse errors and limits fall exactly
/// where they did. The census is a pass of its own, needed only when the file is not all well-formed UTF-8.
///
/// While the parser runs on a thread of its own (`ParseJob`), the bytes it reads are hashed on the thread that
/// takes its batches instead (`leaveHashingToReader`, `hash(_:at:)`): the parsing thread sets ingest's pace.
import Crypto

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file read sequentially in blocks, hashed as it goes.
final class InputBytes {
  /// The piece the parser takes at a time: the chunk size ingest has always parsed in.
  static let pieceSize = 1 << 16
  /// What one `read` takes: small enough for the block to stay in the core's own cache (512 KiB on the benchmark's
  /// machine) from one read to the next. The kernel's copy into a 1 MiB block missed that cache on the lines it
  /// stored: `_copy_to_iter` was 3.4% of ingest's samples at 1,000,000 rows, 1.0% with 128 KiB, and ingest took
  /// 1.52 s against 1.46 s (the parsing thread sets its pace; `scripts/bench/ROUNDS.md`, fortieth round).
  static let blockSize = 1 << 17

  let name: String
  private let descriptor: Int32
  private let block: UnsafeMutableRawBufferPointer
  /// File offset of `block[0]`, valid bytes in the block, and where the next piece starts in it.
  private var blockStart = 0
  private var blockCount = 0
  private var cursor = 0
  /// How far into the file the digest has read: bytes past it are new.
  private var hashed = 0
  private var hasher = SHA256()
  /// Set from `leaveHashingToReader` to `finish`: `fill` then hashes nothing, and `hash(_:at:)` does.
  private var hashingLeft = false
  /// Where in the file the piece `nextPiece` gave last starts.
  private(set) var pieceOffset = 0

  /// Opens the file; nil when it cannot be opened for reading.
  init?(path: String, name: String) {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    self.descriptor = descriptor
    self.name = name
    block = .allocate(byteCount: Self.blockSize, alignment: 16)
  }

  deinit {
    close(descriptor)
    block.deallocate()
  }

  /// The next piece of at most `pieceSize` bytes, valid until the next call; nil at the end of the file.
  func nextPiece() throws -> UnsafeRawBufferPointer? {
    if cursor == blockCount {
      try fill()
      if blockCount == 0 { return nil }
    }
    let count = min(Self.pieceSize, blockCount - cursor)
    pieceOffset = blockStart + cursor
    defer { cursor += count }
    return UnsafeRawBufferPointer(rebasing: block[cursor..<(cursor + count)])
  }

  /// Goes back to the start of the file; bytes read again are not hashed again.
  func restart() throws {
    cursor = 0
    guard blockStart != 0 else { return }
    guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw failure("seek in") }
    blockStart = 0
    blockCount = 0
  }

  /// Until `finish`, the bytes read are hashed only when the thread that reads the parsed batches passes them to
  /// `hash(_:at:)`; the parsing thread only reads. Call before that thread starts.
  ///
  /// The SHA-256 was a tenth of the parsing thread's samples, and that thread had the most work of ingest's two.
  func leaveHashingToReader() { hashingLeft = true }

  /// Hashes `bytes`, the file's bytes from `offset`, as far as they are new. Pieces come in file order; one
  /// that would leave a gap is not hashed, and `finish` reads the file again from the gap.
  func hash(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
    let end = offset + bytes.count
    guard offset <= hashed, end > hashed else { return }
    hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[(hashed - offset)...]))
    hashed = end
  }

  /// Reads whatever is not hashed yet, from where the digest stopped, and gives the file's SHA-256 in lowercase
  /// hex. After `leaveHashingToReader`, that includes what was read but not handed to `hash(_:at:)` (the reading
  /// thread stopped early at a bad file). The parsing thread must have stopped.
  func finish() throws -> String {
    hashingLeft = false
    if blockStart + blockCount != hashed {
      guard lseek(descriptor, off_t(hashed), SEEK_SET) == off_t(hashed) else { throw failure("seek in") }
      (blockStart, blockCount, cursor) = (hashed, 0, 0)
    }
    repeat { try fill() } while blockCount > 0
    return FileDigest.hex(hasher.finalize())
  }

  /// Reads the whole file again to tell UTF-8 from Windows-1258 by a census of its bytes.
  func census() throws -> TextEncoding {
    try restart()
    var census = UTF8Census()
    while let piece = try nextPiece() { census.scan(piece) }
    census.finish()
    return census.verdict
  }

  private func fill() throws {
    blockStart += blockCount
    cursor = 0
    blockCount = 0
    while blockCount < Self.blockSize {
      let got = read(descriptor, block.baseAddress! + blockCount, Self.blockSize - blockCount)
      if got < 0 {
        if errno == EINTR { continue }
        throw failure("read")
      }
      if got == 0 { break }
      blockCount += got
    }
    let end = blockStart + blockCount
    guard !hashingLeft, end > hashed, hashed >= blockStart else { return }
    let fresh = UnsafeRawBufferPointer(rebasing: block[(hashed - blockStart)..<blockCount])
    hasher.update(bufferPointer: fresh)
    hashed = end
  }

  private func failure(_ verb: String) -> PipelineError {
    PipelineError(.io, "cannot \(verb) \(name): \(String(cString: strerror(errno)))")
  }
}
