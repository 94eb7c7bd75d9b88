import Foundation
import Testing

@testable import SurveyCore

/// Ingest's byte-level path against the String path it stands in for, and the file-level shortcuts it takes.
@Suite struct IngestByteLevelTests {
  static let headerCells = ["STT", "Tên cơ sở", "Loại hình", "Huyện/Thành phố", "Số lao động", "Nhu cầu hỗ trợ"]

  @Test func theByteClassifierAgreesWithTheTextClassifier() throws {
    let schema = try shippedSchema()
    let header = HeaderLocator.match(Self.headerCells, index: 0, line: 1, schema: schema)
    let rows = RowClassifier(file: "t,\"x\".csv", schema: schema, header: header)
    var random = SplitMix64(state: 5)
    var cells = CellBuffer()
    var output = ByteBuffer(capacity: 64)
    defer { output.deallocate() }
    var seen: [String: Int] = [:]
    for line in 1...20_000 {
      var fields = (0..<Int.random(in: 0...8, using: &random)).map { _ in AwkwardText.cell(&random) }
      if Int.random(in: 0..<4, using: &random) == 0 {
        fields = (0..<6).map { index in index == 1 ? Array("Cơ sở \(line)".utf8) : Array("\(index)".utf8) }
      } else if Int.random(in: 0..<6, using: &random) == 0 {
        // A row of a signature block, NFC or NFD, sometimes with an awkward cell beside it.
        let phrases = ["NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", "Vũ Thư, ngày 20 tháng 11 năm 2025", "KT. GIÁM ĐỐC"]
        var phrase = phrases[Int.random(in: 0..<phrases.count, using: &random)]
        if Bool.random(using: &random) { phrase = phrase.decomposedStringWithCanonicalMapping }
        fields = [[], Array(phrase.utf8), [], Bool.random(using: &random) ? AwkwardText.cell(&random) : []]
      }
      let bytes = fields.flatMap { $0 }
      var ends: [Int] = []
      for field in fields { ends.append((ends.last ?? 0) + field.count) }
      let text = bytes.withUnsafeBytes { bytes in
        ends.withUnsafeBufferPointer { ends in
          CSVRawRecord(line: line, bytes: bytes, fieldEnds: ends, firstField: 0, count: fields.count).record
        }
      }
      output.removeAll()
      var wellFormed = true
      let disposition = bytes.withUnsafeBytes { bytes in
        ends.withUnsafeBufferPointer { ends in
          rows.classify(
            CSVRawRecord(line: line, bytes: bytes, fieldEnds: ends, firstField: 0, count: fields.count),
            cells: &cells, appendingTo: &output, wellFormedUTF8: &wellFormed)
        }
      }
      #expect(wellFormed == !text.hasInvalidUTF8, "\(fields)")
      switch (rows.classify(text), disposition) {
      case (.blank, .blank): seen["blank", default: 0] += 1
      case (.totals, .totals): seen["totals", default: 0] += 1
      case (.signature, .signature): seen["signature", default: 0] += 1
      case (.rejected(let expected), .rejected(let actual)):
        seen["rejected", default: 0] += 1
        #expect(expected == actual, "\(fields)")
      case (.passed(let row), .passed):
        seen["passed", default: 0] += 1
        #expect(Array(output.bytes) == Array(CSVWriter.line(row).utf8), "\(fields)")
      case (let expected, let actual):
        Issue.record("\(fields): the text path says \(expected), the byte path \(actual)")
      }
    }
    #expect(seen.count == 5 && seen.values.allSatisfy { $0 > 100 }, "\(seen)")
  }

  @Test func headersAreReportedAsWrittenWhenTheSameTextComesInAnotherNormalForm() throws {
    let schema = try shippedSchema()
    let nfd = Self.headerCells.map(\.decomposedStringWithCanonicalMapping)
    let records = [
      CSVRecord(line: 1, fields: ["Tên cơ sở", "x", "y"]),  // NFC, and not a header
      CSVRecord(line: 2, fields: nfd),
    ]
    let header = try #require(HeaderLocator.locate(in: records, schema: schema))
    #expect(header.line == 2)
    #expect(header.writtenHeader["name"].map { Array($0.utf8) } == Array(nfd[1].utf8))
  }

  @Test func theCensusCountsAsTheByteByByteOne() {
    var random = SplitMix64(state: 6)
    for _ in 0..<500 {
      var bytes: [UInt8] = []
      for _ in 0..<Int.random(in: 0...200, using: &random) {
        bytes += AwkwardText.pieces[Int.random(in: 0..<AwkwardText.pieces.count, using: &random)]
        if Int.random(in: 0..<10, using: &random) == 0 { bytes.append(UInt8.random(in: 0...255, using: &random)) }
      }
      var census = UTF8Census()
      var start = 0
      while start < bytes.count {
        let end = min(bytes.count, start + Int.random(in: 1...64, using: &random))
        bytes[start..<end].withUnsafeBytes { census.scan($0) }
        start = end
      }
      census.finish()
      let reference = ReferenceCensus(bytes)
      let counts: [Int] = [census.multiByteSequences, census.malformedBytes, census.nulBytes]
      let expected: [Int] = [reference.multiByte, reference.malformed, reference.nul]
      #expect(counts == expected, "\(bytes)")
    }
  }

