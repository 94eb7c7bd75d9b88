/// Growable arrays of plain values for the per-field hot paths, where `Array`'s checks on each small append
/// show: `ByteBuffer` (the bytes of cells and lines) and the ends of fields and cells in ingest.

/// Values in memory its owner frees with `deallocate()`; a value copy shares the same memory, so keep one.
struct PlainBuffer<Element: BitwiseCopyable> {
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  func deallocate() { base.deallocate() }

  var indices: Range<Int> { 0..<count }

  /// The values held, valid until the buffer next changes.
  var values: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

  subscript(index: Int) -> Element {
    get {
      precondition(index >= 0 && index < count, "index out of range")
      return base[index]
    }
    set {
      precondition(index >= 0 && index < count, "index out of range")
      base[index] = newValue
    }
  }

  @inline(__always)
  mutating func append(_ value: Element) {
    if count == capacity { grow(to: count + 1) }
    (base + count).initialize(to: value)
    count += 1
  }

  /// Makes room for `length` values in all.
  @inline(__always)
  mutating func reserve(_ length: Int) {
    if length > capacity { grow(to: length) }
  }

  /// Declares the first `length` values (within the room reserved, filled by the caller) held.
  @inline(__always)
  mutating func setCount(_ length: Int) {
    assert(length >= 0 && length <= capacity)
    count = length
  }

  mutating func removeAll() { count = 0 }

  /// Drops the first `n` values, moving the rest to the front.
  mutating func removeFirst(_ n: Int) {
    precondition(n >= 0 && n <= count, "cannot remove more than the buffer holds")
    if n < count { base.update(from: base + n, count: count - n) }
    count -= n
  }

  /// Drops the last `n` values.
  mutating func removeLast(_ n: Int) {
    precondition(n >= 0 && n <= count, "cannot remove more than the buffer holds")
    count -= n
  }

  private mutating func grow(to needed: Int) {
    let newCapacity = max(needed, capacity * 2)
    let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
    newBase.initialize(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity = newCapacity
  }
}
