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

  /// survey-report holds the groups to min_establishments in the reference folder's recommend-settings.csv unless
  /// --min-establishments is given; a table without the row is held to 2, as before the setting.
  @Test func minEstablishmentsComesFromTheTableUnlessGiven() throws {
    let fixtureReference = Self.fixtures.appendingPathComponent("reference")
    let reference = FileManager.default.temporaryDirectory.appendingPathComponent("report-cli-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: fixtureReference, to: reference)
    defer { try? FileManager.default.removeItem(at: reference) }
    let settings = reference.appendingPathComponent("recommend-settings.csv")
    /// How many recommendations survey-report writes with `rows` as the table and `arguments` added.
    func recommendations(_ rows: [String], _ arguments: [String] = []) throws -> Int {
      try ((["setting,value,note", "few_establishments,3,"] + rows).joined(separator: "\n") + "\n").write(
        to: settings, atomically: true, encoding: .utf8)
      let run = try Self.sampleRun()
      defer { try? FileManager.default.removeItem(at: run) }
      let result = try Self.run(
        "survey-report", ["--run-dir", run.path, "--reference", reference.path] + arguments)
      #expect(result.status == 0, "\(result.stderr)")
      let csv = try String(contentsOf: run.appendingPathComponent("recommendations.csv"), encoding: .utf8)
      return csv.split(separator: "\n").count - 1
    }
    let two = try recommendations(["min_establishments,2,"])
    #expect(two > 0)
    #expect(try recommendations([]) == two, "no row: 2, as before the setting")
    #expect(try recommendations(["min_establishments,1000000,"]) == 0, "the table's value is used")
    #expect(try recommendations(["min_establishments,1000000,"], ["--min-establishments", "2"]) == two)
    #expect(try recommendations(["min_establishments,2,"], ["--min-establishments", "1000000"]) == 0)

    let bad = try Self.run(
      "survey-report", ["--run-dir", "/tmp", "--reference", reference.path, "--min-establishments", "0"])
    #expect(bad.status == 64 && bad.stderr.contains("--min-establishments must be at least 1"), "\(bad.stderr)")
    let help = try Self.run("survey-report", ["--help"]).stdout
    let words = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")  // as wrapped to the terminal
    #expect(words.contains("overrides min_establishments in recommend-settings.csv"), "\(help)")
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
