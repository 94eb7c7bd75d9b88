import Foundation
import Testing

@testable import SurveyCore

/// Ingest writes `ingested.rows` beside `ingested.csv`: the companion must give exactly the records (fields and
/// lines) that libcsv reads from the CSV, also after a set-aside file's rows were taken back out of both.
@Suite struct IngestCompanionTests {
  static let headerCells = ["STT", "Tên cơ sở", "Loại hình", "Huyện/Thành phố", "Số lao động", "Nhu cầu hỗ trợ"]
  static let header = headerCells.joined(separator: ",") + "\n"

  /// Checks that the companion of `csv` is there and fresh, and reads as the CSV does; the records read.
  @discardableResult
  static func expectCompanionReadsAsCSV(_ csv: URL, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> [CSVRecord]
  {
    let reader = try #require(StagedRowsReader(companionOf: csv), "no fresh companion", sourceLocation: sourceLocation)
    let fromCSV = try StagedRowsTests.records { try CSVFile.forEachRawRow(csv, header: $0, row: $1) }
    let fromRows = try StagedRowsTests.records { try reader.forEach(header: $0, row: $1) }
    #expect(fromRows.count == fromCSV.count, sourceLocation: sourceLocation)
    if let index = fromRows.indices.first(where: { $0 < fromCSV.count && fromRows[$0] != fromCSV[$0] }) {
      Issue.record(
        "record \(index) differs: companion \(fromRows[index]), CSV \(fromCSV[index])", sourceLocation: sourceLocation)
    }
    return fromCSV
  }

  /// A quoted CSV cell, quotes doubled.
  static func quoted(_ cell: String) -> String { "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

  @Test(arguments: ingestCases)
  func everyFixtureGetsACompanionThatReadsAsItsCSV(name: String) throws {
    let run = try TemporaryFolder("companion-\(name)")
    defer { run.cleanUp() }
    let input = fixturesRoot.appendingPathComponent("ingest/\(name)/input.csv")
    let summary = try IngestStage.run(files: [input], runDirectory: run.url, schema: try shippedSchema())
    let records = try Self.expectCompanionReadsAsCSV(run.file(ArtefactName.ingested))
    #expect(records.count == 1 + summary.rowsPassed)
    #expect(records.first?.fields == FormSchema.stagedHeader)
    #expect(FileManager.default.fileExists(atPath: run.file(ArtefactName.ingestedRows).path))
  }

  @Test func allFixturesInOneRunGiveOneCompanionThatReadsAsTheCSV() throws {
    try TemporaryFolder.withInputAndRun("companion-all") { input, run in
      for name in ingestCases {
        try FileManager.default.copyItem(
          at: fixturesRoot.appendingPathComponent("ingest/\(name)/input.csv"), to: input.file("\(name).csv"))
      }
      let summary = try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema())
      #expect(summary.files.contains { $0.status == .setAside })
      let records = try Self.expectCompanionReadsAsCSV(run.file(ArtefactName.ingested))
      #expect(records.count == 1 + summary.rowsPassed)
      // Cells over several lines move later records down; the fixtures have some.
      #expect(zip(records, records.dropFirst()).contains { $1.line > $0.line + 1 })
    }
  }

  @Test func aFileSetAsideFarDownIsTakenBackOutOfTheCompanionToo() throws {
    try TemporaryFolder.withInputAndRun("companion-late") { input, run in
      let multiLine = Self.quoted("Xưởng \"Mây\"\r\ntre\nđan\rVũ Thư")
      try Data((Self.header + "1,\(multiLine),HTX,Vũ Thư,5,\"SXSH,\nĐào tạo\"\n").utf8).write(to: input.file("a.csv"))
      // Past the batch the ingester hands to the writers and past their buffers, so rows reach the disk.
      var long = Self.header
      for index in 1...6000 {
        long += "\(index),\"Cơ sở số \(index)\nmây tre đan\",HTX,Vũ Thư,5,SXSH\n"
      }
      try Data((long + "6001,\"never closed,HTX\n").utf8).write(to: input.file("b.csv"))
      try Data((Self.header + "1,\"Cơ sở C\r\n(hai dòng)\",HTX,Vũ Thư,5,SXSH\n").utf8).write(to: input.file("c.csv"))
      let summary = try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema())
      #expect(summary.files.map(\.status) == [.ingested, .setAside, .ingested])
      let records = try Self.expectCompanionReadsAsCSV(run.file(ArtefactName.ingested))
      #expect(records.dropFirst().map { $0.fields[0] } == ["a.csv", "c.csv"])
      #expect(records.map(\.line) == [1, 2, 7])
    }
  }

