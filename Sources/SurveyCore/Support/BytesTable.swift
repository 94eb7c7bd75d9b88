// A bounded cache keyed by byte strings, for the per-cell caches of the
// stages' hot loops: a lookup takes the cell's bytes as libcsv or the
// staged-rows reader hands them over, with no String and no allocation.

import Synchronization

/// Values by the exact bytes of their key, at most `limit` of them: a hostile file cannot make it large. When
/// it is full, or its keys pass `byteLimit`, it starts again empty (a cache, so only speed changes).
///
/// Open addressing with linear probing over a power-of-two slot array that grows with the entries (two slots
/// an entry at least), so a table of a few thousand spellings stays in the cache. A slot holds the high half of
/// the key's hash beside the entry's number: a probe reads the key only when those 32 bits match. Keys live one
/// after another in an arena. The hash is seeded per process, so no file can be built to collide.
final class BytesTable<Value> {
  let limit: Int
  private let byteLimit: Int
  /// Per slot: hash >> 32 in the high half, entry index + 1 in the low half; 0 is empty.
  @exclusivity(unchecked) private var slots: UnsafeMutablePointer<UInt64>
  @exclusivity(unchecked) private var slotMask: Int
  /// Per entry: its full hash (to place it again when the slots grow) and where its key is in the arena.
  private let hashes: UnsafeMutablePointer<UInt64>
  private let keys: UnsafeMutablePointer<(start: Int32, count: Int32)>
  private let values: UnsafeMutablePointer<Value>
  @exclusivity(unchecked) private var arena: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) private var arenaCapacity: Int
  @exclusivity(unchecked) private var arenaCount = 0
  @exclusivity(unchecked) private(set) var count = 0
  /// `ByteKeys.seed`, read once.
  private let seed = ByteKeys.seed
  /// The entries `recentEntry` found last, by a cheap hash of their keys (-1: none); made on its first call.
  @exclusivity(unchecked) private var recent: UnsafeMutablePointer<Int32>?
  private static var recentCount: Int { 4096 }
  /// Names the table's entries until it starts again: unique in the process, so an entry's `CellSpelling` is never
  /// another table's, nor this table's after it has started again.
  @exclusivity(unchecked) private(set) var generation = TableGenerations.next()
  private static var initialSlots: Int { 64 }

  init(limit: Int = 1 << 16, byteLimit: Int = 1 << 24) {
    self.limit = max(limit, 1)
    self.byteLimit = min(byteLimit, Int(Int32.max))
    (slots, slotMask) = (ByteKeys.emptySlots(Self.initialSlots), Self.initialSlots - 1)
    hashes = .allocate(capacity: self.limit)
    keys = .allocate(capacity: self.limit)
    values = .allocate(capacity: self.limit)
    arenaCapacity = 1 << 12
    arena = .allocate(capacity: arenaCapacity)
  }

  deinit {
    recent?.deallocate()
    values.deinitialize(count: count)
    slots.deallocate()
    hashes.deallocate()
    keys.deallocate()
    values.deallocate()
    arena.deallocate()
  }

  /// The value stored under `key`, if any.
  @inline(__always)
  func value(_ key: UnsafeRawBufferPointer) -> Value? {
    entry(key).map { values[$0] }
  }

  /// The number of the entry holding `key`, if any: entries are numbered from 0 as they come, until the table
  /// starts again (a new `generation`).
  @inline(__always)
  func entry(_ key: UnsafeRawBufferPointer) -> Int? {
    let found = ByteKeys.probe(slots, mask: slotMask, hash: ByteKeys.hash(key, seed: seed)) { payload in
      let stored = keys[payload - 1]
      return Int(stored.count) == key.count
        && ByteKeys.equal(arena + Int(stored.start), key.baseAddress, key.count)
    }
    return found.map { $0 - 1 }
  }

  /// `entry(_:)` for a table whose few dozen keys of eight bytes or more come again and again in no order (the
  /// report stages' triples): the entry found last for keys of the same length and first and last eight bytes is
  /// compared first, before the key is hashed in full. That hash waits on up to six multiplications; this one on
  /// one. A file whose keys all look alike to it only makes every lookup take the full one as well.
  @inline(__always)
  func recentEntry(_ key: UnsafeRawBufferPointer) -> Int? {
    let count = key.count
    guard count >= 8, let start = key.baseAddress else { return entry(key) }
    let first = start.loadUnaligned(as: UInt64.self)
    let last = start.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    let place = Int(truncatingIfNeeded: ((first ^ (last &<< 1) ^ UInt64(count)) &* 0x9E37_79B9_7F4A_7C15) >> 52)
    let recent = self.recent ?? makeRecent()
    let remembered = Int(recent[place])
    if remembered >= 0 && remembered < self.count {
      let stored = keys[remembered]
      if Int(stored.count) == count && ByteKeys.equal(arena + Int(stored.start), start, count) { return remembered }
    }
    guard let found = entry(key) else { return nil }
    recent[place] = Int32(truncatingIfNeeded: found)
    return found
  }

  @inline(never)
  private func makeRecent() -> UnsafeMutablePointer<Int32> {
    let made = UnsafeMutablePointer<Int32>.allocate(capacity: Self.recentCount)
    made.initialize(repeating: -1, count: Self.recentCount)
    recent = made
    return made
  }

  /// The value of entry `entry`.
  @inline(__always)
  func value(at entry: Int) -> Value { values[entry] }

  /// Stores `value` under `key`, which must not be in the table yet.
  func insert(_ key: UnsafeRawBufferPointer, _ value: Value) {
    if count >= limit || arenaCount + key.count > byteLimit { removeAll() }
    if (count + 1) * 2 > slotMask + 1 { growSlots() }
    let hash = ByteKeys.hash(key, seed: seed)
    if arenaCount + key.count > arenaCapacity {
      var capacity = arenaCapacity * 2
      while capacity < arenaCount + key.count { capacity *= 2 }
      let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
      grown.update(from: arena, count: arenaCount)
      arena.deallocate()
      arena = grown
      arenaCapacity = capacity
    }
    if key.count > 0 {
      UnsafeMutableRawPointer(arena + arenaCount).copyMemory(from: key.baseAddress!, byteCount: key.count)
    }
    hashes[count] = hash
    keys[count] = (Int32(arenaCount), Int32(key.count))
    (values + count).initialize(to: value)
    arenaCount += key.count
    count += 1
    place(hash, entry: count - 1)
  }

  func removeAll() {
    recent?.update(repeating: -1, count: Self.recentCount)
    generation = TableGenerations.next()
    values.deinitialize(count: count)
    slots.update(repeating: 0, count: slotMask + 1)
    count = 0
    arenaCount = 0
  }

  private func place(_ hash: UInt64, entry: Int) {
    ByteKeys.place(entry + 1, hash: hash, in: slots, mask: slotMask)
  }

  /// Doubles the slots and places every entry again.
  private func growSlots() {
    let size = (slotMask + 1) * 2
    slots.deallocate()
    (slots, slotMask) = (ByteKeys.emptySlots(size), size - 1)
    for entry in 0..<count { place(hashes[entry], entry: entry) }
  }
}

