/// `survey-run check-reference`: every reference table's first mistake at once (`ReferenceCheck`).
import ArgumentParser
import Foundation
import SurveyCore

/// Checks every table of a reference folder as the stages read them, and lists each table's first mistake.
public struct RunCheckReferenceCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "check-reference",
    abstract: "Check every reference table as the stages read them, and list each table's first mistake.",
    discussion: """
      A stage stops the night at the first mistake it meets in a reference table; this lists the first mistake of \
      every table, as file:line: message, then how many tables to fix, so that all are fixed before the next run. \
      scripts/run-pipeline runs it when a stage fails with 65 or 66; run it after editing a table.

      Exit: 0 no mistake; 65 a table is malformed; 66 a table is missing or unreadable (and none malformed).

      Example:
        survey-run check-reference --reference input/reference
      """)

  @Option(help: "The folder of editable reference tables.")
  public var reference: String = "input/reference"

  @Flag(name: .shortAndLong, help: "Say so in one line when no table holds a mistake.")
  public var verbose = false

  public init() {}

  public func run() throws {
    try runBookkeeping("survey-run") {
      let check = ReferenceCheck.run(reference: try StageOptions.referenceFolder(reference))
      guard check.exitCode != 0 else {
        if verbose { print("survey-run: " + ReferenceCheck.clean(reference: reference)) }
        return
      }
      for finding in check.findings { complain("survey-run", finding.line) }
      complain(
        "survey-run",
        check.summary(program: shellQuoted(CommandLine.arguments[0]), reference: shellQuoted(reference)))
      throw ExitCode(check.exitCode)
    }
  }
}
