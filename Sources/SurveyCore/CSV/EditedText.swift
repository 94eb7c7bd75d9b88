/// The text of a table the department saved from a spreadsheet program, as UTF-8, and its delimiter.

import Foundation

enum EditedText {
  /// `data` as UTF-8: a UTF-8 file as it is (its byte-order mark is skipped by the parser), UTF-16 converted,
  /// and a file that is not UTF-8 read as Windows-1258 (Excel's "CSV" on Vietnamese Windows) and composed to NFC.
  static func utf8(_ data: Data) throws -> Data {
    let bytes = [UInt8](data)
    let marked = EncodingSniffer.byteOrderMark(Array(bytes.prefix(4)))
    if marked == .utf16LE || marked == .utf16BE { return try convert(bytes.dropFirst(2), from: marked!) }
    if let unmarked = EncodingSniffer.unmarkedUTF16(bytes) { return try convert(bytes[...], from: unmarked) }
    var census = UTF8Census()
    bytes.withUnsafeBytes { census.scan($0) }
    census.finish()
    return census.verdict == .utf8 ? data : try convert(bytes[...], from: .windows1258)
  }

  private static func convert(_ bytes: ArraySlice<UInt8>, from encoding: TextEncoding) throws -> Data {
    let converted = try Transcoder(from: encoding.iconvName!).convert(Array(bytes), final: true)
    return Data(String(decoding: converted, as: UTF8.self).precomposedStringWithCanonicalMapping.utf8)
  }

  /// True when a cell holds nothing but spaces and separators: a row of them is a cleared spreadsheet row.
  static func isEmptyCell(_ cell: UnsafeRawBufferPointer) -> Bool { cell.allSatisfy(emptyBytes.contains) }

  /// Spaces, tabs, carriage returns and the separators: all a cleared row holds.
  private static let emptyBytes: Set<UInt8> = [32, 9, 13, UInt8(ascii: ","), UInt8(ascii: ";")]

  /// The separator of the first line's cells that are not all empty: the comma, or a semicolon or tab when the
  /// line has more of them (quoted text does not count).
  static func delimiter(of text: Data) -> UInt8 {
    var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, 9: 0]
    var quoted = false
    // The lines are looked at one by one up to the first that counts: a table's start, not all of it, decides.
    var first: Data.SubSequence?
    var start = text.startIndex
    while start < text.endIndex {
      let end = text[start...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
      let line = text[start..<end]
      if line.contains(where: { !emptyBytes.contains($0) && $0 != UInt8(ascii: "\"") }) {
        first = line
        break
      }
      start = end < text.endIndex ? text.index(after: end) : end
    }
    for byte in first ?? Data()[...] {
      if byte == UInt8(ascii: "\"") { quoted.toggle() } else if !quoted, counts[byte] != nil { counts[byte]! += 1 }
    }
    let comma = counts[UInt8(ascii: ",")]!
    let (best, most) = counts.filter { $0.key != UInt8(ascii: ",") }.max { ($0.value, $0.key) < ($1.value, $1.key) }!
    return most > comma ? best : UInt8(ascii: ",")
  }
}
