/// `survey-run prune`: removes old run folders, never the one `latest` points to.
import ArgumentParser
import Foundation
import SurveyCore

/// Keeps the newest run folders and removes the rest.
public struct RunPruneCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "prune",
    abstract: "Remove run folders beyond the newest --keep, never the one latest points to.",
    discussion: """
      Only folders named like a run id (20261130T020000Z, 20261130T020000Z-01) in OUTPUT/runs are considered; \
      anything else there is left alone. Then, when the disk holding OUTPUT has room for fewer than two more runs \
      the size of the one latest points to, says so on stderr (the exit code is unchanged).

      Example:
        survey-run prune --output output --keep 30
      """)

  @Option(help: "The output folder holding runs/ and latest.")
  public var output: String

  // Takes the next word whatever it looks like, so that `--keep -2` is refused by `validate()`, not as a value missing.
  @Option(parsing: .unconditional, help: "How many of the newest runs to keep (at least 1).")
  public var keep: Int

  @Flag(name: .shortAndLong, help: "Name each run removed.")
  public var verbose = false

  public init() {}

  public func validate() throws {
    guard keep >= 1 else { throw ValidationError("--keep must be 1 or more: the latest run is always kept") }
  }

  public func run() throws {
    try runBookkeeping("survey-run") {
      let outputDirectory = URL(fileURLWithPath: output, isDirectory: true)
      let removed = try RunPruner.prune(outputDirectory: outputDirectory, keep: keep)
      if verbose {
        for name in removed { print("survey-run: removed the old run \(name)") }
      }
      // Said every night the disk is short, so the cron log warns before a night fails for want of room.
      if let warning = DiskRoom.check(outputDirectory: outputDirectory, keep: keep) { complain("survey-run", warning) }
    }
  }
}
