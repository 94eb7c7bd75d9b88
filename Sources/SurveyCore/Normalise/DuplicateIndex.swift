// Deduplication while rows stream past, with the rule of `Deduplicator`
// (which stays the reference: NormaliseStreamingTests compares the two).
//
// Rows are added in output order (source file, then line), each named by its
// offset in the stage's scratch file, which grows in that order. The index
// keeps, per tax code, the row that stands so far (offset and date packed in
// one word: 16 bytes a tax code with its key), and per identity of a row
// without a tax code the first such row (a hash of the identity → offset;
// the identity itself is read back from the scratch file to tell a hash
// collision from a match). The rows the
// analysts' `duplicate` corrections name are held aside until every row is
// known, then settled exactly as `Deduplicator.links` settles them. A row with
// a tax code has no identity until then: its scratch record holds only its
// district and commune, and only when some row without a tax code has that
// place is its name folded, once every row is known, to find the row with a
// tax code a row without one may be.

import Foundation

/// Tax codes (digits and dashes, at most 16 of them) as one integer, a hex digit each.
enum TaxKey {
  static func pack(_ code: String) -> UInt64? { pack(bytes: code.utf8) }

  /// `pack` of the text whose UTF-8 bytes these are.
  @inline(__always)
  static func pack<Bytes: Sequence<UInt8>>(bytes: Bytes) -> UInt64? {
    var key: UInt64 = 0
    var count = 0
    for byte in bytes {
      let digit: UInt64
      switch byte {
      case 0x30...0x39: digit = UInt64(byte - 0x30) + 1
      case 0x2D: digit = 11
      default: return nil
      }
      count += 1
      if count > 16 { return nil }
      key = key << 4 | digit
    }
    return count == 0 ? nil : key
  }

  /// `pack(bytes:)` of a plain tax code (`TaxCode.isPlain`: ten digits, or ten digits, a hyphen and three), nil for
  /// any other bytes and for a placeholder (ten times one digit): the ten digits checked and packed as two overlapping words, not a byte at
  /// a time. Normalise asks it of every row's tax code; the byte loops of the check and of `pack` were a tenth
  /// of the row's own code.
  @inline(__always)
  static func packPlain(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
    let count = bytes.count
    guard count == 10 || count == 14 else { return nil }
    let first = bytes.loadUnaligned(as: UInt64.self)  // digits 0-7
    let second = bytes.loadUnaligned(fromByteOffset: 2, as: UInt64.self)  // digits 2-9
    guard WordBytes.allDigits(first) && WordBytes.allDigits(second) else { return nil }
    // Ten times one digit is a placeholder (`TaxCode.Reading.placeholder`), for the general path to say so: the two
    // words are equal only when every digit equals the one two places on, and the first two are equal too.
    if first == second && first & 0xFF == first >> 8 & 0xFF { return nil }
    var key = nibbles(first) << 8 | nibbles(second) & 0xFF
    if count == 14 {
      guard bytes[10] == 0x2D else { return nil }
      key = key << 4 | 11
      for index in 11..<14 {
        let digit = bytes[index] &- 0x30
        guard digit < 10 else { return nil }
        key = key << 4 | UInt64(digit &+ 1)
      }
    }
    return key
  }

  /// The eight ASCII digits of `word`, the first in its lowest byte, as `pack` packs them: each digit plus one in
  /// four bits, the first highest.
  @inline(__always)
  private static func nibbles(_ word: UInt64) -> UInt64 {
    // Each byte the digit plus one (1 to 10), the first digit's byte highest.
    var x = ((word & 0x0F0F_0F0F_0F0F_0F0F) &+ WordBytes.ones).byteSwapped
    // Neighbouring bytes, then byte pairs, then halves, joined: each step halves the room each digit takes.
    x = (x | x >> 4) & 0x00FF_00FF_00FF_00FF
    x = (x | x >> 8) & 0x0000_FFFF_0000_FFFF
    return (x | x >> 16) & 0xFFFF_FFFF
  }

