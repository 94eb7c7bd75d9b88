/// A growable byte buffer for the per-field hot paths, where `[UInt8]`'s checks on each small append show.

/// Bytes in memory its owner frees with `deallocate()`; a value copy shares the same memory, so keep one.
typealias ByteBuffer = PlainBuffer<UInt8>

extension PlainBuffer where Element == UInt8 {
  /// The bytes held, valid until the buffer next changes.
  var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

  @inline(__always)
  mutating func append(_ bytes: UnsafeRawBufferPointer) {
    let length = bytes.count
    guard length > 0 else { return }
    reserve(count + length)
    UnsafeMutableRawPointer(base + count).copyMemory(from: bytes.baseAddress!, byteCount: length)
    setCount(count + length)
  }

  /// Appends `bytes` and returns the line breaks in them (LF, CR, and CRLF once, as
  /// `UTF8Bytes.lineBreaks(in:)` counts them): one pass, eight bytes at a time, for the parser's fields, most of
  /// which are a few bytes long and hold no line break.
  @inline(__always)
  mutating func appendCountingLineBreaks(_ bytes: UnsafeRawBufferPointer) -> Int {
    let length = bytes.count
    guard length > 0 else { return 0 }
    reserve(count + length)
    let source = bytes.baseAddress!
    let destination = UnsafeMutableRawPointer(base + count)
    var index = 0
    var clean = true
    // Whole words, noting any byte below 0x0E (which may be LF or CR).
    while index + 8 <= length {
      let word = source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      destination.storeBytes(of: word, toByteOffset: index, as: UInt64.self)
      if UTF8Bytes.mayHoldLineBreak(word) { clean = false }
      index += 8
    }
    while index < length {
      let byte = source.load(fromByteOffset: index, as: UInt8.self)
      destination.storeBytes(of: byte, toByteOffset: index, as: UInt8.self)
      if byte <= 0x0D { clean = false }
      index += 1
    }
    setCount(count + length)
    return clean ? 0 : UTF8Bytes.lineBreaks(in: bytes)
  }

  /// Appends a non-negative integer in decimal digits.
  mutating func append(decimal value: Int) {
    precondition(value >= 0)
    var digits = 1
    var rest = value / 10
    while rest > 0 {
      digits += 1
      rest /= 10
    }
    reserve(count + digits)
    var remaining = value
    var position = count + digits - 1
    repeat {
      base[position] = UInt8(truncatingIfNeeded: remaining % 10) &+ 0x30
      remaining /= 10
      position -= 1
    } while remaining > 0
    setCount(count + digits)
  }

  mutating func append(contentsOf bytes: [UInt8]) {
    bytes.withUnsafeBytes { append($0) }
  }
}
