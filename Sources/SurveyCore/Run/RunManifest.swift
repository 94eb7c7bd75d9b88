/// The shape of `manifest.json`: what one run read, what it found, how long it took and how it ended.
///
/// Written by `survey-run manifest` at the end of every run, complete or failed, so an operator can tell from
/// the folder alone what happened. Times and the run id are the only fields that differ between two runs
/// over the same inputs; everything else is derived from the inputs and the stages' summaries.
import Foundation

/// The program that made a run.
public enum PipelineVersion {
  /// The pipeline's version, raised with each release to the department.
  public static let number = "0.1.0"
}

/// The names of the run's own bookkeeping files, beside the stages' artefacts.
extension ArtefactName {
  /// ingest `--skip-unsettled`: input files left for the next run because they were still being written.
  public static let unsettled = "unsettled.json"
  /// survey-run mail: the report as a MIME message, kept for resending.
  public static let message = "report.eml"
}

/// How a run ended.
public enum RunStatus: String, Codable, Sendable, CaseIterable {
  /// Every stage succeeded and nothing waits for an analyst.
  case complete
  /// Every stage succeeded; some rows or files need an analyst (review, rejects, set-aside files).
  case needsReview = "needs_review"
  /// A stage or the run's own bookkeeping failed; `latest` was left where it was.
  case failed
  /// Every survey file was still being written, so no row was read; `latest` was left where it was, and the next
  /// run reads them.
  case waiting
  /// No survey file could be read: every file in the input folder was set aside (a workbook, a file that is no
  /// CSV, a malformed one) or held no rows. A report of nothing must not replace the last one, nor be mailed, so
  /// `latest` was left where it was, as for an input folder holding no file.
  case nothingRead = "nothing_read"

  /// Whether every stage succeeded, so that `latest` may point at the run: complete, or complete with work for an
  /// analyst. The next run compares itself with such a run only.
  public var isComplete: Bool { self == .complete || self == .needsReview }

  /// The exit code of `scripts/run-pipeline` for a run that did not fail (75 for waiting: try again later; 66,
  /// as for an empty input folder, when nothing could be read: someone must put survey exports there).
  public var exitCode: Int32 {
    switch self {
    case .needsReview: 1
    case .waiting: 75
    case .nothingRead: 66
    default: 0
    }
  }
}

/// One stage's part in a run.
public struct StageRecord: Codable, Sendable, Equatable {
  public var name: String
  public var exitCode: Int32
  public var milliseconds: Int

  public init(name: String, exitCode: Int32, milliseconds: Int) {
    self.name = name
    self.exitCode = exitCode
    self.milliseconds = milliseconds
  }

  /// Parses `NAME:EXIT:MILLISECONDS`, the form `scripts/run-pipeline` passes.
  public init?(argument: String) {
    let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 3, !parts[0].isEmpty, let code = Int32(parts[1]), let ms = Int(parts[2]), ms >= 0 else {
      return nil
    }
    self.init(name: String(parts[0]), exitCode: code, milliseconds: ms)
  }

  enum CodingKeys: String, CodingKey {
    case name, milliseconds
    case exitCode = "exit_code"
  }
}

/// One input file as the run saw it: identity, dialect and row counts.
public struct ManifestInput: Codable, Sendable, Equatable {
  public var file: String
  public var bytes: Int
  public var sha256: String?
  /// ingested, empty or set_aside (from the ingest summary).
  public var status: String
  public var encoding: String?
  public var delimiter: String?
  public var rowsRead: Int
  public var rowsPassed: Int
  public var rowsSkipped: Int
  public var rowsRejected: Int
  /// The normalise stage's counts for the file, once that stage has run.
  public var normalise: NormaliseCounts?
  public var problem: String?

  enum CodingKeys: String, CodingKey {
    case file, bytes, sha256, status, encoding, delimiter, normalise, problem
    case rowsRead = "rows_read"
    case rowsPassed = "rows_passed"
    case rowsSkipped = "rows_skipped"
    case rowsRejected = "rows_rejected"
  }
}

/// The run's totals. Counts a stage that has not run cannot give are left out.
public struct ManifestTotals: Codable, Sendable, Equatable {
  public var files: Int = 0
  public var filesSetAside: Int = 0
  public var filesUnsettled: Int = 0
  public var rowsRead: Int = 0
  /// Rows skipped as blank, totals or signature-block rows.
  public var rowsSkipped: Int = 0
  /// Rows rejected by any stage (ingest and normalise).
  public var rejected: Int = 0
  /// Of those, the rows an analyst decided lie outside the province: settled, so they hold no one up.
  public var decidedOutside: Int?
  /// Folders inside the input folder holding files that were not read (ingest names them); nil for none.
  public var foldersNotRead: Int?
  public var counted: Int?
  public var duplicates: Int?
  public var review: Int?
  /// Files with establishments counted twice because another file, or the file itself, repeats most of their
  /// rows (a survey sent again under a new name while the old file stays, a sheet pasted twice): the files of
  /// normalise's `file_overlaps` with rows counted twice.
  public var filesOverlapping: Int?

  public init() {}

  /// Rejected rows that wait for someone to fix them.
  public var rejectedToFix: Int { rejected - (decidedOutside ?? 0) }

  enum CodingKeys: String, CodingKey {
    case files, rejected, counted, duplicates, review
    case filesOverlapping = "files_overlapping"
    case decidedOutside = "decided_outside"
    case foldersNotRead = "folders_not_read"
    case filesSetAside = "files_set_aside"
    case filesUnsettled = "files_unsettled"
    case rowsRead = "rows_read"
    case rowsSkipped = "rows_skipped"
  }
}

/// One file of the run folder with its digest, so a later reader can check the folder is whole.
public struct ManifestArtefact: Codable, Sendable, Equatable {
  public var file: String
  public var bytes: Int
  public var sha256: String

  public init(file: String, bytes: Int, sha256: String) {
    self.file = file
    self.bytes = bytes
    self.sha256 = sha256
  }
}

/// The program that made the run.
public struct ManifestProgram: Codable, Sendable, Equatable {
  public var name: String
  public var version: String
  /// The checkout's revision (`git describe --always --dirty`), when known.
  public var revision: String?

  public init(name: String = "survey-pipeline", version: String = PipelineVersion.number, revision: String?) {
    self.name = name
    self.version = version
    self.revision = revision
  }
}

/// Everything `manifest.json` says about a run.
public struct RunManifest: Codable, Sendable, Equatable {
  public var runID: String
  public var status: RunStatus
  /// The exit code `scripts/run-pipeline` ends with for this run.
  public var exitCode: Int32
  public var failedStage: String?
  public var startedAt: String
  public var finishedAt: String
  public var program: ManifestProgram
  public var inputFolder: String?
  /// The run `latest` pointed at when this one started, which the report compares against.
  public var previousRun: String?
  public var inputs: [ManifestInput]
  /// Files left for the next run because they were still being written.
  public var unsettled: [UnsettledFile]
  public var totals: ManifestTotals
  public var stages: [StageRecord]
  public var artefacts: [ManifestArtefact]

  enum CodingKeys: String, CodingKey {
    case status, program, inputs, unsettled, totals, stages, artefacts
    case runID = "run_id"
    case exitCode = "exit_code"
    case failedStage = "failed_stage"
    case startedAt = "started_at"
    case finishedAt = "finished_at"
    case inputFolder = "input_folder"
    case previousRun = "previous_run"
  }
}
