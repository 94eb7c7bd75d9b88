/// SHA-256 of input files, so a run can say which inputs are new or changed since the last one.
import Crypto
import Foundation

public enum FileDigest {
  /// The lowercase hex SHA-256 of the file's bytes, read in chunks; nil when it cannot be read.
  public static func sha256(of url: URL) -> String? {
    guard let handle = FileHandle(forReadingAtPath: url.path) else { return nil }
    defer { try? handle.close() }
    var hasher = SHA256()
    do {
      while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
    } catch {
      return nil
    }
    return hex(hasher.finalize())
  }

  /// The lowercase hex SHA-256 of text.
  public static func sha256(of text: String) -> String { hex(SHA256.hash(data: Data(text.utf8))) }

  /// `bytes` in lowercase hex, two digits each. (`String(format:)` once a byte was 6.1M of ingest's 79.2M
  /// instructions on a survey of two rows, hashing the reference tables.)
  static func hex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    text.reserveCapacity(64)
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
  }
}
