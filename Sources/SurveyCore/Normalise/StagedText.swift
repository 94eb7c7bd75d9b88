// Per-cell helpers of the normalise stage's hot loop: trimming without
// Foundation when there is nothing to trim, and CSV encoding straight into
// bytes. Each gives exactly what the plain Foundation or CSVWriter call gives.

import Foundation

/// Bounds of the per-distinct-value caches.
enum NormaliseCache {
  /// Distinct values a cache remembers before it starts again, so a hostile file cannot fill memory.
  static let limit = 1 << 16
}

/// Staged cells as the normaliser reads them.
enum StagedText {
  private static let whitespace = CharacterSet.whitespacesAndNewlines
  /// Which ASCII bytes `whitespacesAndNewlines` holds, asked of Foundation once.
  private static let asciiSpace: [Bool] = (0..<128).map { whitespace.contains(Unicode.Scalar(UInt8($0))) }

  /// `text.trimmingCharacters(in: .whitespacesAndNewlines)`; Foundation runs only when an end is white space.
  static func trimmed(_ text: String) -> String {
    let utf8 = text.utf8
    guard let first = utf8.first, let last = utf8.last else { return text }
    if first < 0x80 && last < 0x80 {
      if !asciiSpace[Int(first)] && !asciiSpace[Int(last)] { return text }
    } else {
      let scalars = text.unicodeScalars
      if !whitespace.contains(scalars.first!) && !whitespace.contains(scalars.last!) { return text }
    }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Appends the cells as one CSV line, LF-terminated: the bytes of `CSVWriter.line(cells)`.
  static func appendLine(_ cells: [String], to buffer: inout [UInt8]) {
    for (index, cell) in cells.enumerated() {
      if index > 0 { buffer.append(0x2C) }
      appendCell(cell, to: &buffer)
    }
    buffer.append(0x0A)
  }

  /// Appends one cell as `CSVWriter.quoted` writes it.
  static func appendCell(_ cell: String, to buffer: inout [UInt8]) {
    let utf8 = cell.utf8
    var special = false
    var hasQuote = false
    for byte in utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
      special = true
      if byte == 0x22 {
        hasQuote = true
        break
      }
    }
    if hasQuote {
      // Quotes doubled exactly as CSVWriter doubles them.
      buffer.append(contentsOf: CSVWriter.quoted(cell).utf8)
      return
    }
    // A cell whose first or last character is a space is quoted; such a character starts or ends with byte 0x20.
    if !special, let first = utf8.first, let last = utf8.last,
      (first == 0x20 && cell.first == " ") || (last == 0x20 && cell.last == " ")
    {
      special = true
    }
    if special { buffer.append(0x22) }
    buffer.append(contentsOf: utf8)
    if special { buffer.append(0x22) }
  }

  /// The canonical text of a number cell made only of ASCII digits (at most 18): the digits without leading
  /// zeros, as `VietnameseNumber.parse(text)!.text` gives them. Nil for any other cell.
  static func plainWholeNumber(_ text: String) -> String? {
    let utf8 = text.utf8
    guard (1...18).contains(utf8.count) else { return nil }
    var value: UInt64 = 0
    for byte in utf8 {
      guard byte >= 0x30 && byte <= 0x39 else { return nil }
      value = value * 10 + UInt64(byte - 0x30)
    }
    return String(value)
  }
}
