/// Caches keyed by a cell's exact bytes, for the per-row code of the aggregate and report stages.

extension BytesTable {
  /// The value kept for `key`, else `make(key)`, kept when `key` is at most `longestKey` bytes (a longer cell is
  /// made again each time rather than copied into the table).
  @inline(__always)
  func value(
    _ key: UnsafeRawBufferPointer, longestKey: Int = 256, orMake make: (UnsafeRawBufferPointer) throws -> Value
  ) rethrows -> Value {
    if let known = value(key) { return known }
    let made = try make(key)
    keep(made, for: key, longestKey: longestKey)
    return made
  }

  /// As `value(_:longestKey:orMake:)`, with the spelling the value was kept under (`CellSpelling.none` when it was not
  /// kept: a longer cell).
  @inline(__always)
  func spelledValue(
    _ key: UnsafeRawBufferPointer, longestKey: Int = 256, orMake make: (UnsafeRawBufferPointer) throws -> Value
  ) rethrows -> (value: Value, spelling: CellSpelling) {
    if let entry = entry(key) { return (value(at: entry), CellSpelling(generation: generation, entry: entry)) }
    let made = try make(key)
    return (made, keep(made, for: key, longestKey: longestKey))
  }

  /// The spelling `key` is kept under, and the value only when this call made it: a row that meets a spelling
  /// again takes no copy of its value (for a String or an array, a retain and a release). `made` is also given for
  /// a key longer than `longestKey`, which is not kept (`CellSpelling.none`).
  @inline(__always)
  func spelling(
    _ key: UnsafeRawBufferPointer, longestKey: Int = 256, orMake make: (UnsafeRawBufferPointer) throws -> Value
  ) rethrows -> (spelling: CellSpelling, made: Value?) {
    if let entry = entry(key) { return (CellSpelling(generation: generation, entry: entry), nil) }
    let made = try make(key)
    return (keep(made, for: key, longestKey: longestKey), made)
  }

  /// The spelling `key` is kept under, making and keeping its value when it is new: `spelling(_:longestKey:orMake:)`
  /// for a caller that needs no value, without the optional value it hands over (released on every row, even when
  /// nil). Looked up through `recentEntry`: the report stages' columns of few spellings (sectors, dates).
  @inline(__always)
  func spelling(
    of key: UnsafeRawBufferPointer, longestKey: Int = 256, orMake make: (UnsafeRawBufferPointer) throws -> Value
  ) rethrows -> CellSpelling {
    if let entry = recentEntry(key) { return CellSpelling(generation: generation, entry: entry) }
    return keep(try make(key), for: key, longestKey: longestKey)
  }

  /// Keeps `made`, the value just made for `key` (which the table does not hold), when `key` is at most
  /// `longestKey` bytes: the spelling it is kept under, else `CellSpelling.none`.
  @inline(__always)
  @discardableResult
  private func keep(_ made: Value, for key: UnsafeRawBufferPointer, longestKey: Int) -> CellSpelling {
    guard key.count <= longestKey else { return .none }
    insert(key, made)
    return CellSpelling(generation: generation, entry: count - 1)
  }
}

/// Which exact spelling of a cell a `BytesTable` holds: two cells with the same `CellSpelling` have the same bytes, so
/// what was worked out from one holds for the other. `none` for a cell the table did not keep.
struct CellSpelling: Hashable, Sendable {
  var generation: Int
  var entry: Int

  static let none = CellSpelling(generation: 0, entry: -1)
}

/// What `CellSpelling`s of one column stand for, say the group a district code belongs to, or the text a spelling
/// was first given with: kept for one generation of the reader's table at a time (a table that starts again
/// numbers its entries anew).
struct SpellingMemo<Value: Sendable>: Sendable {
  private var generation = 0
  private var answers: [Value?] = []

  /// What `keep` noted for `spelling`, if anything.
  @inline(__always)
  func answer(_ spelling: CellSpelling) -> Value? {
    guard spelling.generation == generation, spelling.entry >= 0, spelling.entry < answers.count else { return nil }
    return answers[spelling.entry]
  }

  /// Notes `answer` for `spelling` (not for `CellSpelling.none`); a spelling of a newer generation forgets the older
  /// ones.
  mutating func keep(_ answer: Value, for spelling: CellSpelling) {
    guard spelling.entry >= 0 else { return }
    if spelling.generation != generation {
      generation = spelling.generation
      answers.removeAll(keepingCapacity: true)
    }
    if answers.count <= spelling.entry {
      answers.append(contentsOf: repeatElement(nil, count: spelling.entry + 1 - answers.count))
    }
    answers[spelling.entry] = answer
  }
}

