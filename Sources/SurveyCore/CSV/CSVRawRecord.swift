/// Records as the parser's bytes, for readers that should not pay for a String per field.
///
/// A `CSVRawRecord` points into the parser's buffer: it is valid only during the call that receives it.
/// `CSVRecord` (Strings) is built from it on demand, so both views of a file agree byte for byte.

/// One record of a CSV file as bytes: its line, and each field as a buffer into the parser's memory.
struct CSVRawRecord {
  /// The 1-based physical line where the record starts.
  let line: Int
  /// How many fields the record has.
  let count: Int
  private let bytes: UnsafeRawBufferPointer
  /// Where each field starts, when fields do not follow one another (a staged CSV's bytes, separators between);
  /// nil when each starts where the one before ends.
  private let fieldStarts: UnsafeBufferPointer<Int>?
  private let fieldEnds: UnsafeBufferPointer<Int>
  private let firstField: Int

  init(
    line: Int, bytes: UnsafeRawBufferPointer, fieldStarts: UnsafeBufferPointer<Int>? = nil,
    fieldEnds: UnsafeBufferPointer<Int>, firstField: Int, count: Int
  ) {
    self.line = line
    self.bytes = bytes
    self.fieldStarts = fieldStarts
    self.fieldEnds = fieldEnds
    self.firstField = firstField
    self.count = count
  }

  /// The bytes of field `index` (`0..<count`), valid only while the record is.
  @inline(__always)
  func field(_ index: Int) -> UnsafeRawBufferPointer {
    let position = firstField + index
    let start: Int
    if let fieldStarts {
      start = fieldStarts[position]
    } else {
      start = position == 0 ? 0 : fieldEnds[position - 1]
    }
    return UnsafeRawBufferPointer(rebasing: bytes[start..<fieldEnds[position]])
  }

  /// True when some field holds bytes that are not well-formed UTF-8.
  var hasInvalidUTF8: Bool {
    (0..<count).contains { !UTF8Bytes.isValid(field($0)) }
  }

  /// The record with its fields as Strings; bytes that are not UTF-8 read as U+FFFD, and the record says so.
  var record: CSVRecord {
    var fields: [String] = []
    fields.reserveCapacity(count)
    var invalid = false
    for index in 0..<count {
      let (text, valid) = UTF8Bytes.string(field(index))
      if !valid { invalid = true }
      fields.append(text)
    }
    return CSVRecord(line: line, fields: fields, hasInvalidUTF8: invalid)
  }
}

/// Records as bytes: the fields of every record one after another in one buffer, with where each one ends.
///
/// It owns its buffer's memory: keep one copy of it, and free it with `deallocate()`.
struct RecordStore {
  /// A record: its line and where its fields are in `fieldEnds`.
  struct Entry {
    var line: Int
    var firstField: Int
    var fieldCount: Int
  }

  var bytes = ByteBuffer(capacity: 1 << 17)
  var fieldEnds = PlainBuffer<Int>(capacity: 1 << 13)
  var entries: [Entry] = []

  init() {
    entries.reserveCapacity(1 << 10)
  }

  func deallocate() {
    bytes.deallocate()
    fieldEnds.deallocate()
  }

  /// Calls `body` with each record, in order.
  func forEachRecord(_ body: (CSVRawRecord) throws -> Void) rethrows {
    guard !entries.isEmpty else { return }
    let bytes = bytes.bytes
    let ends = fieldEnds.values
    for entry in entries {
      try body(
        CSVRawRecord(
          line: entry.line, bytes: bytes, fieldEnds: ends, firstField: entry.firstField, count: entry.fieldCount))
    }
  }

  /// Drops every record and field but the last `openFields` fields (a record not yet ended), moved to the front.
  mutating func removeRecords(keepingLast openFields: Int) {
    entries.removeAll(keepingCapacity: true)
    if openFields == 0 {
      bytes.removeAll()
      fieldEnds.removeAll()
      return
    }
    let firstOpen = fieldEnds.count - openFields
    let start = firstOpen == 0 ? 0 : fieldEnds[firstOpen - 1]
    bytes.removeFirst(start)
    fieldEnds.removeFirst(firstOpen)
    for index in fieldEnds.indices { fieldEnds[index] -= start }
  }

  /// Moves the last `openFields` fields (a record not yet ended) to the end of `other`.
  mutating func moveLast(_ openFields: Int, to other: inout RecordStore) {
    guard openFields > 0 else { return }
    let firstOpen = fieldEnds.count - openFields
    let start = firstOpen == 0 ? 0 : fieldEnds[firstOpen - 1]
    let base = other.bytes.count
    other.bytes.append(UnsafeRawBufferPointer(rebasing: bytes.bytes[start...]))
    for index in firstOpen..<fieldEnds.count { other.fieldEnds.append(fieldEnds[index] - start + base) }
    bytes.removeLast(bytes.count - start)
    fieldEnds.removeLast(openFields)
  }
}