  static func unpack(_ key: UInt64) -> String {
    var bytes: [UInt8] = []
    var rest = key
    while rest != 0 {
      let digit = UInt8(rest & 0xF)
      bytes.append(digit == 11 ? 0x2D : 0x30 + digit - 1)
      rest >>= 4
    }
    return String(decoding: bytes.reversed(), as: UTF8.self)
  }
}

extension SurveyDate {
  /// `yyyymmdd`, ordered as the dates are; 0 stands for no date.
  var packed: UInt32 { UInt32(year * 10_000 + month * 100 + day) }

  /// The date `packed` gives back; nil for 0 (no date).
  init?(packed: UInt32) {
    self.init(year: Int(packed / 10_000), month: Int(packed / 100 % 100), day: Int(packed % 100))
  }
}

/// Duplicate links of rows added in output order.
final class DuplicateIndex {
  /// What becomes of one row.
  enum Link {
    case none
    /// Superseded by the row at `kept`: by the `duplicate` correction at `correction`, else by its tax code.
    case duplicate(kept: UInt64, correction: InputLocation?)
    /// Counted, and listed beside the first row of its identity.
    case possibleDuplicate(first: UInt64)
    /// Counted, and listed beside the row that stands for the tax code `tax` of `matched`, the first row with a tax
    /// code and its identity.
    case possibleDuplicateOfTaxCode(kept: UInt64, tax: UInt64, matched: UInt64)
    /// Counted, and not listed as a possible duplicate: a `duplicate` correction says it is `distinct`.
    case distinctByCorrection
  }

  /// The row that stands for a tax code so far: its scratch offset (39 bits) and packed date (25 bits).
  private struct TaxKeep {
    var bits: UInt64
    init(offset: UInt64, date: UInt32) { bits = offset << 25 | UInt64(date) }
    init(bits: UInt64) { self.bits = bits }
    var offset: UInt64 { bits >> 25 }
    var date: UInt32 { UInt32(truncatingIfNeeded: bits & 0x1FF_FFFF) }
    /// 512 GB of scratch records: some two billion rows.
    static let offsetLimit: UInt64 = 1 << 39
  }

  /// A row whose `file:line` a `duplicate` correction names.
  private struct Named {
    var offset: UInt64
    var tax: UInt64
    var identity: String?
  }

  private let scratch: RowScratch
  private let files: SourceFiles
  private let hash: (String) -> Int
  private let byTax: WordTable
  /// Offsets of the rows with a tax code that another row of it supersedes (every such row but the one that
  /// stands): `link` asks this small table, not the large `byTax`, whether a row stands.
  private let superseded = WordTable()
  /// Identity hash (its bit pattern) → offset of the first row with it.
  private let byIdentity = WordTable()
  /// Identities whose hash an earlier, different identity holds in `byIdentity`.
  @exclusivity(unchecked) private var collided: [String: UInt64] = [:]
  /// `file:line` labels the corrections name (written and means), and the last row with each.
  private let labels: Set<String>
  @exclusivity(unchecked) private var named: [Named] = []
  @exclusivity(unchecked) private var byLabel: [String: Int] = [:]
  /// `Corrections.fileKey` of each file name, by file number, made as the files come.
  @exclusivity(unchecked) private var fileKeys: [String] = []
  @exclusivity(unchecked) private var correctionLinks: [UInt64: (kept: UInt64, location: InputLocation)] = [:]
  @exclusivity(unchecked) private var distinct: Set<UInt64> = []
  /// The `distinct` rows that share their identity with another row.
  @exclusivity(unchecked) private var distinctApplied: Set<UInt64> = []
  @exclusivity(unchecked) private var lastRead: (offset: UInt64, identity: String)?
  /// The place (source file and line) of the last row added, and the offset of the first row there.
  @exclusivity(unchecked) private var lastPlace: (file: UInt32, line: Int)?
  @exclusivity(unchecked) private var placeStart: UInt64 = 0
  /// Rows whose identity's hash another row also had, each side (some twice): with the rows a tax code or a
  /// decision links, the only rows `link` can find anything for. (The rows the corrections name that no decision
  /// links are inserted by `settle`, so they are here when they share a hash.)
  @exclusivity(unchecked) private var sharedIdentities: [UInt64] = []
  /// The places (district and commune, as identities end) of the rows without a tax code: only rows with one at
  /// these places may share an identity with them.
  @exclusivity(unchecked) private var uncodedPlaces: Set<String> = []
  /// `WordFolding.identityHash` of each identity of rows without a tax code: a row with a tax code whose record
  /// holds its identity's hash is compared only when its hash is here. The value is the identity's index in
  /// `hashedIdentities` times 8, plus `HashState`s. A WordTable, not a Dictionary: it is looked up for nearly
  /// every row of a survey with rows without a tax code, where SipHash cost a tenth of a second at a million.
  @exclusivity(unchecked) private var uncodedHashes = WordTable()
  @exclusivity(unchecked) private var hashedIdentities: [String] = []
  private enum HashState {
    /// Its one identity has not yet met a row with a tax code.
    static let open: UInt64 = 0
    /// Two identities have the hash (a 64-bit hash's collision: in practice never); every row with it is compared.
    static let ambiguous: UInt64 = 1
    /// Its one identity has met its first row with a tax code: the later rows of that hash change nothing (a row
    /// of another identity with it is none of theirs), so a name and place shared by many rows is folded once.
    static let settled: UInt64 = 2
    /// A row of its one identity is in `byIdentity` (with `settled` or `open`, in the low two bits).
    static let indexed: UInt64 = 4
  }
  /// For each identity of rows without a tax code that a row with one has too, the first such row in output
  /// order (its offset and tax code); made by `settle`.
  @exclusivity(unchecked) private var coded: [String: (offset: UInt64, tax: UInt64)] = [:]
  /// Folds the names of rows with a tax code, as the stage folds those of rows without one.
  private let folding = WordFolding()

