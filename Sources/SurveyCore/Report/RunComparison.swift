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
  /// Of those, the ones not read because they are no longer what the previous run's `manifest.json` recorded
  /// (`RecordedArtefacts`): edited or cut short since, not damaged or of an older format.
  public var changedAfterRun: Set<String> = []

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

  /// The comparison built while this run's establishments stream past: each establishment is looked up among the
  /// previous identities as it comes, those being read first or, on most nights, beside it (`init`).
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
    ///
    /// On a night when the previous run left no file waiting (nearly every night), the identities are read on a
    /// second thread and come in as `add` asks for them: the previous run's `establishments.csv` is then read
    /// beside this run's rather than before them. One that cannot be read whole is said so by `finish`, and no
    /// establishment is compared, as when it is read first.
    /// - Parameter waiting: the files this run left for the next (`unsettled.json`).
    public init(previousRun: URL, waiting: [String] = []) {
      let keys = Set(waiting.map(IngestStage.nameKey))
      self.waiting = waiting
      waitingKeys = keys
      let recorded = RecordedArtefacts(of: previousRun)
      previousIngest = result.read(previousRun, ArtefactName.ingestSummary, recorded) {
        try StableJSON.read(IngestSummary.self, from: $0)
      }
      let found = previousIngest.map { _ in WaitedFiles.find(before: previousRun, waitingNow: keys) }
      let readBeside = found?.baselines.isEmpty ?? true
      before = result.read(previousRun, ArtefactName.establishments, recorded) {
        readBeside
          ? PreviousIdentities(reading: $0, leavingOut: keys) : try RunComparison.identities(in: $0, leavingOut: keys)
      }
      if let found {
        // Without the previous establishments no establishment is compared; with them, a run whose own cannot be
        // read is no baseline, so a file is never "unchanged" while its establishments are "added".
        waited = before.map { found.addIdentities(to: $0) } ?? found.baselines
      }
      if let actions = result.read(previousRun, ArtefactName.recommendations, recorded, RecommendationsTable.read) {
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
        if let failure = before.finishReading() {
          // Read on the second thread, and found unreadable only now: said where reading it first would have.
          let place = result.missing.firstIndex(of: ArtefactName.recommendations) ?? result.missing.count
          result.missing.insert(ArtefactName.establishments, at: place)
          result.unreadable[ArtefactName.establishments] = RunComparison.reason(failure)
          result.addedCount = 0
        } else {
          result.removedCount = before.unseen
          result.added = examples.sorted()
        }
      }
      return result
    }
  }

  /// Reads one previous artefact, or records why it could not be read and returns nil. One that is no longer what
  /// its run wrote (`RecordedArtefacts`) is not read: cut short at a row's end, it read as a run with fewer
  /// establishments, and the report named every one past the cut as new.
  fileprivate mutating func read<T>(
    _ folder: URL, _ name: String, _ recorded: RecordedArtefacts?, _ reader: (URL) throws -> T
  ) -> T? {
    let url = folder.appendingPathComponent(name)
    guard FileManager.default.fileExists(atPath: url.path) else {
      missing.append(name)
      return nil
    }
    do {
      try recorded?.check(url)
    } catch {
      missing.append(name)
      unreadable[name] = Self.reason(error)
      changedAfterRun.insert(name)
      return nil
    }
    do {
      return try reader(url)
    } catch {
      missing.append(name)
      unreadable[name] = Self.reason(error)
      return nil
    }
  }

  /// Why a previous artefact could not be read, as the report says it.
  fileprivate static func reason(_ error: any Error) -> String {
    (error as? PipelineError)?.description ?? "\(error)"
  }

  /// The identities (tax code, else folded name and district) of the establishments in an `establishments.csv`,
  /// each marked not yet seen, but for those from the files `leavingOut` (by `IngestStage.nameKey`); with
  /// `onlyFrom`, only those from these files.
  ///
  /// Read whole on this thread: `PreviousIdentities(reading:leavingOut:)` reads them on a second one.
  static func identities(
    in url: URL, leavingOut waiting: Set<String> = [], onlyFrom kept: Set<String>? = nil
  ) throws -> PreviousIdentities {
    // Made at its size (the companion's count of records): grown a dozen times up to a million tax codes, each
    // growth put every one in again.
    let result = PreviousIdentities(expected: StagedRowsReader(companionOf: url)?.records ?? 0)
    try readIdentities(in: url, leavingOut: waiting, onlyFrom: kept, into: result)
    return result
  }

  /// Puts the identities of the establishments in an `establishments.csv` into `result`, in the file's order, as
  /// `identities(in:leavingOut:onlyFrom:)` says.
  ///
  /// Reads the previous run's companion when it has a fresh one, else its CSV, as bytes: a plain tax code is
  /// packed straight from its bytes, and only other cells become Strings (file names, which repeat, once per
  /// spelling); the rest of the row is never decoded.
  static func readIdentities(
    in url: URL, leavingOut waiting: Set<String> = [], onlyFrom kept: Set<String>? = nil, into result: some IdentitySink
  ) throws {
    var columns: [Int] = []
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
        if let key = TaxKey.pack(taxCode) {
          result.insert(taxKey: key)  // a plain code with spaces about it
        } else if !taxCode.isEmpty {
          result.insert(text: taxCode)
        } else {
          result.insert(
            text: CountedEstablishment.identity(
              name: CellText.trimmedString(bytes(3)), districtCode: CellText.trimmedString(bytes(4))))
        }
      })
  }

  fileprivate static func sorted(_ names: some Sequence<String>) -> [String] {
    names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
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

/// The previous run's artefacts as its `manifest.json` recorded them: their sizes, and the digests of the small
/// ones. An artefact edited or cut short since (a copy interrupted, a disk repaired, a hand edit) is not that run's
/// any more, and is said so rather than compared.
struct RecordedArtefacts: Sendable {
  /// Up to this size an artefact's SHA-256 is checked as well (a few milliseconds); above it, its size only, so
  /// that a million rows' `establishments.csv` is not read twice a night.
  static let digestedUpTo = 8 << 20
  let byName: [String: ManifestArtefact]

  /// Nil when the run has no readable manifest (an older run, or one removed): nothing is checked then.
  init?(of run: URL) {
    guard let artefacts = ManifestExcerpt.read(in: run)?.artefacts else { return nil }
    byName = Dictionary(artefacts.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// Throws when `url` is not the artefact of its name the manifest recorded; one it does not list passes.
  func check(_ url: URL) throws {
    guard let recorded = byName[url.lastPathComponent] else { return }
    if let bytes = FileState.of(url)?.bytes, bytes != recorded.bytes {
      throw PipelineError(
        .badInput,
        "it changed after its run: \(bytes) bytes, where that run's manifest.json records \(recorded.bytes)")
    }
    if recorded.bytes <= Self.digestedUpTo, let digest = FileDigest.sha256(of: url), digest != recorded.sha256 {
      throw PipelineError(
        .badInput, "it changed after its run: its SHA-256 is not the one that run's manifest.json records")
    }
  }
}
