/// Files written whole or not at all, and what a failure to create one says.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct AtomicFileTests {
  /// A disk out of space or inodes said "check that the folder exists and is writable", so the operator looked at
  /// permissions; the system's reason comes first now (an operator's round).
  @Test func aFileThatCannotBeCreatedSaysTheSystemsReason() throws {
    let full = DiskAdvice.create(ENOSPC)
    #expect(full.hasPrefix("No space left on device: free disk space or inodes there"), "\(full)")
    let missing = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/report.md")
    let error = #expect(throws: PipelineError.self) { try AtomicFileWriter.write("x", to: missing) }
    #expect(error?.message.hasSuffix(": No such file or directory: check that the folder exists") == true, "\(error!)")
    #expect(error?.exitCode == 74)
  }

  /// A write refused says the system's reason and what to do about it: a full disk is one to free, not a folder
  /// to fix; a file past the process's size limit names the limit, which cron's environment may set differently.
  @Test func aWriteThatIsRefusedSaysTheSystemsReasonAndWhatToDo() {
    #expect(
      DiskAdvice.write(ENOSPC)
        == "No space left on device: free disk space there (df -h shows it; scripts/run-pipeline --keep N keeps "
        + "fewer old runs), then run again")
    #expect(DiskAdvice.write(EFBIG).hasPrefix("File too large: the file is larger than this process may write"))
    #expect(DiskAdvice.write(EIO).hasPrefix("Input/output error: the disk reported an error (dmesg shows it)"))
    #expect(DiskAdvice.write(EBADF) == "Bad file descriptor")
    let error = DiskAdvice.writeFailure("write", "/srv/output/runs/x/ingested.csv", ENOSPC)
    #expect(error.exitCode == 74)
    #expect(error.message.hasPrefix("cannot write /srv/output/runs/x/ingested.csv: No space left on device: "))
  }

  /// What the file holds is what was written, through the writer's buffer, a run large enough to go straight to
  /// the file, and a cut back past what had reached it (ingest cuts back the rows of a file it sets aside midway).
  @Test func aFileHoldsWhatWasWrittenThroughBufferLargeRunsAndACut() throws {
    let folder = try TemporaryFolder("atomic-file")
    defer { folder.cleanUp() }
    let url = folder.file("big.csv")
    let writer = try AtomicFileWriter(url)
    let line = Array("survey.csv,2,Cơ sở bánh đa,household\n".utf8)
    var expected: [UInt8] = []
    // Past the writer's 64 KiB buffer, so that part of it has reached the file.
    while expected.count < 70_000 {
      try line.withUnsafeBytes { try writer.write(raw: $0) }
      expected += line
    }
    let big = [UInt8](repeating: 0x41, count: 100_000)
    try big.withUnsafeBytes { try writer.write(raw: $0) }
    expected += big
    #expect(FileManager.default.fileExists(atPath: url.path) == false, "renamed into place before commit")
    try writer.truncate(to: 5_000)
    expected.removeLast(expected.count - 5_000)
    try line.withUnsafeBytes { try writer.write(raw: $0) }
    expected += line
    try writer.commit(synchronize: false)
    #expect(try Data(contentsOf: url) == Data(expected))
  }
}