  /// - Parameters:
  ///   - hash: the identity hash; tests pass a poor one to force collisions.
  ///   - taxTable: the tax code index, made beforehand at its size by `taxTable(expectedRows:)`; when nil, one
  ///     that grows as rows come.
  init(
    scratch: RowScratch, files: SourceFiles, corrections: Corrections,
    hash: @escaping (String) -> Int = { $0.hashValue }, taxTable: WordTable? = nil
  ) {
    byTax = taxTable ?? Self.taxTable(expectedRows: 0)
    self.scratch = scratch
    self.files = files
    self.hash = hash
    var labels = Set<String>()
    for correction in corrections.all where correction.column == "duplicate" {
      labels.insert(Corrections.rowKey(correction.written.trimmingCharacters(in: .whitespaces)))
      labels.insert(Corrections.rowKey(correction.means))
    }
    self.labels = labels
  }

  /// An empty tax code index for `expectedRows` rows (ingest's count of rows passed on), made at its size once
  /// rather than grown and filled again; at most two million are trusted. At a million rows it is 32 MB, zeroed
  /// before use: 17 ms on one core, which normalise spends on a thread of its own (`NormaliseStage.TaxIndexAhead`).
  static func taxTable(expectedRows: Int) -> WordTable {
    WordTable(capacity: min(max(expectedRows, 0), 1 << 21) / 3 * 4)
  }

  /// Adds the next row in output order.
  /// - Parameters:
  ///   - tax: the packed tax code, 0 for none; `identity` is given only then.
  func add(offset: UInt64, file: UInt32, line: Int, tax: UInt64, date: UInt32, identity: String?) throws {
    if let lastPlace, !files.differ(file, line, lastPlace.file, lastPlace.line) {
      // Another row at the same file and line: rows there are added one after another.
    } else {
      placeStart = offset
    }
    lastPlace = (file, line)
    if tax != 0 {
      guard offset < TaxKeep.offsetLimit else {
        throw PipelineError(.badInput, "more countable rows than one run can deduplicate; split the input")
      }
      if let bits = byTax[tax] {
        let keep = TaxKeep(bits: bits)
        // The form's rule (`Deduplicator.supersedes`): the later date, a date over none, then the later row;
        // rows come in output order, so this one is later unless the kept one is at the same file and line.
        // A row superseded once never stands again: the one that stands only ever moves to a later row.
        if date > keep.date || (date == keep.date && keep.offset < placeStart) {
          byTax.set(tax, TaxKeep(offset: offset, date: date).bits)
          superseded.set(keep.offset, 1)
        } else {
          superseded.set(offset, 1)
        }
      } else {
        byTax.set(tax, TaxKeep(offset: offset, date: date).bits)
      }
    }
    if !labels.isEmpty {
      while fileKeys.count < files.names.count { fileKeys.append(Corrections.fileKey(files.names[fileKeys.count])) }
      let label = "\(fileKeys[Int(file)]):\(line)"
      if labels.contains(label) {
        byLabel[label] = named.count
        named.append(Named(offset: offset, tax: tax, identity: identity))
        return
      }
    }
    if tax == 0, let identity { try insert(identity, offset: offset) }
  }