  @Test func aFileReadAgainAsWindows1258IsInTheCompanionOnce() throws {
    try TemporaryFolder.withInputAndRun("companion-cp1258") { input, run in
      var text = "No.,Establishment name,Enterprise type,District,Employees\r\n"
      for index in 1...8000 { text += "\(index),\"Co so \(index)\r\nVu Thu\",HTX,Vu Thu,5\r\n" }
      text += "8001,Cơ sở mây tre Hà Nam,HTX,Vũ Thư,7\r\n"
      let bytes = try #require(TestEncoding.windows1258(text))
      try Data(bytes).write(to: input.file("old-excel.csv"))
      let summary = try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema())
      #expect(summary.files[0].encoding == "windows-1258")
      let records = try Self.expectCompanionReadsAsCSV(run.file(ArtefactName.ingested))
      #expect(records.count == 8002)
      #expect(records.last?.fields[3] == "Cơ sở mây tre Hà Nam")
    }
  }

  @Test func awkwardCellsAndFileNamesReadTheSameFromTheCompanion() throws {
    try TemporaryFolder.withInputAndRun("companion-awkward") { input, run in
      var random = SplitMix64(state: 11)
      // Names with a tab or space at an edge, a comma, quotes or a line break are quoted in the CSV and read back
      // whole.
      let names = ["\tedge tab.csv", "comma, \"quote\".csv", "new\nline.csv", "plain.csv", " space.csv"]
      for (number, name) in names.enumerated() {
        var bytes = Array(Self.header.utf8)
        for index in 1...400 {
          // Most rows pass (awkward, but no cell that rejects them); every fourth may be rejected among them.
          // No NUL, which would have the file taken for binary.
          var cells: [[UInt8]] = []
          while cells.count < 5 {
            let cell = AwkwardText.cell(&random, validOnly: number % 2 == 0)
            let traits = cell.withUnsafeBytes { UTF8Bytes.traits(of: $0) }
            if !cell.contains(0) && (index % 4 == 0 || traits.isDisjoint(with: [.invalid, .suspect])) {
              cells.append(cell)
            }
          }
          if index % 3 == 0 { cells[0] = Array("Cơ sở \(index)".utf8) }
          bytes += Array("\(index),".utf8)
          bytes += cells.map { [0x22] + $0.flatMap { $0 == 0x22 ? [0x22, 0x22] : [$0] } + [0x22] }
            .joined(separator: [0x2C])
          bytes += index % 2 == 0 ? [0x0D, 0x0A] : [0x0A]
        }
        try Data(bytes).write(to: input.file(name))
      }
      let summary = try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema())
      #expect(summary.files.count == names.count)
      #expect(summary.files.allSatisfy { $0.status == .ingested && $0.rowsPassed > 100 }, "\(summary.files)")
      let records = try Self.expectCompanionReadsAsCSV(run.file(ArtefactName.ingested))
      #expect(Set(records.dropFirst().map { $0.fields[0] }) == Set(names))
    }
  }

  @Test func theManifestListsTheStagedCSVButNotItsCompanion() throws {
    try TemporaryFolder.withInputAndRun("companion-manifest") { input, run in
      try Data((Self.header + "1,Cơ sở A,HTX,Vũ Thư,5,SXSH\n").utf8).write(to: input.file("a.csv"))
      try IngestStage.run(files: [input.file("a.csv")], runDirectory: run.url, schema: try shippedSchema())
      #expect(FileManager.default.fileExists(atPath: run.file(ArtefactName.ingestedRows).path))
      let listed = try ManifestBuilder.artefacts(in: run.url).map(\.file)
      #expect(listed == [ArtefactName.ingestSummary, ArtefactName.ingested, ArtefactName.rejects])
    }
  }

  @Test func aNewIngestIntoTheSameFolderReplacesTheCompanion() throws {
    try TemporaryFolder.withInputAndRun("companion-again") { input, run in
      try Data((Self.header + "1,Cơ sở A,HTX,Vũ Thư,5,SXSH\n").utf8).write(to: input.file("a.csv"))
      try IngestStage.run(files: [input.file("a.csv")], runDirectory: run.url, schema: try shippedSchema())
      try Data((Self.header + "1,Cơ sở B,HTX,Vũ Thư,5,SXSH\n2,Cơ sở C,HTX,Vũ Thư,5,SXSH\n").utf8)
        .write(to: input.file("a.csv"))
      try IngestStage.run(files: [input.file("a.csv")], runDirectory: run.url, schema: try shippedSchema())
      let records = try Self.expectCompanionReadsAsCSV(run.file(ArtefactName.ingested))
      #expect(records.dropFirst().map { $0.fields[3] } == ["Cơ sở B", "Cơ sở C"])
      let leftovers = try FileManager.default.contentsOfDirectory(atPath: run.url.path).filter { $0.hasPrefix(".") }
      #expect(leftovers.isEmpty, "\(leftovers)")
    }
  }

  @Test func longCellsReadTheSameFromTheCompanion() throws {
    try TemporaryFolder.withInputAndRun("companion-long") { input, run in
      // A block holds a length below 255 in one byte, and 255 and up in five.
      var text = Self.header
      for (index, length) in [254, 255, 256, 70_000].enumerated() {
        let name = "Cơ sở " + String(repeating: "x", count: length - 11) + "\n\""  // 9 + ... + 2 bytes
        text += "\(index + 1),\(Self.quoted(name)),HTX,Vũ Thư,5,\(Self.quoted(String(repeating: "đ", count: length)))\n"
      }
      try Data(text.utf8).write(to: input.file("long.csv"))
      let summary = try IngestStage.run(
        files: [input.file("long.csv")], runDirectory: run.url, schema: try shippedSchema())
      #expect(summary.rowsPassed == 4)
      let records = try Self.expectCompanionReadsAsCSV(run.file(ArtefactName.ingested))
      #expect(records.dropFirst().map { $0.fields[3].utf8.count } == [254, 255, 256, 70_000])
    }
  }
}
