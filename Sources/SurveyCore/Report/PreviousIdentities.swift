/// The previous run's establishments by identity, for the comparison of the report: read on the report's thread, or
/// on a second thread while the report reads this run's rows and compares them as they come.
import Foundation

/// Where the identities read from an `establishments.csv` go (`RunComparison.readIdentities`), which tells the two
/// kinds apart.
protocol IdentitySink: AnyObject {
  /// A tax code, packed (`TaxKey.pack`).
  func insert(taxKey: UInt64)
  /// Any other identity: a tax code that does not pack, or a folded name and district.
  func insert(text identity: String)
}

/// The identities of the previous run's establishments (`CountedEstablishment.identity`), each with whether this
/// run has it. A tax code of digits and dashes (almost every one: a million at national scale) is kept packed, 8
/// bytes and no String each; any other identity by its text, with how many establishments of the previous run had
/// it and this one has not matched yet (two households of one name in one district are two).
///
/// The identities are kept first in the order they came (the previous run's file order), the tax codes and the
/// others apart. A night's run nearly always reads the same files as the night before, in the same order, so each
/// of this run's identities is first compared with the next one of its kind: the same, and it is seen, with no
/// lookup. Only at the first that is not is the kind's table made (tax codes in a `WordTable`, 16 bytes each; the
/// others in a dictionary of counts), with those met in order marked seen, and every later identity of that kind
/// looked up there. Looking a million codes up in that table, and putting them in, waited on memory for a quarter
/// of the report stage with `--previous-run`.
///
/// Made with `init(reading:leavingOut:)`, the identities are read on a second thread (`IdentityFeed`) and come in
/// as this run's rows are compared: in order, a row waits only for the previous run's row of its place, and the
/// previous run's file is read beside this run's instead of before it. The answers are those of a table read whole
/// first, whenever the identities arrive: a table, or a count, first takes in every identity still to come.
final class PreviousIdentities: IdentitySink {
  /// The tax codes as they were put in, until their table is made.
  private var inOrder: [UInt64] = []
  /// How many of `inOrder` this run has met, one after another, from the first.
  private var metInOrder = 0
  /// Every tax code, with 1 once seen: made when a code comes out of order (or `all` is asked for).
  private var byTax: WordTable?
  private let capacity: Int
  /// The tax codes in `byTax` not seen yet.
  private var taxesUnseen = 0
  /// The other identities as they were put in, until their table is made.
  private var textsInOrder: [String] = []
  /// How many of `textsInOrder` this run has met, one after another, from the first.
  private var textsMetInOrder = 0
  /// Every other identity with its counts: made when one comes out of order (or `all` is asked for).
  private var byText: [String: (had: Int, unseen: Int)]?
  /// The identities in `byText` not seen yet, counted by establishment.
  private var textsUnseen = 0
  /// The thread still reading identities in, until it has ended.
  private var feed: IdentityFeed?
  /// Why that thread stopped short of the end; its identities are then not the previous run's.
  private var readFailure: (any Error)?

  /// - Parameter expected: how many identities are likely (the previous run's establishments), so that the tax
  ///   codes' table is made at its size once; at most two million are trusted, as by normalise's dedup index.
  init(expected: Int = 0) {
    capacity = max(1 << 12, min(max(expected, 0), 1 << 21) / 3 * 4)
    inOrder.reserveCapacity(min(max(expected, 0), 1 << 21))
  }

  /// Starts reading the identities of `url` (`RunComparison.readIdentities`) on a second thread, to come in as
  /// they are asked for; `finishReading()` says whether they all came.
  convenience init(reading url: URL, leavingOut waiting: Set<String>) {
    self.init(expected: StagedRowsReader(companionOf: url)?.records ?? 0)
    feed = IdentityFeed(reading: url, leavingOut: waiting)
  }

  /// Waits for every identity still being read; returns why the reading stopped short, or nil when all came.
  @discardableResult
  func finishReading() -> (any Error)? {
    while feed != nil { receive() }
    return readFailure
  }

