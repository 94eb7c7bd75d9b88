/// A growable array of plain values for the per-field hot paths, where `Array`'s uniqueness check on each append
/// shows: ingest's parser notes where each of millions of fields ends.

/// Values in memory its owner frees with `deallocate()`; a value copy shares the same memory, so keep one (as
/// `ByteBuffer`).
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

  mutating func removeAll() { count = 0 }

  /// Drops the first `n` values, moving the rest to the front.
  mutating func removeFirst(_ n: Int) {
    precondition(n >= 0 && n <= count, "cannot remove more than the buffer holds")
    base.update(from: base + n, count: count - n)
    count -= n
  }

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
