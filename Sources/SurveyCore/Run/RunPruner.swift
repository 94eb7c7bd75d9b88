/// Removes old run folders so a nightly job does not fill the disk, never the one `latest` points to.
import Foundation

/// Chooses and removes the run folders beyond the newest `keep`.
public enum RunPruner {
  /// Whether `name` looks like a run id `scripts/run-pipeline` makes (`20261130T020000Z`, `20261130T020000Z-01`).
  ///
  /// Only such folders are ever removed: anything else an operator puts in `runs/` is left alone.
  public static func isRunID(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard bytes.count == 16 || (bytes.count == 19 && bytes[16] == UInt8(ascii: "-")) else { return false }
    func digits(_ range: Range<Int>) -> Bool { range.allSatisfy { (48...57).contains(bytes[$0]) } }
    return digits(0..<8) && bytes[8] == UInt8(ascii: "T") && digits(9..<15) && bytes[15] == UInt8(ascii: "Z")
      && (bytes.count == 16 || digits(17..<19))
  }

  /// The run folders to remove: all run ids but the newest `keep` (by name, which sorts by time) and `protected`.
  public static func victims(among names: [String], keep: Int, protected: Set<String>) -> [String] {
    let runs = names.filter(isRunID).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    return runs.dropLast(max(keep, 1)).filter { !protected.contains($0) }
  }

  /// Removes old runs from `outputDirectory/runs`, keeping the newest `keep` and the one `latest` points to.
  /// Returns the names removed.
  @discardableResult
  public static func prune(outputDirectory: URL, keep: Int) throws -> [String] {
    let runs = outputDirectory.appendingPathComponent("runs", isDirectory: true)
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: runs.path)
    } catch {
      throw PipelineError.io("cannot list \(runs.path)", error)
    }
    var protected: Set<String> = []
    let latest = outputDirectory.appendingPathComponent("latest")
    if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: latest.path) {
      protected.insert(URL(fileURLWithPath: target).lastPathComponent)
    }
    let doomed = victims(among: names, keep: keep, protected: protected)
    for name in doomed {
      do {
        try FileManager.default.removeItem(at: runs.appendingPathComponent(name))
      } catch {
        throw PipelineError.io("cannot remove the old run \(runs.appendingPathComponent(name).path)", error)
      }
    }
    return doomed
  }
}
