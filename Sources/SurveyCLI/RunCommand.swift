/// `survey-run`: the run's own bookkeeping for `scripts/run-pipeline` — manifest, pruning, mail, the previous run.
///
/// One executable with subcommands rather than one per task: each executable links the whole library, and
/// the machine that builds them has two cores.
import ArgumentParser
import Foundation
import SurveyCore

/// The bookkeeping around the four stages: what a run did, which runs to keep, and mailing the report.
public struct RunCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "survey-run",
    abstract: "The bookkeeping of a pipeline run: its manifest, pruning old runs, and mailing the report.",
    discussion: """
      scripts/run-pipeline calls these after the stages; an operator calls `mail` to resend a report, an editor
      `check-reference` after saving a reference table.

      Example:
        survey-run mail --run-dir output/latest --config output/mail.env
      """,
    subcommands: [
      RunManifestCommand.self, RunPruneCommand.self, RunMailCommand.self, RunPreviousCommand.self,
      RunCheckReferenceCommand.self,
    ])

  public init() {}
}

/// Runs a bookkeeping body; every error becomes one line on stderr and a sysexits code, never 1, which
/// `scripts/run-pipeline` keeps for "complete, with rows for review". Started by the script, it ends with it
/// (`PipelineParent`); the mail program is stopped by the mail command's own SIGTERM handling.
func runBookkeeping(_ tool: String, _ body: () throws -> Void) throws {
  PipelineParent.tie()
  do {
    try body()
  } catch let error as PipelineError {
    complain(tool, error.description)
    throw ExitCode(error.exitCode)
  } catch let error as DeliveryError {
    complain(tool, error.description)
    throw ExitCode(error.exitCode)
  } catch let error as ExitCode {
    throw error
  } catch {
    complain(tool, "unexpected error: \(error)")
    throw ExitCode(70)
  }
}

/// `path` quoted for a shell when it needs to be, for commands printed for an operator to paste.
func shellQuoted(_ path: String) -> String {
  let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+=:,@")
  if !path.isEmpty && path.unicodeScalars.allSatisfy({ safe.contains($0) }) { return path }
  return "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// An absolute form of a path given on the command line.
func absolutePath(_ path: String) -> String {
  URL(fileURLWithPath: path).standardizedFileURL.path
}
