// A hash table from 64-bit words to 64-bit words for deduplication's
// indexes (packed tax code → kept row, identity hash → first row), which
// hold one entry per establishment: a million at national scale.
//
// Swift's Dictionary hashes an integer key through SipHash; at one lookup and
// one update per row that was about a tenth of the normalise stage (perf, 1M
// rows). Here the key is mixed with one multiplication by a per-process
// random seed, so no file can be built to collide, and slots are probed
// linearly in two flat arrays.

/// 64-bit keys to 64-bit values, growing as needed.
final class WordTable {
  private var keys: UnsafeMutablePointer<UInt64>
  private var values: UnsafeMutablePointer<UInt64>
  private var used: UnsafeMutablePointer<Bool>
  private var capacity: Int
  private var shift: UInt64
  private(set) var count = 0
  private let seed = ByteKeys.seed | 1

  init(capacity wanted: Int = 1 << 10) {
    var capacity = 16
    while capacity < wanted { capacity <<= 1 }
    self.capacity = capacity
    shift = UInt64(64 - capacity.trailingZeroBitCount)
    keys = .allocate(capacity: capacity)
    values = .allocate(capacity: capacity)
    used = .allocate(capacity: capacity)
    used.initialize(repeating: false, count: capacity)
  }

  deinit {
    keys.deallocate()
    values.deallocate()
    used.deallocate()
  }

  @inline(__always)
  private func slot(_ key: UInt64) -> Int {
    Int(truncatingIfNeeded: ((key ^ (key >> 29)) &* seed) >> shift)
  }

  /// The value stored under `key`, if any.
  @inline(__always)
  subscript(key: UInt64) -> UInt64? {
    var slot = slot(key)
    let mask = capacity - 1
    while used[slot] {
      if keys[slot] == key { return values[slot] }
      slot = (slot + 1) & mask
    }
    return nil
  }

  /// Stores `value` under `key`, replacing what was there.
  func set(_ key: UInt64, _ value: UInt64) {
    if (count + 1) * 4 > capacity * 3 { grow() }
    var slot = slot(key)
    let mask = capacity - 1
    while used[slot] {
      if keys[slot] == key {
        values[slot] = value
        return
      }
      slot = (slot + 1) & mask
    }
    used[slot] = true
    keys[slot] = key
    values[slot] = value
    count += 1
  }

  private func grow() {
    let (oldKeys, oldValues, oldUsed, oldCapacity) = (keys, values, used, capacity)
    capacity *= 2
    shift -= 1
    keys = .allocate(capacity: capacity)
    values = .allocate(capacity: capacity)
    used = .allocate(capacity: capacity)
    used.initialize(repeating: false, count: capacity)
    count = 0
    for index in 0..<oldCapacity where oldUsed[index] { set(oldKeys[index], oldValues[index]) }
    oldKeys.deallocate()
    oldValues.deallocate()
    oldUsed.deallocate()
  }
}