  /// The census as it was first written: one byte at a time.
  struct ReferenceCensus {
    var multiByte = 0
    var malformed = 0
    var nul = 0

    init(_ bytes: [UInt8]) {
      var pending = 0
      var expected = 0
      for byte in bytes {
        if pending > 0 {
          if byte & 0xC0 == 0x80 {
            pending -= 1
            if pending == 0 { multiByte += 1 }
            continue
          }
          malformed += expected - pending + 1
          pending = 0
        }
        switch byte {
        case 0x00: nul += 1
        case 0x01..<0x80: break
        case 0xC2...0xDF: pending = 1
        case 0xE0...0xEF: pending = 2
        case 0xF0...0xF4: pending = 3
        default: malformed += 1
        }
        expected = pending
      }
      if pending > 0 { malformed += expected - pending + 1 }
    }
  }

  @Test func aFileSetAsideFarDownLeavesNoRowInTheStagedFile() throws {
    try TemporaryFolder.withInputAndRun("late") { input, run in
      let header = Self.headerCells.joined(separator: ",") + "\n"
      try Data((header + "1,Cơ sở A,HTX,Vũ Thư,5,SXSH\n").utf8).write(to: input.file("a.csv"))
      // Past the batch the ingester hands to the writer and past the writer's buffer, so rows reach the disk.
      var long = header
      for index in 1...6000 { long += "\(index),Cơ sở sản xuất mây tre đan số \(index) Vũ Thư,HTX,Vũ Thư,5,SXSH\n" }
      try Data((long + "6001,\"never closed,HTX\n").utf8).write(to: input.file("b.csv"))
      try Data((header + "1,Cơ sở C,HTX,Vũ Thư,5,SXSH\n").utf8).write(to: input.file("c.csv"))
      let summary = try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema())
      #expect(summary.files.map(\.status) == [.ingested, .setAside, .ingested])
      #expect(summary.files[1].problemLine == 6002)
      let staged = try readArtefact(run.file(ArtefactName.ingested))
      #expect(staged.rows.map { $0[0] } == ["a.csv", "c.csv"])
      #expect(staged.rows.map { $0[3] } == ["Cơ sở A", "Cơ sở C"])
    }
  }

  /// The parsing thread leaves the digest to the thread that reads its batches; a file set aside half way, whose
  /// batches stop coming at the bad record, is still hashed to its end, and a file parsed whole is hashed once.
  @Test func filesSetAsideHalfWayOrReadWholeAreHashedToTheirEnd() throws {
    try TemporaryFolder.withInputAndRun("digest") { input, run in
      let header = Self.headerCells.joined(separator: ",") + "\n"
      var rows = ""
      for index in 1...20_000 { rows += "\(index),Cơ sở sản xuất mây tre đan số \(index) Vũ Thư,HTX,Vũ Thư,5,SXSH\n" }
      // Over 2 MiB, so many times `InputBytes.blockSize`: past the first block, which is read (and hashed) before the
      // parse starts, and followed by more.
      try Data((header + rows + "20001,\"never closed,HTX\n" + rows).utf8).write(to: input.file("a-bad.csv"))
      try Data((header + rows + rows).utf8).write(to: input.file("b-good.csv"))
      let summary = try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema())
      #expect(summary.files.map(\.status) == [.setAside, .ingested])
      #expect(summary.files[0].problemLine == 20_002)
      #expect(summary.files.allSatisfy { $0.bytes > 2 << 20 })
      #expect(summary.files[0].sha256 == FileDigest.sha256(of: input.file("a-bad.csv")))
      #expect(summary.files[1].sha256 == FileDigest.sha256(of: input.file("b-good.csv")))
    }
  }

  @Test func aWindows1258FileWhoseFirstChunkIsASCIIIsReadAsWindows1258() throws {
    try TemporaryFolder.withInputAndRun("cp1258") { input, run in
      var text = "No.,Establishment name,Enterprise type,District,Employees\r\n"
      for index in 1...3000 { text += "\(index),Co so \(index),HTX,Vu Thu,5\r\n" }
      text += "3001,Cơ sở mây tre Hà Nam,HTX,Vũ Thư,7\r\n"
      let bytes = try #require(TestEncoding.windows1258(text))  // glibc's iconv writes the tone marks apart
      #expect(bytes.count > 1 << 16)
      try Data(bytes).write(to: input.file("old-excel.csv"))
      let summary = try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema())
      #expect(summary.files[0].encoding == "windows-1258")
      #expect(summary.files[0].rowsPassed == 3001)
      let staged = try readArtefact(run.file(ArtefactName.ingested))
      #expect(staged.rows.count == 3001)
      #expect(staged.rows.last?[3] == "Cơ sở mây tre Hà Nam")
      #expect(summary.files[0].sha256 == FileDigest.sha256(of: input.file("old-excel.csv")))
    }
  }
}
