/// scripts/run-pipeline when the output folder is not as runs left it: `latest` dangling, pointing elsewhere or
/// replaced by a file (an operator's audit).
import Foundation
import Testing

@Suite(.serialized) struct RunPipelineOperatorTests {
  /// An operator frees space by deleting the newest run folder: `latest` dangles, and the next run compared itself
  /// with nothing ("Đây là lần chạy đầu tiên") although older complete runs were there, the log silent. It now
  /// takes the newest complete run (a failed one is passed over) and says so in one line; a `latest` pointed at a
  /// folder outside `runs/` is not taken for a run either.
  @Test func aLatestThatNoLongerPointsAtARunFallsBackOnTheNewestCompleteOneAndSaysSo() throws {
    let work = try Workdir()
    defer { work.remove() }
    for _ in 0..<3 { expectComplete(try work.run()) }
    let runs = try work.runs()
    let (older, failed, deleted) = (runs[0], runs[1], runs[2])
    // The middle run failed: its manifest says so, and it is no run to compare with.
    let manifestURL = work.runFolder(failed).appendingPathComponent("manifest.json")
    var manifest = try work.manifest(failed)
    manifest["status"] = "failed"
    try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
    try FileManager.default.removeItem(at: work.runFolder(deleted))

    let dangling = try work.run()
    #expect(dangling.code == 0, "\(dangling)")
    #expect(
      dangling.stderr
        == "survey-run: \(work.latest.path) pointed at a run folder that is gone (runs/\(deleted)); compared with run "
        + "\(older), the newest complete one\n")
    let after = try #require(work.latestRun())
    #expect(try work.manifest(after)["previous_run"] as? String == older)
    let report = try work.latestReport()
    #expect(!report.contains("Đây là lần chạy đầu tiên"), "\(report)")

    // A link made by hand to a folder elsewhere: not a run, not used.
    let foreign = work.root.appendingPathComponent("elsewhere")
    try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
    try FileManager.default.removeItem(at: work.latest)
    try FileManager.default.createSymbolicLink(atPath: work.latest.path, withDestinationPath: foreign.path)
    let outside = try work.run()
    #expect(outside.code == 0, "\(outside)")
    #expect(
      outside.stderr
        == "survey-run: \(work.latest.path) pointed at \(foreign.path), which is not a run folder in "
        + "\(work.output.path)/runs; it was not used; compared with run \(after), the newest complete one\n")
    let last = try #require(work.latestRun())
    #expect(last != after)
    #expect(try work.manifest(last)["previous_run"] as? String == after)

    // No complete run left at all: compared with none, and said so.
    for run in try work.runs() where run != last { try FileManager.default.removeItem(at: work.runFolder(run)) }
    try FileManager.default.removeItem(at: work.runFolder(last))
    let none = try work.run()
    #expect(
      none.stderr
        == "survey-run: \(work.latest.path) pointed at a run folder that is gone (runs/\(last)); no complete run is "
        + "left in \(work.output.path)/runs, so this run is compared with none\n", "\(none)")
    #expect(try work.manifest(try #require(work.latestRun()))["previous_run"] == nil)
  }

  /// A plain file named `latest` (someone's notes) was replaced by the link without a word; it is now refused as a
  /// folder there is, before anything runs, and left as it was.
  @Test func aFileNamedLatestIsRefusedAndLeftAsItWas() throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    try FileManager.default.removeItem(at: work.latest)
    try Data("operator notes\n".utf8).write(to: work.latest)
    let refused = try work.run()
    #expect(refused.code == 73, "\(refused)")
    #expect(
      refused.stderr
        == "run-pipeline: \(work.latest.path) is a file, not the link a run makes: move it away; nothing was run\n")
    #expect(try String(contentsOf: work.latest, encoding: .utf8) == "operator notes\n")
    #expect(try work.runs().count == 1)
  }
}
