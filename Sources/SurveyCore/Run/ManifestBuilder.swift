/// Builds `manifest.json` from a run folder: the stages' summaries, their timings and how the run ended.
import Foundation
import Synchronization

/// What `scripts/run-pipeline` knows about a run that the run folder does not hold.
public struct RunFacts: Sendable {
  public var runDirectory: URL
  public var startedAt: Date
  public var finishedAt: Date
  /// The stages that ran, in order; the last one may have failed.
  public var stages: [StageRecord]
  public var revision: String?
  public var inputFolder: String?
  public var previousRun: String?

  public init(
    runDirectory: URL, startedAt: Date, finishedAt: Date, stages: [StageRecord], revision: String? = nil,
    inputFolder: String? = nil, previousRun: String? = nil
  ) {
    self.runDirectory = runDirectory
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.stages = stages
    self.revision = revision
    self.inputFolder = inputFolder
    self.previousRun = previousRun
  }
}

/// Reads a run folder's summaries and decides how the run ended.
public enum ManifestBuilder {
  /// The run's exit code when `stage` exited with `code`: a stage's own code, except that 1 (an error no stage
  /// expected, as ArgumentParser reports one) becomes 70, so that 1 always means "complete, rows for review".
  public static func runExitCode(forStageExit code: Int32) -> Int32 { code == 1 ? 70 : code }

  /// The manifest of the run in `facts.runDirectory`.
  ///
  /// Summaries a stage has not written (it failed, or is not built yet) are left out. Throws when a summary
  /// exists but cannot be read.
  public static func build(_ facts: RunFacts) throws -> RunManifest {
    let folder = facts.runDirectory
    func optional<T: Decodable>(_ type: T.Type, _ name: String) throws -> T? {
      let url = folder.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: url.path) else { return nil }
      return try StableJSON.read(type, from: url)
    }
    let ingest = try optional(IngestSummary.self, ArtefactName.ingestSummary)
    let normalise = try optional(NormaliseSummary.self, ArtefactName.normaliseSummary)
    let unsettled = try optional(UnsettledList.self, ArtefactName.unsettled)?.files ?? []

    let normaliseByFile = Dictionary(
      (normalise?.files ?? []).map { (ExactText($0.file), $0.counts) }, uniquingKeysWith: { first, _ in first })
    let inputs = (ingest?.files ?? []).map { file in
      ManifestInput(
        file: file.file, bytes: file.bytes, sha256: file.sha256, status: file.status.rawValue,
        encoding: file.encoding, delimiter: file.delimiter, rowsRead: file.rowsRead, rowsPassed: file.rowsPassed,
        rowsSkipped: file.rowsSkipped, rowsRejected: file.rowsRejected,
        normalise: normaliseByFile[ExactText(file.file)], problem: file.problem)
    }

    var totals = ManifestTotals()
    if let ingest {
      totals.files = ingest.files.count
      totals.filesSetAside = ingest.filesSetAside
      totals.rowsRead = ingest.rowsRead
      totals.rowsSkipped = ingest.rowsSkipped
      totals.rejected = ingest.rowsRejected
      totals.foldersNotRead = ingest.foldersNotRead?.count
    }
    totals.filesUnsettled = unsettled.count
    if let normalise {
      let counts = normalise.totals
      totals.counted = counts.counted
      totals.duplicates = counts.duplicates
      totals.review = counts.review
      totals.rejected += counts.rejected
      totals.decidedOutside = counts.decidedOutside
      totals.filesOverlapping = normalise.filesCountedTwice
    }

