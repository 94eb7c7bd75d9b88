// A bounded cache keyed by byte strings, for the per-cell caches of the
// stages' hot loops: a lookup takes the cell's bytes as libcsv or the
// staged-rows reader hands them over, with no String and no allocation.

/// Values by the exact bytes of their key, at most `limit` of them: a hostile file cannot make it large. When
/// it is full, or its keys pass `byteLimit`, it starts again empty (a cache, so only speed changes).
///
/// Open addressing with linear probing over a power-of-two slot array; keys live one after another in an
/// arena. The hash is seeded per process, so no file can be built to collide.
final class BytesTable<Value> {
  let limit: Int
  private let byteLimit: Int
  private let slotMask: Int
  /// Entry index + 1 per slot; 0 is empty.
  private let slots: UnsafeMutablePointer<Int32>
  private let hashes: UnsafeMutablePointer<UInt64>
  private let keyStarts: UnsafeMutablePointer<Int>
  private let keyLengths: UnsafeMutablePointer<Int>
  private let values: UnsafeMutablePointer<Value>
  private var arena: UnsafeMutablePointer<UInt8>
  private var arenaCapacity: Int
  private var arenaCount = 0
  private(set) var count = 0

  init(limit: Int = 1 << 16, byteLimit: Int = 1 << 24) {
    self.limit = max(limit, 1)
    self.byteLimit = byteLimit
    var slotCount = 16
    while slotCount < self.limit * 2 { slotCount <<= 1 }
    slotMask = slotCount - 1
    slots = .allocate(capacity: slotCount)
    slots.initialize(repeating: 0, count: slotCount)
    hashes = .allocate(capacity: self.limit)
    keyStarts = .allocate(capacity: self.limit)
    keyLengths = .allocate(capacity: self.limit)
    values = .allocate(capacity: self.limit)
    arenaCapacity = 1 << 12
    arena = .allocate(capacity: arenaCapacity)
  }

  deinit {
    values.deinitialize(count: count)
    slots.deallocate()
    hashes.deallocate()
    keyStarts.deallocate()
    keyLengths.deallocate()
    values.deallocate()
    arena.deallocate()
  }

  /// The value stored under `key`, if any.
  @inline(__always)
  func value(_ key: UnsafeRawBufferPointer) -> Value? {
    let hash = ByteKeys.hash(key)
    var slot = Int(truncatingIfNeeded: hash) & slotMask
    while true {
      let entry = Int(slots[slot])
      if entry == 0 { return nil }
      let index = entry - 1
      if hashes[index] == hash && keyLengths[index] == key.count
        && ByteKeys.equal(arena + keyStarts[index], key.baseAddress, key.count)
      {
        return values[index]
      }
      slot = (slot + 1) & slotMask
    }
  }

  /// Stores `value` under `key`, which must not be in the table yet.
  func insert(_ key: UnsafeRawBufferPointer, _ value: Value) {
    if count >= limit || arenaCount + key.count > byteLimit { removeAll() }
    let hash = ByteKeys.hash(key)
    var slot = Int(truncatingIfNeeded: hash) & slotMask
    while slots[slot] != 0 { slot = (slot + 1) & slotMask }
    if arenaCount + key.count > arenaCapacity {
      var capacity = arenaCapacity * 2
      while capacity < arenaCount + key.count { capacity *= 2 }
      let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
      grown.update(from: arena, count: arenaCount)
      arena.deallocate()
      arena = grown
      arenaCapacity = capacity
    }
    if key.count > 0 { UnsafeMutableRawPointer(arena + arenaCount).copyMemory(from: key.baseAddress!, byteCount: key.count) }
    hashes[count] = hash
    keyStarts[count] = arenaCount
    keyLengths[count] = key.count
    (values + count).initialize(to: value)
    arenaCount += key.count
    count += 1
    slots[slot] = Int32(count)
  }

  func removeAll() {
    values.deinitialize(count: count)
    slots.update(repeating: 0, count: slotMask + 1)
    count = 0
    arenaCount = 0
  }
}

/// Hashing and comparing byte keys, for the tables keyed by a cell's bytes (`BytesTable`, `ByteKeyedCache`).
enum ByteKeys {
  /// The process's hash seed: no file can be built to crowd one slot.
  static let seed = UInt64.random(in: .min ... .max)

  /// A seeded 64-bit hash of the bytes, eight at a time.
  @inline(__always)
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    let multiplier: UInt64 = 0xFF51_AFD7_ED55_8CCD
    var hash: UInt64 = seed ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(bytes.count))
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

  /// True when `count` bytes at `a` and at `b` are the same (either may be nil when `count` is 0), compared
  /// eight at a time: keys are short, and calling memcmp for them showed in profiles (5% of the report stage).
  @inline(__always)
  static func equal(_ a: UnsafeRawPointer?, _ b: UnsafeRawPointer?, _ count: Int) -> Bool {
    guard count > 0, let a, let b else { return true }
    var index = 0
    while index + 8 <= count {
      guard
        a.loadUnaligned(fromByteOffset: index, as: UInt64.self)
          == b.loadUnaligned(fromByteOffset: index, as: UInt64.self)
      else { return false }
      index += 8
    }
    while index < count {
      guard a.load(fromByteOffset: index, as: UInt8.self) == b.load(fromByteOffset: index, as: UInt8.self) else {
        return false
      }
      index += 1
    }
    return true
  }
}
