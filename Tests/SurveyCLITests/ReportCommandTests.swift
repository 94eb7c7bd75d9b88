/// survey-aggregate and survey-report as an operator runs them: help, exit codes, files written.
import Foundation
import Testing

@Suite struct ReportCommandTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("SurveyCoreTests/Fixtures/report")

  static func run(_ tool: String, _ arguments: [String]) throws -> ToolResult { try runTool(tool, arguments) }

  static func sampleRun() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-cli-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: fixtures.appendingPathComponent("sample/run"), to: folder)
    return folder
  }

  @Test func helpDocumentsEveryOption() throws {
    let report = try Self.run("survey-report", ["--help"])
    #expect(report.status == 0)
    for option in ["--run-dir", "--reference", "--lang", "--previous-run", "--run-label", "--top", "Example:"] {
      #expect(report.stdout.contains(option), "survey-report --help lacks \(option)")
    }
    let aggregate = try Self.run("survey-aggregate", ["--help"])
    #expect(aggregate.status == 0)
    #expect(aggregate.stdout.contains("aggregates-by-sector.csv"))
  }

  @Test func writesTheCSVsAndTheReport() throws {
    let run = try Self.sampleRun()
    let reference = Self.fixtures.appendingPathComponent("reference").path
    let aggregate = try Self.run("survey-aggregate", ["--run-dir", run.path, "--reference", reference])
    #expect(aggregate.status == 0, "\(aggregate.stderr)")
    #expect(aggregate.stdout.isEmpty && aggregate.stderr.isEmpty, "quiet on success")
    let report = try Self.run(
      "survey-report", ["--run-dir", run.path, "--reference", reference, "--lang", "en", "--previous-run", run.path])
    #expect(report.status == 0, "\(report.stderr)")
    for name in ["aggregates.csv", "aggregates-by-type.csv", "aggregates-by-sector.csv", "recommendations.csv"] {
      #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(name).path), "\(name)")
    }
    let text = try String(contentsOf: run.appendingPathComponent("report.md"), encoding: .utf8)
    #expect(text.hasPrefix("# Survey of industrial-promotion"))
  }

  @Test func aBadLanguageIsAUsageError() throws {
    let result = try Self.run("survey-report", ["--run-dir", "/tmp", "--reference", "/tmp", "--lang", "fr"])
    #expect(result.status == 64)
  }

  @Test func aRunWithoutEstablishmentsSaysWhatToRunFirst() throws {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("report-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let result = try Self.run(
      "survey-report", ["--run-dir", empty.path, "--reference", Self.fixtures.appendingPathComponent("reference").path])
    #expect(result.status == 66)
    #expect(result.stderr.hasPrefix("survey-report: "))
    #expect(!FileManager.default.fileExists(atPath: empty.appendingPathComponent("report.md").path))
  }
}
