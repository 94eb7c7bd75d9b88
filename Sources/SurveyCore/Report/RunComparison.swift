/// What changed since the previous complete run: input files, establishments, and the top recommendations.
import Foundation

/// The differences between this run and the previous one, for the top of the report.
public struct RunComparison: Sendable, Equatable {
  /// Files present now and not before; changed (other SHA-256); present before and not now. Sorted by name.
  public var newFiles: [String] = []
  public var changedFiles: [String] = []
  public var removedFiles: [String] = []
  /// Files this run left for the next because they were still being written: not compared, and the previous
  /// run's establishments from them are neither kept nor counted as removed.
  public var waitingFiles: [String] = []
  /// Files the previous run left waiting, compared (as files and by their establishments) with the last earlier
  /// run that read them: by that run's id, oldest first, each with the files' names as it read them.
  public var comparedEarlier: [EarlierComparison] = []
  /// Reference tables added, edited or removed since the previous run, by name; empty when either run did not
  /// record them.
  public var changedReferenceTables: [String] = []
  /// How many establishments are counted now and not before, and the reverse (by tax code, else by file and line).
  public var addedCount = 0
  public var removedCount = 0
  /// The added establishments the report names: the first `examplesKept` in approach-first order.
  public var added: [CountedEstablishment] = []
  /// How many added establishments are kept to be named.
  public static let examplesKept = 5
  /// The previous rank of every action the previous run recommended, by `Recommendation.actionKey`.
  public var previousRanks: [String: Int] = [:]
  /// Previous actions by key: title parts to name those that left the top.
  public var previousActions: [String: Recommendation] = [:]
  /// Artefacts the previous run lacks or that could not be read, so that part of the comparison is left out.
  public var missing: [String] = []
  /// Why an artefact of `missing` could not be read, when it was there.
  public var unreadable: [String: String] = [:]

  public init() {}

  /// Compares the previous run's folder with this run's ingest summary, establishments and ranking.
  ///
  /// A previous artefact that is missing, or that cannot be read (an older run's format, a damaged file), leaves
  /// its part of the comparison out and is named with the reason: the report says so rather than failing the
  /// night's run over last night's files.
  public static func compare(
    previousRun: URL, ingest: IngestSummary, establishments: [CountedEstablishment]
  ) -> RunComparison {
    var tracker = Tracker(previousRun: previousRun, waiting: [])
    for establishment in establishments {
      var fold: String?
      tracker.add(establishment, fold: &fold)
    }
    return tracker.finish(ingest: ingest)
  }

  /// The comparison built while this run's establishments stream past: the previous run's artefacts are read
  /// first, then each establishment is looked up among the previous identities as it comes.
  ///
  /// It holds the previous identities (one entry per previous establishment, with whether it is still here) and
  /// the few added establishments the report names, never this run's establishments.
  public struct Tracker {
    private var result = RunComparison()
    private var previousIngest: IngestSummary?
    /// The previous identities, each with whether this run has it; nil when the previous establishments.csv
    /// could not be read.
    private let before: PreviousIdentities?
    private var examples = Shortlist(size: RunComparison.examplesKept)
    private var sequence = 0
    /// The files this run left for the next, as they are named.
    private let waiting: [String]
    /// Their names as the stages tell files apart (`IngestStage.nameKey`): a file of the previous run named like a
    /// waiting one (its name's case changed, or its accents encoded by a Mac) is that file, not removed. Of files
    /// named alike only the one to read waits, and none of its copies is read meanwhile.
    private let waitingKeys: Set<String>
    /// The files the previous run left waiting, with the last run that read them: part of what this run is
    /// compared with.
    private var waited: [WaitedFiles.Baseline] = []

