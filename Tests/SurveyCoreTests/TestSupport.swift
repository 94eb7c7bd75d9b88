import Foundation
import Testing

@testable import SurveyCore

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()
/// The fixtures folder of this test target.
let fixturesRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
/// The department's reference tables as shipped.
let referenceFolder = repositoryRoot.appendingPathComponent("input/reference")

/// A fresh temporary folder, removed by the caller with `cleanUp`.
struct TemporaryFolder {
  let url: URL

  init(_ label: String = "survey") throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> URL { url.appendingPathComponent(name) }

  func folder(_ name: String) throws -> URL {
    let sub = url.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
    return sub
  }

  func cleanUp() { try? FileManager.default.removeItem(at: url) }

  /// A fresh input folder (named after `label`) and run folder for `body`, both removed afterwards.
  static func withInputAndRun<Result>(
    _ label: String, _ body: (_ input: TemporaryFolder, _ run: TemporaryFolder) throws -> Result
  ) throws -> Result {
    let input = try TemporaryFolder(label)
    let run = try TemporaryFolder("run")
    defer {
      input.cleanUp()
      run.cleanUp()
    }
    return try body(input, run)
  }
}

/// `body` on a copy of the shipped reference tables in which `table` is replaced by `edit` of its text, as a
/// department editor would change it; the copy is removed afterwards.
func withEditedReference<Result>(
  _ table: String, _ edit: (String) -> String, _ body: (URL) throws -> Result
) throws -> Result {
  try withoutActuallyEscaping(edit) { edit in try withEditedReference([(table, edit)], body) }
}

/// The same with several tables edited, each in its turn; an edit that returns nil deletes its table.
func withEditedReference<Result>(
  _ edits: [(table: String, edit: (String) -> String?)], _ body: (URL) throws -> Result
) throws -> Result {
  let folder = try TemporaryFolder("reference")
  defer { folder.cleanUp() }
  for name in try FileManager.default.contentsOfDirectory(atPath: referenceFolder.path) {
    try FileManager.default.copyItem(
      at: referenceFolder.appendingPathComponent(name), to: folder.url.appendingPathComponent(name))
  }
  for (table, edit) in edits {
    let url = folder.file(table)
    if let text = edit(try String(contentsOf: url, encoding: .utf8)) {
      try Data(text.utf8).write(to: url)
    } else {
      try FileManager.default.removeItem(at: url)
    }
  }
  return try body(folder.url)
}

/// The message `load` stops with on such a copy, as a stage prints it; "no error" when it loads.
func referenceFailure(
  _ table: String, _ edit: (String) -> String, _ load: (URL) throws -> Void
) throws -> String {
  try withEditedReference(table, edit) { stageLine($0, load) }
}

/// The message `load` stops with on the reference tables in `folder`, as a stage prints it; "no error" when it loads.
func stageLine(_ folder: URL, _ load: (URL) throws -> Void) -> String {
  do {
    try load(folder)
    return "no error"
  } catch {
    return (error as? PipelineError)?.description ?? "\(error)"
  }
}

/// Compares `actual` with the golden file at `path` under Fixtures/, recording it when asked or missing.
func expectGolden(_ actual: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
  let url = fixturesRoot.appendingPathComponent(path)
  if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil || !FileManager.default.fileExists(atPath: url.path) {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try actual.write(to: url, atomically: true, encoding: .utf8)
    Issue.record("recorded \(path); review it with git diff", sourceLocation: sourceLocation)
    return
  }
  #expect(actual == (try String(contentsOf: url, encoding: .utf8)), sourceLocation: sourceLocation)
}

/// The form schema from the shipped reference tables.
func shippedSchema() throws -> FormSchema { try FormSchema.load(from: referenceFolder) }

/// Reads a CSV artefact into its header and rows of fields.
func readArtefact(_ url: URL) throws -> (header: [String], rows: [[String]]) {
  let table = try CSVFile.readTable(url)
  return (table.columns, table.rows.map(\.fields))
}

/// Writes (again) the staged CSV at `csv` as the stages write it, and its staged-rows companion, in blocks of
/// about `blockBytes` CSV bytes: small blocks make the stages that read it work on many.
func writeCompanion(of csv: URL, blockBytes: Int = 2048) throws {
  var header: [String] = []
  var rows: [(line: Int, fields: [[UInt8]])] = []
  try CSVFile.forEachRawRow(
    csv, header: { header = $0 },
    row: { record in rows.append((record.line, (0..<record.count).map { Array(record.field($0)) })) })
  let writer = try StagedRowsWriter(StagedRows.companion(of: csv), header: header)
  var text = Array(CSVWriter.line(header).utf8)
  var lines = ByteBuffer(capacity: 1 << 12)
  var batch = StagedRowsBatch()
  defer {
    lines.deallocate()
    batch.deallocate()
  }
  func flush() throws {
    text.append(contentsOf: lines.bytes)
    lines.removeAll()
    try writer.append(&batch)
  }
  for row in rows {
    for field in row.fields { field.withUnsafeBytes { batch.appendCell($0, to: &lines) } }
    batch.endRecord(&lines)
    if lines.count >= blockBytes { try flush() }
  }
  try flush()
  try Data(text).write(to: csv)
  try writer.commit(csv: csv)
  // The writer numbers lines as a CSV without blank lines has them: check that this CSV is one.
  var numbered: [Int] = []
  try StagedRowsReader(companionOf: csv)!.forEach(header: { _ in }, row: { numbered.append($0.line) })
  guard numbered == rows.map(\.line) else {
    throw PipelineError(.badInput, "\(csv.lastPathComponent) has blank lines: its companion would number them away")
  }
}
