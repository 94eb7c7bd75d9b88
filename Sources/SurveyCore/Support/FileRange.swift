/// Whole reads and writes at an offset of a file, and the write-back of a large file as it grows: what the
/// scratch file, the staged rows' reader and the in-place rewrite of a staged CSV share.
import CFileSync

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

/// Asks the kernel to start writing a growing file's pages to disk every `stride` bytes (`sync_file_range` with
/// `SYNC_FILE_RANGE_WRITE`), so that the sync before its rename waits only for the last of them: 60 ms less for
/// `establishments.csv` at a million rows, whose 190 MB otherwise all went to disk while the stage waited at its
/// end. Advisory: a failure here (an unsupported file system) changes nothing, and the sync reports any error of
/// the disk.
struct WriteBack {
  /// 0: leave it all to the sync.
  let stride: UInt64
  /// The file's pages from here on have not yet been handed to the disk.
  private(set) var start: UInt64 = 0

  init(every stride: Int) { self.stride = UInt64(max(stride, 0)) }

  /// The file now holds `written` bytes: hands the disk what it has not been given, up to the last whole page
  /// (the page being filled would only be written twice), once that is a stride or more.
  mutating func written(_ written: UInt64, to descriptor: Int32) {
    guard stride > 0 else { return }
    let end = written & ~4095
    guard end >= start + stride else { return }
    _ = survey_start_write_back(descriptor, Int64(start), Int64(end - start))
    start = end
  }

  /// The file was cut back to `length` bytes.
  mutating func cut(to length: UInt64) { start = min(start, length & ~4095) }
}