    /// Reads the previous run's ingest summary, establishments' identities and ranking, in that order; and for the
    /// files the previous run left waiting, those of the last earlier run that read them (`WaitedFiles`).
    /// - Parameter waiting: the files this run left for the next (`unsettled.json`).
    public init(previousRun: URL, waiting: [String] = []) {
      let keys = Set(waiting.map(IngestStage.nameKey))
      self.waiting = waiting
      waitingKeys = keys
      previousIngest = result.read(
        previousRun, ArtefactName.ingestSummary, { try StableJSON.read(IngestSummary.self, from: $0) })
      before = result.read(previousRun, ArtefactName.establishments) {
        try RunComparison.identities(in: $0, leavingOut: keys)
      }
      if previousIngest != nil {
        let found = WaitedFiles.find(before: previousRun, waitingNow: keys)
        // Without the previous establishments no establishment is compared; with them, a run whose own cannot be
        // read is no baseline, so a file is never "unchanged" while its establishments are "added".
        waited = before.map { found.addIdentities(to: $0) } ?? found.baselines
      }
      if let actions = result.read(previousRun, ArtefactName.recommendations, RecommendationsTable.read) {
        for action in actions {
          result.previousRanks[action.actionKey] = action.rank
          result.previousActions[action.actionKey] = action
        }
      }
    }

    /// Loads the previous run's slot for this tax code (`TaxKey.pack`) ahead of its establishment's `add`.
    func prefetch(taxKey: UInt64) { before?.prefetch(taxKey: taxKey) }

    /// True when `prefetch` loads anything: not while this run meets the previous run's tax codes in their order.
    var loadsAhead: Bool { before?.loadsAhead ?? false }

    /// Looks one establishment of this run up; `fold` caches its folded name, as the shortlists share it.
    public mutating func add(_ establishment: CountedEstablishment, fold: inout String?) {
      add(row: establishment, fold: &fold)
    }

    /// `add`, for a row of any kind (the report's `EstablishmentsReader.Row`, which makes its name and tax code
    /// only when asked).
    mutating func add(row establishment: some EstablishmentRow, fold: inout String?) {
      guard let before else { return }
      let order = sequence
      sequence += 1
      if !before.see(establishment) {
        result.addedCount += 1
        examples.offer(establishment, sequence: order, fold: &fold)
      }
    }

    /// The comparison, with this run's ingest summary.
    public func finish(ingest: IngestSummary) -> RunComparison {
      var result = self.result
      if let before = previousIngest {
        // A file set aside before it was read (not an export, a link, too large, a copy...) has no digest: its
        // size and why it was set aside stand for it, so that it is not "changed" every night it stays. Why, as
        // it lasts: a copy's message names the other file's size and date, which change when that file does.
        func fingerprint(_ file: IngestFileSummary) -> String {
          file.sha256 ?? "unread \(file.bytes) \(file.problemDetail?.lasting ?? file.problem ?? "")"
        }
        // By exact name: a String key takes an NFD name for its NFC twin (ingest reads one of the two). A file
        // the previous run left waiting is as the last run that read it had it.
        let old = Dictionary(
          (before.files + waited.flatMap(\.files)).map { (ExactText($0.file), fingerprint($0)) },
          uniquingKeysWith: { a, _ in a })
        let now = Dictionary(
          ingest.files.map { (ExactText($0.file), fingerprint($0)) }, uniquingKeysWith: { a, _ in a })
        result.newFiles = sorted(now.keys.filter { old[$0] == nil }.map(\.text))
        result.changedFiles = sorted(now.keys.filter { old[$0] != nil && old[$0] != now[$0] }.map(\.text))
        result.removedFiles = sorted(
          old.keys.filter { now[$0] == nil && !waitingKeys.contains(IngestStage.nameKey($0.text)) }.map(\.text))
      }
      result.waitingFiles = sorted(waiting)
      result.comparedEarlier = waited.reversed().map { baseline in
        EarlierComparison(run: baseline.run.lastPathComponent, files: sorted(baseline.files.map(\.file)))
      }
      if let old = previousIngest?.referenceTables, let now = ingest.referenceTables {
        result.changedReferenceTables = sorted(Set(old.keys).union(now.keys).filter { old[$0] != now[$0] })
      }
      if let before {
        result.removedCount = before.unseen
        result.added = examples.sorted()
      }
      return result
    }
  }

