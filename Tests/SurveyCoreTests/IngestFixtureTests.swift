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
  var headerLine: Int?
  var rows: [Row]?
  var rowsRead: Int?
  var rowsPassed: Int?
  var rowsSkippedBlank: Int?
  var rowsSkippedTotals: Int?
  var rowsSkippedSignature: Int?
  var rowsRejected: Int?
  var setAside: Bool?
  var errorLine: Int?
  var missingColumn: String?
  var unknownColumns: [String]?
  var empty: Bool?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case encoding, delimiter, rows, empty
    case headerLine = "header_line"
    case rowsRead = "rows_read"
    case rowsPassed = "rows_passed"
    case rowsSkippedBlank = "rows_skipped_blank"
    case rowsSkippedTotals = "rows_skipped_totals"
    case rowsSkippedSignature = "rows_skipped_signature"
    case rowsRejected = "rows_rejected"
    case setAside = "set_aside"
    case errorLine = "error_line"
    case missingColumn = "missing_column"
    case unknownColumns = "unknown_columns"
  }

  /// Keys a `facts.json` holds that this test does not check: what the case is, and facts that `check_fixtures.py`
  /// checks against the bytes (line ends) or that the keys above imply (status, problem).
  static let describedOnly: Set<String> = ["case", "description", "status", "line_ends", "problem"]
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
      "empty", "header-only", "missing-required-column", "signature-block-semicolon", "signature-block-windows-1258",
      "signature-block-utf16le-english",
    ] {
      #expect(ingestCases.contains(required), "missing fixture \(required)")
    }
  }

  @Test(arguments: ingestCases)
  func fixtureIsReadAsItsFactsSay(name: String) throws {
    let caseFolder = fixturesRoot.appendingPathComponent("ingest/\(name)")
    let factsData = try Data(contentsOf: caseFolder.appendingPathComponent("facts.json"))
    let facts = try JSONDecoder().decode(IngestFacts.self, from: factsData)
    // A misspelt key would be a fact nobody checks.
    let keys = try #require(JSONSerialization.jsonObject(with: factsData) as? [String: Any]).keys
    let unread = Set(keys).subtracting(IngestFacts.CodingKeys.allCases.map(\.rawValue))
      .subtracting(IngestFacts.describedOnly)
    #expect(unread.isEmpty, "facts.json keys that nothing reads: \(unread.sorted())")
    let run = try TemporaryFolder("ingest-\(name)")
    defer { run.cleanUp() }
    let summary = try IngestStage.run(
      files: [caseFolder.appendingPathComponent("input.csv")], runDirectory: run.url, schema: try shippedSchema())
    let file = try #require(summary.files.first)
    let staged = try readArtefact(run.file(ArtefactName.ingested))
    let rejects = try readArtefact(run.file(ArtefactName.rejects))

    if facts.setAside == true {
      #expect(file.status == .setAside, "\(file)")
      #expect(staged.rows.isEmpty)
      #expect(rejects.rows.count == 1)
      if let line = facts.errorLine { #expect(file.problemLine == line, "\(file.problem ?? "")") }
      if let column = facts.missingColumn {
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
    if let line = facts.headerLine { #expect(file.headerLine == line) }
    if let count = facts.rowsRead { #expect(file.rowsRead == count) }
    if let count = facts.rowsPassed { #expect(file.rowsPassed == count) }
    if let count = facts.rowsSkippedBlank { #expect(file.rowsSkippedBlank == count) }
    if let count = facts.rowsSkippedTotals { #expect(file.rowsSkippedTotals == count) }
    // Facts written before signature blocks were skipped have no such rows: 0.
    #expect(file.rowsSkippedSignature == facts.rowsSkippedSignature ?? 0)
    if let count = facts.rowsRejected { #expect(file.rowsRejected == count) }
    if let unknown = facts.unknownColumns { #expect(Set(unknown).isSubset(of: Set(file.unknownColumns))) }
    // The accounting invariant holds for every file.
    #expect(
      file.rowsRead == file.rowsPassed + file.rowsSkippedBlank + file.rowsSkippedTotals + file.rowsSkippedSignature
        + file.rowsRejected)
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
