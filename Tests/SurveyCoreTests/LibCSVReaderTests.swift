import Foundation
import Testing

@testable import SurveyCore

/// Parses `text` in chunks of `chunk` bytes and returns the records.
func parseCSV(_ text: String, delimiter: Character = ",", chunk: Int = 1 << 16) throws -> [CSVRecord] {
  let parser = try CSVStreamParser(delimiter: UInt8(ascii: delimiter.unicodeScalars.first!), file: "t.csv")
  var records: [CSVRecord] = []
  let bytes = Array(text.utf8)
  var start = 0
  while start < bytes.count {
    let end = min(bytes.count, start + chunk)
    try parser.parse(Array(bytes[start..<end])) { records.append($0) }
    start = end
  }
  try parser.finish { records.append($0) }
  return records
}

@Suite struct LibCSVReaderTests {
  @Test func quotedNewlineBlankLineAndCRLFGiveTheRightPhysicalLines() throws {
    // A quoted field spanning lines 1-2, a blank line 3-4 (CRLF then LF), records on 5 and 6.
    let records = try parseCSV("a,\"x\ny\"\n\r\n\nb,c\r\nd,e")
    #expect(records.map(\.line) == [1, 3, 4, 5, 6])
    #expect(records[0].fields == ["a", "x\ny"])
    #expect(records[1].fields.isEmpty && records[2].fields.isEmpty)
    #expect(records[4].fields == ["d", "e"])
  }

  @Test(arguments: [1, 2, 3, 7, 64])
  func lineNumbersDoNotDependOnChunkBoundaries(chunk: Int) throws {
    let text = "h1,h2\r\n\"q\r\nq\",2\r\n\r\nx,\"a,\"\"b\"\"\"\r\nlast,1"
    let records = try parseCSV(text, chunk: chunk)
    #expect(records.map(\.line) == [1, 2, 4, 5, 6])
    #expect(records[3].fields == ["x", "a,\"b\""])
  }

  /// The line breaks inside a quoted field move the next record down wherever they fall in it: fields of every
  /// length up to three words, each break at every place, since the copy out of libcsv reads several bytes at
  /// once and a short field's last bytes another way than its whole words.
  @Test func lineBreaksAnywhereInAFieldMoveTheNextRecordDown() throws {
    for length in 1...24 {
      for place in 0..<length {
        for lineBreak in ["\n", "\r", "\r\n"] {
          var field = String(repeating: "a", count: length)
          field.replaceSubrange(
            field.index(field.startIndex, offsetBy: place)..<field.index(field.startIndex, offsetBy: place + 1),
            with: lineBreak)
          let records = try parseCSV("\"\(field)\",1\nnext,2\n")
          #expect(records.map(\.line) == [1, 3], "\(length) bytes, break at \(place): \(field.debugDescription)")
          #expect(records.first?.fields.first == field)
        }
      }
    }
  }

  @Test func loneCarriageReturnsEndLines() throws {
    let records = try parseCSV("a,b\rc,d\r\re,f\r")
    #expect(records.map(\.line) == [1, 2, 3, 4])
    #expect(records[3].fields == ["e", "f"])
  }

  @Test func semicolonAndTabDelimiters() throws {
    #expect(try parseCSV("a;b,c;d\n", delimiter: ";")[0].fields == ["a", "b,c", "d"])
    #expect(try parseCSV("a\tb\t\tc\n", delimiter: "\t")[0].fields == ["a", "b", "", "c"])
  }

  @Test func unterminatedQuoteFailsAtTheLineWhereTheFieldOpens() throws {
    let error = #expect(throws: PipelineError.self) {
      _ = try parseCSV("h1,h2\n1,2\n3,\"open\nmore\nstill\n")
    }
    #expect(error?.location == InputLocation(file: "t.csv", line: 3))
    #expect(error?.message.contains("unterminated quote") == true)
  }

  @Test func strayQuoteInUnquotedFieldIsAnError() throws {
    let error = #expect(throws: PipelineError.self) { _ = try parseCSV("a,b\nc,d\"e\n") }
    #expect(error?.location?.line == 2)
  }

  @Test func invalidUTF8IsFlaggedNotRepairedSilently() throws {
    let parser = try CSVStreamParser(delimiter: UInt8(ascii: ","), file: "t.csv")
    var records: [CSVRecord] = []
    try parser.parse([0x61, 0x2C, 0xC3, 0x28, 0x0A, 0x62, 0x0A]) { records.append($0) }
    try parser.finish { records.append($0) }
    #expect(records[0].hasInvalidUTF8)
    #expect(!records[1].hasInvalidUTF8)
  }

  @Test func fieldAndColumnLimitsStopAHostileFile() throws {
    let limits = CSVLimits(maxFieldBytes: 100, maxFields: 5)
    let wide = try CSVStreamParser(delimiter: UInt8(ascii: ","), file: "wide.csv", limits: limits)
    #expect(throws: PipelineError.self) { try wide.parse(Array("1,2,3,4,5,6,7\n".utf8)) { _ in } }
    let long = try CSVStreamParser(delimiter: UInt8(ascii: ","), file: "long.csv", limits: limits)
    #expect(throws: PipelineError.self) {
      try long.parse(Array(("\"" + String(repeating: "x", count: 500)).utf8)) { _ in }
    }
  }
}
