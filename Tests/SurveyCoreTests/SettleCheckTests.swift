import Foundation
import Testing

@testable import SurveyCore

@Suite struct SettleCheckTests {
  let now = Date(timeIntervalSince1970: 1_800_000_000)
  let files = ["old.csv", "fresh.csv", "growing.csv"].map { URL(fileURLWithPath: "/input/\($0)") }

  /// A check over fixed states: `before` at the start of the probe, `after` at its end.
  func check(window: Int, before: [String: FileState], after: [String: FileState]) -> SettleCheck {
    final class Phase: @unchecked Sendable { var probed = false }
    let phase = Phase()
    return SettleCheck(
      windowSeconds: window, probeSeconds: 1,
      state: { (phase.probed ? after : before)[$0.lastPathComponent] },
      now: { now }, pause: { _ in phase.probed = true })
  }

  @Test func oldFilesAreReadRecentAndGrowingOnesWait() {
    let old = FileState(bytes: 100, changed: now.addingTimeInterval(-3600))
    let fresh = FileState(bytes: 50, changed: now.addingTimeInterval(-12))
    let before = ["old.csv": old, "fresh.csv": fresh, "growing.csv": FileState(bytes: 10, changed: old.changed)]
    var after = before
    after["growing.csv"] = FileState(bytes: 20, changed: old.changed)

    let (settled, unsettled) = check(window: 60, before: before, after: after).partition(files)

    #expect(settled.map(\.lastPathComponent) == ["old.csv"])
    #expect(unsettled.map(\.file) == ["fresh.csv", "growing.csv"])
    #expect(unsettled[0].reason == "changed 12 s ago, within the 60 s settle window")
    #expect(unsettled[1].reason.hasPrefix("still being written: 10 bytes, then 20 bytes"))
    #expect(unsettled[1].bytes == 20)
  }

  /// A file ingest does not read (an `.xlsx`, a photo) is set aside tonight even when it just changed: left for
  /// the next run, the report would say the next run reads it.
  @Test func onlyFilesIngestReadsWaitForTheWindow() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("settle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let names = ["old.csv", "fresh.csv", "fresh.xlsx", "Ảnh.jpg"]
    for name in names { try Data("x".utf8).write(to: folder.appendingPathComponent(name)) }
    let fresh = FileState(bytes: 1, changed: now.addingTimeInterval(-5))
    var states = Dictionary(uniqueKeysWithValues: names.map { ($0, fresh) })
    states["old.csv"] = FileState(bytes: 1, changed: now.addingTimeInterval(-3600))

    let (taken, left) = IngestStage.settle(
      try IngestStage.inputFiles(in: folder), with: check(window: 60, before: states, after: states))

    #expect(taken.map(\.lastPathComponent) == ["fresh.xlsx", "old.csv", "Ảnh.jpg"])
    #expect(left.map(\.file) == ["fresh.csv"])
  }

  @Test func windowZeroChecksNothingAndDoesNotWait() {
    var paused = false
    let check = SettleCheck(
      windowSeconds: 0, state: { _ in FileState(bytes: 1, changed: now) }, now: { now }, pause: { _ in paused = true })
    let (settled, unsettled) = check.partition(files)
    #expect(settled == files)
    #expect(unsettled.isEmpty)
    #expect(!paused)
  }

  @Test func anEmptyFolderIsNotWaitedFor() {
    var paused = false
    let check = SettleCheck(windowSeconds: 60, state: { _ in nil }, now: { now }, pause: { _ in paused = true })
    #expect(check.partition([]).settled.isEmpty)
    #expect(!paused)
  }

  @Test func unreadableFilesArePassedOnForIngestToReport() {
    let (settled, unsettled) = check(window: 60, before: [:], after: [:]).partition(files)
    #expect(settled == files)
    #expect(unsettled.isEmpty)
  }

  @Test func aClockSlightlyAheadCountsAsNowButAWrongClockDoesNotBlockForEver() {
    let aheadALittle = FileState(bytes: 5, changed: now.addingTimeInterval(20))
    let aheadADay = FileState(bytes: 5, changed: now.addingTimeInterval(86_400))
    let states = ["old.csv": aheadADay, "fresh.csv": aheadALittle, "growing.csv": aheadADay]
    let (settled, unsettled) = check(window: 60, before: states, after: states).partition(files)
    #expect(settled.map(\.lastPathComponent) == ["old.csv", "growing.csv"])
    #expect(unsettled.map(\.file) == ["fresh.csv"])
    #expect(unsettled[0].reason.hasPrefix("changed 0 s ago"))
  }

  @Test func realFileStateSeesAWriteThroughItsChangeTime() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("settle-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("a.csv")
    try Data("STT\n".utf8).write(to: url)
    // An old mtime, as a copy that keeps the source's times leaves it: the ctime still says "just now".
    try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 0)], ofItemAtPath: url.path)
    let state = try #require(FileState.of(url))
    #expect(state.bytes == 4)
    #expect(abs(state.changed.timeIntervalSinceNow) < 60)
    let (_, unsettled) = SettleCheck(windowSeconds: 60, probeSeconds: 0).partition([url])
    #expect(unsettled.map(\.file) == ["a.csv"])
  }
}
