/// Streaming conversion of survey bytes to UTF-8 with glibc's iconv; the only file that calls iconv.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Converts chunks of text in one encoding to UTF-8, carrying a sequence split across chunks to the next one.
final class Transcoder {
  private let descriptor: iconv_t
  private let encoding: String
  private var carry: [UInt8] = []

  init(from encoding: String) throws {
    self.encoding = encoding
    let descriptor = iconv_open("UTF-8", encoding)
    guard let descriptor, descriptor != iconv_t(bitPattern: -1) else {
      throw PipelineError(.io, "this system's iconv cannot convert from \(encoding)")
    }
    self.descriptor = descriptor
  }

  deinit { iconv_close(descriptor) }

  /// Converts the next chunk; bytes that cannot be converted become U+FFFD, which rejects their row.
  func convert(_ chunk: [UInt8], final: Bool = false) -> [UInt8] {
    var input = carry + chunk
    carry = []
    var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
    var produced = 0
    var consumed = 0
    input.withUnsafeMutableBytes { inBuffer in
      output.withUnsafeMutableBytes { outBuffer in
        while consumed < inBuffer.count {
          var inPointer: UnsafeMutablePointer<CChar>? =
            inBuffer.baseAddress!.advanced(by: consumed).assumingMemoryBound(to: CChar.self)
          var inLeft = inBuffer.count - consumed
          var outPointer: UnsafeMutablePointer<CChar>? =
            outBuffer.baseAddress!.advanced(by: produced).assumingMemoryBound(to: CChar.self)
          var outLeft = outBuffer.count - produced
          let result = iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
          consumed = inBuffer.count - inLeft
          produced = outBuffer.count - outLeft
          if result != -1 { break }
          if errno == EINVAL && !final { break }  // a sequence split at the chunk's end: keep it for the next
          // An invalid sequence (or a truncated one at the very end): replace one byte and go on.
          consumed += 1
          for byte in [UInt8](arrayLiteral: 0xEF, 0xBF, 0xBD) where produced < outBuffer.count {
            outBuffer[produced] = byte
            produced += 1
          }
        }
      }
    }
    if consumed < input.count { carry = Array(input[consumed...]) }
    output.removeSubrange(produced...)
    return output
  }
}
