/// Whole reads and writes at an offset of a file: what the scratch file, the staged rows' reader and the
/// in-place rewrite of a staged CSV share.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

enum FileRange {
  /// Writes all of `bytes` at `offset`, going on after a partial write or an interruption; false, with `errno`
  /// set, when the system refuses.
  static func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
    var done = 0
    while done < bytes.count {
      let wrote = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
      if wrote < 0 && errno == EINTR { continue }
      if wrote == 0 {
        // Nothing written and no error: the errno of an earlier call would name the wrong cause.
        errno = EIO
        return false
      }
      guard wrote > 0 else { return false }
      done += wrote
    }
    return true
  }

  /// How `read(_:into:at:)` ended when it did not fill its target.
  enum ReadFailure: Error {
    /// The file ended first.
    case short
    /// The system refused; `errno` says why.
    case failed
  }

  /// Fills `target` from `offset`, going on after a partial read or an interruption.
  static func read(_ descriptor: Int32, into target: UnsafeMutableRawBufferPointer, at offset: Int) throws(ReadFailure)
  {
    var done = 0
    while done < target.count {
      let got = pread(descriptor, target.baseAddress! + done, target.count - done, off_t(offset + done))
      if got < 0 && errno == EINTR { continue }
      if got < 0 { throw .failed }
      if got == 0 { throw .short }
      done += got
    }
  }
}
