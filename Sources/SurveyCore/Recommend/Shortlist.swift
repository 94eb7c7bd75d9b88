/// The first few establishments in approach-first order, kept while streaming: a bounded heap, not a full sort.

/// Keeps the `size` establishments that come first in `Recommender.approachFirst` order among those offered.
///
/// The order needs the folded name only between establishments alike in support and workforce, and folding is
/// the expensive part, so a candidate's name is folded only when it ties with the last one kept (once per row,
/// through the caller's `fold`) or when it is kept. Establishments that are equal in that order (the same file
/// and line) keep the order they were offered in, as a stable sort would.
struct Shortlist: Sendable {
  struct Entry: Sendable {
    var establishment: CountedEstablishment
    var folded: String
    var sequence: Int
  }

  let size: Int
  /// A heap whose root is the entry that comes last in approach-first order.
  private var heap: [Entry] = []
  /// The root's support and workforce, once the heap is full: most offers lose to the root on these alone, and
  /// reading them here rather than from the heap's own memory (one allocation for each of a few hundred actions,
  /// met in no order) kept the processor waiting on memory for each offer.
  private var root = (notKnownToBeSupported: false, employees: 0)

  init(size: Int) { self.size = max(0, size) }

  /// The folded name of a row, computed on first need and shared by every shortlist the row is offered to.
  static func folded(_ establishment: some EstablishmentRow, _ cache: inout String?) -> String {
    if let cache { return cache }
    let key = TextFolding.key(establishment.name)
    cache = key
    return key
  }

  /// Offers an establishment, `sequence` being its place in the input (later offers have larger numbers). Of a
  /// row that makes its texts when asked (`EstablishmentsReader.Row`), the name is made only when the order needs
  /// it, and the whole establishment only when it is kept.
  mutating func offer(_ establishment: some EstablishmentRow, sequence: Int, fold: inout String?) {
    guard size > 0 else { return }
    func entry() -> Entry {
      Entry(establishment: establishment.whole, folded: Self.folded(establishment, &fold), sequence: sequence)
    }
    if heap.count < size {
      heap.append(entry())
      siftUp(heap.count - 1)
      if heap.count == size { noteRoot() }
      return
    }
    // The candidate and the root are compared where they are: copies of them, for the two fields nearly every
    // offer reads, retained and released their Strings and needs, more than once a row.
    let supported = establishment.notKnownToBeSupported
    if supported != root.notKnownToBeSupported {
      guard supported else { return }
    } else if establishment.employees != root.employees {
      guard establishment.employees > root.employees else { return }
    } else {
      let key = Self.folded(establishment, &fold)
      if key != heap[0].folded {
        guard key.utf8.lexicographicallyPrecedes(heap[0].folded.utf8) else { return }
      } else {
        // The same file and line as well: the one offered first stays.
        guard establishment.precedes(heap[0].establishment) else { return }
      }
    }
    heap[0] = entry()
    siftDown(0)
    noteRoot()
  }

  private mutating func noteRoot() {
    root = (heap[0].establishment.notKnownToBeSupported, heap[0].establishment.employees)
  }

  /// The kept establishments, first to approach first.
  func sorted() -> [CountedEstablishment] {
    heap.sorted(by: Self.before).map(\.establishment)
  }

  /// Approach-first order (`Recommender.approachFirst`) with the fold cached, then input order.
  static func before(_ x: Entry, _ y: Entry) -> Bool {
    let a = x.establishment
    let b = y.establishment
    if a.notKnownToBeSupported != b.notKnownToBeSupported { return a.notKnownToBeSupported }
    if a.employees != b.employees { return a.employees > b.employees }
    if x.folded != y.folded { return x.folded.utf8.lexicographicallyPrecedes(y.folded.utf8) }
    if CountedEstablishment.canonicalOrder(a, b) { return true }
    if CountedEstablishment.canonicalOrder(b, a) { return false }
    return x.sequence < y.sequence
  }

  private mutating func siftUp(_ start: Int) {
    var child = start
    while child > 0 {
      let parent = (child - 1) / 2
      guard Self.before(heap[parent], heap[child]) else { return }
      heap.swapAt(parent, child)
      child = parent
    }
  }

  private mutating func siftDown(_ start: Int) {
    var parent = start
    while true {
      let left = 2 * parent + 1
      guard left < heap.count else { return }
      var later = left
      let right = left + 1
      if right < heap.count && Self.before(heap[left], heap[right]) { later = right }
      guard Self.before(heap[parent], heap[later]) else { return }
      heap.swapAt(parent, later)
      parent = later
    }
  }
}