/// The records one chunk completed, taken from the parser so that another thread can read them meanwhile.
///
/// One thread at a time owns a batch: the parser's while it fills it, the reader's until it hands it back.
final class CSVRecordBatch: @unchecked Sendable {
  fileprivate(set) var store = RecordStore()
  /// The input the batch was parsed from, as read (before any transcoding), and where it starts in the file, for
  /// the thread that reads the batch to hash; empty when the batch was parsed from no new input.
  private(set) var source: [UInt8] = []
  private(set) var sourceOffset = 0

  /// Keeps a copy of `bytes`, the input from `offset`, as the batch's `source`.
  func keepSource(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
    source.removeAll(keepingCapacity: true)
    source.append(bytes: bytes)
    sourceOffset = offset
  }

  func forgetSource() { source.removeAll(keepingCapacity: true) }

  init() {}

  deinit { store.deallocate() }

  /// Calls `body` with each record, in order; a record is valid only during its call.
  func forEachRecord(_ body: (CSVRawRecord) throws -> Void) rethrows { try store.forEachRecord(body) }

  func removeAll() { store.removeRecords(keepingLast: 0) }

  /// Takes the sink's records, leaving it this batch's emptied storage and the fields of its open record.
  func take(from sink: inout RecordStore, openFields: Int) {
    store.removeRecords(keepingLast: 0)
    swap(&store, &sink)
    store.moveLast(openFields, to: &sink)
  }
}

extension Array where Element == UInt8 {
  /// Appends raw bytes with one copy (the generic `append(contentsOf:)` goes byte by byte for raw buffers).
  @inline(__always)
  mutating func append(bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count))
  }
}

/// Byte-level checks on UTF-8 text.
enum UTF8Bytes {
  /// The bytes as a String, and whether they were well-formed UTF-8 (if not, they read with U+FFFD in place).
  ///
  /// The same String as `String(validating:as:) ?? String(decoding:as:)`, several times faster on Linux:
  /// `String(validating:as:)` over a raw buffer is not specialised and looks up generic metadata on each call.
  @inline(__always)
  static func string(_ bytes: UnsafeRawBufferPointer) -> (text: String, valid: Bool) {
    let units = UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    return (String(decoding: units, as: UTF8.self), isValid(bytes))
  }

  /// Whether some byte of `word` is below 0x0E, so may be LF or CR.
  @inline(__always)
  static func mayHoldLineBreak(_ word: UInt64) -> Bool { WordBytes.below(0x0E, in: word) != 0 }

  /// Line breaks in a field: LF, CR, and CRLF once.
  @inline(__always)
  static func lineBreaks(in bytes: UnsafeRawBufferPointer) -> Int {
    var breaks = 0
    var index = 0
    let count = bytes.count
    // Skip eight bytes at a time while none of them is below 0x0E (so neither LF nor CR).
    while index + 8 <= count {
      let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      guard !mayHoldLineBreak(word) else { break }
      index += 8
    }
    while index < count {
      let byte = bytes[index]
      if byte <= 0x0D {
        if byte == 0x0A {
          breaks += 1
        } else if byte == 0x0D {
          breaks += 1
          if index + 1 < count && bytes[index + 1] == 0x0A { index += 1 }
        }
      }
      index += 1
    }
    return breaks
  }

  /// What one pass over a cell's bytes found.
  struct CellTraits: OptionSet {
    let rawValue: UInt8
    /// Bytes outside ASCII.
    static let nonASCII = CellTraits(rawValue: 1)
    /// Not well-formed UTF-8.
    static let invalid = CellTraits(rawValue: 2)
    /// A control character (below U+0020 other than tab, LF, CR; or DEL) or U+FFFD.
    static let suspect = CellTraits(rawValue: 4)
    /// A comma, quote, LF or CR: the cell must be quoted in CSV.
    static let needsQuotes = CellTraits(rawValue: 8)
    /// A double quote.
    static let quote = CellTraits(rawValue: 16)
    /// A scalar from U+0300 up that is not precomposed Latin (U+1E00–U+1EFF): `TextFolding.isKnownNFC` fails.
    static let maybeNotNFC = CellTraits(rawValue: 32)
  }

