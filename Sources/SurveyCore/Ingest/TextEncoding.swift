/// Recognising the text encoding of a survey export from its bytes.

/// The encodings Excel and Google Forms produce for the survey.
public enum TextEncoding: String, Sendable, CaseIterable {
  case utf8 = "utf-8"
  case utf8BOM = "utf-8-bom"
  case utf16LE = "utf-16le"
  case utf16BE = "utf-16be"
  case windows1258 = "windows-1258"

  /// The name glibc's iconv knows the encoding by, or nil for UTF-8 (passed through as it is).
  var iconvName: String? {
    switch self {
    case .utf8, .utf8BOM: return nil
    case .utf16LE: return "UTF-16LE"
    case .utf16BE: return "UTF-16BE"
    case .windows1258: return "WINDOWS-1258"
    }
  }

  /// How many bytes of byte-order mark the file starts with.
  var bomLength: Int {
    switch self {
    case .utf8BOM: return 3
    case .utf16LE, .utf16BE: return 2
    case .utf8, .windows1258: return 0
    }
  }
}

/// Streams over a file's bytes to tell whether they are UTF-8, keeping its state across chunks.
///
/// Counts well-formed multi-byte sequences and malformed bytes, so that a UTF-8 file with a few bad bytes
/// (read as UTF-8, the bad rows rejected) can be told from a Windows-1258 file (no multi-byte sequences).
struct UTF8Census {
  private(set) var multiByteSequences = 0
  private(set) var malformedBytes = 0
  private(set) var nulBytes = 0
  private var pending = 0  // continuation bytes still expected
  private var expected = 0

  mutating func scan(_ bytes: UnsafeRawBufferPointer) {
    // The counts live in locals for the loop: it runs over every byte of the file.
    var (multiByte, malformed, nul) = (multiByteSequences, malformedBytes, nulBytes)
    var (pending, expected) = (self.pending, self.expected)
    defer {
      (multiByteSequences, malformedBytes, nulBytes) = (multiByte, malformed, nul)
      (self.pending, self.expected) = (pending, expected)
    }
    var index = 0
    let count = bytes.count
    while index < count {
      let byte = bytes[index]
      index += 1
      if pending == 0 {
        if byte < 0x80 {
          if byte == 0 { nul += 1 }
          continue
        }
        // A whole two- or three-byte sequence in this buffer (a Vietnamese letter): count it at once.
        if byte >= 0xC2 && byte <= 0xDF && index < count && bytes[index] & 0xC0 == 0x80 {
          multiByte += 1
          index += 1
          continue
        }
        if byte >= 0xE0 && byte <= 0xEF && index + 1 < count && bytes[index] & 0xC0 == 0x80
          && bytes[index + 1] & 0xC0 == 0x80
        {
          multiByte += 1
          index += 2
          continue
        }
      } else {
        if byte & 0xC0 == 0x80 {
          pending -= 1
          if pending == 0 { multiByte += 1 }
          continue
        }
        // A sequence cut short: its lead byte and the continuation bytes it had are all malformed.
        malformed += expected - pending + 1
        pending = 0
      }
      switch byte {
      case 0x00: nul += 1
      case 0x01..<0x80: break
      case 0xC2...0xDF: pending = 1
      case 0xE0...0xEF: pending = 2
      case 0xF0...0xF4: pending = 3
      default: malformed += 1
      }
      expected = pending
    }
  }

  mutating func finish() {
    if pending > 0 { malformedBytes += expected - pending + 1 }
    pending = 0
  }

  /// The encoding these bytes are in, for a file without a byte-order mark.
  var verdict: TextEncoding {
    if malformedBytes == 0 || multiByteSequences > malformedBytes { return .utf8 }
    return .windows1258
  }
}

enum EncodingSniffer {
  /// The encoding announced by a byte-order mark, if the file starts with one.
  static func byteOrderMark(_ prefix: [UInt8]) -> TextEncoding? {
    if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8BOM }
    if prefix.starts(with: [0xFF, 0xFE]) { return .utf16LE }
    if prefix.starts(with: [0xFE, 0xFF]) { return .utf16BE }
    return nil
  }

  /// UTF-16 without a byte-order mark: most of the first bytes alternate with NUL.
  static func unmarkedUTF16(_ prefix: [UInt8]) -> TextEncoding? {
    let sample = prefix.prefix(4096)
    guard sample.count >= 16 else { return nil }
    var evenNUL = 0
    var oddNUL = 0
    for (offset, byte) in sample.enumerated() where byte == 0 {
      if offset % 2 == 0 { evenNUL += 1 } else { oddNUL += 1 }
    }
    let half = sample.count / 2
    if oddNUL * 10 > half * 7 && evenNUL * 10 < half { return .utf16LE }
    if evenNUL * 10 > half * 7 && oddNUL * 10 < half { return .utf16BE }
    return nil
  }

  /// True when the bytes look like a binary file (an image, an archive, a spreadsheet saved as .xlsx).
  static func looksBinary(_ prefix: [UInt8]) -> Bool {
    let sample = prefix.prefix(8192)
    if sample.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return true }  // zip, including .xlsx
    if sample.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { return true }  // old .xls
    let control = sample.filter { $0 < 0x09 || ($0 > 0x0D && $0 < 0x20) }.count
    return sample.contains(0) || control * 20 > sample.count
  }
}