  /// Reads one previous artefact, or records why it could not be read and returns nil.
  fileprivate mutating func read<T>(_ folder: URL, _ name: String, _ reader: (URL) throws -> T) -> T? {
    let url = folder.appendingPathComponent(name)
    guard FileManager.default.fileExists(atPath: url.path) else {
      missing.append(name)
      return nil
    }
    do {
      return try reader(url)
    } catch {
      missing.append(name)
      unreadable[name] = (error as? PipelineError)?.description ?? "\(error)"
      return nil
    }
  }

  /// The identities (tax code, else folded name and district) of the establishments in an `establishments.csv`,
  /// each marked not yet seen, but for those from the files `leavingOut` (by `IngestStage.nameKey`); with
  /// `onlyFrom`, only those from these files.
  ///
  /// Reads the previous run's companion when it has a fresh one, else its CSV, as bytes: a plain tax code is
  /// packed straight from its bytes, and only other cells become Strings (file names, which repeat, once per
  /// spelling); the rest of the row is never decoded.
  static func identities(
    in url: URL, leavingOut waiting: Set<String> = [], onlyFrom kept: Set<String>? = nil
  ) throws -> PreviousIdentities {
    var columns: [Int] = []
    // Made at its size (the companion's count of records): grown a dozen times up to a million tax codes, each
    // growth put every one in again.
    let result = PreviousIdentities(expected: StagedRowsReader(companionOf: url)?.records ?? 0)
    let files = BytesTable<String>(limit: 4096, byteLimit: 1 << 20)
    try StagedRows.forEachRow(
      url,
      header: { header in
        columns = try ["source_file", "source_line", "tax_code", "name", "district_code"].map { name in
          guard let index = header.firstIndex(of: name) else {
            throw PipelineError(
              .badInput, "the previous run's establishments.csv lacks \(name)",
              at: InputLocation(file: url.lastPathComponent, line: 1))
          }
          return index
        }
      },
      row: { record in
        func bytes(_ column: Int) -> UnsafeRawBufferPointer {
          let position = columns[column]
          return position < record.count ? record.field(position) : UnsafeRawBufferPointer(start: nil, count: 0)
        }
        if !waiting.isEmpty || kept != nil {
          let file = files.value(bytes(0)) { IngestStage.nameKey(CellText.trimmedString($0)) }
          if waiting.contains(file) || kept.map({ !$0.contains(file) }) == true { return }
        }
        if let key = TaxKey.pack(bytes: bytes(2)) { return result.insert(taxKey: key) }
        let taxCode = CellText.trimmedString(bytes(2))
        if !taxCode.isEmpty {
          result.insert(taxCode)
        } else {
          result.insert(
            CountedEstablishment.identity(
              name: CellText.trimmedString(bytes(3)), districtCode: CellText.trimmedString(bytes(4))))
        }
      })
    return result
  }

  fileprivate static func sorted(_ names: some Sequence<String>) -> [String] {
    names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }
}

/// The identities of the previous run's establishments (`CountedEstablishment.identity`), each with whether this
/// run has it. A tax code of digits and dashes (almost every one: a million at national scale) is kept packed, 8
/// bytes and no String each; any other identity by its text, with how many establishments of the previous run had
/// it and this one has not matched yet (two households of one name in one district are two).
///
/// The tax codes are kept first in the order they came (the previous run's file order). A night's run nearly
/// always reads the same files as the night before, in the same order, so each of this run's tax codes is first
/// compared with the next one of those: the same, and it is seen, with no lookup. Only at the first that is not is
/// the table of tax codes made (`WordTable`, 16 bytes each), with those met in order marked seen, and every later
/// code looked up there. Looking a million codes up in that table, and putting them in, waited on memory for a
/// quarter of the report stage with `--previous-run`.
final class PreviousIdentities {
  /// The tax codes as they were put in, until the table is made.
  private var inOrder: [UInt64] = []
  /// How many of `inOrder` this run has met, one after another, from the first.
  private var metInOrder = 0
  /// Every tax code, with 1 once seen: made when a code comes out of order (or `all` is asked for).
  private var byTax: WordTable?
  private let capacity: Int
  /// The tax codes in `byTax` not seen yet.
  private var taxesUnseen = 0
  private var byText: [String: (had: Int, unseen: Int)] = [:]
  private var textsUnseen = 0

