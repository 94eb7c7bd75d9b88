/// scripts/run-pipeline and the stages' binary companions (`*.rows`): made by a stage for the next ones, gone
/// once the stages are done but for the latest complete run's `establishments.rows` (the next run compares with
/// it), and never listed in a manifest.
import Foundation
import Testing

@Suite(.serialized) struct RunPipelineCompanionTests {
  /// The names in a run folder that are companions.
  static func companions(_ folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".rows") }.sorted()
  }

  static func listed(_ manifest: [String: Any]) -> [String] {
    (manifest["artefacts"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String }
  }

  @Test func aCompleteRunKeepsOnlyEstablishmentsRowsAndOnlyWhileItIsLatest() throws {
    let work = try Workdir()
    defer { work.remove() }
    let seen = work.hooks.appendingPathComponent("after-ingest")
    try work.wrap("ingest", then: "ls \"$RUN_DIR\" > \"\(seen.path)\"")
    expectComplete(try work.run())
    let first = try #require(work.latestRun())
    #expect(try String(contentsOf: seen, encoding: .utf8).split(separator: "\n").contains("ingested.rows"))
    #expect(try Self.companions(work.runFolder(first)) == ["establishments.rows"])
    #expect(FileManager.default.fileExists(atPath: work.runFolder(first).appendingPathComponent("ingested.csv").path))
    try work.expectWhole(first)
    #expect(!Self.listed(try work.manifest(first)).contains { $0.hasSuffix(".rows") })

    // The next run's report reads it (fresh, beside an unchanged CSV), then it goes.
    let read = work.hooks.appendingPathComponent("report-args")
    try work.wrap("report", then: "echo \"$@\" > \"\(read.path)\"")
    expectComplete(try work.run())
    let second = try #require(work.latestRun())
    #expect(second != first)
    #expect(try String(contentsOf: read, encoding: .utf8).contains("--previous-run \(work.runFolder(first).path)"))
    #expect(try Self.companions(work.runFolder(first)).isEmpty)
    #expect(try Self.companions(work.runFolder(second)) == ["establishments.rows"])
    try work.expectWhole(first)
    try work.expectWhole(second)
  }

  @Test func aFailedRunDeletesItsCompanionsAndLatestKeepsItsOwn() throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    let latest = try #require(work.latestRun())
    try work.wrap("aggregate", then: "exit 65")
    let finished = try work.run()
    #expect(finished.code == 65, "\(finished)")
    let run = try #require(try work.runs().last)
    #expect(run != latest && work.latestRun() == latest)
    #expect(try Self.companions(work.runFolder(run)).isEmpty)
    #expect(try Self.companions(work.runFolder(latest)) == ["establishments.rows"])
    let listed = Self.listed(try work.manifest(run))
    #expect(listed.contains("ingested.csv") && !listed.contains { $0.hasSuffix(".rows") }, "\(listed)")
    try work.expectWhole(run)
  }
}
