/// The SHA-256 digests the summaries and the manifest record, checked against known answers: ingest's digest
/// of each survey and the reference tables' digests are compared with these from one run to the next.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct FileDigestTests {
  /// FIPS 180-2's examples, in lowercase hex.
  @Test func digestsAreTheStandardsAnswersInLowercaseHex() throws {
    #expect(FileDigest.sha256(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let folder = try TemporaryFolder("file-digest")
    defer { folder.cleanUp() }
    let empty = folder.file("empty.csv")
    try Data().write(to: empty)
    #expect(FileDigest.sha256(of: empty) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(FileDigest.sha256(of: folder.file("missing.csv")) == nil)
    #expect(FileDigest.sha256(of: folder.url) == nil)
    // A million "a": several of the chunks it is read in, the last one part full.
    let long = folder.file("long.csv")
    try Data(repeating: UInt8(ascii: "a"), count: 1_000_000).write(to: long)
    #expect(1_000_000 > 2 * FileDigest.chunkSize && 1_000_000 % FileDigest.chunkSize != 0)
    #expect(FileDigest.sha256(of: long) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  /// Ingest hashes each survey as it reads it; the digest is the file's, whatever the size of its blocks.
  @Test func ingestsDigestOfAFileReadInBlocksIsTheFilesDigest() throws {
    let folder = try TemporaryFolder("file-digest")
    defer { folder.cleanUp() }
    let url = folder.file("survey.csv")
    // 1.5 MiB: longer than a block (`InputBytes.blockSize`), so the digest spans several.
    #expect(3 << 19 > 2 * InputBytes.blockSize)
    try Data((0..<(3 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: url)
    let input = try #require(InputBytes(path: url.path, name: "survey.csv"))
    let digest = try input.finish()
    #expect(digest == FileDigest.sha256(of: url))
    #expect(digest.count == 64 && digest.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
  }

  /// Left to the reader of the parsed batches, the digest is the file's however much of it the reader handed
  /// over: all of it, none, a run that stops early, or a run with a piece missing.
  @Test(arguments: ["all", "none", "early stop", "gap"])
  func aDigestLeftToTheReaderIsTheFilesDigest(handedOver: String) throws {
    let folder = try TemporaryFolder("file-digest")
    defer { folder.cleanUp() }
    let url = folder.file("survey.csv")
    try Data((0..<(5 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 17 &+ $0 >> 9) }).write(to: url)
    let input = try #require(InputBytes(path: url.path, name: "survey.csv"))
    _ = try input.nextPiece()  // the first block, read and hashed before the parse, as ingest does
    try input.restart()
    input.leaveHashingToReader()
    var index = 0
    while let piece = try input.nextPiece() {
      defer { index += 1 }
      switch handedOver {
      case "all": input.hash(piece, at: input.pieceOffset)
      case "early stop" where index < 30: input.hash(piece, at: input.pieceOffset)
      case "gap" where index != 20: input.hash(piece, at: input.pieceOffset)
      default: break
      }
    }
    #expect(index == 40)
    #expect(try input.finish() == FileDigest.sha256(of: url))
  }

  @Test func hexWritesTwoLowercaseDigitsForEachByte() {
    #expect(FileDigest.hex([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
    #expect(FileDigest.hex([]) == "")
  }
}