  /// - Parameter expected: how many identities are likely (the previous run's establishments), so that the tax
  ///   codes' table is made at its size once; at most two million are trusted, as by normalise's dedup index.
  init(expected: Int = 0) {
    capacity = max(1 << 12, min(max(expected, 0), 1 << 21) / 3 * 4)
    inOrder.reserveCapacity(min(max(expected, 0), 1 << 21))
  }

  /// How many identities have not been seen in this run.
  var unseen: Int {
    if byTax == nil && metInOrder == inOrder.count { return textsUnseen }  // every tax code met in order
    return table().unseen + textsUnseen
  }

  /// The table of tax codes, made from `inOrder` on first need, and how many of them are not seen yet.
  private func table() -> (table: WordTable, unseen: Int) {
    if let byTax { return (byTax, taxesUnseen) }
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

  /// Adds these tax codes (`TaxKey.pack`) as `insert(taxKey:)` does.
  func insert(taxKeys: [UInt64]) {
    if byTax == nil {
      inOrder.append(contentsOf: taxKeys)
    } else {
      for key in taxKeys { insert(taxKey: key) }
    }
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

  /// Adds any other identity, not seen yet; again, one more establishment with it.
  func insert(_ identity: String) {
    if let key = TaxKey.pack(identity) { return insert(taxKey: key) }
    byText[identity, default: (0, 0)].had += 1
    byText[identity]!.unseen += 1
    textsUnseen += 1
  }

  /// Adds the identities of `other`, read apart and none seen yet: a tax code once, and each other identity as
  /// many times as either had it (two households of one name, one in each run's files, are two).
  func formUnion(_ other: PreviousIdentities) {
    if let table = other.byTax {
      table.forEachEntry { key, _ in insert(taxKey: key) }
    } else {
      insert(taxKeys: other.inOrder)
    }
    for (identity, counts) in other.byText {
      byText[identity, default: (0, 0)].had += counts.had
      byText[identity]!.unseen += counts.unseen
      textsUnseen += counts.unseen
    }
  }

  /// Marks the establishment's identity seen; false when the previous run did not have it, or had fewer of it than
  /// this run has met so far.
  func see(_ establishment: some EstablishmentRow) -> Bool {
    if let key = establishment.taxKey {  // an identity that packs is a tax code
      if byTax == nil && metInOrder < inOrder.count && inOrder[metInOrder] == key {
        metInOrder += 1
        return true
      }
      let table = table().table
      guard let seen = table[key] else { return false }
      if seen == 0 {
        table.set(key, 1)
        taxesUnseen -= 1
      }
      return true
    }
    // One more establishment of a name than the previous run had is one added.
    let identity = establishment.identity
    guard let counts = byText[identity], counts.unseen > 0 else { return false }
    byText[identity]!.unseen -= 1
    textsUnseen -= 1
    return true
  }

  /// Every identity with how many establishments of the previous run had it and how many are not seen yet, as
  /// text (for tests).
  var all: [String: (had: Int, unseen: Int)] {
    var all = byText
    table().table.forEachEntry { key, seen in all[TaxKey.unpack(key)] = (1, seen != 0 ? 0 : 1) }
    return all
  }
}

/// Files the previous run left waiting, compared with the last earlier run that read them.
public struct EarlierComparison: Sendable, Equatable {
  /// That run's id (its folder's name).
  public var run: String
  /// The files, named as that run read them, in byte order.
  public var files: [String]

  public init(run: String, files: [String]) {
    self.run = run
    self.files = files
  }
}
