/// Files written whole or not at all, and what a failure to create one says.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct AtomicFileTests {
  /// A disk out of space or inodes said "check that the folder exists and is writable", so the operator looked at
  /// permissions; the system's reason comes first now (an operator's round).
  @Test func aFileThatCannotBeCreatedSaysTheSystemsReason() throws {
    let full = AtomicFileWriter.advice(forCreateError: ENOSPC)
    #expect(full.hasPrefix("No space left on device: free disk space or inodes there"), "\(full)")
    let missing = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/report.md")
    let error = #expect(throws: PipelineError.self) { try AtomicFileWriter.write("x", to: missing) }
    #expect(error?.message.hasSuffix(": No such file or directory: check that the folder exists") == true, "\(error!)")
    #expect(error?.exitCode == 74)
  }
}