  /// Applies the analysts' `duplicate` decisions once every row is added, as `Deduplicator.settle` does, and
  /// tells `corrections` which ones settled a row and why the others did not.
  func settle(_ corrections: Corrections) throws {
    func taxLinked(_ row: Named) -> Bool { row.tax != 0 && TaxKeep(bits: byTax[row.tax]!).offset != row.offset }
    var distinctRows: [(row: Named, correction: Correction)] = []
    for correction in corrections.all where correction.column == "duplicate" {
      guard let rowIndex = byLabel[Corrections.rowKey(correction.written.trimmingCharacters(in: .whitespaces))]
      else { continue }
      let row = named[rowIndex]
      let keptIndex = correction.means.lowercased() == "distinct" ? nil : byLabel[Corrections.rowKey(correction.means)]
      // A decision with a name holds only while the rows it names have that name.
      var moved: FoundRow?
      if correction.name != nil {
        for index in [rowIndex, keptIndex].compactMap({ $0 }) where moved == nil {
          let found = try scratch.withRecord(at: named[index].offset) {
            FoundRow(row: "\(files.names[Int($0.header.file)]):\($0.header.line)", name: $0.name)
          }
          if !Corrections.nameMatches(correction, found.name) { moved = found }
        }
      }
      if let moved {
        corrections.markUnused(correction, .nameDiffers, found: moved)
      } else if taxLinked(row) {
        corrections.markUnused(correction, .mergedByTaxCode)
      } else if correctionLinks[row.offset] != nil || distinct.contains(row.offset) {
        corrections.markUnused(correction, .settledEarlier)
      } else if correction.means.lowercased() == "distinct" {
        // A row with a tax code is never listed as a possible duplicate.
        if row.tax != 0 {
          corrections.markUnused(correction, .hasTaxCode)
        } else {
          distinct.insert(row.offset)
          distinctRows.append((row, correction))
        }
      } else if let keptIndex, keptIndex != rowIndex, !taxLinked(named[keptIndex]),
        !merges(named[keptIndex].offset, into: row.offset)
      {
        correctionLinks[row.offset] = (named[keptIndex].offset, correction.location)
        corrections.markUsed(correction)
      } else {
        corrections.markUnused(correction, .standingRowNotCounted)
      }
    }
    // A chain of merges (a into b, and b into c, in either order) ends at the row that stands.
    for (offset, link) in correctionLinks {
      var kept = link.kept
      while let next = correctionLinks[kept] { kept = next.kept }
      correctionLinks[offset] = (kept, link.location)
    }
    for row in named where row.tax == 0 && correctionLinks[row.offset] == nil && !distinct.contains(row.offset) {
      try insert(row.identity!, offset: row.offset)
    }
    // A `distinct` decision settles a row only when another row shares its identity (it would be listed).
    var distinctIdentities: [String: Int] = [:]
    for (row, _) in distinctRows { distinctIdentities[row.identity!, default: 0] += 1 }
    try matchCoded(distinctIdentities)
    for (row, correction) in distinctRows {
      let identity = row.identity!
      if try distinctIdentities[identity]! > 1 || hasRow(identity) || coded[identity] != nil {
        distinctApplied.insert(row.offset)
        corrections.markUsed(correction)
      } else {
        corrections.markUnused(correction, .notListed)
      }
    }
  }

