// A bounded cache keyed by byte strings whose answers are mostly bytes, laid
// out for a cache larger than the processor's own: the place answer of every
// district and commune spelling of a national survey (thousands of them, read
// in no order, one per row).

/// Byte answers by the exact bytes of their key, with a rarely read `Extra` beside each, at most `limit` of them;
/// when it is full, or its entries pass `byteLimit` bytes, it starts again empty (a cache, so only speed changes).
///
/// `BytesTable` keeps its slots, keys and values apart, and a value that is an object with buffers of its own is
/// reached through more pointers still: a hit in a table too large for the processor's cache waited on memory at
/// each of them (slot, key, value, object, buffers; the place lookup was a fifth of the normalise stage). Here a
/// slot holds the high half of the key's hash and where the entry starts, and an entry is its key followed by its
/// answer's bytes, one after the other in an arena that never moves: a hit reads the slot, then one run of bytes.
/// The arena is reserved at `byteLimit` and only the memory written is ever touched.
final class InlineBytesTable<Extra> {
  /// An answer found: its bytes (valid until the table starts again) and its entry, for `extra(_:)`.
  struct Hit {
    let bytes: UnsafeRawBufferPointer
    let entry: Int
  }

  let limit: Int
  private let byteLimit: Int
  /// Per slot: hash >> 32 in the high half, (the entry's offset in the arena / 8) + 1 in the low half; 0 is empty.
  @exclusivity(unchecked) private var slots: UnsafeMutablePointer<UInt64>
  @exclusivity(unchecked) private var slotMask: Int
  private let extras: UnsafeMutablePointer<Extra>
  /// Entries, each 8-byte aligned: `u64 hash, u32 key bytes, u32 answer bytes, u32 entry number, u32 unused`, the
  /// key, the answer.
  private let arena: UnsafeMutableRawPointer
  @exclusivity(unchecked) private var arenaCount = 0
  @exclusivity(unchecked) private(set) var count = 0
  /// The last answer too large for the arena, handed back without being stored (entry -1).
  @exclusivity(unchecked) private var spill: (bytes: UnsafeMutableRawBufferPointer, extra: Extra)?
  /// `ByteKeys.seed`, read once (see `ByteKeys.hash(_:seed:)`); `touch`'s hashes are made with it.
  let seed = ByteKeys.seed
  private static var headerSize: Int { 24 }
  private static var initialSlots: Int { 64 }

  init(limit: Int = NormaliseCache.limit, byteLimit: Int = 1 << 24) {
    self.limit = max(limit, 1)
    self.byteLimit = min(max(byteLimit, 1 << 12), Int(UInt32.max) * 8)
    (slots, slotMask) = (ByteKeys.emptySlots(Self.initialSlots), Self.initialSlots - 1)
    extras = .allocate(capacity: self.limit)
    arena = .allocate(byteCount: self.byteLimit, alignment: 8)
  }

  deinit {
    spill?.bytes.deallocate()
    extras.deinitialize(count: count)
    slots.deallocate()
    extras.deallocate()
    arena.deallocate()
  }

  /// How many times the table has started again: a hit's bytes are valid while this stays the same.
  @exclusivity(unchecked) private(set) var generation = 0

  /// The answer stored under `key`, if any.
  @inline(__always)
  func find(_ key: UnsafeRawBufferPointer) -> Hit? { find(key, hash: ByteKeys.hash(key, seed: seed)) }

  /// The answer stored under `key`, whose `ByteKeys.hash` with `seed` is `hash`, if any.
  @inline(__always)
  func find(_ key: UnsafeRawBufferPointer, hash: UInt64) -> Hit? {
    let arena = UnsafeRawPointer(self.arena)
    let found = ByteKeys.probe(slots, mask: slotMask, hash: hash) { payload in
      let entry = arena + (payload - 1) * 8
      let keyCount = Int(entry.load(fromByteOffset: 8, as: UInt32.self))
      return keyCount == key.count && ByteKeys.equal(entry + Self.headerSize, key.baseAddress, keyCount)
    }
    return found.map { hit(arena + ($0 - 1) * 8) }
  }

