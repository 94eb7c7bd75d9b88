import Foundation
import Testing

@testable import SurveyCore

/// A small seeded generator, so a failing case can be replayed.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Cells made of pieces that sit on the edges the byte-level code decides: white space of every kind, marks,
/// quotes, control characters, U+FFFD, precomposed and decomposed letters, and bytes that are not UTF-8.
enum AwkwardText {
  static let pieces: [[UInt8]] =
    [
      "a", "Z", "0", "7", " ", "  ", "\t", "\n", "\r", "\r\n", ",", ";", "\"", "'", "=", "-", "\u{A0}", "\u{3000}",
      "\u{2028}", "\u{85}", "\u{B}", "\u{C}", "\u{0}", "\u{1}", "\u{7F}", "\u{FFFD}", "ơ", "ư", "đ", "Đ", "ạ", "ệ",
      "ế", "\u{301}", "\u{302}", "\u{323}", "e\u{301}", "Å", "\u{212B}", "\u{600}", "\u{200D}", "😀", "\u{1E00}",
      "\u{1EFF}", "\u{2FF}", "\u{300}", "ǅ", "Ω", "한", "Cơ sở", "Tổng cộng", "Cộng", "Vũ Thư",
    ].map { Array($0.utf8) }
    + [
      [0xFF], [0xC3], [0xE1, 0xBA], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xEF, 0xBF],
    ]

  static func cell(_ random: inout SplitMix64, validOnly: Bool = false) -> [UInt8] {
    let limit = validOnly ? pieces.count - 8 : pieces.count
    var bytes: [UInt8] = []
    for _ in 0..<Int.random(in: 0...5, using: &random) { bytes += pieces[Int.random(in: 0..<limit, using: &random)] }
    return bytes
  }
}

@Suite struct LibCSVRawRecordTests {
  @Test func rawRecordsAndBatchesGiveTheSameRecordsAsTheStringParser() throws {
    var random = SplitMix64(state: 1)
    for _ in 0..<200 {
      var text: [UInt8] = []
      for _ in 0..<Int.random(in: 0...8, using: &random) {
        let cells = (0..<Int.random(in: 1...5, using: &random)).map { _ in AwkwardText.cell(&random) }
        text +=
          cells.map { [0x22] + $0.flatMap { $0 == 0x22 ? [0x22, 0x22] : [$0] } + [0x22] }
          .joined(separator: [0x2C]) + (Bool.random(using: &random) ? [0x0D, 0x0A] : [0x0A])
      }
      let chunk = Int.random(in: 1...40, using: &random)
      let viaStrings = try parse(text, chunk: chunk) { parser, piece, records in
        try parser.parse(piece) { records.append($0) }
      } finish: { parser, records in
        try parser.finish { records.append($0) }
      }
      let viaBytes = try parse(text, chunk: chunk) { parser, piece, records in
        try piece.withUnsafeBytes { bytes in try parser.parseRaw(bytes) { records.append($0.record) } }
      } finish: { parser, records in
        try parser.finishRaw { records.append($0.record) }
      }
      let batch = CSVRecordBatch()
      let viaBatches = try parse(text, chunk: chunk) { parser, piece, records in
        try piece.withUnsafeBytes { bytes in try parser.parse(bytes, into: batch) }
        batch.forEachRecord { records.append($0.record) }
      } finish: { parser, records in
        try parser.finish(into: batch)
        batch.forEachRecord { records.append($0.record) }
      }
      #expect(viaStrings == viaBytes)
      #expect(viaStrings == viaBatches)
      #expect(!viaStrings.isEmpty || text.isEmpty)
    }
  }

  private func parse(
    _ text: [UInt8], chunk: Int, _ step: (CSVStreamParser, [UInt8], inout [CSVRecord]) throws -> Void,
    finish: (CSVStreamParser, inout [CSVRecord]) throws -> Void
  ) throws -> [CSVRecord] {
    let parser = try CSVStreamParser(delimiter: UInt8(ascii: ","), file: "t.csv")
    var records: [CSVRecord] = []
    var start = 0
    while start < text.count {
      let end = min(text.count, start + chunk)
      try step(parser, Array(text[start..<end]), &records)
      start = end
    }
    try finish(parser, &records)
    return records
  }

