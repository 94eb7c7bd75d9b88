import Foundation
import Testing

@testable import SurveyCore

/// The binary companion of a staged CSV gives exactly the records libcsv reads from the CSV, and is passed
/// over whenever it may not belong to the CSV as it is now.
@Suite struct StagedRowsTests {
  static let header = ["source_file", "source_line", "name", "notes"]
  static let rows: [[String]] = [
    ["a.csv", "2", "Cơ sở mộc Phạm Minh Hà", ""],
    ["a.csv", "3", "Công ty \"Vạn Xuân\", TNHH", "two\nlines"],
    ["a.csv", "5", " edge ", "three\r\nline\nnote"],
    ["b.csv", "2", "", ""],
    ["b.csv", "4", "=SUM(A1)", "x"],
    ["b.csv", "5", String(repeating: "Hợp tác xã \"Đồng Tiến\", ", count: 12), String(repeating: "x", count: 300)],
  ]

  /// Writes the CSV and its companion as the stages do: the CSV first, then the sealed companion; one row
  /// a block, then the rest in one.
  static func writeBoth(_ folder: TemporaryFolder, rows: [[String]] = rows) throws -> URL {
    let csv = folder.file("staged.csv")
    let writer = try CSVWriter(csv, header: header)
    let companion = try StagedRowsWriter(StagedRows.companion(of: csv), header: header)
    try write(Array(rows.prefix(1)), to: writer, companion)
    try write(Array(rows.dropFirst()), to: writer, companion)
    try writer.commit()
    try companion.commit(csv: csv)
    return csv
  }

  static func records(_ read: (([String]) throws -> Void, (CSVRawRecord) throws -> Void) throws -> Void) throws
    -> [CSVRecord]
  {
    var out: [CSVRecord] = []
    try read({ out.append(CSVRecord(line: 1, fields: $0)) }, { out.append($0.record) })
    return out
  }

