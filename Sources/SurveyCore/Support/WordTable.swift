// A hash table from 64-bit words to 64-bit words for deduplication's
// indexes (packed tax code → kept row, identity hash → first row) and the
// previous run's identities, which hold one entry per establishment: a
// million at national scale.
//
// Swift's Dictionary hashes an integer key through SipHash; at one lookup and
// one update per row that was about a tenth of the normalise stage (perf, 1M
// rows). Here the key is mixed with one multiplication by a per-process
// random seed, so no file can be built to collide, and slots are probed
// linearly in one flat array.

/// 64-bit keys to 64-bit values, growing as needed.
///
/// A slot holds its key and value side by side, so a lookup in a table too large for the cache (a million
/// entries is 32 MB) costs one miss, not one per array. Key 0 marks an empty slot; the key 0 itself is kept aside.
final class WordTable {
  @exclusivity(unchecked) private var slots: UnsafeMutablePointer<(key: UInt64, value: UInt64)>
  @exclusivity(unchecked) private var capacity: Int
  @exclusivity(unchecked) private var shift: UInt64
  @exclusivity(unchecked) private var zeroValue: UInt64?
  @exclusivity(unchecked) private(set) var count = 0
  private let seed = ByteKeys.seed | 1

  init(capacity wanted: Int = 1 << 10) {
    var capacity = 16
    while capacity < wanted { capacity <<= 1 }
    self.capacity = capacity
    shift = UInt64(64 - capacity.trailingZeroBitCount)
    slots = .allocate(capacity: capacity)
    slots.initialize(repeating: (0, 0), count: capacity)
  }

  deinit {
    slots.deallocate()
  }

  @inline(__always)
  private func slot(_ key: UInt64) -> Int {
    Int(truncatingIfNeeded: ((key ^ (key >> 29)) &* seed) >> shift)
  }

  /// The value stored under `key`, if any.
  @inline(__always)
  subscript(key: UInt64) -> UInt64? {
    if key == 0 { return zeroValue }
    var slot = slot(key)
    let mask = capacity - 1
    while true {
      let stored = slots[slot]
      if stored.key == key { return stored.value }
      if stored.key == 0 { return nil }
      slot = (slot + 1) & mask
    }
  }

  /// Reads the slot where `key` would start its probe, to bring it into the cache ahead of a lookup.
  @inline(__always)
  func prefetch(_ key: UInt64) {
    touched ^= slots[slot(key)].key  // a store the optimiser must keep, so the load stays too
  }

  @exclusivity(unchecked) private var touched: UInt64 = 0

  /// Stores `value` under `key`, replacing what was there.
  func set(_ key: UInt64, _ value: UInt64) {
    if key == 0 {
      if zeroValue == nil { count += 1 }
      zeroValue = value
      return
    }
    if (count + 1) * 4 > capacity * 3 { grow() }
    var slot = slot(key)
    let mask = capacity - 1
    while slots[slot].key != 0 {
      if slots[slot].key == key {
        slots[slot].value = value
        return
      }
      slot = (slot + 1) & mask
    }
    slots[slot] = (key, value)
    count += 1
  }

  /// Calls `body` with every key and its value, in no particular order.
  func forEachEntry(_ body: (_ key: UInt64, _ value: UInt64) throws -> Void) rethrows {
    if let zeroValue { try body(0, zeroValue) }
    for index in 0..<capacity where slots[index].key != 0 { try body(slots[index].key, slots[index].value) }
  }

  private func grow() {
    let (old, oldCapacity) = (slots, capacity)
    capacity *= 2
    shift -= 1
    slots = .allocate(capacity: capacity)
    slots.initialize(repeating: (0, 0), count: capacity)
    count = zeroValue == nil ? 0 : 1
    for index in 0..<oldCapacity where old[index].key != 0 { set(old[index].key, old[index].value) }
    old.deallocate()
  }
}
