import Foundation
import Testing

@testable import SurveyCore

@Suite struct RunPrunerTests {
  @Test(arguments: [
    ("20261130T020000Z", true), ("20261130T020000Z-01", true), ("20261130T020000Z-1", false),
    ("20261130T0200Z", false), ("latest", false), ("20261130T020000Z.tmp", false), ("2026113XT020000Z", false),
  ])
  func runIDs(name: String, isRun: Bool) {
    #expect(RunPruner.isRunID(name) == isRun)
  }

  @Test func keepsTheNewestByNameAndNeverTheProtectedOne() {
    let names = ["20261128T020000Z", "20261130T020000Z", "20261129T020000Z-01", "20261129T020000Z", "notes"]
    #expect(
      RunPruner.victims(among: names, keep: 2, protected: [])
        == ["20261128T020000Z", "20261129T020000Z"])
    #expect(
      RunPruner.victims(among: names, keep: 2, protected: ["20261128T020000Z"]) == ["20261129T020000Z"])
    #expect(RunPruner.victims(among: names, keep: 0, protected: []).count == 3, "at least one run is kept")
    #expect(RunPruner.victims(among: names, keep: 30, protected: []).isEmpty)
  }

  @Test func prunesOnDiskButNotWhatLatestPointsTo() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("prune-\(UUID().uuidString)")
    let runs = output.appendingPathComponent("runs")
    defer { try? FileManager.default.removeItem(at: output) }
    for name in ["20261101T020000Z", "20261102T020000Z", "20261103T020000Z", "20261104T020000Z", "keep-me"] {
      try FileManager.default.createDirectory(at: runs.appendingPathComponent(name), withIntermediateDirectories: true)
    }
    // The newest runs failed, so latest still points at an old one.
    try FileManager.default.createSymbolicLink(
      atPath: output.appendingPathComponent("latest").path, withDestinationPath: "runs/20261101T020000Z")

    let removed = try RunPruner.prune(outputDirectory: output, keep: 2)

    #expect(removed == ["20261102T020000Z"])
    let left = try FileManager.default.contentsOfDirectory(atPath: runs.path).sorted()
    #expect(left == ["20261101T020000Z", "20261103T020000Z", "20261104T020000Z", "keep-me"])
  }
}
