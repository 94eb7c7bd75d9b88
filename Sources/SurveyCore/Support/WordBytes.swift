/// Tests on the eight bytes of a word at once, for the byte scans of the hot loops (cell traits, field copies,
/// CSV quoting): one subtraction and two masks instead of a branch per byte.
enum WordBytes {
  static let ones: UInt64 = 0x0101_0101_0101_0101
  static let highs: UInt64 = 0x8080_8080_8080_8080
  static let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

  /// `byte` in each of the eight bytes.
  @inline(__always)
  static func repeated(_ byte: UInt8) -> UInt64 { UInt64(byte) &* ones }

  /// Nonzero exactly when some byte of `word` is below `limit` (at most 0x80). It says whether, not where: a byte
  /// below the limit borrows from the one above it, whose top bit may show too.
  @inline(__always)
  static func below(_ limit: UInt8, in word: UInt64) -> UInt64 { (word &- repeated(limit)) & ~word & highs }

  /// Nonzero exactly when some byte of `word` is `byte` (whether, not where, as `below`).
  @inline(__always)
  static func holds(_ byte: UInt8, in word: UInt64) -> UInt64 { below(1, in: word ^ repeated(byte)) }

  /// Whether each of the eight bytes of `word` is an ASCII digit: its high half 3, and its low half at most 9 (adding
  /// 6 keeps the high half 3). No carry crosses bytes once every high half is 3.
  @inline(__always)
  static func allDigits(_ word: UInt64) -> Bool {
    let highHalves: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
    let threes = repeated(0x30)
    return (word & highHalves) == threes && ((word &+ repeated(0x06)) & highHalves) == threes
  }

  /// 0x80 in each byte of `word` that is `byte`, and nothing else: no carry crosses bytes.
  @inline(__always)
  static func places(of byte: UInt8, in word: UInt64) -> UInt64 {
    let x = word ^ repeated(byte)
    return ~(((x & lows) &+ lows) | x | lows)
  }
}
