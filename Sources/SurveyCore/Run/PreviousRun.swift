/// The run a new run compares itself with: the one `latest` points at, or, when `latest` is missing or does not
/// point at a complete run folder of `runs/`, the newest complete run there.
import Foundation

/// Chooses the previous run when `OUTPUT/latest` is not what a run made it.
///
/// `scripts/run-pipeline` asks only when `latest` does not resolve to a run folder in `runs/` whose manifest says it
/// completed, or when `latest` is missing while `runs/` holds another run folder: an operator who frees space by
/// deleting the newest run folder leaves `latest` dangling, one who deletes `latest` itself leaves none, a link
/// pointed by hand at a folder elsewhere is no run at all, and one pointed at a run that failed would compare the
/// night with a run that never finished. Taking any of them as it is made the report say it was the first run, or
/// compare with a half-made run, the log saying nothing either way.
public enum PreviousRun {
  /// The run chosen (nil for none) and the one line for the cron log that says why it is not what `latest` named.
  public struct Choice: Equatable, Sendable {
    public var run: URL?
    public var note: String?
  }

  /// The previous run of a run in `outputDirectory`: the run folder `latest` points at when its manifest says it
  /// completed; else the newest run in `runs/` whose manifest says it completed (`RunStatus.isComplete`), other
  /// than `current`, with a note saying why. `latest` missing with no complete run in `runs/` (a first run, or
  /// one after runs that never completed, which never made `latest`) is no previous run, and no note. A `latest`
  /// that is something other than a link is no previous run either (`scripts/run-pipeline` refuses it first).
  public static func choose(outputDirectory: URL, current: String? = nil) -> Choice {
    let latest = outputDirectory.appendingPathComponent("latest")
    let runs = outputDirectory.appendingPathComponent("runs", isDirectory: true)
    guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: latest.path) else {
      var info = stat()
      guard lstat(latest.path, &info) != 0, errno == ENOENT,
        let newest = newestComplete(in: runs, except: current)
      else { return Choice(run: nil, note: nil) }
      return Choice(
        run: runs.appendingPathComponent(newest, isDirectory: true),
        note: "\(latest.path) was missing (a run makes it; was it deleted?); compared with run \(newest), the "
          + "newest complete one")
    }
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
    let unfinished = inRuns && exists && isDirectory.boolValue ? incompletion(of: pointed) : nil
    if inRuns && exists && isDirectory.boolValue && unfinished == nil { return Choice(run: pointed, note: nil) }

    let what =
      if let unfinished {
        "\(latest.path) pointed at run \(pointed.lastPathComponent), which did not complete (\(unfinished)); it was "
          + "not used"
      } else if inRuns && !exists {
        "\(latest.path) pointed at a run folder that is gone (\(target))"
      } else {
        "\(latest.path) pointed at \(target), which is not a run folder in \(runs.path); it was not used"
      }
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
    return candidates.first { incompletion(of: runs.appendingPathComponent($0)) == nil }
  }

  /// Nil when the manifest of the run in `folder` says the run completed (`RunStatus.isComplete`); else why not,
  /// in the words the cron log gives: what its manifest says, or that it has none or one that cannot be read.
  static func incompletion(of folder: URL) -> String? {
    let manifest = folder.appendingPathComponent(ArtefactName.manifest)
    guard FileManager.default.fileExists(atPath: manifest.path) else { return "it has no manifest.json" }
    guard let status = ManifestExcerpt.read(in: folder)?.status else {
      return "its manifest.json cannot be read"
    }
    if let known = RunStatus(rawValue: status) {
      return known.isComplete ? nil : "its manifest.json says \(status)"
    }
    return "its manifest.json says \(status), a status this version does not know"
  }
}
