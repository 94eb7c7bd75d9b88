/// Whole reads and writes at an offset: what normalise's scratch file and the in-place rewrite of a staged CSV
/// rely on, and what their errors say when the system refuses.
import Foundation
import Testing

@testable import SurveyCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct FileRangeTests {
  /// A write at an offset lands there whole, over what was there, and a read at an offset gives it back.
  @Test func writesAndReadsWholeRangesAtTheirOffsets() throws {
    let folder = try TemporaryFolder("file-range")
    defer { folder.cleanUp() }
    let path = folder.file("range.bin").path
    let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    try #require(descriptor >= 0)
    defer { close(descriptor) }
    let first = Array("source_file,source_line\n".utf8)
    let second = Array(repeating: UInt8(ascii: "x"), count: 300_000)
    #expect(first.withUnsafeBytes { FileRange.write(descriptor, $0, at: 0) })
    #expect(second.withUnsafeBytes { FileRange.write(descriptor, $0, at: first.count) })
    // Over the start of the second range: the file keeps its length.
    #expect(Array("yy".utf8).withUnsafeBytes { FileRange.write(descriptor, $0, at: first.count) })
    var back = [UInt8](repeating: 0, count: first.count + 4)
    try back.withUnsafeMutableBytes { try FileRange.read(descriptor, into: $0, at: 0) }
    #expect(back == first + Array("yyxx".utf8))
    var tail = [UInt8](repeating: 0, count: 10)
    try tail.withUnsafeMutableBytes { try FileRange.read(descriptor, into: $0, at: first.count + second.count - 10) }
    #expect(tail == Array(repeating: UInt8(ascii: "x"), count: 10))
    #expect(lseek(descriptor, 0, SEEK_END) == off_t(first.count + second.count))
  }

  /// A read past the end says the file ended, not that the system refused: the caller names a file cut short.
  @Test func aReadPastTheEndIsShort() throws {
    try withReadOnlyFile(holding: "abc") { descriptor in
      var target = [UInt8](repeating: 0, count: 4)
      #expect(throws: FileRange.ReadFailure.short) {
        try target.withUnsafeMutableBytes { try FileRange.read(descriptor, into: $0, at: 0) }
      }
    }
  }

  /// A refused write is false with the system's reason in `errno`, which the callers put in their error.
  @Test func aRefusedWriteIsFalseWithTheSystemsReason() throws {
    try withReadOnlyFile(holding: "abc") { descriptor in
      errno = 0
      #expect(!Array("x".utf8).withUnsafeBytes { FileRange.write(descriptor, $0, at: 0) })
      #expect(errno == EBADF)
    }
  }

  /// Calls `body` with a descriptor open for reading only on a new file holding `text`.
  private func withReadOnlyFile(holding text: String, _ body: (Int32) throws -> Void) throws {
    let folder = try TemporaryFolder("file-range")
    defer { folder.cleanUp() }
    let url = folder.file("range.bin")
    try Data(text.utf8).write(to: url)
    let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
    try #require(descriptor >= 0)
    defer { close(descriptor) }
    try body(descriptor)
  }
}
