/// The warning a night's pruning gives when the disk has room for fewer than two more runs.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct DiskRoomTests {
  @Test(
    arguments: [
      (0, "0 bytes"), (999, "999 bytes"), (1_000, "1.0 KB"), (380_123_456, "380 MB"), (9_949_999_999, "9.9 GB"),
      (4_398_046_511_104, "4.4 TB"),
    ] as [(UInt64, String)])
  func sizesAreSaidAsDfDoes(bytes: UInt64, said: String) {
    #expect(DiskRoom.size(bytes) == said)
  }

  @Test func aDiskWithRoomForFewerThanTwoRunsIsSaid() {
    let run: UInt64 = 380_000_000
    #expect(DiskRoom.warning(available: 2 * run, runBytes: run, output: "/srv/output", keep: 30) == nil)
    #expect(DiskRoom.warning(available: 10 * run, runBytes: run, output: "/srv/output", keep: 30) == nil)
    #expect(DiskRoom.warning(available: 0, runBytes: 0, output: "/srv/output", keep: 30) == nil, "no run, no measure")
    #expect(
      DiskRoom.warning(available: 2 * run - 2, runBytes: run, output: "/srv/output", keep: 30)
        == "the disk holding /srv/output has 760 MB free, less than two runs the size of the last complete one "
        + "(380 MB): free space there or keep fewer runs (scripts/run-pipeline --keep, now 30), before a night "
        + "fails with \"No space left on device\"")
  }

  /// A run folder's size is its files' (a folder or link inside it is not the run's); no folder, no size.
  @Test func aRunsSizeIsItsFiles() throws {
    let folder = try TemporaryFolder("disk-room")
    defer { folder.cleanUp() }
    let run = folder.url.appendingPathComponent("20261130T020000Z")
    try FileManager.default.createDirectory(at: run.appendingPathComponent("inner"), withIntermediateDirectories: true)
    try Data(count: 1_234).write(to: run.appendingPathComponent("establishments.csv"))
    try Data(count: 66).write(to: run.appendingPathComponent("report.md"))
    try Data(count: 5_000).write(to: run.appendingPathComponent("inner/other.csv"))
    try FileManager.default.createSymbolicLink(
      at: run.appendingPathComponent("link.csv"), withDestinationURL: run.appendingPathComponent("report.md"))
    #expect(DiskRoom.bytes(of: run) == 1_300)
    #expect(DiskRoom.bytes(of: folder.url.appendingPathComponent("missing")) == nil)
    #expect(DiskRoom.available(at: folder.url).map { $0 > 0 } == true)
  }
}
