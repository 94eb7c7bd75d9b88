/// A night whose disk refuses a write: the cron log says which file, the system's reason and what to do, the run
/// leaves nothing half-written, and `latest` stays on the last complete run.
import Foundation
import Testing

@Suite struct DiskRefusalTests {
  /// A survey of `rows` answers, each a different establishment, so that the staged files grow past a few KiB.
  static func survey(rows: Int) -> String {
    let crafts = ["Mây tre đan", "Dệt may", "Chế biến gỗ", "Gốm", "Thêu ren", "Cơ khí"]
    var text = Workdir.header
    for row in 1...rows {
      let craft = crafts[row % crafts.count]
      let name = "Cơ sở \(craft) \(row * 7919 % 100_003)"
      text += "\(row),\(name),Hộ kinh doanh,Huyện Hưng Hà,Xã Tân Lễ,\(row % 40 + 2),Đào tạo nghề; Quảng bá sản phẩm\n"
    }
    return text
  }

  /// Before, a write refused for size reached the log as "cannot write ingested.csv: The operation could not be
  /// completed. (NSCocoaErrorDomain error 512.)", and a full disk as "There isn't enough space.", with no folder
  /// and nothing to do (found while reading what an operator sees when the disk fills).
  @Test(arguments: [
    ("ingest", ["ingested.csv", "ingest-summary.json"]),
    ("normalise", ["establishments.csv", "normalise-summary.json", "review.csv"]),
  ])
  func aWriteTheDiskRefusesIsSaidWithItsFileAndWhatToDoAndLeavesNothingHalfWritten(
    stage: String, notWritten: [String]
  ) throws {
    let work = try Workdir()
    defer { work.remove() }
    try work.write("hung-ha-lon.csv", Self.survey(rows: 400))
    expectComplete(try work.run())
    let previous = try #require(work.latestRun())

    try work.limitFileSize(of: stage, toKiB: 8)
    let failed = try work.run()
    #expect(failed.code == 74, "\(failed)")
    let run = try #require(try work.runs().last)
    #expect(run != previous)
    let folder = work.runFolder(run)
    let said = failed.stderr.split(separator: "\n").first { $0.hasPrefix("survey-\(stage): cannot write ") }
    let line = try #require(said.map(String.init), "\(failed)")
    #expect(line.contains(folder.path), "the file's folder: \(line)")
    #expect(
      line.hasSuffix(
        ": File too large: the file is larger than this process may write (ulimit -f shows the limit, and the "
          + "cron job's can differ from a shell's): raise it, then run again"), "\(line)")
    #expect(failed.stderr.contains("failed in \(stage)"), "\(failed)")
    #expect(work.latestRun() == previous)
    #expect(try work.manifest(run)["failed_stage"] as? String == stage)
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(!names.contains { $0.hasPrefix(".") }, "temporary files left: \(names)")
    for name in notWritten {
      #expect(!names.contains(name), "\(name) written by a stage that failed: \(names)")
    }

    // The disk mended, the next night completes.
    try work.wrap(stage, then: "")
    expectComplete(try work.run())
    let next = try #require(work.latestRun())
    #expect(next != run && next != previous)
    try work.expectWhole(next)
  }

  /// A disk with room for fewer than two more runs the size of the last complete one is said by the night's
  /// pruning, before a night fails for want of room; the exit code is unchanged. The run here is made large with
  /// a sparse file, whose size counts though it takes no room.
  @Test func aDiskShortOfRoomForTheNextNightsIsSaidAfterPruning() throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    let run = work.runFolder(try #require(work.latestRun()))
    let prune = ["prune", "--output", work.output.path, "--keep", "30"]
    let roomy = try runTool("survey-run", prune)
    #expect(roomy.status == 0 && roomy.stderr.isEmpty, "\(roomy.stderr)")

    let big = run.appendingPathComponent("establishments.csv")
    let handle = try FileHandle(forWritingTo: big)
    try handle.truncate(atOffset: 1 << 43)  // 8.8 TB, within ext4's largest file; no disk here has twice that free
    try handle.close()
    let short = try runTool("survey-run", prune)
    #expect(short.status == 0, "\(short.stderr)")
    #expect(
      short.stderr.hasPrefix("survey-run: the disk holding \(work.output.path) has "), "\(short.stderr)")
    #expect(
      short.stderr.hasSuffix(
        " free, less than two runs the size of the last complete one (8.8 TB): free space there or keep fewer runs "
          + "(scripts/run-pipeline --keep, now 30), before a night fails with \"No space left on device\"\n"),
      "\(short.stderr)")
  }
}