    let failed = facts.stages.first { $0.exitCode != 0 }
    let status: RunStatus
    if failed != nil {
      status = .failed
    } else if !unsettled.isEmpty && !(ingest?.files.contains { $0.status == .ingested } ?? false) {
      // Every survey file still being written: what was taken only to be set aside (an `.xlsx`, a file that is
      // no CSV) would otherwise make an empty report the latest, and mail it.
      status = .waiting
    } else if let ingest, !ingest.files.contains(where: { $0.status == .ingested }) {
      // Every file set aside or empty: the run read no row, and its empty report would replace the last one
      // and be mailed, every establishment "removed".
      status = .nothingRead
    } else if (totals.review ?? 0) > 0 || totals.rejectedToFix > 0 || totals.filesSetAside > 0
      || (totals.foldersNotRead ?? 0) > 0
      || (totals.filesOverlapping ?? 0) > 0
    {
      status = .needsReview
    } else {
      status = .complete
    }
    return RunManifest(
      runID: folder.lastPathComponent, status: status,
      exitCode: failed.map { runExitCode(forStageExit: $0.exitCode) } ?? status.exitCode,
      failedStage: failed?.name, startedAt: timestamp(facts.startedAt), finishedAt: timestamp(facts.finishedAt),
      program: ManifestProgram(revision: facts.revision), inputFolder: facts.inputFolder,
      previousRun: facts.previousRun, inputs: inputs, unsettled: unsettled, totals: totals, stages: facts.stages,
      artefacts: try artefacts(in: folder))
  }

  /// The one line an operator needs when a complete run left work for an analyst, or nil.
  public static func attention(_ manifest: RunManifest) -> String? {
    guard manifest.status == .needsReview else { return nil }
    func count(_ n: Int, _ noun: String) -> String { EnglishCount.of(n, noun) }
    var parts: [String] = []
    if let review = manifest.totals.review, review > 0 {
      parts.append("\(count(review, "row")) to review in \(ArtefactName.review)")
    }
    // Rows an analyst decided lie outside are settled: a night that has only those asks nothing.
    if manifest.totals.rejectedToFix > 0 {
      parts.append("\(count(manifest.totals.rejectedToFix, "row")) rejected (\(ArtefactName.rejects))")
    }
    if manifest.totals.filesSetAside > 0 {
      let names = fileList(manifest.inputs.filter { $0.status == "set_aside" }) { _ in "" }
      parts.append("\(count(manifest.totals.filesSetAside, "file")) set aside (\(names))")
    }
    if let folders = manifest.totals.foldersNotRead, folders > 0 {
      parts.append("\(count(folders, "folder")) in the input folder not read (move its survey files up into it)")
    }
    if let overlapping = manifest.totals.filesOverlapping, overlapping > 0 {
      parts.append(
        "\(count(overlapping, "file")) repeating rows of another file or of \(overlapping == 1 ? "itself" : "themselves") "
          + "(establishments counted twice: sent again under a new name, or pasted twice? see the report's data quality)"
      )
    }
    return "run \(manifest.runID) is complete; for an analyst: " + parts.joined(separator: "; ")
  }

  /// The run's exit code when `latest` could not be pointed at a complete run: the run folder could not be made
  /// the one everyone reads, as when the run folder itself cannot be made.
  public static let notMadeLatestExitCode: Int32 = 73

  /// The manifest of a complete run that `latest` could not be pointed at (the disk out of space or inodes):
  /// failed at `latest` with exit 73, so that the folder does not claim to be the report everyone reads.
  /// A run that did not complete is left as it is.
  public static func notMadeLatest(_ manifest: RunManifest) -> RunManifest {
    guard manifest.status.isComplete else { return manifest }
    var failed = manifest
    failed.status = .failed
    failed.exitCode = notMadeLatestExitCode
    failed.failedStage = "latest"
    return failed
  }

  /// The one line for the cron log when a run read no survey file, or nil: which files were set aside or held
  /// no rows, what to do, and that `latest` and the mail wait (`scripts/run-pipeline` keeps them so).
  ///
  /// The ingest stage has said why each file was set aside, one line each; this line is the one that says the
  /// night counted nothing, naming the files so that the operator need not look further to know what to fix.
  public static func nothingRead(_ manifest: RunManifest, manifestPath: String) -> String? {
    guard manifest.status == .nothingRead else { return nil }
    let unread = manifest.inputs.filter { $0.status != IngestFileSummary.Status.ingested.rawValue }
    let names = fileList(unread) { $0.status == IngestFileSummary.Status.empty.rawValue ? " (no rows)" : "" }
    let workbooks = unread.contains { FileProblem.workbookEndings.contains(InputFileCheck.ending(of: $0.file)) }
    let advice =
      (workbooks
        ? "open each workbook in Excel, save it as \"CSV UTF-8\" into the input folder and move the workbook out; "
        : "")
      + "why each file was not read is in the lines above and in rejects.csv"
    return "run \(manifest.runID) read no survey file, so it counted nothing: every file in the input folder was "
      + "set aside or held no rows (\(names)); \(advice); latest is unchanged and nothing "
      + "was mailed; see \(manifestPath)"
  }

  /// Input files for one cron line: each survey file and workbook by name (a line break in a name is a space), with
  /// what `note` adds; scans of paper forms by the dozen counted.
  private static func fileList(_ inputs: [ManifestInput], note: (ManifestInput) -> String) -> String {
    let (named, others) = IngestStage.countingOtherFiles(inputs) { $0.file }
    var names = named.map { TextFolding.singleLine($0.file) + note($0) }
    if !others.isEmpty { names.append("\(others.count) not survey exports") }
    return names.joined(separator: ", ")
  }

  /// Every visible file of the run folder but the manifest, the mail message and companions of staged CSVs
  /// (`*.rows`, see `StagedRows`), with its size and digest.
  ///
  /// A companion is an index of the CSV beside it, for the next stage only: `scripts/run-pipeline` deletes
  /// it once the report is written, and a failed run's may be replaced or deleted later, so it is no artefact.
  static func artefacts(in folder: URL) throws -> [ManifestArtefact] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    } catch {
      throw PipelineError.io("cannot list the run folder \(folder.path)", error)
    }
    var files: [(name: String, url: URL, bytes: Int)] = []
    for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    where !name.hasPrefix(".") && name != ArtefactName.manifest && name != ArtefactName.message
      && !name.hasSuffix("." + StagedRows.fileExtension)
    {
      let url = folder.appendingPathComponent(name)
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
        let state = FileState.of(url)
      else { continue }
      files.append((name, url, Int(state.bytes)))
    }
    // The files are hashed on every core at once: at a million rows, ingested.csv and establishments.csv are
    // 350 MB, and one after the other they were 0.2 s at the end of every nightly run.
    let digests = Mutex([String?](repeating: nil, count: files.count))
    let urls = files.map(\.url)
    DispatchQueue.concurrentPerform(iterations: urls.count) { index in
      let digest = FileDigest.sha256(of: urls[index])
      digests.withLock { $0[index] = digest }
    }
    let hashed = digests.withLock { $0 }
    return files.indices.compactMap { index in
      hashed[index].map { ManifestArtefact(file: files[index].name, bytes: files[index].bytes, sha256: $0) }
    }
  }

  /// `2026-11-30T02:00:00Z`: UTC to the second, as in the run id.
  public static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
  }
}