  /// Short cells, and long ones (as names and addresses are) with ASCII runs of every length between awkward
  /// pieces, so that each piece comes at every offset: a scan that reads several bytes at once must find it there.
  @Test(arguments: [false, true]) func cellTraitsAgreeWithTheChecksOnStrings(long: Bool) {
    var random = SplitMix64(state: long ? 5 : 2)
    for _ in 0..<5000 {
      var bytes = AwkwardText.cell(&random)
      if long {
        for _ in 0..<Int.random(in: 1...4, using: &random) {
          bytes += Array("Thai Binh 0123456789".utf8.prefix(Int.random(in: 0...20, using: &random)))
          bytes += AwkwardText.cell(&random)
        }
      }
      expectTraitsAgreeWithTheChecksOnStrings(bytes)
    }
  }

  /// Lead byte E1, which the Vietnamese letters with a tone share, has a path of its own: every second byte
  /// (precomposed Latin only from B8 to BB), cut short or followed by a byte that continues nothing, after ASCII
  /// of every length so that the sequence starts at every offset of a word.
  @Test func cellTraitsOfLeadE1AgreeWithTheChecksOnStrings() {
    for second in UInt8(0x70)...0xC5 {
      for third: UInt8 in [0x80, 0x9F, 0xBF, 0x41, 0xC0] {
        for sequence in [[0xE1, second, third], [0xE1, second]] as [[UInt8]] {
          for before in 0...9 {
            let ascii = Array("Xa Vu Thu".utf8.prefix(before))
            expectTraitsAgreeWithTheChecksOnStrings(ascii + sequence)
            expectTraitsAgreeWithTheChecksOnStrings(ascii + sequence + Array(" Thai Binh".utf8))
          }
        }
      }
    }
  }

  /// Long cells of Vietnamese letters in NFC, which the eight-bytes-at-a-time pass decides alone, with their
  /// two- and three-byte letters across every word boundary; then the same with one awkward piece put in
  /// anywhere, or the last bytes cut off, which that pass must hand to the byte-by-byte one.
  @Test func cellTraitsOfVietnameseTextAgreeWithTheChecksOnStrings() {
    let letters = [
      "a", "n", "h", " ", "ơ", "ư", "đ", "Đ", "á", "à", "ạ", "ả", "ã", "ệ", "ế", "ộ", "ữ", "ỹ", "Ư", ",", "\"",
    ]
    .map { Array($0.utf8) }
    var random = SplitMix64(state: 11)
    for round in 0..<20_000 {
      var bytes = Array("Xa Vu Thu Thai Binh".utf8.prefix(round % 16))
      for _ in 0..<Int.random(in: 3...14, using: &random) { bytes += letters.randomElement(using: &random)! }
      expectTraitsAgreeWithTheChecksOnStrings(bytes)
      var spoilt = bytes
      let piece = AwkwardText.pieces.randomElement(using: &random)!
      spoilt.insert(contentsOf: piece, at: Int.random(in: 0...spoilt.count, using: &random))
      expectTraitsAgreeWithTheChecksOnStrings(spoilt)
      expectTraitsAgreeWithTheChecksOnStrings(Array(bytes.dropLast(Int.random(in: 1...3, using: &random))))
    }
  }

