/// Options every stage command shares, and the one place a stage's error becomes an exit code.
import ArgumentParser
import Foundation
import SurveyCore

/// The run folder a stage reads from and writes into, and the reference tables.
public struct StageOptions: ParsableArguments {
  @Option(
    name: .customLong("run-dir"),
    help: "The run's folder: earlier stages' artefacts are read from it, this stage's written into it.")
  public var runDirectory: String

  @Option(
    name: .customLong("reference"),
    help: "The folder of editable reference tables (columns.csv, needs.csv, districts, ...).")
  public var reference: String = "input/reference"

  @Flag(name: .shortAndLong, help: "Print the stage's summary even when all is well.")
  public var verbose = false

  public init() {}

  public var runURL: URL { URL(fileURLWithPath: runDirectory, isDirectory: true) }
  /// The reference folder; a missing one is a missing input (exit 66), said on one line like any other.
  public var referenceURL: URL {
    get throws { try Self.referenceFolder(reference) }
  }

  /// The folder `--reference` names; a missing one is a missing input (exit 66), said on one line like any other.
  static func referenceFolder(_ reference: String) throws -> URL {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: reference, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw PipelineError(
        .missingInput,
        "--reference \(reference) is not an existing folder of reference tables: check the path "
          + "(the shipped tables are in the repository's input/reference)")
    }
    return URL(fileURLWithPath: reference, isDirectory: true)
  }

  public mutating func validate() throws {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: runDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw ValidationError("--run-dir \(runDirectory) is not an existing folder; create it first")
    }
  }
}

/// One line on stderr, prefixed by the program: a line break in a file name or a cell (Alt+Enter) is written as
/// a space, so that the cron log keeps one line per problem.
func complain(_ tool: String, _ message: String) {
  FileHandle.standardError.write(Data("\(tool): \(TextFolding.singleLine(message))\n".utf8))
}

/// Runs a stage's body and turns a `PipelineError` into its message on stderr and its exit code.
///
/// A stage started by `scripts/run-pipeline` is first tied to it (`PipelineParent`), so that it never runs on
/// alone, without the lock, after the script was killed.
func runStage(_ tool: String, in runDirectory: URL, _ body: () throws -> Void) throws {
  PipelineParent.tie(removingTemporaryFilesIn: runDirectory)
  do {
    try body()
  } catch let error as PipelineError {
    complain(tool, error.description)
    throw ExitCode(error.exitCode)
  }
}
