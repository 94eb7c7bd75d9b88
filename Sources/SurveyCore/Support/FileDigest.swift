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

  private static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