  private func expectTraitsAgreeWithTheChecksOnStrings(_ bytes: [UInt8]) {
    let traits = bytes.withUnsafeBytes { UTF8Bytes.traits(of: $0) }
    let text = String(validating: bytes, as: UTF8.self)
    #expect(traits.contains(.invalid) == (text == nil), "\(bytes)")
    #expect(bytes.withUnsafeBytes { UTF8Bytes.isValid($0) } == (text != nil), "\(bytes)")
    guard let text else { return }
    let control = text.unicodeScalars.contains {
      ($0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r") || $0.value == 0x7F || $0 == "\u{FFFD}"
    }
    #expect(traits.contains(.suspect) == control, "\(bytes)")
    #expect(traits.contains(.nonASCII) == bytes.contains { $0 >= 0x80 }, "\(bytes)")
    #expect(traits.contains(.maybeNotNFC) == !TextFolding.isKnownNFC(text), "\(bytes)")
    #expect(traits.contains(.needsQuotes) == bytes.contains { [0x2C, 0x22, 0x0A, 0x0D].contains($0) }, "\(bytes)")
    #expect(traits.contains(.quote) == bytes.contains(0x22), "\(bytes)")
  }

  @Test func fieldStringsAreWhatStringValidatingOrDecodingMakes() {
    var random = SplitMix64(state: 7)
    for _ in 0..<5000 {
      let bytes = AwkwardText.cell(&random)
      let (text, valid) = bytes.withUnsafeBytes { UTF8Bytes.string($0) }
      let expected = String(validating: bytes, as: UTF8.self)
      #expect(valid == (expected != nil), "\(bytes)")
      #expect(Array(text.utf8) == Array((expected ?? String(decoding: bytes, as: UTF8.self)).utf8), "\(bytes)")
    }
  }

  @Test func trimmedRangeKeepsWhatTrimKeeps() {
    var random = SplitMix64(state: 3)
    for _ in 0..<10_000 {
      let bytes = AwkwardText.cell(&random)
      let range = bytes.withUnsafeBytes { TextFolding.trimmedRange($0) }
      let kept = Array(bytes[range])
      if let text = String(validating: bytes, as: UTF8.self) {
        #expect(kept == Array(TextFolding.trim(text).utf8), "\(bytes)")
        #expect(kept.isEmpty == TextFolding.isBlank(text), "\(bytes)")
      } else {
        // Bytes that are not UTF-8 stay in the cell, where the cell check finds them.
        #expect(!kept.withUnsafeBytes { UTF8Bytes.isValid($0) }, "\(bytes)")
      }
    }
  }

  /// Normalise's check on bytes of whether a cell's ends would be trimmed: exactly when Foundation's trimming
  /// changes the text, for awkward cells and for each white space scalar at either end of a Vietnamese name.
  @Test func endsInWhiteSpaceIsWhetherTrimmingChangesTheText() {
    var texts = ["", "a", "Đạt", "Hà", "ở", "a\u{301}", "\u{301}a", "Phan Văn Đạt", "x y"]
    for space in TextFolding.unicodeSpaces.map(String.init) + [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}"] {
      texts += [space, space + "Đạt", "Đạt" + space, "Hà" + space + "Nội", space + "a" + space]
    }
    var random = SplitMix64(state: 11)
    for _ in 0..<20_000 {
      if let text = String(validating: AwkwardText.cell(&random), as: UTF8.self) { texts.append(text) }
    }
    var trimming = 0
    for text in texts {
      let changes = TextFolding.trimmingWhiteSpace(text, newlines: true) != text
      var copy = text
      let said = copy.withUTF8 { TextFolding.endsInWhiteSpace(UnsafeRawBufferPointer($0)) }
      #expect(said == changes, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
      if changes { trimming += 1 }
    }
    #expect(trimming > 100)
  }

  @Test func theUnicodeSpacesAreFoundationsWhiteSpace() {
    let trimmed = (0x80...0x3_0000).compactMap(Unicode.Scalar.init).filter {
      ("a" + String($0)).trimmingCharacters(in: .whitespacesAndNewlines) == "a"
    }
    #expect(trimmed == TextFolding.unicodeSpaces)
  }

