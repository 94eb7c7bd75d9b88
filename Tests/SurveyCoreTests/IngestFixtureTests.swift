import Foundation
import Testing

@testable import SurveyCore

/// What a fixture's `facts.json` says a correct reader must find.
struct IngestFacts: Decodable {
  struct Row: Decodable {
    var line: Int
    var status: String?
    var name: String?
    var district: String?
    var employees: String?
  }

  var encoding: String?
  var delimiter: String?
  var header_line: Int?
  var rows: [Row]?
  var rows_read: Int?
  var rows_passed: Int?
  var rows_skipped_blank: Int?
  var rows_skipped_totals: Int?
  var rows_rejected: Int?
  var set_aside: Bool?
  var error_line: Int?
  var missing_column: String?
  var unknown_columns: [String]?
  var empty: Bool?
}

/// The ingest fixture cases: every folder under Fixtures/ingest with an input.csv and facts.json.
let ingestCases: [String] = {
  let root = fixturesRoot.appendingPathComponent("ingest")
  let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
  return names.filter { FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/facts.json").path) }
    .sorted()
}()

@Suite struct IngestFixtureTests {
  @Test func everyEncodingAndLayoutHasAFixture() {
    for required in [
      "utf8-bom-comma-crlf", "utf8-nobom-lf", "utf8-semicolon", "windows-1258-combining", "utf16le-tab",
      "title-and-totals", "two-row-header", "multiline-header-cell", "quoted-fields", "unterminated-quote", "binary",
      "empty", "header-only", "missing-required-column",
    ] {
      #expect(ingestCases.contains(required), "missing fixture \(required)")
    }
  }

  @Test(arguments: ingestCases)
  func fixtureIsReadAsItsFactsSay(name: String) throws {
    let caseFolder = fixturesRoot.appendingPathComponent("ingest/\(name)")
    let facts = try JSONDecoder().decode(
      IngestFacts.self, from: Data(contentsOf: caseFolder.appendingPathComponent("facts.json")))
    let run = try TemporaryFolder("ingest-\(name)")
    defer { run.cleanUp() }
    let summary = try IngestStage.run(
      files: [caseFolder.appendingPathComponent("input.csv")], runDirectory: run.url, schema: try shippedSchema())
    let file = try #require(summary.files.first)
    let staged = try readArtefact(run.file(ArtefactName.ingested))
    let rejects = try readArtefact(run.file(ArtefactName.rejects))

    if facts.set_aside == true {
      #expect(file.status == .setAside, "\(file)")
      #expect(staged.rows.isEmpty)
      #expect(rejects.rows.count == 1)
      if let line = facts.error_line { #expect(file.problemLine == line, "\(file.problem ?? "")") }
      if let column = facts.missing_column {
        let schema = try shippedSchema()
        #expect(file.problem?.contains(schema.displayName(column)) == true, "\(file.problem ?? "")")
      }
      return
    }
    if facts.empty == true { #expect(file.status == .empty) }
    if let encoding = facts.encoding { #expect(file.encoding == encoding) }
    if let delimiter = facts.delimiter {
      let expected = delimiter == "\t" ? "tab" : delimiter
      #expect(file.delimiter == expected)
    }
    if let line = facts.header_line { #expect(file.headerLine == line) }
    if let count = facts.rows_read { #expect(file.rowsRead == count) }
    if let count = facts.rows_passed { #expect(file.rowsPassed == count) }
    if let count = facts.rows_skipped_blank { #expect(file.rowsSkippedBlank == count) }
    if let count = facts.rows_skipped_totals { #expect(file.rowsSkippedTotals == count) }
    if let count = facts.rows_rejected { #expect(file.rowsRejected == count) }
    if let unknown = facts.unknown_columns { #expect(Set(unknown).isSubset(of: Set(file.unknownColumns))) }
    // The accounting invariant holds for every file.
    #expect(file.rowsRead == file.rowsPassed + file.rowsSkippedBlank + file.rowsSkippedTotals + file.rowsRejected)
    #expect(staged.rows.count == file.rowsPassed)
    #expect(rejects.rows.count == file.rowsRejected)

    let column = { (key: String) in staged.header.firstIndex(of: key)! }
    if let rows = facts.rows {
      let passedLines = staged.rows.map { Int($0[column("source_line")])! }
      let rejectedLines = rejects.rows.map { Int($0[1])! }
      let accounted = rows.filter { $0.status == nil || $0.status == "passed" || $0.status == "rejected" }
      #expect((passedLines + rejectedLines).sorted() == accounted.map(\.line).sorted())
      for expected in accounted {
        guard let row = staged.rows.first(where: { Int($0[column("source_line")]) == expected.line }) else { continue }
        if let name = expected.name { #expect(row[column("name")] == name.precomposedStringWithCanonicalMapping) }
        if let district = expected.district {
          #expect(row[column("district")] == district.precomposedStringWithCanonicalMapping)
        }
        if let employees = expected.employees { #expect(row[column("employees")] == employees) }
        for value in row {
          #expect(value == value.precomposedStringWithCanonicalMapping, "not NFC: \(value)")
        }
      }
    }
  }
}
