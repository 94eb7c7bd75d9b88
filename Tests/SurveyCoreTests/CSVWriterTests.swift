import Foundation
import Testing

@testable import SurveyCore

@Suite struct CSVWriterTests {
  @Test func quotesOnlyWhatNeedsIt() {
    #expect(CSVWriter.quoted("plain") == "plain")
    #expect(CSVWriter.quoted("a,b") == "\"a,b\"")
    #expect(CSVWriter.quoted("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(CSVWriter.quoted("two\nlines") == "\"two\nlines\"")
  }

  /// libcsv trims spaces and tabs from the ends of an unquoted field, so a cell with either there is quoted, by
  /// the String and the byte writers alike, and reads back whole.
  @Test(arguments: ["\tedge.csv", "edge.csv\t", " a", "b ", "\t \t", "in\tside", "plain"])
  func edgeSpacesAndTabsAreQuotedAndReadBackWhole(cell: String) throws {
    let quoted = CSVWriter.quoted(cell)
    let edge = [" ", "\t"].contains { cell.hasPrefix($0) || cell.hasSuffix($0) }
    #expect(quoted == (edge ? "\"\(cell)\"" : cell))
    var bytes = ByteBuffer(capacity: 64)
    defer { bytes.deallocate() }
    var utf8 = Array(cell.utf8)
    utf8.withUnsafeMutableBytes { CSVWriter.appendQuoted(UnsafeRawBufferPointer($0), to: &bytes) }
    #expect(Array(bytes.bytes) == Array(quoted.utf8))
    let records = try parseCSV("h,x\n" + quoted + ",1\n")
    #expect(records.count == 2)
    #expect(records[1].fields == [cell, "1"])
  }

  /// A quote or space followed by a combining mark is one Character with it; it must still be quoted right.
  @Test(arguments: ["a\"\u{0301}b", "\"\u{0323}", " \u{0300}x", "x \u{0301}", "Tr\"\u{0300}n, Hải"])
  func quotesAndSpacesBeforeCombiningMarksRoundTrip(cell: String) throws {
    let records = try parseCSV("h\n" + CSVWriter.quoted(cell) + "\n")
    #expect(records.count == 2)
    #expect(records[1].fields == [cell])
  }

  @Test(arguments: [
    "=HYPERLINK(\"http://x\")", "+cmd", "@SUM(A1)", "\tlead", "\rcr", "-1+2", "- Thiếu vốn", "+ Vay vốn",
  ])
  func neutralisesFormulaCells(cell: String) {
    #expect(CSVWriter.neutralised(cell) == "'" + cell)
    #expect(CSVWriter.unneutralised(CSVWriter.neutralised(cell)) == cell)
  }

  /// Values, and the forms' lone "-" for nothing, stay as they are; so does a cell that starts with `'` itself.
  @Test(arguments: ["-12", "-2,5", "Cty A", "", "12", "-", "+", "'abc", "'-12"])
  func leavesValuesAlone(cell: String) {
    #expect(CSVWriter.neutralised(cell) == cell)
    #expect(CSVWriter.unneutralised(cell) == cell)
  }

  /// `line` writes its cells through the byte path; it must be the String path's cells, each neutralised when
  /// asked, quoted and joined.
  @Test func aLineIsItsQuotedCellsJoined() {
    let cells = [
      "plain", "a,b", "say \"hi\"", " edge", "edge\t", "two\nlines", "cr\r", "Trần Văn Ặng", "a\"\u{0301}b",
      " \u{0300}x", "=SUM(A1)", "-12", "- Thiếu vốn", "", "x\u{0301} ", String(repeating: "Cơ sở, \"mộc\" ", count: 40),
    ]
    for count in 0...cells.count {
      let row = Array(cells.prefix(count)) + Array(cells.suffix(count))
      for neutralise in [false, true] {
        let expected = row.map { CSVWriter.quoted(neutralise ? CSVWriter.neutralised($0) : $0) }.joined(separator: ",")
        #expect(CSVWriter.line(row, neutraliseFormulas: neutralise) == expected + "\n", "\(row)")
      }
    }
  }

  @Test func spreadsheetStyleWritesBOMAndRoundTripsThroughLibCSV() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("csvw-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("out.csv")
    let writer = try CSVWriter(url, header: ["tên", "ghi chú"], style: .spreadsheet)
    try writer.write(["Cơ sở \"Hoà\", Vũ Thư", "=1+1\nline"])
    try writer.commit()
    let bytes = try Data(contentsOf: url)
    #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
    let table = try CSVFile.readTable(url)
    #expect(table.columns == ["tên", "ghi chú"])
    #expect(table.rows[0].fields == ["Cơ sở \"Hoà\", Vũ Thư", "'=1+1\nline"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.csv"])
  }

  @Test func anUncommittedWriterLeavesNothingBehind() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("csvw-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    do {
      let writer = try CSVWriter(directory.appendingPathComponent("half.csv"), header: ["a"])
      try writer.write(["1"])
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
  }
}
