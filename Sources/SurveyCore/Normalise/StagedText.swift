// Per-cell helpers of the normalise stage's hot loop: trimming without
// Foundation when there is nothing to trim, and a row's cells packed as bytes
// on their way to establishments.csv. Each gives exactly what the plain
// Foundation call gives.

import Foundation

/// Bounds of the per-distinct-value caches.
enum NormaliseCache {
  /// Distinct values a cache remembers before it starts again, so a hostile file cannot fill memory.
  static let limit = 1 << 16
}

/// A cache key that is a text's exact UTF-8 bytes.
///
/// String's own `==` and hash treat canonically equivalent spellings (NFC, NFD) as one, and hash through
/// normalisation, which is slow for Vietnamese; a cache of a function of the text needs neither. Nor does a map
/// keyed by `MatchKey`'s keys (the place index, the spellings' owners), which `MatchKey` writes from decomposed
/// letters, so equivalent spellings already share their bytes.
struct ExactText: Hashable {
  var text: String

  init(_ text: String) { self.text = text }

  static func == (a: ExactText, b: ExactText) -> Bool {
    let (x, y) = (a.text.utf8, b.text.utf8)
    guard x.count == y.count else { return false }
    let same = x.withContiguousStorageIfAvailable { p in
      y.withContiguousStorageIfAvailable { q in p.count == 0 || memcmp(p.baseAddress!, q.baseAddress!, p.count) == 0 }
    }
    return (same ?? nil) ?? x.elementsEqual(y)
  }

  func hash(into hasher: inout Hasher) {
    let utf8 = text.utf8
    if utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
      for byte in utf8 { hasher.combine(byte) }
    }
    hasher.combine(0xFF as UInt8)  // never in UTF-8: ends the text within a larger key
  }
}

/// Staged cells as the normaliser reads them.
enum StagedText {
  /// The forms' marks for "nothing", which a respondent writes where a cell must not look forgotten: `-`, an en or
  /// em dash, `...` or `…`, `_`, `/`.
  static let placeholderMarks = Set("-–—._/…".unicodeScalars)

  /// True when the trimmed cell `text` is not blank but holds only `placeholderMarks` and white space ("-", "...",
  /// "__/__/____"): a need mark, number or survey date so written is read as a blank cell is, not as one unread.
  /// Asked once per distinct spelling (the callers cache their answers), and only of cells that are not plain.
  static func isPlaceholder(_ text: String) -> Bool {
    !text.isEmpty && text.unicodeScalars.allSatisfy { placeholderMarks.contains($0) || $0.properties.isWhitespace }
  }

  /// `text.trimmingCharacters(in: .whitespacesAndNewlines)`; Foundation runs only when an end is white space.
  static func trimmed(_ text: String) -> String { TextFolding.trimmingWhiteSpace(text, newlines: true) }

  /// Appends the cells packed for establishments.csv (or the scratch file): each as its byte count (four bytes,
  /// with `StagedRowsBatch.plainCell` when the cell is written in a CSV as it is) and its UTF-8 bytes. The stage
  /// packs its answers so, once per spelling, and rows copy them.
  static func appendFields(_ cells: [String], to buffer: inout [UInt8]) {
    for cell in cells {
      var cell = cell
      cell.withUTF8 { bytes in
        let plain = CSVWriter.isPlain(UnsafeRawBufferPointer(bytes))
        let length = UInt32(bytes.count) | (plain ? StagedRowsBatch.plainCell : 0)
        withUnsafeBytes(of: length.littleEndian) { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: bytes)
      }
    }
  }

  /// Appends one cell packed as `appendFields` packs it, from its bytes, without looking for `plainCell`: a cell
  /// as written, whose bytes `StagedRowsBatch.appendPackedRecord` then reads.
  @inline(__always)
  static func appendField(_ cell: UnsafeRawBufferPointer, to buffer: inout ByteBuffer) {
    withUnsafeBytes(of: UInt32(cell.count).littleEndian) { buffer.append($0) }
    buffer.append(cell)
  }

  /// Appends a cell the caller vouches is plain (`CSVWriter.isPlain`: digits, a plain tax code), marked
  /// `plainCell`.
  @inline(__always)
  static func appendField(plain cell: UnsafeRawBufferPointer, to buffer: inout ByteBuffer) {
    withUnsafeBytes(of: (UInt32(cell.count) | StagedRowsBatch.plainCell).littleEndian) { buffer.append($0) }
    buffer.append(cell)
  }

  /// Appends `value`'s decimal digits as one packed cell, as `appendFields` would pack `String(value)`.
  @inline(__always)
  static func appendField(decimal value: Int, to buffer: inout ByteBuffer) {
    let start = buffer.count
    withUnsafeBytes(of: UInt32(0)) { buffer.append($0) }
    buffer.append(decimal: value)
    let length = (UInt32(buffer.count - start - 4) | StagedRowsBatch.plainCell).littleEndian
    UnsafeMutableRawPointer(buffer.base + start).storeBytes(of: length, as: UInt32.self)
  }