  @Test func appendQuotedWritesWhatQuotedWrites() {
    var random = SplitMix64(state: 4)
    var output = ByteBuffer(capacity: 16)
    defer { output.deallocate() }
    for _ in 0..<5000 {
      let bytes = AwkwardText.cell(&random, validOnly: true)
      output.removeAll()
      bytes.withUnsafeBytes { CSVWriter.appendQuoted($0, to: &output) }
      let expected = Array(CSVWriter.quoted(String(decoding: bytes, as: UTF8.self)).utf8)
      #expect(Array(output.bytes) == expected, "\(bytes)")
    }
    // Plain cells of every length up to 24 bytes with one special byte at each position: the words, the last
    // overlapping word, the two halves and the single bytes must each see it, and must copy every byte.
    for special in [",", "\"", "\n", "\r", "a"] {
      for length in 1...24 {
        for position in 0..<length {
          var bytes = Array("0123456789abcdefghijklmn".utf8.prefix(length))
          bytes[position] = special.utf8.first!
          output.removeAll()
          output.append(contentsOf: Array("x,".utf8))  // after what the line holds already
          bytes.withUnsafeBytes { CSVWriter.appendQuoted($0, to: &output) }
          let expected = Array(("x," + CSVWriter.quoted(String(decoding: bytes, as: UTF8.self))).utf8)
          #expect(Array(output.bytes) == expected, "\(length) \(position) \(special.debugDescription)")
        }
      }
    }
    // Long plain cells with one special byte at every position: the eight-bytes-at-a-time scan must see it.
    for special in [",", "\"", "\n", "\r"] {
      for position in 0..<40 {
        var text = Array(repeating: "ô", count: 20).joined()
        let index = text.utf8.index(text.utf8.startIndex, offsetBy: position)
        text = String(
          decoding: Array(text.utf8[..<index]) + Array(special.utf8) + Array(text.utf8[index...]), as: UTF8.self)
        output.removeAll()
        var copy = text
        copy.withUTF8 { CSVWriter.appendQuoted(UnsafeRawBufferPointer($0), to: &output) }
        #expect(Array(output.bytes) == Array(CSVWriter.quoted(text).utf8), "\(position) \(special.debugDescription)")
      }
    }
  }

  @Test func aRolledBackWriterKeepsOnlyWhatCameBeforeTheMark() throws {
    let folder = try TemporaryFolder("rollback")
    defer { folder.cleanUp() }
    let writer = try CSVWriter(folder.file("out.csv"), header: ["a", "b"])
    try writer.write(["1", "kept"])
    let mark = writer.mark()
    let big = [UInt8](repeating: UInt8(ascii: "x"), count: 300_000) + [0x0A]
    try big.withUnsafeBytes { try writer.append(encodedRows: $0, count: 1) }  // past the buffer: on disk
    try writer.write(["2", "dropped"])
    try writer.rollBack(to: mark)
    #expect(writer.rowCount == 1)
    try writer.write(["3", "after"])
    let buffered = writer.mark()
    try writer.write(["5", "still in the buffer"])
    try writer.rollBack(to: buffered)
    try Array("4,small\n".utf8).withUnsafeBytes { try writer.append(encodedRows: $0, count: 1) }
    try writer.commit()
    #expect(try String(contentsOf: folder.file("out.csv"), encoding: .utf8) == "a,b\n1,kept\n3,after\n4,small\n")
  }

  @Test func forEachRowSkipsBlankLinesAndAByteOrderMark() throws {
    let folder = try TemporaryFolder("rows")
    defer { folder.cleanUp() }
    let text = "\u{FEFF}h1,h2\n\n \u{A0}\n\u{3000}\nx,y\n,\n"
    try Data(text.utf8).write(to: folder.file("t.csv"))
    var header: [String] = []
    var rows: [[String]] = []
    try CSVFile.forEachRow(folder.file("t.csv"), header: { header = $0 }, row: { rows.append($0.fields) })
    #expect(header == ["h1", "h2"])
    #expect(rows == [["\u{3000}"], ["x", "y"], ["", ""]])
  }
}
