/// Whether the disk holding the runs has room for the nights to come, said after each night's pruning so that an
/// operator hears of a filling disk before a night fails for want of room.
import Foundation

public enum DiskRoom {
  /// How many runs the size of the last complete one the disk must still have room for. The next night needs
  /// about one at its height (its staged companions and normalise's scratch file go only at its end, and the oldest
  /// run is pruned only after it), and a survey that grows needs more: two give a night's warning.
  static let runsOfRoom: UInt64 = 2

  /// The bytes of the files directly in `folder` (a run folder holds no folders); nil when it cannot be listed.
  public static func bytes(of folder: URL) -> UInt64? {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return nil }
    var total: UInt64 = 0
    for name in names {
      var status = stat()
      guard lstat(folder.appendingPathComponent(name).path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG
      else { continue }
      total &+= UInt64(status.st_size)
    }
    return total
  }

  /// The bytes this account may still write on the disk holding `url`; nil when the system does not say.
  public static func available(at url: URL) -> UInt64? {
    var status = statvfs()
    guard statvfs(url.path, &status) == 0 else { return nil }
    return UInt64(status.f_bavail) * UInt64(status.f_frsize)
  }

  /// The warning for a disk with `available` bytes free where the last complete run took `runBytes`; nil when it
  /// has room for `runsOfRoom` such runs.
  public static func warning(available: UInt64, runBytes: UInt64, output: String, keep: Int) -> String? {
    guard runBytes > 0, available / runsOfRoom < runBytes else { return nil }
    return "the disk holding \(output) has \(size(available)) free, less than two runs the size of the last "
      + "complete one (\(size(runBytes))): free space there or keep fewer runs (scripts/run-pipeline --keep, now "
      + "\(keep)), before a night fails with \"No space left on device\""
  }

  /// The warning for `outputDirectory` after pruning, measured against the last complete run (the one the next
  /// night compares itself with, `PreviousRun.choose`); nil when there is room, or no complete run yet, or the
  /// system does not say how much room there is.
  public static func check(outputDirectory: URL, keep: Int) -> String? {
    guard let run = PreviousRun.choose(outputDirectory: outputDirectory).run, let runBytes = bytes(of: run),
      let available = available(at: outputDirectory)
    else { return nil }
    return warning(available: available, runBytes: runBytes, output: outputDirectory.path, keep: keep)
  }

  /// `bytes` as `df -H` would say it: decimal units, one decimal below 10 ("380 MB", "4.4 TB").
  static func size(_ bytes: UInt64) -> String {
    var value = Double(bytes)
    var unit = "bytes"
    for next in ["KB", "MB", "GB", "TB", "PB"] where value >= 1000 {
      value /= 1000
      unit = next
    }
    if unit == "bytes" { return "\(bytes) bytes" }
    return value < 10 ? String(format: "%.1f", value) + " \(unit)" : "\(Int(value.rounded())) \(unit)"
  }
}
