/// `survey-run previous`: the run a new run compares itself with when `latest` is not what a run made it.
import ArgumentParser
import Foundation
import SurveyCore

/// Prints the previous run's folder: the newest complete run when `latest` is missing, dangles, points outside `runs/`
/// or at a run that did not complete.
public struct RunPreviousCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "previous",
    abstract: "Print the folder of the run a new run compares itself with (nothing when there is none).",
    discussion: """
      The run latest points at, when its manifest says it completed (complete or needs_review); when latest \
      points at a run folder that is gone (deleted to free space), at a run that did not complete, or at anything \
      but a run folder of OUTPUT/runs, or is missing while runs/ holds a complete run, the newest run there whose \
      manifest says it completed, with one line on stderr saying so. scripts/run-pipeline asks only when latest is \
      not a link to a complete run folder of runs/, or is missing while runs/ holds another run folder.

      Example:
        survey-run previous --output output --current 20261130T020000Z
      """)

  @Option(help: "The output folder holding runs/ and latest.")
  public var output: String

  @Option(help: "The run id of the run starting now, never its own previous run.")
  public var current: String?

  public init() {}

  public func run() throws {
    try runBookkeeping("survey-run") {
      let choice = PreviousRun.choose(
        outputDirectory: URL(fileURLWithPath: output, isDirectory: true).standardizedFileURL, current: current)
      if let note = choice.note { complain("survey-run", note) }
      if let run = choice.run { print(run.path) }
    }
  }
}