/// Values made from byte strings, looked up by the bytes themselves: `BytesTable` as a value type, for state that
/// is itself a value (`AggregatesBuilder` is a Sendable struct: a shared table would mix two copies' group
/// numbers).
///
/// It is bounded whatever the input: at most `limit` entries, keys of at most `longestKey` bytes, and a lookup
/// probes at most `probeLimit` slots. What does not fit (a new key once full, a long key, a key whose probe
/// sequence is crowded) is simply made again each time, so the cache changes how fast a value comes, never which
/// value. The hash is seeded per process (`ByteKeys.seed`), so no file can be built to crowd it.
struct ByteKeyedCache<Value> {
  let limit: Int
  let longestKey: Int
  /// `ByteKeys.seed`, read once (see `ByteKeys.hash(_:seed:)`).
  private let seed = ByteKeys.seed
  static var probeLimit: Int { 16 }

  /// Open addressing: entry index, or -1 for an empty slot; the count is a power of two.
  private var slots: [Int32] = Array(repeating: -1, count: 64)
  /// Per entry: its hash and where its key is in `keyBytes`; `values` holds the values by the same index.
  private var entries: [Entry] = []
  private var keyBytes: [UInt8] = []
  private var values: [Value] = []

  private struct Entry {
    var hash: UInt64
    var start: Int32
    var count: Int32
  }

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
    let hash = ByteKeys.hash(key, seed: seed)
    let found = find(key, hash)
    if found.entry >= 0 { return values[found.entry] }
    let value = try make(key)
    guard found.slot >= 0, values.count < limit else { return value }
    slots[found.slot] = Int32(values.count)
    entries.append(Entry(hash: hash, start: Int32(keyBytes.count), count: Int32(key.count)))
    keyBytes.append(bytes: key)
    values.append(value)
    if values.count * 2 > slots.count { grow() }
    return value
  }

  /// The value kept for `key`, or nil (nothing is made).
  @inline(__always)
  func value(for key: UnsafeRawBufferPointer) -> Value? {
    guard key.count <= longestKey else { return nil }
    let found = find(key, ByteKeys.hash(key, seed: seed))
    return found.entry >= 0 ? values[found.entry] : nil
  }

  /// Keeps `value` for `key` when it has none yet and there is room.
  mutating func keep(_ value: Value, for key: UnsafeRawBufferPointer) {
    _ = self.value(for: key, orMake: { _ in value })
  }

  /// The value kept for the UTF-8 bytes of `text`, or nil.
  @inline(__always)
  func value(forUTF8 text: String) -> Value? {
    text.utf8.withContiguousStorageIfAvailable { value(for: UnsafeRawBufferPointer($0)) } ?? nil
  }

  /// Keeps `value` for the UTF-8 bytes of `text`, as `keep(_:for:)`.
  mutating func keep(_ value: Value, forUTF8 text: String) {
    _ = text.utf8.withContiguousStorageIfAvailable { keep(value, for: UnsafeRawBufferPointer($0)) }
  }

  /// The entry holding `key`, else -1 and the empty slot where it would go (-1 when its probes ran out).
  @inline(__always)
  private func find(_ key: UnsafeRawBufferPointer, _ hash: UInt64) -> (entry: Int, slot: Int) {
    slots.withUnsafeBufferPointer { slots in
      entries.withUnsafeBufferPointer { entries in
        keyBytes.withUnsafeBytes { keyBytes in
          let mask = slots.count - 1
          var slot = Int(truncatingIfNeeded: hash) & mask
          for _ in 0..<Self.probeLimit {
            let index = Int(slots[slot])
            if index < 0 { return (-1, slot) }
            let entry = entries[index]
            if entry.hash == hash && Int(entry.count) == key.count
              && ByteKeys.equal(keyBytes.baseAddress.map { $0 + Int(entry.start) }, key.baseAddress, key.count)
            {
              return (index, -1)
            }
            slot = (slot + 1) & mask
          }
          return (-1, -1)
        }
      }
    }
  }

  /// Doubles the slots and places every entry again.
  private mutating func grow() {
    let size = slots.count * 2
    slots = Array(repeating: -1, count: size)
    for (index, entry) in entries.enumerated() {
      var slot = Int(truncatingIfNeeded: entry.hash) & (size - 1)
      while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
      slots[slot] = Int32(index)
    }
  }
}

extension ByteKeyedCache: Sendable where Value: Sendable {}
