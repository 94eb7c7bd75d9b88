/// `survey-run manifest`: writes a run's manifest.json and exits with the run's exit code.
import ArgumentParser
import Foundation
import SurveyCore

/// Writes `manifest.json` into a run folder from the stages' summaries and the timings it is given.
public struct RunManifestCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "manifest",
    abstract: "Write the run's manifest.json and exit with the run's exit code.",
    discussion: """
      Reads the summaries the stages left in --run-dir (ingest-summary.json, normalise-summary.json, \
      unsettled.json) and the --stage records, and writes manifest.json: inputs with size and SHA-256, \
      per-file encoding, delimiter and row counts, totals, timings per stage, the program's version and the \
      run's status. Exits 0 when the run is complete, 1 when it is complete but rows or files wait for an \
      analyst (and says so in one line), 75 when every survey file was still being written, 66 when no survey \
      file could be read (every file set aside or empty; said in one line), or the failing stage's code (1 \
      becomes 70) when a stage failed.

      Example:
        survey-run manifest --run-dir output/runs/20261130T020000Z --started 1796004000.25 \\
          --stage ingest:0:812 --stage normalise:0:390
      """)

  @Option(name: .customLong("run-dir"), help: "The run's folder.")
  public var runDirectory: String

  @Option(help: "When the run started, in seconds since 1970 (bash's $EPOCHREALTIME).")
  public var started: Double

  @Option(
    name: .customLong("stage"),
    help: ArgumentHelp("A stage that ran, in order: its name, exit code and milliseconds.", valueName: "name:exit:ms"))
  public var stages: [String] = []

  @Option(help: "The checkout's revision (git describe --always --dirty).")
  public var revision: String?

  @Option(help: "The input folder the run read.")
  public var input: String?

  @Option(name: .customLong("previous-run"), help: "The run folder `latest` pointed at when this run started.")
  public var previousRun: String?

  @Option(
    name: .customLong("not-made-latest"),
    help: ArgumentHelp(
      "Why `latest` could not be pointed at this complete run (the system's error): the manifest records the run as "
        + "failed at latest (exit 73), and one line says so.", valueName: "reason"))
  public var notMadeLatest: String?

  @Flag(name: .shortAndLong, help: "Print the run's totals even when all is well.")
  public var verbose = false

  public init() {}

  public func validate() throws {
    for stage in stages where StageRecord(argument: stage) == nil {
      throw ValidationError("--stage \(stage): expected NAME:EXIT:MILLISECONDS, e.g. ingest:0:812")
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: runDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw ValidationError("--run-dir \(runDirectory) is not an existing folder")
    }
  }

  public func run() throws {
    var exitCode: Int32 = 0
    try runBookkeeping("survey-run") {
      let runURL = URL(fileURLWithPath: runDirectory, isDirectory: true).standardizedFileURL
      let facts = RunFacts(
        runDirectory: runURL, startedAt: Date(timeIntervalSince1970: started), finishedAt: Date(),
        stages: stages.compactMap(StageRecord.init(argument:)), revision: revision,
        inputFolder: input.map(absolutePath),
        previousRun: previousRun.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().lastPathComponent })
      let manifest = try ManifestBuilder.build(facts)
      let manifestURL = runURL.appendingPathComponent(ArtefactName.manifest)
      if let reason = notMadeLatest {
        recordNotMadeLatest(manifest, reason: reason, at: manifestURL)
        exitCode = ManifestBuilder.notMadeLatestExitCode
        return
      }
      try StableJSON.write(manifest, to: manifestURL)
      if let line = ManifestBuilder.attention(manifest) { print("survey-run: \(line)") }
      if let line = ManifestBuilder.nothingRead(manifest, manifestPath: manifestURL.path) {
        complain("survey-run", line)
      }
      if verbose {
        let totals = manifest.totals
        print(
          "survey-run: run \(manifest.runID) \(manifest.status.rawValue): \(EnglishCount.of(totals.files, "file")), "
            + "\(EnglishCount.of(totals.rowsRead, "row")) read, \(totals.counted.map(String.init) ?? "-") counted, "
            + "\(totals.review.map(String.init) ?? "-") in review, \(totals.rejected) rejected, "
            + "\(EnglishCount.of(totals.filesSetAside, "file")) set aside, \(totals.filesUnsettled) left for the next run"
        )
        for stage in manifest.stages {
          print("survey-run:   \(stage.name): exit \(stage.exitCode), \(stage.milliseconds) ms")
        }
      }
      exitCode = manifest.exitCode
    }
    if exitCode != 0 { throw ExitCode(exitCode) }
  }

  /// Rewrites the manifest of a complete run that `latest` could not be pointed at, and says so in one line: what
  /// failed, where `latest` still points, and what to do. A disk out of inodes may refuse the manifest too; the
  /// line then says the manifest still calls the run complete, so the folder is never taken for the latest.
  func recordNotMadeLatest(_ manifest: RunManifest, reason: String, at manifestURL: URL) {
    let previous = previousRun.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().lastPathComponent }
    var line =
      "run \(manifest.runID) is complete but could not be made latest (\(reason)); latest "
      + (previous.map { "still points at the previous run, \($0)" } ?? "was not made")
    do {
      try StableJSON.write(ManifestBuilder.notMadeLatest(manifest), to: manifestURL)
      line += "; see \(manifestURL.path)"
    } catch {
      line +=
        "; its manifest.json could not be updated either (\(error)) and still says \(manifest.status.rawValue), "
        + "though the run is not latest"
    }
    let output = manifestURL.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    line += "; \(Self.advice(whenNotMade: reason, in: output)), then run it again; nothing was mailed"
    complain("survey-run", line)
  }

  /// What to do when `latest` could not be made in `output` for `reason` (ln's or mv's words): a folder the run's
  /// account may not write in wants its permissions looked at, not free space that is there (an operator's round:
  /// a read-only output folder was sent to df).
  static func advice(whenNotMade reason: String, in output: URL) -> String {
    let refusals = ["Permission denied", "Operation not permitted", "Read-only file system"]
    if refusals.contains(where: reason.contains) || !FileManager.default.isWritableFile(atPath: output.path) {
      return "check that \(output.path) is writable by the account the run runs as (ls -ld shows its owner and mode; "
        + "mount shows a read-only file system)"
    }
    return "free disk space and inodes where the output folder is (df -h and df -i show them)"
  }
}
