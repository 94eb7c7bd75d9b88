/// Files written whole or not at all, and what a failure to create one says.
import CFileSync
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

  /// A large file that will be synced asks the disk to start on it while it is written (issue 6: the final sync
  /// of establishments.csv waited 64 ms for all of it), in whole pages only, and a cut brings the mark back: what
  /// the file holds is what was written either way.
  @Test func writeBackStartsAtWholePagesOnceAStrideIsWritten() throws {
    let folder = try TemporaryFolder("write-back")
    defer { folder.cleanUp() }
    let url = folder.file("big.csv")
    let writer = try AtomicFileWriter(url, writeBackEvery: 16_384)
    let line = Array("survey.csv,2,Cơ sở bánh đa,household\n".utf8)
    var expected: [UInt8] = []
    // Below the writer's 64 KiB buffer nothing has reached the file, so nothing is asked of the disk.
    while expected.count < 60_000 {
      try line.withUnsafeBytes { try writer.write(raw: $0) }
      expected += line
    }
    #expect(writer.writeBackRequested == 0)
    while expected.count < 70_000 {
      try line.withUnsafeBytes { try writer.write(raw: $0) }
      expected += line
    }
    // The buffer went to the file: every whole page of it is asked for, the page being filled is not.
    #expect(writer.writeBackRequested == 65_536)
    let big = [UInt8](repeating: 0x41, count: 100_000)
    try big.withUnsafeBytes { try writer.write(raw: $0) }
    expected += big
    #expect(writer.writeBackRequested == UInt64(expected.count) & ~4095)
    try writer.truncate(to: 5_000)
    expected.removeLast(expected.count - 5_000)
    #expect(writer.writeBackRequested == 4_096)
    try line.withUnsafeBytes { try writer.write(raw: $0) }
    expected += line
    try writer.commit()
    #expect(try Data(contentsOf: url) == Data(expected))
  }

  /// The call behind it works where the pipeline runs: a wrong flag would only be ignored by the writer.
  @Test func theKernelTakesTheWriteBackRequest() throws {
    #if os(Linux)
      let folder = try TemporaryFolder("write-back")
      defer { folder.cleanUp() }
      let url = folder.file("pages.bin")
      try Data(repeating: 7, count: 3 * 4096).write(to: url)
      let descriptor = open(url.path, O_WRONLY)
      #expect(descriptor >= 0)
      defer { close(descriptor) }
      #expect(survey_start_write_back(descriptor, 0, 3 * 4096) == 0, "errno \(errno)")
      #expect(survey_start_write_back(descriptor, 0, -1) == -1)
    #endif
  }
}
