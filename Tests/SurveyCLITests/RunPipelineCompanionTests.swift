/// scripts/run-pipeline and the stages' binary companions (`ingested.rows`): made by a stage for the next one,
/// gone from a complete run's folder, and never listed in a manifest.
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

  @Test func aCompleteRunHandsTheCompanionOnThenDeletesIt() throws {
    let work = try Workdir()
    defer { work.remove() }
    let seen = work.hooks.appendingPathComponent("after-ingest")
    try work.wrap("ingest", then: "ls \"$RUN_DIR\" > \"\(seen.path)\"")
    expectComplete(try work.run())
    let run = try #require(work.latestRun())
    #expect(try String(contentsOf: seen, encoding: .utf8).split(separator: "\n").contains("ingested.rows"))
    #expect(try Self.companions(work.runFolder(run)).isEmpty)
    #expect(FileManager.default.fileExists(atPath: work.runFolder(run).appendingPathComponent("ingested.csv").path))
    try work.expectWhole(run)
  }

  @Test func aFailedRunKeepsItsCompanionButTheManifestLeavesItOut() throws {
    let work = try Workdir()
    defer { work.remove() }
    try work.wrap("aggregate", then: "exit 65")
    let finished = try work.run()
    #expect(finished.code == 65, "\(finished)")
    let run = try #require(try work.runs().last)
    // ingested.rows, and establishments.rows from normalise.
    let kept = try Self.companions(work.runFolder(run))
    #expect(kept.contains("ingested.rows"), "\(kept)")
    let listed = Self.listed(try work.manifest(run))
    #expect(listed.contains("ingested.csv") && !listed.contains { $0.hasSuffix(".rows") }, "\(listed)")
    try work.expectWhole(run)
  }
}
