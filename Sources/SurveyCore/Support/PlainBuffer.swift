/// Growable arrays of plain values for the per-field hot paths, where `Array`'s checks on each small append
/// show: `ByteBuffer` (the bytes of cells and lines; its byte appends are below, in this file, to reach the
/// storage directly) and the ends of fields and cells in ingest.

/// Values in memory its owner frees with `deallocate()`; a value copy shares the same memory, so keep one.
struct PlainBuffer<Element: BitwiseCopyable> {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  func deallocate() { base.deallocate() }

  var indices: Range<Int> { 0..<count }

  /// The values held, valid until the buffer next changes.
  var values: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

  subscript(index: Int) -> Element {
    get {
      precondition(index >= 0 && index < count, "index out of range")
      return base[index]
    }
    set {
      precondition(index >= 0 && index < count, "index out of range")
      base[index] = newValue
    }
  }

  @inline(__always)
  mutating func append(_ value: Element) {
    if count == capacity { grow(to: count + 1) }
    (base + count).initialize(to: value)
    count += 1
  }

  /// Makes room for `length` values in all.
  @inline(__always)
  mutating func reserve(_ length: Int) {
    if length > capacity { grow(to: length) }
  }

  /// Declares the first `length` values (within the room reserved, filled by the caller) held.
  mutating func setCount(_ length: Int) {
    precondition(length >= 0 && length <= capacity)
    count = length
  }

  mutating func removeAll() { count = 0 }

  /// Drops the first `n` values, moving the rest to the front.
  mutating func removeFirst(_ n: Int) {
    precondition(n >= 0 && n <= count, "cannot remove more than the buffer holds")
    if n < count { base.update(from: base + n, count: count - n) }
    count -= n
  }

  /// Drops the last `n` values.
  mutating func removeLast(_ n: Int) {
    precondition(n >= 0 && n <= count, "cannot remove more than the buffer holds")
    count -= n
  }

  private mutating func grow(to needed: Int) {
    let newCapacity = max(needed, capacity * 2)
    let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
    newBase.initialize(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }
}

/// Bytes in memory its owner frees with `deallocate()`, as `PlainBuffer`: the cells and lines of the per-field hot
/// paths, where `[UInt8]`'s checks on each small append show.
typealias ByteBuffer = PlainBuffer<UInt8>

extension PlainBuffer where Element == UInt8 {
  /// The bytes held, valid until the buffer next changes.
  var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

  @inline(__always)
  mutating func append(_ bytes: UnsafeRawBufferPointer) {
    let length = bytes.count
    guard length > 0 else { return }
    if count + length > capacity { grow(to: count + length) }
    UnsafeMutableRawPointer(base + count).copyMemory(from: bytes.baseAddress!, byteCount: length)
    count += length
  }

  /// Appends `bytes` and returns the line breaks in them (LF, CR, and CRLF once, as
  /// `UTF8Bytes.lineBreaks(in:)` counts them): one pass, eight bytes at a time, for the parser's fields, most of
  /// which are a few bytes long and hold no line break.
  @inline(__always)
  mutating func appendCountingLineBreaks(_ bytes: UnsafeRawBufferPointer) -> Int {
    var clean = true
    // A word with a byte below 0x0E may hold LF or CR.
    appendInWords(bytes) { if UTF8Bytes.mayHoldLineBreak($0) { clean = false } }
    return clean ? 0 : UTF8Bytes.lineBreaks(in: bytes)
  }

  /// Appends `bytes` a word at a time and hands `visit` each word copied, so that every byte is in one of them:
  /// whole words, then the last eight bytes (overlapping the word before); below eight bytes, the one word
  /// `UTF8Bytes.word(ofShort:)` makes of them. Most fields and cells are a few bytes long, and a loop over their
  /// last bytes was most of copying them.
  @inline(__always)
  mutating func appendInWords(_ bytes: UnsafeRawBufferPointer, _ visit: (UInt64) -> Void) {
    let length = bytes.count
    guard length > 0 else { return }
    if count + length > capacity { grow(to: count + length) }
    Self.copyInWords(bytes, to: UnsafeMutableRawPointer(base + count), visit)
    count += length
  }

  /// Copies `bytes` (at least one) to `destination` as `appendInWords` appends them, handing `visit` each word.
  /// The words never reach past the bytes' own ends, in the source or at the destination.
  @inline(__always)
  static func copyInWords(
    _ bytes: UnsafeRawBufferPointer, to destination: UnsafeMutableRawPointer, _ visit: (UInt64) -> Void
  ) {
    let length = bytes.count
    let source = bytes.baseAddress!
    if length >= 8 {
      var index = 0
      while index + 8 < length {
        let word = source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
        destination.storeBytes(of: word, toByteOffset: index, as: UInt64.self)
        visit(word)
        index += 8
      }
      let last = source.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)
      destination.storeBytes(of: last, toByteOffset: length - 8, as: UInt64.self)
      visit(last)
    } else {
      let word = UTF8Bytes.word(ofShort: bytes)
      if length >= 4 {
        destination.storeBytes(of: UInt32(truncatingIfNeeded: word), as: UInt32.self)
        destination.storeBytes(of: UInt32(truncatingIfNeeded: word >> 32), toByteOffset: length - 4, as: UInt32.self)
      } else {
        destination.storeBytes(of: UInt8(truncatingIfNeeded: word), as: UInt8.self)
        destination.storeBytes(of: UInt8(truncatingIfNeeded: word >> 8), toByteOffset: length >> 1, as: UInt8.self)
        destination.storeBytes(of: UInt8(truncatingIfNeeded: word >> 16), toByteOffset: length - 1, as: UInt8.self)
      }
      visit(word)
    }
  }

  /// Appends a non-negative integer in decimal digits: counted by comparisons, then written two at a time from a
  /// table. Ingest writes every row's line number so, and normalise its own; a division by ten for each digit,
  /// twice, was about 150 instructions a row in each.
  mutating func append(decimal value: Int) {
    precondition(value >= 0)
    var remaining = UInt64(value)
    var digits = 1
    var bound: UInt64 = 10
    // Int.max has 19 digits, and 10^19 still fits in a UInt64.
    while digits < 19 && remaining >= bound {
      digits &+= 1
      bound &*= 10
    }
    if count + digits > capacity { grow(to: count + digits) }
    var position = count &+ digits
    let pairs = Self.digitPairs.utf8Start
    while remaining >= 100 {
      let pair = Int(truncatingIfNeeded: remaining % 100)
      remaining /= 100
      position &-= 2
      base[position] = pairs[2 &* pair]
      base[position &+ 1] = pairs[2 &* pair &+ 1]
    }
    if remaining >= 10 {
      let pair = Int(truncatingIfNeeded: remaining)
      base[position &- 2] = pairs[2 &* pair]
      base[position &- 1] = pairs[2 &* pair &+ 1]
    } else {
      base[position &- 1] = UInt8(truncatingIfNeeded: remaining) &+ 0x30
    }
    count &+= digits
  }

  /// The two digits of each number from 00 to 99, in order (a literal in the binary: computed, no storage).
  private static var digitPairs: StaticString {
    """
    00010203040506070809101112131415161718192021222324252627282930313233343536373839\
    40414243444546474849505152535455565758596061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899
    """
  }

  mutating func append(contentsOf bytes: [UInt8]) {
    bytes.withUnsafeBytes { append($0) }
  }
}