  /// Finds, for each identity of the rows without a tax code (those a decision holds aside as `distinct` among them),
  /// the first row with a tax code that has it. Only when the survey has rows without a tax code, and folding only
  /// the names of rows at one of their places: one pass over the scratch records, which a survey where every row
  /// has a tax code never makes.
  private func matchCoded(_ distinctIdentities: [String: Int]) throws {
    for identity in distinctIdentities.keys {
      uncodedPlaces.insert(Self.place(of: identity))
      noteHash(of: identity, indexed: false)
    }
    guard !uncodedPlaces.isEmpty else { return }
    try scratch.forEachRecord { record in
      guard record.header.tax != 0, record.header.identityBytes > 0 else { return }
      var placeBytes = record.identityBytes
      var rowHash: UInt64?
      var rowState: UInt64 = 0
      if record.header.flags.contains(.identityHashed) {
        // Hashed in the row worker (nearly every row once the survey has rows without a tax code at its place):
        // a row whose hash no such row has is not one of them, and nothing of it is made; nor is it when the one
        // identity of its hash is settled (a row of another identity with that hash is none of theirs).
        let hashAt = placeBytes.count - 8
        let known = placeBytes.loadUnaligned(fromByteOffset: hashAt, as: UInt64.self)
        guard let state = uncodedHashes[known], state & 3 != HashState.settled else { return }
        placeBytes = UnsafeRawBufferPointer(rebasing: placeBytes[..<hashAt])
        rowHash = known
        rowState = state
      }
      let place = String(decoding: placeBytes, as: UTF8.self)
      guard uncodedPlaces.contains(place) else { return }
      let identity = folding.key(record.name) + "|" + place
      // The identity of its hash: known to be that of rows without a tax code, and, when one of them was indexed,
      // to be where `byIdentity` says (its first row's record need not be read back to tell).
      var indexed = false
      if let rowHash, rowState & 3 == HashState.open, hashedIdentities[Int(rowState >> 3)] == identity {
        uncodedHashes.set(rowHash, rowState | HashState.settled)
        indexed = rowState & HashState.indexed != 0
      }
      guard coded[identity] == nil else { return }
      let key = UInt64(bitPattern: Int64(hash(identity)))
      if let first = byIdentity[key],
        try indexed || self.identity(at: first) == identity || collided[identity] != nil
      {
        // Listed from now on even when it is the only row of its identity (a collided one already is).
        sharedIdentities.append(first)
      } else if distinctIdentities[identity] == nil {
        return
      }
      coded[identity] = (record.offset, record.header.tax)
    }
  }

  /// Adds `identity` (of a row without a tax code) to `uncodedHashes` under its hash; `indexed`: the row is in
  /// `byIdentity` (`insert`), not only held aside as `distinct`.
  private func noteHash(of identity: String, indexed: Bool) {
    let hash = WordFolding.identityHash(of: identity)
    if let state = uncodedHashes[hash] {
      if state & 3 == HashState.open && hashedIdentities[Int(state >> 3)] != identity {
        uncodedHashes.set(hash, state | HashState.ambiguous)
      }
      if indexed && state & HashState.indexed == 0 { uncodedHashes.set(hash, state | HashState.indexed) }
    } else {
      uncodedHashes.set(hash, UInt64(hashedIdentities.count) << 3 | (indexed ? HashState.indexed : 0))
      hashedIdentities.append(identity)
    }
  }

  /// The district and commune an identity ends with (after the folded name, which holds no `|`).
  private static func place(of identity: String) -> String {
    guard let bar = identity.utf8.firstIndex(of: 0x7C) else { return identity }
    return String(identity[identity.utf8.index(after: bar)...])
  }

  /// True when the decisions so far merge the row at `offset`, through any chain, into the one at `target`.
  private func merges(_ offset: UInt64, into target: UInt64) -> Bool {
    var at = offset
    while let next = correctionLinks[at] {
      if next.kept == target { return true }
      at = next.kept
    }
    return false
  }

  /// Whether some row will be linked as a duplicate, and so not written to establishments.csv; once `settle`
  /// has run.
  var dropsRows: Bool { superseded.count > 0 || !correctionLinks.isEmpty }