  /// Takes in the identities the reading thread has handed over since the last call, waiting for some (or its end).
  private func receive() {
    guard let feed else { return }
    let (chunks, end) = feed.take()
    for chunk in chunks {
      inOrder.append(contentsOf: chunk.taxKeys)
      textsInOrder.append(contentsOf: chunk.texts)
    }
    guard let end else { return }
    self.feed = nil
    if case .failure(let error) = end { readFailure = error }
  }

  /// How many identities have not been seen in this run.
  var unseen: Int {
    finishReading()
    let texts = byText == nil ? textsInOrder.count - textsMetInOrder : textsUnseen
    if byTax == nil && metInOrder == inOrder.count { return texts }  // every tax code met in order
    return taxTable().unseen + texts
  }

  /// The table of tax codes, made from `inOrder` on first need, and how many of them are not seen yet.
  private func taxTable() -> (table: WordTable, unseen: Int) {
    if let byTax { return (byTax, taxesUnseen) }
    finishReading()
    let table = WordTable(capacity: capacity)
    var unseen = 0
    // The slots of 64 codes are loaded together, in one tight loop, before they are put in.
    var start = 0
    while start < inOrder.count {
      let end = min(start + 64, inOrder.count)
      for index in start..<end { table.prefetch(inOrder[index]) }
      for index in start..<end where table[inOrder[index]] == nil {
        // Those before `metInOrder` were met in order; a code given twice is met at its first place.
        let seen = index < metInOrder
        table.set(inOrder[index], seen ? 1 : 0)
        if !seen { unseen += 1 }
      }
      start = end
    }
    (byTax, taxesUnseen, inOrder) = (table, unseen, [])
    return (table, unseen)
  }

  /// The other identities' counts, made from `textsInOrder` on first need (those before `textsMetInOrder` seen).
  private func makeTextTable() {
    guard byText == nil else { return }
    finishReading()
    var table: [String: (had: Int, unseen: Int)] = [:]
    for (index, identity) in textsInOrder.enumerated() {
      table[identity, default: (0, 0)].had += 1
      if index >= textsMetInOrder { table[identity]!.unseen += 1 }
    }
    (byText, textsUnseen, textsInOrder) = (table, textsInOrder.count - textsMetInOrder, [])
  }

  /// Loads the slot of this tax code, ahead of `see` asking for it, once there is a table.
  func prefetch(taxKey: UInt64) { byTax?.prefetch(taxKey) }

  /// True once there is a table for `prefetch` to load from; until then this run's tax codes are met in order,
  /// with nothing to load.
  var loadsAhead: Bool { byTax != nil }

  /// Adds the identity of a plain tax code (`TaxKey.pack`), not seen yet; again, no change.
  func insert(taxKey: UInt64) {
    guard let byTax else { return inOrder.append(taxKey) }
    guard byTax[taxKey] == nil else { return }
    byTax.set(taxKey, 0)
    taxesUnseen += 1
  }

  /// Adds any other identity (one that does not pack), not seen yet; again, one more establishment with it.
  func insert(text identity: String) {
    guard byText != nil else { return textsInOrder.append(identity) }
    byText![identity, default: (0, 0)].had += 1
    byText![identity]!.unseen += 1
    textsUnseen += 1
  }

  /// Adds the identities of `other`, read apart and none seen yet: a tax code once, and each other identity as
  /// many times as either had it (two households of one name, one in each run's files, are two).
  func formUnion(_ other: PreviousIdentities) {
    other.finishReading()
    if let table = other.byTax {
      table.forEachEntry { key, _ in insert(taxKey: key) }
    } else {
      for key in other.inOrder { insert(taxKey: key) }
    }
    if let counts = other.byText {
      for (identity, count) in counts { for _ in 0..<count.had { insert(text: identity) } }
    } else {
      for identity in other.textsInOrder { insert(text: identity) }
    }
  }

