/// One read of an input file serves the parser and its SHA-256 alike.
///
/// Ingest used to read a file three times: for its digest, for the census that tells UTF-8 from
/// Windows-1258, and to parse it. Here each byte is read in 1 MiB blocks, hashed the first time it is read,
/// and handed to the parser in the 64 KiB pieces it always took, so that parse errors and limits fall exactly
/// where they did. The census is a pass of its own, needed only when the file is not all well-formed UTF-8.
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
  static let blockSize = 1 << 20

  let name: String
  private let descriptor: Int32
  private let block: UnsafeMutableRawBufferPointer
  /// File offset of `block[0]`, valid bytes in the block, and where the next piece starts in it.
  private var blockStart = 0
  private var blockCount = 0
  private var cursor = 0
  /// How far into the file the digest has read: bytes past it are new.
  private var seen = 0
  private var hasher = SHA256()

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

  /// Reads whatever is left and gives the file's SHA-256 in lowercase hex.
  func finish() throws -> String {
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
    guard end > seen else { return }
    let fresh = UnsafeRawBufferPointer(rebasing: block[(seen - blockStart)..<blockCount])
    hasher.update(bufferPointer: fresh)
    seen = end
  }

  private func failure(_ verb: String) -> PipelineError {
    PipelineError(.io, "cannot \(verb) \(name): \(String(cString: strerror(errno)))")
  }
}
