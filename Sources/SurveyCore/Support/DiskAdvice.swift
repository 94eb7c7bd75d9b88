/// What the system's refusal to create or write a file means, in words an operator can act on: the system's reason
/// first, then what to do.
///
/// A full disk must read as one, not as a folder that is missing or read-only. A write that failed used to reach
/// the cron log in Foundation's words: "The operation could not be completed. There isn't enough space." for a full
/// disk, and only "(NSCocoaErrorDomain error 512.)" for a file over the process's size limit, with no path and
/// nothing to do. Every writer of the stages (`AtomicFileWriter`, the scratch file, a staged CSV rewritten in
/// place) now calls the system itself and words its refusal here.
#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

enum DiskAdvice {
  /// The system's reason for `code`, as `strerror` words it ("No space left on device").
  static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }

  /// For a file that could not be created (`open` with `O_CREAT`).
  static func create(_ code: Int32) -> String {
    switch code {
    case ENOSPC, EDQUOT: return "\(reason(code)): free disk space or inodes there (df -h and df -i show them)"
    case ENOENT: return "\(reason(code)): check that the folder exists"
    default: return "\(reason(code)): check that the folder is writable"
    }
  }

  /// For a write, a flush to the disk or a close that failed. The file was made, so the folder is there and
  /// writable; what is left is the disk and the limits on it.
  static func write(_ code: Int32) -> String {
    switch code {
    case ENOSPC:
      return "\(reason(code)): free disk space there (df -h shows it; scripts/run-pipeline --keep N keeps fewer old "
        + "runs), then run again"
    case EDQUOT:
      return "\(reason(code)): free space within the disk quota or have it raised (quota -s shows it), then run again"
    case EFBIG:
      return "\(reason(code)): the file is larger than this process may write (ulimit -f shows the limit, and the "
        + "cron job's can differ from a shell's): raise it, then run again"
    case EIO:
      return "\(reason(code)): the disk reported an error (dmesg shows it): check the disk before the next run"
    case EROFS:
      return "\(reason(code)): the disk was made read-only, often after errors (dmesg shows why): check the disk"
    default:
      return reason(code)
    }
  }

  /// The error of a write, flush or close of `path` that the system refused with `code`.
  static func writeFailure(_ verb: String, _ path: String, _ code: Int32) -> PipelineError {
    PipelineError(.io, "cannot \(verb) \(path): \(write(code))")
  }
}