  /// The offsets of the rows for which `link` may find something other than `.none`, ascending and each once;
  /// once `settle` has run. Every other row stands alone: no tax code, decision or identity links it. Nil when
  /// there are more than `limit` (a survey of many duplicates), without gathering them all.
  func linkableRows(atMost limit: Int) -> [UInt64]? {
    // A row can be in `sharedIdentities` more than once, and in more than one of these.
    let listed = sharedIdentities.count + correctionLinks.count + distinct.count + superseded.count
    guard listed <= 3 * limit else { return nil }
    var rows = sharedIdentities + correctionLinks.keys + distinct
    superseded.forEachEntry { offset, _ in rows.append(offset) }
    rows.sort()
    var previous: UInt64?
    rows = rows.filter { row in
      defer { previous = row }
      return row != previous
    }
    return rows.count <= limit ? rows : nil
  }

  /// The countable rows the corrections name, as `Corrections.rowKey`s.
  var namedRows: Set<String> { Set(byLabel.keys) }

  /// Loads the slots of these tax codes in the tax code index, so that `add` finds them in the cache. At a
  /// million tax codes the index is far larger than the cache, and a lookup waits for memory; in this tight
  /// loop the loads of many rows are under way at once (0 stands for no tax code).
  func prefetch(taxes: some Sequence<UInt64>) {
    for tax in taxes where tax != 0 { byTax.prefetch(tax) }
  }

  /// What becomes of the row at `offset`, once `settle` has run.
  func link(offset: UInt64, tax: UInt64, identity: () -> String) throws -> Link {
    if tax != 0, superseded[offset] != nil, let bits = byTax[tax] {
      let keep = TaxKeep(bits: bits).offset
      // The row that stands for the tax code may itself be merged into another by a decision.
      return .duplicate(kept: correctionLinks.isEmpty ? keep : correctionLinks[keep]?.kept ?? keep, correction: nil)
    }
    if !correctionLinks.isEmpty, let link = correctionLinks[offset] {
      return .duplicate(kept: link.kept, correction: link.location)
    }
    if !distinct.isEmpty, distinct.contains(offset) {
      return distinctApplied.contains(offset) ? .distinctByCorrection : .none
    }
    guard tax == 0 else { return .none }
    let written = identity()
    if !coded.isEmpty, let match = coded[written] {
      // The row that stands for that tax code, which a decision may have merged into another.
      let keep = TaxKeep(bits: byTax[match.tax]!).offset
      let kept = correctionLinks.isEmpty ? keep : correctionLinks[keep]?.kept ?? keep
      return kept == offset ? .none : .possibleDuplicateOfTaxCode(kept: kept, tax: match.tax, matched: match.offset)
    }
    let first = try first(of: written, at: offset)
    return first == offset ? .none : .possibleDuplicate(first: first)
  }

  /// Records `offset` as the first row of its identity unless an earlier row has it.
  private func insert(_ identity: String, offset: UInt64) throws {
    uncodedPlaces.insert(Self.place(of: identity))
    noteHash(of: identity, indexed: true)
    let key = UInt64(bitPattern: Int64(hash(identity)))
    guard let first = byIdentity[key] else {
      byIdentity.set(key, offset)
      return
    }
    sharedIdentities.append(first)
    sharedIdentities.append(offset)
    if try self.identity(at: first) == identity {
      if offset < first { byIdentity.set(key, offset) }
    } else if let other = collided[identity] {
      sharedIdentities.append(other)
      if offset < other { collided[identity] = offset }
    } else {
      collided[identity] = offset
    }
  }

  /// True when a row not held aside as `distinct` has this identity.
  private func hasRow(_ identity: String) throws -> Bool {
    guard let first = byIdentity[UInt64(bitPattern: Int64(hash(identity)))] else { return false }
    return try self.identity(at: first) == identity || collided[identity] != nil
  }

  private func first(of identity: String, at offset: UInt64) throws -> UInt64 {
    let first = byIdentity[UInt64(bitPattern: Int64(hash(identity)))]!
    if try first == offset || self.identity(at: first) == identity { return first }
    return collided[identity]!
  }

  private func identity(at offset: UInt64) throws -> String {
    if let lastRead, lastRead.offset == offset { return lastRead.identity }
    let identity = try scratch.withRecord(at: offset) { $0.identity ?? "" }
    lastRead = (offset, identity)
    return identity
  }
}