  /// The byte count of a packed cell, from its `u32` length.
  @inline(__always)
  private static func cellCount(at position: Int, in packed: UnsafeRawBufferPointer) -> Int {
    let length = UInt32(littleEndian: packed.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    return Int(length & ~StagedRowsBatch.plainCell)
  }

  /// True when the last of the packed cells is not empty (establishments.csv's `problems`, for the summary).
  static func lastFieldIsFilled(_ packed: UnsafeRawBufferPointer) -> Bool {
    var position = 0
    var last = 0
    while position + 4 <= packed.count {
      last = cellCount(at: position, in: packed)
      position += 4 + last
    }
    return last > 0
  }

  /// Calls `body` with the position and bytes of each cell `appendFields` packed.
  static func forEachField(_ packed: UnsafeRawBufferPointer, _ body: (Int, UnsafeRawBufferPointer) -> Void) {
    var position = 0
    var index = 0
    while position + 4 <= packed.count {
      let count = cellCount(at: position, in: packed)
      position += 4
      body(index, UnsafeRawBufferPointer(rebasing: packed[position..<position + count]))
      position += count
      index += 1
    }
  }

  /// The canonical text of a number cell made only of ASCII digits (at most 18): the digits without leading
  /// zeros, as `VietnameseNumber.parse(text)!.text` gives them. Nil for any other cell.
  static func plainWholeNumber(_ text: String) -> String? {
    let utf8 = text.utf8
    guard (1...18).contains(utf8.count) else { return nil }
    var value: UInt64 = 0
    var leadingZero = false
    for (index, byte) in utf8.enumerated() {
      guard byte >= 0x30 && byte <= 0x39 else { return nil }
      if index == 0 && byte == 0x30 && utf8.count > 1 { leadingZero = true }
      value = value * 10 + UInt64(byte - 0x30)
    }
    return leadingZero ? String(value) : text
  }
}

/// `TextFolding.key` of cells whose words repeat (names: "Hộ", "Nguyễn", "Văn", "Cơ", "sở"...), one word at a
/// time from a cache. The key is word by word: a space ends a word for every step of it (decomposition,
/// lower case, marks dropped, runs of separators made one space), so the key of a text is the keys of its
/// space-separated pieces joined by single spaces, the empty ones left out (NormaliseStreamingTests checks it).
///
/// Words are cached by their bytes, and a key is made in bytes: `identityHash` folds the name of a row with a tax
/// code in a row worker with no String made for it (`DuplicateIndex.matchCoded` compares only those hashes).
final class WordFolding {
  /// The key of each word that is not ASCII, by the word's bytes.
  private let words = InlineBytesTable<Void>(byteLimit: 1 << 22)
  /// The bytes of the last key or identity made, kept for their capacity. Unchecked, and a ByteBuffer: a row
  /// worker makes one a row, where Array's appends and the runtime's exclusivity checks were half the cost. Only
  /// one thread ever uses a WordFolding.
  @exclusivity(unchecked) private var out = ByteBuffer(capacity: 256)

  deinit { out.deallocate() }

  func key(_ text: String) -> String {
    var text = text
    return text.withUTF8 { bytes in
      out.removeAll()
      appendKey(UnsafeRawBufferPointer(bytes))
      return String(decoding: out.values, as: UTF8.self)
    }
  }

  /// `ByteKeys.hash` of a row's identity (`CountedRow.identity`: the key of its name, `|`, then `place`), with
  /// `identitySeed`: what `identityHash(of:)` gives for the identity's String.
  func identityHash(name: UnsafeRawBufferPointer, place: UnsafeRawBufferPointer) -> UInt64 {
    out.removeAll()
    appendKey(name)
    out.append(0x7C)
    out.append(place)
    return ByteKeys.hash(out.bytes, seed: Self.identitySeed)
  }

  /// `identityHash(name:place:)` of the row whose identity is `identity`.
  static func identityHash(of identity: String) -> UInt64 {
    var identity = identity
    return identity.withUTF8 { ByteKeys.hash(UnsafeRawBufferPointer($0), seed: identitySeed) }
  }

  /// One seed for the whole process: the row workers' hashes and the stage's are compared.
  private static let identitySeed = ByteKeys.seed

  /// Appends the key of `bytes` (UTF-8) to `out`.
  private func appendKey(_ bytes: UnsafeRawBufferPointer) {
    var start = 0
    while start < bytes.count {
      if bytes[start] == 0x20 {
        start += 1
        continue
      }
      var end = start
      var ascii = true
      while end < bytes.count && bytes[end] != 0x20 {
        if bytes[end] >= 0x80 { ascii = false }
        end += 1
      }
      if ascii {
        // TextFolding.key of ASCII: letters (lower case) and digits, anything else a separator.
        var inWord = false
        for byte in bytes[start..<end] {
          let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
          if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) {
            if !inWord && out.count > 0 { out.append(0x20) }
            out.append(lower)
            inWord = true
          } else {
            inWord = false
          }
        }
      } else {
        let word = fold(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
        if !word.isEmpty {
          if out.count > 0 { out.append(0x20) }
          out.append(word)
        }
      }
      start = end
    }
  }

  /// TextFolding.key of one word that is not ASCII, from the cache (valid until the next call).
  private func fold(_ word: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
    if let known = words.find(word) { return known.bytes }
    let folded = Array(TextFolding.key(String(decoding: word, as: UTF8.self)).utf8)
    return folded.withUnsafeBytes { words.insert(word, bytes: $0, extra: ()).bytes }
  }
}