/// The generations of the byte tables: each number is handed out once in the process.
enum TableGenerations {
  private static let last = Mutex(0)

  /// A generation number no table has had in this process.
  static func next() -> Int {
    last.withLock { last in
      last += 1
      return last
    }
  }
}

/// Hashing and comparing byte keys, for the tables keyed by a cell's bytes (`BytesTable`, `ByteKeyedCache`).
enum ByteKeys {
  /// The process's hash seed: no file can be built to crowd one slot.
  static let seed = UInt64.random(in: .min ... .max)

  /// A seeded 64-bit hash of the bytes, eight at a time.
  ///
  /// The bytes past the last whole word (or pair of words) are read as one more, the last eight (or sixteen) bytes,
  /// which overlap the ones before; a key shorter than eight as two overlapping halves or three single bytes: a byte
  /// loop there was a visible part of every lookup, since most keys (cells) are 3 to 20 bytes long.
  ///
  /// The seed is passed in (`ByteKeys.seed`): a table keeps it in a constant of its own, since reading the lazily
  /// made global costs a `swift_once` check on every lookup (six a row in the report stage).
  @inline(__always)
  static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> UInt64 {
    let multiplier: UInt64 = 0xFF51_AFD7_ED55_8CCD
    let count = bytes.count
    // Keys of 8 to 16 bytes (most cells): the two words multiplied side by side, so that the lookup that waits on
    // the hash waits for two multiplications in a row rather than four.
    if count >= 8 && count <= 16 {
      let first = bytes.loadUnaligned(as: UInt64.self) ^ seed
      let last = bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) ^ UInt64(count)
      var hash = (first &* multiplier) ^ (last ^ (last >> 29)) &* 0xC4CE_B9FE_1A85_EC53
      hash = (hash ^ (hash >> 32)) &* 0x9E37_79B9_7F4A_7C15
      return hash ^ (hash >> 29)
    }
    var hash: UInt64 = seed ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(count))
    @inline(__always) func mix(_ word: UInt64) {
      hash = (hash ^ word) &* multiplier
      hash ^= hash >> 32
    }
    // Longer keys (a needs list; the report stages' type, district code and district side by side; normalise's
    // place keys): two words at a time into two sums, the second word of each pair into its own, so that the
    // lookup waits on half as many multiplications in a row; the last sixteen bytes (overlapping the pair before)
    // end them.
    if count > 16 {
      var other = hash ^ 0x632B_E59B_D9B4_E019
      @inline(__always) func mixOther(_ word: UInt64) {
        other = (other ^ word) &* 0xC4CE_B9FE_1A85_EC53
        other ^= other >> 29
      }
      @inline(__always) func word(_ offset: Int) -> UInt64 {
        bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      }
      if count <= 48 {
        // Up to 48 bytes, the words at six places that depend only on the length (`longWords`), three into each
        // sum, without a loop: those keys' lengths differ from row to row, and the loop's end was mispredicted.
        let (middle, before) = longWords(count)
        mix(word(0))
        mixOther(word(8))
        mix(word(middle))
        mixOther(word(before))
      } else {
        var index = 0
        while index + 16 < count {
          mix(word(index))
          mixOther(word(index + 8))
          index += 16
        }
      }
      mix(word(count - 16))
      mixOther(word(count - 8))
      hash = (hash ^ (other &>> 17 | other &<< 47)) &* 0x9E37_79B9_7F4A_7C15
      return hash ^ (hash >> 32)
    }
    if count >= 4 {
      let low = UInt64(bytes.loadUnaligned(as: UInt32.self))
      let high = UInt64(bytes.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
      mix(low | high << 32)
    } else if count > 0 {
      mix(UInt64(bytes[0]) | UInt64(bytes[count / 2]) << 8 | UInt64(bytes[count - 1]) << 16)
    }
    hash = (hash ^ (hash >> 29)) &* 0xC4CE_B9FE_1A85_EC53
    return hash ^ (hash >> 32)
  }

  /// For a key of 17 to 48 bytes, the places of the two words `hash` and `equal` read besides the first two and the
  /// last two: bytes 16 to 24 (the last eight when shorter) and the eight before the last sixteen (the first when
  /// shorter). With the others they cover every byte: bytes 16 to `count - 16` lie in those two words when
  /// `count` is at most 48.
  @inline(__always)
  static func longWords(_ count: Int) -> (middle: Int, before: Int) { (min(16, count - 8), max(count - 24, 0)) }

  /// Linear probing over slots that hold a hash's high half beside a payload (its low half; 0 is an empty slot):
  /// the payload of the first slot from the hash's whose tag is the hash's and for which `matches` holds, or nil
  /// at the first empty slot.
  @inline(__always)
  static func probe(
    _ slots: UnsafeMutablePointer<UInt64>, mask: Int, hash: UInt64, _ matches: (Int) -> Bool
  ) -> Int? {
    let tag = hash & 0xFFFF_FFFF_0000_0000
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let word = slots[slot]
      if word == 0 { return nil }
      if word & 0xFFFF_FFFF_0000_0000 == tag {
        let payload = Int(truncatingIfNeeded: word & 0xFFFF_FFFF)
        if matches(payload) { return payload }
      }
      slot = (slot + 1) & mask
    }
  }

  /// `count` empty slots for `probe` and `place` (a power of two).
  static func emptySlots(_ count: Int) -> UnsafeMutablePointer<UInt64> {
    let slots = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
    slots.initialize(repeating: 0, count: count)
    return slots
  }

  /// Puts `payload` (not 0) with the hash's tag in the first empty slot from the hash's.
  @inline(__always)
  static func place(_ payload: Int, hash: UInt64, in slots: UnsafeMutablePointer<UInt64>, mask: Int) {
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] != 0 { slot = (slot + 1) & mask }
    slots[slot] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(payload)
  }

  /// True when `count` bytes at `a` and at `b` are the same (either may be nil when `count` is 0), compared
  /// eight at a time: keys are short, and calling memcmp for them showed in profiles (5% of the report stage).
  /// The bytes past the last whole word are compared as `hash` reads them: the last eight (overlapping), or two
  /// overlapping halves, or one by one below four; a key of 17 to 48 bytes as the six words `hash` reads.
  @inline(__always)
  static func equal(_ a: UnsafeRawPointer?, _ b: UnsafeRawPointer?, _ count: Int) -> Bool {
    guard count > 0, let a, let b else { return true }
    @inline(__always) func same<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> Bool {
      a.loadUnaligned(fromByteOffset: offset, as: T.self) == b.loadUnaligned(fromByteOffset: offset, as: T.self)
    }
    if count > 16 && count <= 48 {
      // The six words `hash` reads, which together cover every byte, compared without a branch between them.
      @inline(__always) func difference(_ offset: Int) -> UInt64 {
        a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
          ^ b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      }
      let (middle, before) = longWords(count)
      return difference(0) | difference(8) | difference(middle) | difference(before) | difference(count - 16)
        | difference(count - 8) == 0
    }
    if count >= 8 {
      var index = 0
      while index + 8 < count {
        guard same(index, UInt64.self) else { return false }
        index += 8
      }
      return same(count - 8, UInt64.self)
    }
    if count >= 4 { return same(0, UInt32.self) && same(count - 4, UInt32.self) }
    for index in 0..<count where !same(index, UInt8.self) { return false }
    return true
  }
}
