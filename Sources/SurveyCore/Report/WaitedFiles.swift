/// The files the previous run left for the next one, found in the last run that read them, so that what changed is
/// told against what a run last saw of each file rather than against a night that skipped it.
import Foundation

/// Files the previous run left waiting (still being written, `unsettled.json`) that this run does not leave again,
/// each with the last earlier run that read it.
///
/// Without them, a file that waited one night and came back unchanged was "new" with all its establishments
/// "added", and one that waited and was then deleted was never said to be gone: the waiting night neither counted
/// it nor counted it removed, and the next night compared with the waiting night only.
struct WaitedFiles {
  /// One earlier run and the entries of its ingest summary for the waited files it read last.
  struct Baseline {
    var run: URL
    var files: [IngestFileSummary]
  }

  /// By run, newest first; empty when the previous run left nothing waiting (the common night: one small read).
  var baselines: [Baseline] = []

  /// How many runs before the previous one are followed back while a file stays waiting: as many as are kept
  /// by default, so a file waits a month before its baseline is lost and it is compared as a new file.
  static let runsFollowed = 30

  /// Follows the runs before `previousRun` (each manifest's `previous_run`, a run id beside it in `runs/`) while
  /// any file the previous run left waiting, and this run reads or no longer has, stays waiting.
  ///
  /// A run that neither read nor left waiting such a file did not have it: the file is new since then. A run
  /// missing (pruned) or unreadable ends the search, and its files are compared as new, as before.
  /// - Parameter waitingNow: the files this run leaves for the next, by `IngestStage.nameKey`; they are not
  ///   compared at all.
  static func find(before previousRun: URL, waitingNow: Set<String>) -> WaitedFiles {
    var result = WaitedFiles()
    var pending = waitingKeys(of: previousRun).subtracting(waitingNow)
    var run = previousRun
    for _ in 0..<runsFollowed {
      guard !pending.isEmpty, let earlier = runBefore(run),
        let summary = try? StableJSON.read(
          IngestSummary.self, from: earlier.appendingPathComponent(ArtefactName.ingestSummary))
      else { break }
      // A copy set aside for being named like the file is not the file.
      let read = summary.files.filter { file in
        if case .sameName = file.problemDetail { return false }
        return pending.contains(IngestStage.nameKey(file.file))
      }
      if !read.isEmpty {
        result.baselines.append(Baseline(run: earlier, files: read))
        pending.subtract(read.map { IngestStage.nameKey($0.file) })
      }
      pending.formIntersection(waitingKeys(of: earlier))
      run = earlier
    }
    return result
  }

  /// The files a run left waiting, by `IngestStage.nameKey`; none when it has no readable `unsettled.json`.
  static func waitingKeys(of run: URL) -> Set<String> {
    Set(UnsettledList.read(in: run)?.files.map { IngestStage.nameKey($0.file) } ?? [])
  }

  /// The run `run` was compared with (its manifest's `previous_run`), looked for beside it, so that an output
  /// folder moved or mounted elsewhere keeps its chain; nil when it has none or it is gone.
  static func runBefore(_ run: URL) -> URL? {
    guard let id = ManifestExcerpt.read(in: run)?.previousRun,
      !id.isEmpty, !id.contains("/"), id != ".", id != ".."
    else { return nil }
    let earlier = run.deletingLastPathComponent().appendingPathComponent(id, isDirectory: true)
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: earlier.path, isDirectory: &isDirectory), isDirectory.boolValue
    else { return nil }
    return earlier
  }

  /// The identities of the waited files' establishments in the runs that read them last, added to `identities`.
  ///
  /// Each run's establishments are read apart and added only once read whole: a run whose establishments cannot
  /// be read adds none (its files' establishments are then counted as added, as before), rather than some.
  /// - Returns: the runs whose establishments were added.
  func addIdentities(to identities: PreviousIdentities) -> [Baseline] {
    baselines.filter { baseline in
      let keys = Set(baseline.files.map { IngestStage.nameKey($0.file) })
      let url = baseline.run.appendingPathComponent(ArtefactName.establishments)
      guard let read = try? RunComparison.identities(in: url, onlyFrom: keys) else { return false }
      identities.formUnion(read)
      return true
    }
  }
}
