/// Errors that carry the place in the input where the trouble is, and what to do about it.
import Foundation

/// A place in an input file: its name and a 1-based physical line.
public struct InputLocation: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int

  public init(file: String, line: Int) {
    self.file = file
    self.line = line
  }

  public var description: String { "\(file):\(line)" }
}

/// The one error type of the pipeline; its kind decides the exit code (sysexits).
public struct PipelineError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable {
    /// The input is malformed (EX_DATAERR, 65).
    case badInput
    /// An input or reference file is missing (EX_NOINPUT, 66).
    case missingInput
    /// Reading or writing failed (EX_IOERR, 74).
    case io
  }

  public var kind: Kind
  public var location: InputLocation?
  public var message: String
  /// What is wrong with an input file as a whole, when that is the trouble: the report words it in its language.
  public var fileProblem: FileProblem?

  public init(_ kind: Kind, _ message: String, at location: InputLocation? = nil) {
    self.kind = kind
    self.message = message
    self.location = location
  }

  /// Bad input that sets its file aside; the message is the problem's English sentence.
  public init(_ problem: FileProblem, at location: InputLocation) {
    self.init(.badInput, problem.english, at: location)
    fileProblem = problem
  }

  public var description: String { location.map { "\($0): \(message)" } ?? message }

  /// The sysexits code a command exits with for this error.
  public var exitCode: Int32 {
    switch kind {
    case .badInput: return 65
    case .missingInput: return 66
    case .io: return 74
    }
  }

  /// Wraps a lower-level error with the phase that failed, keeping its message.
  public static func io(_ phase: String, _ underlying: any Error) -> PipelineError {
    if let error = underlying as? PipelineError { return error }
    return PipelineError(.io, "\(phase): \(underlying.localizedDescription)")
  }
}
