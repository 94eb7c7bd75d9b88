/// The run a new run compares itself with: the one `latest` points at, or, when `latest` no longer points at a
/// run folder of `runs/`, the newest complete run there.
import Foundation

/// Chooses the previous run when `OUTPUT/latest` is not what a run made it.
///
/// `scripts/run-pipeline` asks only when `latest` does not resolve to a run folder in `runs/`: an operator who
/// frees space by deleting the newest run folder leaves `latest` dangling, and a link pointed by hand at a folder
/// elsewhere is no run at all. Taking neither as "no previous run" made the report say it was the first run, and
/// taking a foreign folder gave the manifest a `previous_run` that was no run id, the log saying nothing either way.
public enum PreviousRun {
  /// The run chosen (nil for none) and the one line for the cron log that says why it is not what `latest` named.
  public struct Choice: Equatable, Sendable {
    public var run: URL?
    public var note: String?
  }

  /// The previous run of a run in `outputDirectory`: the run folder `latest` points at; else, when `latest` is a
  /// link to a folder that is gone or to anything but a run folder of `runs/`, the newest run there whose
  /// manifest says it completed (`RunStatus.isComplete`), other than `current`, with a note saying so. No
  /// `latest` at all (a first run) is no previous run, and no note.
  public static func choose(outputDirectory: URL, current: String? = nil) -> Choice {
    let latest = outputDirectory.appendingPathComponent("latest")
    guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: latest.path) else {
      return Choice(run: nil, note: nil)
    }
    let runs = outputDirectory.appendingPathComponent("runs", isDirectory: true)
    let realRuns = runs.resolvingSymlinksInPath().standardizedFileURL.path
    // Relative to the folder itself: a base URL not marked a directory would lose its last component.
    let base = URL(fileURLWithPath: outputDirectory.path, isDirectory: true)
    let pointed = URL(fileURLWithPath: target, relativeTo: base).standardizedFileURL
      .resolvingSymlinksInPath()
    let inRuns =
      pointed.deletingLastPathComponent().standardizedFileURL.path == realRuns
      && RunPruner.isRunID(pointed.lastPathComponent)
    var isDirectory: ObjCBool = false
    // The run starting now may have just taken the id of the run folder that is gone (deleted within the second
    // it started in): that folder is this run's, and the one latest named is gone all the same.
    let exists =
      FileManager.default.fileExists(atPath: pointed.path, isDirectory: &isDirectory)
      && pointed.lastPathComponent != current
    if inRuns && exists && isDirectory.boolValue { return Choice(run: pointed, note: nil) }

    let what =
      inRuns && !exists
      ? "\(latest.path) pointed at a run folder that is gone (\(target))"
      : "\(latest.path) pointed at \(target), which is not a run folder in \(runs.path); it was not used"
    guard let newest = newestComplete(in: runs, except: current) else {
      return Choice(
        run: nil, note: "\(what); no complete run is left in \(runs.path), so this run is compared with none")
    }
    return Choice(
      run: runs.appendingPathComponent(newest, isDirectory: true),
      note: "\(what); compared with run \(newest), the newest complete one")
  }

  /// The newest run id in `runs` (by name, which sorts by time) whose manifest says every stage succeeded.
  static func newestComplete(in runs: URL, except current: String?) -> String? {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []
    let candidates = names.filter { RunPruner.isRunID($0) && $0 != current }
      .sorted { $1.utf8.lexicographicallyPrecedes($0.utf8) }
    return candidates.first { name in
      let manifest = runs.appendingPathComponent(name).appendingPathComponent(ArtefactName.manifest)
      return (try? StableJSON.read(StatusOnly.self, from: manifest))?.status.isComplete ?? false
    }
  }

  /// A manifest's status alone: an older or damaged manifest need not decode whole to say how its run ended.
  private struct StatusOnly: Decodable {
    var status: RunStatus
  }
}