  /// Reads the slot where the probe of each key hashed to `hashes` starts, and four cache lines of the entry it
  /// points to (header, key and answer: about 160 bytes for a place of a national survey), to bring them into the
  /// processor's cache ahead of `find`. The loads of one key do not wait for another's, so many are under way at
  /// once.
  func touch(_ hashes: [UInt64]) {
    let arena = UnsafeRawPointer(self.arena)
    let last = arenaCount - 8
    var sum: UInt64 = 0
    for hash in hashes {
      let word = slots[Int(truncatingIfNeeded: hash) & slotMask]
      guard word != 0 else { continue }
      let entry = (Int(truncatingIfNeeded: word & 0xFFFF_FFFF) - 1) * 8
      sum ^= arena.load(fromByteOffset: entry, as: UInt64.self)
      sum ^= arena.load(fromByteOffset: min(entry + 64, last), as: UInt64.self)
      sum ^= arena.load(fromByteOffset: min(entry + 128, last), as: UInt64.self)
      sum ^= arena.load(fromByteOffset: min(entry + 192, last), as: UInt64.self)
    }
    touched ^= sum
  }

  /// What `touch` read, kept so that the optimiser keeps its loads.
  @exclusivity(unchecked) private var touched: UInt64 = 0

  /// The rarely read part of an entry's answer.
  func extra(_ entry: Int) -> Extra { entry >= 0 ? extras[entry] : spill!.extra }

  /// Stores `bytes` and `extra` under `key`, which must not be in the table yet, and returns them as a hit. An
  /// entry larger than the whole arena is handed back without being stored, valid until the next such one.
  func insert(_ key: UnsafeRawBufferPointer, bytes: UnsafeRawBufferPointer, extra: Extra) -> Hit {
    let size = (Self.headerSize + key.count + bytes.count + 7) & ~7
    guard size <= byteLimit else {
      spill?.bytes.deallocate()
      let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
      if !bytes.isEmpty { copy.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
      spill = (copy, extra)
      return Hit(bytes: UnsafeRawBufferPointer(rebasing: copy[0..<bytes.count]), entry: -1)
    }
    if count >= limit || arenaCount + size > byteLimit { removeAll() }
    if (count + 1) * 2 > slotMask + 1 { growSlots() }
    let hash = ByteKeys.hash(key, seed: seed)
    let entry = arena + arenaCount
    arenaCount += size
    entry.storeBytes(of: hash, as: UInt64.self)
    entry.storeBytes(of: UInt32(key.count), toByteOffset: 8, as: UInt32.self)
    entry.storeBytes(of: UInt32(bytes.count), toByteOffset: 12, as: UInt32.self)
    entry.storeBytes(of: UInt32(count), toByteOffset: 16, as: UInt32.self)
    if !key.isEmpty { (entry + Self.headerSize).copyMemory(from: key.baseAddress!, byteCount: key.count) }
    if !bytes.isEmpty {
      (entry + Self.headerSize + key.count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
    }
    (extras + count).initialize(to: extra)
    count += 1
    place(hash, offset: entry - arena)
    return hit(UnsafeRawPointer(entry))
  }

  func removeAll() {
    generation += 1
    extras.deinitialize(count: count)
    slots.update(repeating: 0, count: slotMask + 1)
    count = 0
    arenaCount = 0
  }

  @inline(__always)
  private func hit(_ entry: UnsafeRawPointer) -> Hit {
    let keyCount = Int(entry.load(fromByteOffset: 8, as: UInt32.self))
    let byteCount = Int(entry.load(fromByteOffset: 12, as: UInt32.self))
    return Hit(
      bytes: UnsafeRawBufferPointer(start: entry + Self.headerSize + keyCount, count: byteCount),
      entry: Int(entry.load(fromByteOffset: 16, as: UInt32.self)))
  }

  private func place(_ hash: UInt64, offset: Int) {
    ByteKeys.place(offset / 8 + 1, hash: hash, in: slots, mask: slotMask)
  }

  /// Doubles the slots and places every entry again, walking the arena.
  private func growSlots() {
    let size = (slotMask + 1) * 2
    slots.deallocate()
    (slots, slotMask) = (ByteKeys.emptySlots(size), size - 1)
    var offset = 0
    while offset < arenaCount {
      let entry = arena + offset
      place(entry.load(as: UInt64.self), offset: offset)
      let keyCount = Int(entry.load(fromByteOffset: 8, as: UInt32.self))
      let byteCount = Int(entry.load(fromByteOffset: 12, as: UInt32.self))
      offset += (Self.headerSize + keyCount + byteCount + 7) & ~7
    }
  }
}
