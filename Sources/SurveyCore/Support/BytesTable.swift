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
  private let seed = BytesTableSeed.value

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
    for pointer in [UnsafeMutableRawPointer(slots), UnsafeMutableRawPointer(hashes), UnsafeMutableRawPointer(keyStarts)] {
      pointer.deallocate()
    }
    keyLengths.deallocate()
    values.deallocate()
    arena.deallocate()
  }

  /// The value stored under `key`, if any.
  @inline(__always)
  func value(_ key: UnsafeRawBufferPointer) -> Value? {
    let hash = self.hash(key)
    var slot = Int(truncatingIfNeeded: hash) & slotMask
    while true {
      let entry = Int(slots[slot])
      if entry == 0 { return nil }
      let index = entry - 1
      if hashes[index] == hash && keyLengths[index] == key.count
        && (key.count == 0 || Self.equal(arena + keyStarts[index], key.baseAddress!, key.count))
      {
        return values[index]
      }
      slot = (slot + 1) & slotMask
    }
  }

  /// Whether `count` bytes at `a` and `b` are the same, eight at a time: keys are short, and calling memcmp
  /// for them showed in profiles (5% of the report stage).
  @inline(__always)
  private static func equal(_ a: UnsafeMutablePointer<UInt8>, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    let a = UnsafeRawPointer(a)
    var index = 0
    while index + 8 <= count {
      if a.loadUnaligned(fromByteOffset: index, as: UInt64.self) != b.loadUnaligned(fromByteOffset: index, as: UInt64.self) {
        return false
      }
      index += 8
    }
    while index < count {
      if a.load(fromByteOffset: index, as: UInt8.self) != b.load(fromByteOffset: index, as: UInt8.self) { return false }
      index += 1
    }
    return true
  }

  /// Stores `value` under `key`, which must not be in the table yet.
  func insert(_ key: UnsafeRawBufferPointer, _ value: Value) {
    if count >= limit || arenaCount + key.count > byteLimit { removeAll() }
    let hash = self.hash(key)
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

  /// A seeded multiply-and-shift hash over eight bytes at a time.
  @inline(__always)
  private func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
    var hash = seed ^ (UInt64(key.count) &* 0x9E37_79B9_7F4A_7C15)
    var index = 0
    let count = key.count
    while index + 8 <= count {
      hash = (hash ^ key.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
      hash ^= hash >> 31
      index += 8
    }
    if index < count {
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while index < count {
        tail |= UInt64(key[index]) << shift
        shift += 8
        index += 1
      }
      hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
      hash ^= hash >> 29
    }
    return hash
  }
}

/// The process's hash seed for `BytesTable`.
enum BytesTableSeed {
  static let value = UInt64.random(in: .min ... .max)
}