  /// Marks the establishment's identity seen; false when the previous run did not have it, or had fewer of it than
  /// this run has met so far.
  func see(_ establishment: some EstablishmentRow) -> Bool {
    if let key = establishment.taxKey {  // an identity that packs is a tax code
      if byTax == nil {
        while metInOrder == inOrder.count && feed != nil { receive() }
        if metInOrder < inOrder.count && inOrder[metInOrder] == key {
          metInOrder += 1
          return true
        }
      }
      let table = taxTable().table
      guard let seen = table[key] else { return false }
      if seen == 0 {
        table.set(key, 1)
        taxesUnseen -= 1
      }
      return true
    }
    // One more establishment of a name than the previous run had is one added.
    let identity = establishment.identity
    if byText == nil {
      while textsMetInOrder == textsInOrder.count && feed != nil { receive() }
      if textsMetInOrder < textsInOrder.count && textsInOrder[textsMetInOrder] == identity {
        textsMetInOrder += 1
        return true
      }
      makeTextTable()
    }
    guard let counts = byText![identity], counts.unseen > 0 else { return false }
    byText![identity]!.unseen -= 1
    textsUnseen -= 1
    return true
  }

  /// Every identity with how many establishments of the previous run had it and how many are not seen yet, as
  /// text (for tests).
  var all: [String: (had: Int, unseen: Int)] {
    makeTextTable()
    var all = byText!
    taxTable().table.forEachEntry { key, seen in all[TaxKey.unpack(key)] = (1, seen != 0 ? 0 : 1) }
    return all
  }
}

/// The previous run's identities handed from the thread that reads them to the report's thread, a chunk at a time
/// and in order; then the end, and why the reading stopped short if it did. Nothing is held back: the reading
/// thread never waits, and what it has read is at most the previous identities the report would hold anyway.
final class IdentityFeed: @unchecked Sendable {
  /// Identities in the order they were read, the tax codes and the others apart.
  struct Chunk {
    var taxKeys: [UInt64] = []
    var texts: [String] = []
  }

  /// How many identities a chunk carries: a hand-over costs a lock, and the report waits for a whole chunk.
  static let chunkSize = 1 << 13

  private let condition = NSCondition()
  // Under `condition`.
  private var ready: [Chunk] = []
  private var end: Result<Void, any Error>?

  /// Starts a thread reading the identities of `url` (`RunComparison.readIdentities`), handing them over here.
  init(reading url: URL, leavingOut waiting: Set<String>) {
    let thread = Thread { [self] in
      let writer = Writer(feed: self)
      let outcome = Result { try RunComparison.readIdentities(in: url, leavingOut: waiting, into: writer) }
      writer.flush()
      condition.lock()
      end = outcome
      condition.broadcast()
      condition.unlock()
    }
    thread.name = "previous identities"
    thread.start()
  }

  /// For the report's thread: the chunks handed over since the last call, waiting until there is one or the end;
  /// and the end, once every chunk has been taken.
  func take() -> (chunks: [Chunk], end: Result<Void, any Error>?) {
    condition.lock()
    defer { condition.unlock() }
    while ready.isEmpty && end == nil { condition.wait() }
    let chunks = ready
    ready = []
    return (chunks, end)
  }

  private func send(_ chunk: Chunk) {
    condition.lock()
    ready.append(chunk)
    condition.broadcast()
    condition.unlock()
  }

  /// The reading thread's side: fills a chunk and hands it over when it is full.
  private final class Writer: IdentitySink {
    let feed: IdentityFeed
    private var chunk = Writer.empty()

    init(feed: IdentityFeed) { self.feed = feed }

    private static func empty() -> Chunk {
      var chunk = Chunk()
      chunk.taxKeys.reserveCapacity(IdentityFeed.chunkSize)
      return chunk
    }

    func insert(taxKey: UInt64) {
      chunk.taxKeys.append(taxKey)
      if identities >= IdentityFeed.chunkSize { flush() }
    }

    func insert(text identity: String) {
      chunk.texts.append(identity)
      if identities >= IdentityFeed.chunkSize { flush() }
    }

    private var identities: Int { chunk.taxKeys.count + chunk.texts.count }

    func flush() {
      guard identities > 0 else { return }
      feed.send(chunk)
      chunk = Writer.empty()
    }
  }
}