  @Test func companionGivesTheCSVsRecordsAndLines() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let csv = try Self.writeBoth(folder)
    #expect(StagedRowsReader(companionOf: csv) != nil)
    let fromCSV = try Self.records { try CSVFile.forEachRawRow(csv, header: $0, row: $1) }
    let fromRows = try Self.records { try StagedRowsReader(companionOf: csv)!.forEach(header: $0, row: $1) }
    #expect(fromRows == fromCSV)
    #expect(fromRows.map(\.line) == [1, 2, 3, 5, 8, 9, 10])
    #expect(fromRows.dropFirst().map(\.fields) == Self.rows)
  }

  @Test func manyBlocksRoundTrip() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let rows = (0..<30_000).map { ["f.csv", String($0 + 2), String(repeating: "Nguyễn Văn \($0) ", count: 3), ""] }
    let csv = try Self.writeBoth(folder, rows: rows)
    var count = 0
    try StagedRows.forEachRow(
      csv, header: { _ in },
      row: { record in
        #expect(record.record.fields == rows[count])
        #expect(record.line == count + 2)
        count += 1
      })
    #expect(count == rows.count)
  }

  /// A staged CSV rewritten in place without some of its records (normalise, when rows turn out to be
  /// duplicates) is byte for byte the CSV written from the kept rows alone, and its companion gives the same
  /// records on the same lines (its blocks may end elsewhere): quoted cells, line breaks inside cells, spans of
  /// 255 bytes and more, over many blocks; long records kept after short ones dropped, and the other way round.
  @Test func aStagedCSVRewrittenWithoutSomeRecordsIsThePairWrittenWithoutThem() throws {
    let rows = (0..<9_000).map { index in
      Self.rows[index % Self.rows.count].map { $0 + String(repeating: String(index), count: index % 97 == 0 ? 90 : 1) }
    }
    let everySeventh = Array(stride(from: 3, to: 9_000, by: 7))
    let allButLongOnes = rows.indices.filter { $0 % 97 != 0 }
    for dropped in [[], [0], [1, 2, 5, 4_321, 8_999], everySeventh, allButLongOnes, Array(rows.indices)] {
      let folder = try TemporaryFolder()
      defer { folder.cleanUp() }
      let source = try Self.writeBoth(folder, rows: rows)
      let rewritten = folder.file("rewritten.csv")
      try StagedRows.compact(source, to: rewritten, header: Self.header, dropping: dropped)
      #expect(!FileManager.default.fileExists(atPath: source.path))
      let keptFolder = try TemporaryFolder()
      defer { keptFolder.cleanUp() }
      let droppedSet = Set(dropped)
      let kept = rows.indices.filter { !droppedSet.contains($0) }.map { rows[$0] }
      let expected = try Self.writeBoth(keptFolder, rows: kept)
      let sameCSV = try Data(contentsOf: rewritten) == Data(contentsOf: expected)
      #expect(sameCSV, "dropping \(dropped.count)")
      let fromRewritten = try Self.records {
        try StagedRowsReader(companionOf: rewritten)!.forEach(header: $0, row: $1)
      }
      let fromCSV = try Self.records { try CSVFile.forEachRawRow(expected, header: $0, row: $1) }
      let sameRecords = fromRewritten == fromCSV && fromRewritten.map(\.line) == fromCSV.map(\.line)
      #expect(sameRecords, "dropping \(dropped.count)")
      #expect(fromRewritten.count == kept.count + 1)
    }
  }

  /// Writes `rows` to the CSV and to its companion as one batch, as ingest does.
  static func write(_ rows: [[String]], to writer: CSVWriter, _ companion: StagedRowsWriter) throws {
    var lines = ByteBuffer(capacity: 1 << 12)
    var batch = StagedRowsBatch()
    defer {
      lines.deallocate()
      batch.deallocate()
    }
    for row in rows {
      for cell in row { batch.appendCell(cell, to: &lines) }
      batch.endRecord(&lines)
    }
    #expect(String(decoding: lines.bytes, as: UTF8.self) == rows.map { CSVWriter.line($0) }.joined())
    try writer.append(encodedRows: lines.bytes, count: rows.count)
    try companion.append(&batch)
  }

  /// Normalise's encoders write each row from its packed cells in one pass: the same CSV line and the same
  /// companion as writing its cells one by one. Awkward cells (quotes, line breaks, blank edges, bytes that are no
  /// UTF-8), empty ones, long ones (spans of 255 bytes or more) and records of no cells.
  @Test func packedRecordsWriteWhatTheirCellsWrite() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    var random = SplitMix64(state: 12)
    var rows: [[[UInt8]]] = []
    for index in 0..<3_000 {
      var row = (0..<Int.random(in: 0...24, using: &random)).map { _ in AwkwardText.cell(&random) }
      if index % 50 == 0 && !row.isEmpty {
        row[0] = Array(repeating: index % 100 == 0 ? 0x22 : 0x61, count: Int.random(in: 120...400, using: &random))
      }
      rows.append(row)
    }
    /// How `written` writes each row: cell by cell; packed; packed with plain cells marked so.
    enum Way { case cells, packed, markedPlain }
    func written(_ name: String, _ way: Way) throws -> (line: [UInt8], companion: Data) {
      let csv = folder.file(name)
      let companion = try StagedRowsWriter(StagedRows.companion(of: csv), header: Self.header)
      var lines = ByteBuffer(capacity: 16)
      var batch = StagedRowsBatch()
      var cells = ByteBuffer(capacity: 16)
      defer {
        lines.deallocate()
        batch.deallocate()
        cells.deallocate()
      }
      for row in rows {
        switch way {
        case .cells:
          for cell in row { cell.withUnsafeBytes { batch.appendCell($0, to: &lines) } }
          batch.endRecord(&lines)
        case .packed, .markedPlain:
          cells.removeAll()
          for cell in row {
            cell.withUnsafeBytes {
              if way == .markedPlain && CSVWriter.isPlain($0) {
                StagedText.appendField(plain: $0, to: &cells)
              } else {
                StagedText.appendField($0, to: &cells)
              }
            }
          }
          batch.appendPackedRecord(cells.bytes, to: &lines)
        }
      }
      let line = Array(lines.bytes)
      try Data((Array(CSVWriter.line(Self.header).utf8) + line)).write(to: csv)
      try companion.append(&batch)
      try companion.commit(csv: csv)
      return (line, try Data(contentsOf: StagedRows.companion(of: csv)))
    }
    let cellByCell = try written("cells.csv", .cells)
    for (name, way) in [("packed.csv", Way.packed), ("marked.csv", .markedPlain)] {
      let packed = try written(name, way)
      // Compared as one Bool: a failing expectation of the lines would print their megabyte of bytes.
      let sameLines = packed.line == cellByCell.line
      #expect(sameLines, "\(name): the CSV lines differ")
      #expect(packed.companion == cellByCell.companion, "\(name)")
    }
    #expect(cellByCell.line.count > 100_000)
    // The rows hold both kinds of cell, so both ways through appendPackedRecord were taken.
    let plain = rows.joined().filter { !$0.isEmpty && $0.withUnsafeBytes { CSVWriter.isPlain($0) } }.count
    #expect(plain > 1_000 && plain < rows.joined().count - 1_000)
  }

  @Test func rolledBackRowsLeaveTheCompanionAndLaterLinesAsIfNeverWritten() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let csv = folder.file("staged.csv")
    let writer = try CSVWriter(csv, header: Self.header)
    let companion = try StagedRowsWriter(StagedRows.companion(of: csv), header: Self.header)
    let many = (0..<20_000).map { ["x.csv", String($0), "Cơ sở \($0)\nhai dòng", "\"q\"\r\n\rba"] }

    try Self.write(Array(Self.rows.prefix(2)), to: writer, companion)
    let first = (writer.mark(), companion.mark())
    try Self.write(many, to: writer, companion)
    try Self.write(Array(many.prefix(10)), to: writer, companion)
    try writer.rollBack(to: first.0)
    try companion.rollBack(to: first.1)
    try Self.write(Array(Self.rows.suffix(4)), to: writer, companion)
    let second = (writer.mark(), companion.mark())
    try Self.write(Array(many.prefix(10)), to: writer, companion)
    try writer.rollBack(to: second.0)
    try companion.rollBack(to: second.1)
    try Self.write(Array(many.suffix(2)), to: writer, companion)
    try writer.commit()
    try companion.commit(csv: csv)

    let fromCSV = try Self.records { try CSVFile.forEachRawRow(csv, header: $0, row: $1) }
    let fromRows = try Self.records { try StagedRowsReader(companionOf: csv)!.forEach(header: $0, row: $1) }
    #expect(fromRows == fromCSV)
    #expect(fromRows.dropFirst().map(\.fields) == Self.rows + Array(many.suffix(2)))
    #expect(fromRows.map(\.line) == [1, 2, 3, 5, 8, 9, 10, 11, 15])
  }

  /// Awkward cells (quotes, commas, CR and LF alone and together, edge spaces and tabs, marks, bytes that are
  /// not UTF-8, long cells, empty cells) in batches of every size: the companion finds exactly the fields and
  /// lines libcsv reads from the CSV.
  @Test func companionReadsWhatLibcsvReadsForAwkwardCells() throws {
    var random = SplitMix64(state: 7)
    for round in 0..<60 {
      let folder = try TemporaryFolder()
      defer { folder.cleanUp() }
      let width = Int.random(in: 1...6, using: &random)
      let header = (0..<width).map { "c\($0)" }
      let csv = folder.file("staged.csv")
      let writer = try CSVWriter(csv, header: header)
      let companion = try StagedRowsWriter(StagedRows.companion(of: csv), header: header)
      var written: [[[UInt8]]] = []
      for _ in 0..<Int.random(in: 0...6, using: &random) {
        var lines = ByteBuffer(capacity: 64)
        var batch = StagedRowsBatch()
        defer {
          lines.deallocate()
          batch.deallocate()
        }
        let rows = Int.random(in: 0...40, using: &random)
        for _ in 0..<rows {
          let row = (0..<width).map { _ in
            Int.random(in: 0..<30, using: &random) == 0
              ? Array(repeating: UInt8(ascii: "\""), count: Int.random(in: 100...400, using: &random))
              : AwkwardText.cell(&random)
          }
          for cell in row { cell.withUnsafeBytes { batch.appendCell($0, to: &lines) } }
          batch.endRecord(&lines)
          written.append(row)
        }
        try writer.append(encodedRows: lines.bytes, count: rows)
        try companion.append(&batch)
      }
      try writer.commit()
      try companion.commit(csv: csv)
      func read(_ forEach: (([String]) throws -> Void, (CSVRawRecord) throws -> Void) throws -> Void) throws
        -> [(line: Int, fields: [[UInt8]])]
      {
        var records: [(line: Int, fields: [[UInt8]])] = []
        try forEach(
          { _ in }, { record in records.append((record.line, (0..<record.count).map { Array(record.field($0)) })) })
        return records
      }
      let fromCSV = try read { try CSVFile.forEachRawRow(csv, header: $0, row: $1) }
      let reader = try #require(StagedRowsReader(companionOf: csv))
      let fromRows = try read { try reader.forEach(header: $0, row: $1) }
      #expect(fromRows.map(\.line) == fromCSV.map(\.line), "round \(round)")
      #expect(fromRows.map(\.fields) == fromCSV.map(\.fields), "round \(round)")
      // Only rows libcsv reads as a blank line (one empty or blank cell) are passed over.
      #expect(fromRows.count <= written.count && fromRows.count >= written.filter { $0.count > 1 }.count)
    }
  }

  @Test func handEditedCSVIsReadInstead() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let csv = try Self.writeBoth(folder)
    var text = try String(contentsOf: csv, encoding: .utf8)
    text += "c.csv,9,Added by hand,\n"
    try text.write(to: csv, atomically: true, encoding: .utf8)
    #expect(StagedRowsReader(companionOf: csv) == nil)
    let read = try Self.records { try StagedRows.forEachRow(csv, header: $0, row: $1) }
    #expect(read.last?.fields == ["c.csv", "9", "Added by hand", ""])
  }

  @Test func sameSizeEditAfterTheCompanionIsReadFromTheCSV() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let csv = try Self.writeBoth(folder)
    let companion = StagedRows.companion(of: csv)
    let old = Date(timeIntervalSinceNow: -60)
    try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: companion.path)
    let text = try String(contentsOf: csv, encoding: .utf8).replacingOccurrences(of: "b.csv,4", with: "b.csv,6")
    try text.write(to: csv, atomically: true, encoding: .utf8)
    #expect(StagedRowsReader(companionOf: csv) == nil)
    let read = try Self.records { try StagedRows.forEachRow(csv, header: $0, row: $1) }
    #expect(read.contains { $0.fields.prefix(2) == ["b.csv", "6"] })
  }

  @Test func unsealedOrForeignCompanionIsPassedOver() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let csv = try Self.writeBoth(folder)
    let companion = StagedRows.companion(of: csv)
    let whole = try Data(contentsOf: companion)
    try whole.prefix(whole.count - 5).write(to: companion)  // trailer cut: as if the writer died
    #expect(StagedRowsReader(companionOf: csv) == nil)
    try Data("not a companion at all, but long enough to have a trailer".utf8).write(to: companion)
    #expect(StagedRowsReader(companionOf: csv) == nil)
    let read = try Self.records { try StagedRows.forEachRow(csv, header: $0, row: $1) }
    #expect(read.count == Self.rows.count + 1)
  }

  @Test func damagedBlockIsAnErrorThatSaysWhatToDo() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let csv = try Self.writeBoth(folder)
    let companion = StagedRows.companion(of: csv)
    var bytes = [UInt8](try Data(contentsOf: companion))
    // The first record block's field count, made larger than the lengths it holds.
    let headerBlock = StagedRows.magic.count
    func word(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 }
    let second = headerBlock + StagedRows.blockHeaderSize + 8 + word(headerBlock + 8)
    #expect(word(second + 4) == Self.header.count)
    bytes[second + 4] = 0xFF
    bytes[second + 5] = 0xFF
    try Data(bytes).write(to: companion)
    let date = Date(timeIntervalSinceNow: 5)
    try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: companion.path)
    #expect(throws: PipelineError.self) {
      try StagedRows.forEachRow(csv, header: { _ in }, row: { _ in })
    }
    do {
      try StagedRows.forEachRow(csv, header: { _ in }, row: { _ in })
    } catch let error as PipelineError {
      #expect(error.description.contains("staged.rows is damaged"))
      #expect(error.description.contains("delete it"))
    }
  }

  /// A CSV changed under its companion without its date moving (restored from a copy, say): where the fields
  /// no longer fall where the companion says, the read stops with what to do, rather than splitting rows wrong.
  @Test func csvThatNoLongerFitsItsCompanionIsAnErrorThatSaysWhatToDo() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let csv = try Self.writeBoth(folder)
    let companion = StagedRows.companion(of: csv)
    let text = try String(contentsOf: csv, encoding: .utf8).replacingOccurrences(of: "b.csv,4,", with: "b.csv;4,")
    try text.write(to: csv, atomically: true, encoding: .utf8)
    let old = Date(timeIntervalSinceNow: -60)
    try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: csv.path)
    #expect(StagedRowsReader(companionOf: csv) != nil)
    do {
      try StagedRows.forEachRow(csv, header: { _ in }, row: { _ in })
      Issue.record("a CSV that does not fit its companion was read")
    } catch let error as PipelineError {
      #expect(error.description.contains("staged.rows is damaged (its fields do not fit the CSV's bytes)"))
      #expect(error.description.contains("delete it and the stage reads staged.csv instead"))
    }
    try FileManager.default.removeItem(at: companion)
    let read = try Self.records { try StagedRows.forEachRow(csv, header: $0, row: $1) }
    #expect(read.count == Self.rows.count + 1)
  }

  /// Normalise writes establishments.rows with exactly the records of establishments.csv: the shipped samples,
  /// with their multi-line notes, edge spaces and formula-looking names.
  @Test func normaliseWritesACompanionOfItsEstablishments() throws {
    let run = try TemporaryFolder()
    defer { run.cleanUp() }
    let samples = try IngestStage.inputFiles(in: repositoryRoot.appendingPathComponent("input"))
    _ = try IngestStage.run(files: samples, runDirectory: run.url, schema: try shippedSchema())
    _ = try NormaliseStage.run(runDirectory: run.url, reference: try shippedReference(), corrections: Corrections())
    let csv = run.file(ArtefactName.establishments)
    let reader = try #require(StagedRowsReader(companionOf: csv))
    let fromCSV = try Self.records { try CSVFile.forEachRawRow(csv, header: $0, row: $1) }
    let fromRows = try Self.records { try reader.forEach(header: $0, row: $1) }
    #expect(fromRows.count > 150)
    #expect(fromRows == fromCSV)
  }
}
