// Keys of three small numbers (group indices, not text a file controls), numbered 0, 1, 2... as they come:
// the recommender's actions (district, need, sector) and the aggregates' pending combinations (district, type,
// sector). A Dictionary would hash each key with SipHash, once or more a row.

/// Three-number keys numbered densely in the order they come, found by open addressing over the numbers.
struct TripleIndex: Sendable {
  typealias Key = (Int, Int, Int)

  /// The keys, by their numbers.
  private(set) var keys: [Key] = []
  /// Key number, or -1 for an empty slot; the count is a power of two, at most half full.
  private var slots: [Int32]

  init(slots: Int = 64) {
    var count = 16
    while count < slots { count <<= 1 }
    self.slots = Array(repeating: -1, count: count)
  }

  /// The number of `key`; a new key is numbered `keys.count` when `adding`, else the answer is nil.
  @inline(__always)
  mutating func number(of key: Key, adding: Bool = true) -> Int? {
    let mask = slots.count - 1
    var place = Self.hash(key) & mask
    while true {
      let index = Int(slots[place])
      if index < 0 { break }
      if keys[index] == key { return index }
      place = (place + 1) & mask
    }
    guard adding else { return nil }
    let index = keys.count
    keys.append(key)
    slots[place] = Int32(index)
    if keys.count * 2 > slots.count { grow() }
    return index
  }

  private mutating func grow() {
    let size = slots.count * 2
    slots = Array(repeating: -1, count: size)
    for (index, key) in keys.enumerated() {
      var place = Self.hash(key) & (size - 1)
      while slots[place] >= 0 { place = (place + 1) & (size - 1) }
      slots[place] = Int32(index)
    }
  }

  @inline(__always)
  private static func hash(_ key: Key) -> Int {
    var hash = UInt64(truncatingIfNeeded: key.0) &* 0x9E37_79B9_7F4A_7C15
    hash = (hash ^ UInt64(truncatingIfNeeded: key.1)) &* 0xFF51_AFD7_ED55_8CCD
    hash = (hash ^ UInt64(truncatingIfNeeded: key.2)) &* 0xC4CE_B9FE_1A85_EC53
    return Int(truncatingIfNeeded: hash ^ (hash >> 29))
  }
}