  /// One pass over a cell: well-formedness (as `isValid`), the NFC fast check, control characters, U+FFFD,
  /// and what CSV quoting needs. Inlined into its two callers: ingest calls it for each of millions of cells,
  /// nine bytes long on average, and the call itself showed in profiles.
  ///
  /// A cell's ASCII words go first, eight bytes at a time (`asciiWordTraits`); at the first word with a byte
  /// outside ASCII or below U+0020, `traitsByWord` takes over, and the byte-by-byte pass for a cell shorter than
  /// eight bytes or one that word pass cannot decide. Most cells are short ASCII (numbers, marks, dates), and
  /// the byte-by-byte pass had been a sixth of ingest's time.
  @inline(__always)
  static func traits(of bytes: UnsafeRawBufferPointer) -> CellTraits {
    let count = bytes.count
    guard count > 0 else { return [] }
    if count < 8 { return asciiWordTraits(word(ofShort: bytes)) ?? traitsByByte(of: bytes, from: 0) }
    var found = CellTraits()
    var index = 0
    // Whole words, then the last eight bytes (which may overlap the word before): an ASCII byte seen twice
    // notes the same thing twice.
    while true {
      let at = min(index, count - 8)
      guard let word = asciiWordTraits(bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)) else {
        // Every byte before `at` is ASCII, so a character starts there.
        return found.union(traitsByWord(of: bytes, from: at))
      }
      found.formUnion(word)
      index = at + 8
      if index == count { return found }
    }
  }

  /// The bytes of a short cell (1 to 7 of them) as one word in which each of them is at least once: two
  /// overlapping halves, or the first, middle and last bytes repeated. The cell's own bytes stand in for the
  /// rest, so a test of every byte of the word tests the cell's bytes and nothing else.
  @inline(__always)
  static func word(ofShort bytes: UnsafeRawBufferPointer) -> UInt64 {
    let count = bytes.count
    if count >= 4 {
      let low = bytes.loadUnaligned(as: UInt32.self)
      return UInt64(low) | UInt64(bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)) << 32
    }
    let first = UInt32(bytes[0])
    let half = first | UInt32(bytes[count >> 1]) << 8 | UInt32(bytes[count - 1]) << 16 | first << 24
    return UInt64(half) | UInt64(half) << 32
  }

  /// What the eight ASCII bytes of `word` note, without a branch per byte; nil when some byte is outside ASCII
  /// or below U+0020 (tab, LF, CR and the controls, which the byte-by-byte pass tells apart).
  @inline(__always)
  private static func asciiWordTraits(_ word: UInt64) -> CellTraits? {
    guard word & WordBytes.highs == 0, WordBytes.below(0x20, in: word) == 0 else { return nil }
    var found: UInt8 = 0
    if WordBytes.holds(0x22, in: word) != 0 { found |= CellTraits.needsQuotes.rawValue | CellTraits.quote.rawValue }
    if WordBytes.holds(0x2C, in: word) != 0 { found |= CellTraits.needsQuotes.rawValue }
    // DEL plus one is the only ASCII byte that reaches 0x80, and no byte carries into the next.
    if (word &+ WordBytes.ones) & WordBytes.highs != 0 { found |= CellTraits.suspect.rawValue }
    return CellTraits(rawValue: found)
  }

  /// The pass of `traits(of:)` over the cell from `start`, where a character starts and at least eight bytes
  /// remain, eight bytes at a time, for text whose non-ASCII letters all take two bytes below U+0300 or three with
  /// lead E1 and a second byte B8–BB: precomposed Vietnamese, in NFC. Each word's lead and continuation bytes are
  /// told apart by their top bits, and its continuations must be exactly where the leads before them want them
  /// (`expected`, carried into the next word). Anything else (a control character, a lead from CC up other than
  /// E1, C0 or C1, a second byte after E1 outside B8–BB, a continuation out of place) goes to the byte-by-byte pass
  /// from `start`, which decides well-formedness and the rest exactly: such a cell is rare, ill-formed or not NFC.
  ///
  /// The byte-by-byte pass alone was 14% of ingest's samples at 1,000,000 rows: names, places, types and sectors
  /// are mostly Vietnamese letters, some eighty bytes a row.
  ///
  /// Not inlined: `traits(of:)`, which is, stays small enough to be inlined into its callers for the ASCII cells.
  @inline(never)
  private static func traitsByWord(of bytes: UnsafeRawBufferPointer, from start: Int) -> CellTraits {
    let (highs, lows) = (WordBytes.highs, WordBytes.lows)
    let count = bytes.count
    var index = start
    var found: UInt8 = 0
    var high: UInt64 = 0
    /// Continuations that leads of the word before want in this one (its first two bytes at most).
    var carried: UInt64 = 0
    /// 0x80 in the first byte when the word before ended with E1.
    var afterE1: UInt64 = 0
    while index < count {
      var word: UInt64
      if index + 8 <= count {
        word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      } else {
        // The last bytes, below plain ASCII letters ("a") that stand for nothing.
        let skipped = UInt64(8 * (8 - (count - index)))
        word =
          bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) &>> skipped
          | 0x6161_6161_6161_6161 &<< (64 - skipped)
      }
      index &+= 8
      let hi = word & highs
      high |= hi
      if WordBytes.below(0x20, in: word) != 0 { return traitsByByte(of: bytes, from: start) }
      if WordBytes.places(of: 0x22, in: word) != 0 {
        found |= CellTraits.needsQuotes.rawValue | CellTraits.quote.rawValue
      }
      if WordBytes.places(of: 0x2C, in: word) != 0 { found |= CellTraits.needsQuotes.rawValue }
      if WordBytes.places(of: 0x7F, in: word) != 0 { found |= CellTraits.suspect.rawValue }
      // 10xxxxxx, 11xxxxxx, 111xxxxx: a byte's second and third bits, brought up to its top bit.
      let continuations = hi & ~(word &<< 1)
      let leads = hi & (word &<< 1)
      let threeByteLeads = leads & (word &<< 2)
      let e1 = WordBytes.places(of: 0xE1, in: word)
      // From CC up: the low seven bits plus 0x34 reach the top bit (no carry: at most 0x7F + 0x34).
      let fromCC = ((word & lows) &+ WordBytes.repeated(0x34)) & hi
      // C0 and C1: leads whose low seven bits plus 0x3E stay below it.
      let c0c1 = leads & ~((word & lows) &+ WordBytes.repeated(0x3E)) & highs
      let secondAfterE1 = WordBytes.places(of: 0xB8, in: word & WordBytes.repeated(0xFC))
      let expected = (leads &<< 8) | (threeByteLeads &<< 16) | carried
      if (fromCC & ~e1) | c0c1 | (((e1 &<< 8) | afterE1) & ~secondAfterE1) | (continuations ^ expected) != 0 {
        return traitsByByte(of: bytes, from: start)
      }
      carried = (leads &>> 56) | (threeByteLeads &>> 48)
      afterE1 = e1 &>> 56
    }
    // A sequence cut short at the end: the byte-by-byte pass says it is not well-formed.
    if carried != 0 { return traitsByByte(of: bytes, from: start) }
    return CellTraits(rawValue: found | (high != 0 ? CellTraits.nonASCII.rawValue : 0))
  }

  /// The byte-by-byte pass of `traits(of:)` over the cell from `start`, where a character starts.
  ///
  /// An ASCII byte is only noted, without a branch: a bit for each byte value below 0x40 that was seen, and
  /// DEL by its sum with one (0x80 only for 0x7F); the flags are read off those once, at the end. Testing each
  /// byte against the special ones had the processor guess wrong between letters and the spaces among them.
  private static func traitsByByte(of bytes: UnsafeRawBufferPointer, from start: Int) -> CellTraits {
    var traits: UInt8 = 0
    /// Bit `b` set when byte `b` (below 0x40) was seen.
    var seen: UInt64 = 0
    /// 0x80 set when DEL (0x7F) was seen: no other ASCII byte plus one reaches 0x80.
    var delete: UInt8 = 0
    var index = start
    let count = bytes.count
    @inline(__always) func continuation(_ at: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
      at < count && bytes[at] >= low && bytes[at] <= high
    }
    @inline(__always) func asciiTraits() -> UInt8 {
      let lineBreaks: UInt64 = 1 << 0x0A | 1 << 0x0D
      let quote: UInt64 = 1 << 0x22
      // Control characters below U+0020 other than tab, LF and CR.
      let controls: UInt64 = 0xFFFF_FFFF & ~(1 << 0x09 | lineBreaks)
      var found: UInt8 = 0
      if seen & (lineBreaks | quote | 1 << 0x2C) != 0 { found |= CellTraits.needsQuotes.rawValue }
      if seen & quote != 0 { found |= CellTraits.quote.rawValue }
      if seen & controls != 0 || delete & 0x80 != 0 { found |= CellTraits.suspect.rawValue }
      return found
    }
    while index < count {
      let byte = bytes[index]
      if byte < 0x80 {
        seen |= byte < 0x40 ? 1 &<< UInt64(byte) : 0
        delete |= byte &+ 1
        index &+= 1
        continue
      }
      traits |= CellTraits.nonASCII.rawValue
      // Vietnamese letters with a tone (U+1EA0–U+1EF9) before the general switch: lead E1 takes any two
      // continuation bytes, and its second byte B8–BB is precomposed Latin.
      if byte == 0xE1 && index + 2 < count {
        let second = bytes[index + 1]
        if second & 0xC0 == 0x80 && bytes[index + 2] & 0xC0 == 0x80 {
          if second & 0xFC != 0xB8 { traits |= CellTraits.maybeNotNFC.rawValue }
          index += 3
          continue
        }
      }
      var valid = true
      switch byte {
      case 0xC2...0xDF:
        valid = continuation(index + 1)
        if byte > 0xCB { traits |= CellTraits.maybeNotNFC.rawValue }
        index += 2
      case 0xE0...0xEF:
        switch byte {
        case 0xE0: valid = continuation(index + 1, 0xA0) && continuation(index + 2)
        case 0xED: valid = continuation(index + 1, 0x80, 0x9F) && continuation(index + 2)
        default: valid = continuation(index + 1) && continuation(index + 2)
        }
        if valid {
          if byte == 0xEF && bytes[index + 1] == 0xBF && bytes[index + 2] == 0xBD {
            traits |= CellTraits.suspect.rawValue | CellTraits.maybeNotNFC.rawValue
          } else if byte != 0xE1 || bytes[index + 1] < 0xB8 || bytes[index + 1] > 0xBB {
            traits |= CellTraits.maybeNotNFC.rawValue
          }
        }
        index += 3
      case 0xF0...0xF4:
        switch byte {
        case 0xF0: valid = continuation(index + 1, 0x90) && continuation(index + 2) && continuation(index + 3)
        case 0xF4: valid = continuation(index + 1, 0x80, 0x8F) && continuation(index + 2) && continuation(index + 3)
        default: valid = continuation(index + 1) && continuation(index + 2) && continuation(index + 3)
        }
        traits |= CellTraits.maybeNotNFC.rawValue
        index += 4
      default:
        valid = false
      }
      if !valid { return CellTraits(rawValue: traits | asciiTraits() | CellTraits.invalid.rawValue) }
    }
    return CellTraits(rawValue: traits | asciiTraits())
  }

  /// True when the bytes are well-formed UTF-8 (Unicode table 3-7), exactly as `String(validating:)` decides.
  ///
  /// With `allowingTruncatedEnd`, a sequence cut short by the end of the bytes (a chunk of a longer text)
  /// is not held against them.
  static func isValid(_ bytes: UnsafeRawBufferPointer, allowingTruncatedEnd: Bool = false) -> Bool {
    var index = 0
    let count = bytes.count
    @inline(__always) func continuation(_ at: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
      at < count ? bytes[at] >= low && bytes[at] <= high : allowingTruncatedEnd
    }
    while index < count {
      let lead = bytes[index]
      // ASCII, and the two-byte letters (ư, ơ, đ and their capitals) and three-byte ones (the precomposed
      // letters with a tone, U+1EA0–U+1EF9, lead E1) of Vietnamese, before the general switch: its chain of
      // ranges was 4% of normalise, which checks every name.
      if lead < 0x80 {
        index &+= 1
        continue
      }
      if lead == 0xE1, index &+ 2 < count, bytes[index &+ 1] & 0xC0 == 0x80, bytes[index &+ 2] & 0xC0 == 0x80 {
        index &+= 3
        continue
      }
      if lead &- 0xC2 < 0x1E, index &+ 1 < count, bytes[index &+ 1] & 0xC0 == 0x80 {
        index &+= 2
        continue
      }
      // Everything else, and a sequence cut short by the end: the ranges of Unicode's table 3-7.
      switch lead {
      case 0xC2...0xDF:
        guard continuation(index + 1) else { return false }
        index += 2
      case 0xE0:
        guard continuation(index + 1, 0xA0), continuation(index + 2) else { return false }
        index += 3
      case 0xE1...0xEC, 0xEE...0xEF:
        guard continuation(index + 1), continuation(index + 2) else { return false }
        index += 3
      case 0xED:
        guard continuation(index + 1, 0x80, 0x9F), continuation(index + 2) else { return false }
        index += 3
      case 0xF0:
        guard continuation(index + 1, 0x90), continuation(index + 2), continuation(index + 3) else { return false }
        index += 4
      case 0xF1...0xF3:
        guard continuation(index + 1), continuation(index + 2), continuation(index + 3) else { return false }
        index += 4
      case 0xF4:
        guard continuation(index + 1, 0x80, 0x8F), continuation(index + 2), continuation(index + 3) else {
          return false
        }
        index += 4
      default:
        return false
      }
    }
    return true
  }
}
