/// A small, bounded map from a cell's exact bytes to what was made of them, for the per-row readers.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Values made from byte strings (cells), looked up by the bytes themselves so that a repeated cell costs one
/// hash and one comparison instead of a String, its trimming and a Dictionary lookup.
///
/// It is bounded whatever the input: at most `limit` entries, keys of at most `longestKey` bytes, and a lookup
/// probes at most `probeLimit` slots. What does not fit (a new key once full, a long key, a key whose probe
/// sequence is crowded, as colliding keys of a hostile file would make it) is simply made again each time, so the
/// cache changes how fast a value comes, never which value.
struct ByteKeyedCache<Value> {
  let limit: Int
  let longestKey: Int
  static var probeLimit: Int { 16 }

  /// Open addressing: entry index, or -1 for an empty slot; the count is a power of two.
  private var slots: [Int32] = Array(repeating: -1, count: 64)
  /// Per entry: its hash, where its key ends in `keyBytes` (it starts where the one before ends), its value.
  private var hashes: [UInt64] = []
  private var keyEnds: [Int] = []
  private var keyBytes: [UInt8] = []
  private var values: [Value] = []

  init(limit: Int, longestKey: Int = 256) {
    self.limit = limit
    self.longestKey = longestKey
  }

  /// How many keys it holds.
  var count: Int { values.count }

  /// The value made from `key` before, else `make(key)`, kept when there is room.
  @inline(__always)
  mutating func value(
    for key: UnsafeRawBufferPointer, orMake make: (UnsafeRawBufferPointer) throws -> Value
  ) rethrows -> Value {
    guard key.count <= longestKey else { return try make(key) }
    let hash = Self.hash(key)
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    var probes = 0
    while true {
      let entry = Int(slots[slot])
      if entry < 0 { break }
      if hashes[entry] == hash && holds(entry, key) { return values[entry] }
      probes += 1
      if probes == Self.probeLimit { return try make(key) }
      slot = (slot + 1) & mask
    }
    let value = try make(key)
    guard values.count < limit else { return value }
    slots[slot] = Int32(values.count)
    hashes.append(hash)
    keyBytes.append(bytes: key)
    keyEnds.append(keyBytes.count)
    values.append(value)
    if values.count * 2 > slots.count { grow() }
    return value
  }

  /// True when entry `entry`'s key is `key`.
  @inline(__always)
  private func holds(_ entry: Int, _ key: UnsafeRawBufferPointer) -> Bool {
    let start = entry == 0 ? 0 : keyEnds[entry - 1]
    let count = keyEnds[entry] - start
    guard count == key.count else { return false }
    guard count > 0 else { return true }
    return keyBytes.withUnsafeBytes { memcmp($0.baseAddress! + start, key.baseAddress!, count) == 0 }
  }

  /// Doubles the slots and places every entry again (an entry that finds its probe sequence full is dropped).
  private mutating func grow() {
    let size = slots.count * 2
    slots = Array(repeating: -1, count: size)
    for (entry, hash) in hashes.enumerated() {
      var slot = Int(truncatingIfNeeded: hash) & (size - 1)
      while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
      slots[slot] = Int32(entry)
    }
  }

  /// A 64-bit hash of the bytes, eight at a time (keys are short cells; this is no defence against collisions,
  /// the probe limit is).
  @inline(__always)
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    let multiplier: UInt64 = 0xFF51_AFD7_ED55_8CCD
    var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    let count = bytes.count
    var index = 0
    while index + 8 <= count {
      hash = (hash ^ bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* multiplier
      hash ^= hash >> 32
      index += 8
    }
    if index < count {
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while index < count {
        tail |= UInt64(bytes[index]) << shift
        shift += 8
        index += 1
      }
      hash = (hash ^ tail) &* multiplier
      hash ^= hash >> 32
    }
    hash = (hash ^ (hash >> 29)) &* 0xC4CE_B9FE_1A85_EC53
    return hash ^ (hash >> 32)
  }
}
