// The normalise stage: ingested.csv → establishments.csv, review.csv,
// duplicates.csv, normalise-summary.json, and its own rows in rejects.csv.
//
// Every row ingest passed on ends up counted, a duplicate, in review, or
// rejected. Review and rejected rows stream straight out. Countable rows come
// in output order (source file, then line): their cells go straight to a
// tentative establishments.csv, and what deduplication needs of them to a
// scratch file, while a compact index (`DuplicateIndex`) learns which row
// stands for each tax code and identity. A second pass over the scratch file
// writes duplicates.csv and tells which rows are duplicates (reading back only
// the rows some tax code, identity or decision links, when they are few); the
// tentative file becomes establishments.csv as it is, or rewritten in place without them.
// Memory holds the index, not the rows.
//
// An ingested.csv whose rows are not in output order (ingest never writes
// one; a hand-edited one may be) is read again with the rows' cells kept in
// the scratch file, which is sorted before establishments.csv is written.

import Foundation
import Synchronization

/// Stage 2: canonical values, districts and duplicates.
public enum NormaliseStage {
  public static let duplicatesHeader = [
    "source_file", "source_line", "kept_file", "kept_line", "kind", "tax_code", "name", "reason",
  ]

  /// Normalises the run folder's `ingested.csv`.
  ///
  /// - Parameters:
  ///   - normaliser: one already built from `reference` and `corrections`, to reuse its indexes and caches
  ///     across many small runs (the fuzzer's); by default a new one is built. Its wording is the stage's.
  ///   - wording: the words of the reasons in review.csv, rejects.csv and duplicates.csv, and of the problems
  ///     column, when no normaliser is given.
  ///   - taxIndex: the tax code index, started before the reference tables were loaded; made here when nil.
  ///   - today: the day the run takes as today (`survey-normalise --today`); a survey date after it is taken as not
  ///     written, and remarked (`RowNormaliser.today`). Nil: no bound.
  @discardableResult
  public static func run(
    runDirectory: URL, reference: ReferenceData, corrections: Corrections, normaliser: RowNormaliser? = nil,
    wording: RowWording = .english, taxIndex: TaxIndexAhead? = nil, today: SurveyDate? = nil
  ) throws -> NormaliseSummary {
    try run(
      runDirectory: runDirectory, corrections: corrections, normaliser: normaliser, reference: reference,
      wording: wording, taxIndex: taxIndex, today: today)
  }

  /// The tax code index of deduplication (32 MB at a million rows, zeroed before use), made on a thread of its own
  /// from ingest's count of rows. The command starts it before it loads the reference tables, so that it is ready
  /// by the first row rather than made on the stage's one busy core. The stage takes it once: an attempt made
  /// again (rows out of order) makes its own.
  public final class TaxIndexAhead: Sendable {
    typealias Making = BackgroundTask<HandedOver<WordTable>>
    /// Until the stage claims it.
    private let task: Mutex<Making?>

    public init(runDirectory: URL) {
      task = Mutex(
        Self.start {
          // An unreadable summary fails here as in the stage, which reads it first and says why.
          try StableJSON.read(
            IngestSummary.self, from: runDirectory.appendingPathComponent(ArtefactName.ingestSummary)
          ).rowsPassed
        })
    }

    /// The task making the index, the first time; nil after.
    func claim() -> Making? {
      task.withLock { task in
        defer { task = nil }
        return task
      }
    }

    /// Starts making an index for the rows `expectedRows` gives, on a thread of its own.
    static func start(_ expectedRows: @escaping @Sendable () throws -> Int) -> Making {
      BackgroundTask(name: "tax code index") {
        HandedOver(value: DuplicateIndex.taxTable(expectedRows: try expectedRows()))
      }
    }
  }

  /// The stage, with the identity hash of deduplication open to tests.
  /// - Parameter cellsInScratch: true to keep the countable rows' cells in the scratch file and write
  ///   establishments.csv from it (as rows out of order are), where they would go straight to the file.
  static func run(
    runDirectory: URL, corrections: Corrections, normaliser: RowNormaliser?, reference: ReferenceData,
    wording: RowWording = .english, identityHash: @escaping (String) -> Int = { $0.hashValue },
    cellsInScratch: Bool = false, taxIndex: TaxIndexAhead? = nil, today: SurveyDate? = nil
  ) throws -> NormaliseSummary {
    do {
      return try attempt(
        runDirectory: runDirectory, corrections: corrections, normaliser: normaliser, reference: reference,
        wording: wording, identityHash: identityHash, cellsInScratch: cellsInScratch, taxIndex: taxIndex,
        today: today)
    } catch is RowsOutOfOrder {
      // What the first attempt wrote went with it (temporary files, removed unless committed).
      return try attempt(
        runDirectory: runDirectory, corrections: corrections, normaliser: normaliser, reference: reference,
        wording: wording, identityHash: identityHash, cellsInScratch: true, today: today)
    }
  }

  /// Thrown by an attempt that writes cells straight out when a countable row comes before the one written last.
  private struct RowsOutOfOrder: Error {}

  private static func attempt(
    runDirectory: URL, corrections: Corrections, normaliser: RowNormaliser?, reference: ReferenceData,
    wording: RowWording, identityHash: @escaping (String) -> Int, cellsInScratch: Bool,
    taxIndex: TaxIndexAhead? = nil, today: SurveyDate?
  ) throws -> NormaliseSummary {
    try corrections.validate(against: reference)
    // A given normaliser's matchers keep their own copy (and, across runs, their cached answers), so which
    // entries its rows used is known only for a normaliser made here.
    let tracksUse = normaliser == nil
    let corrections = tracksUse ? corrections.forRun() : corrections
    /// The rows sent to review, as duplicate decisions name them, when some decision might name one.
    let decidesDuplicates = corrections.has(column: "duplicate")
    var inReview = Set<String>()
    let ingestSummary = try StableJSON.read(
      IngestSummary.self, from: runDirectory.appendingPathComponent(ArtefactName.ingestSummary))
    let expectedRows = ingestSummary.rowsPassed
    let taxTable = taxIndex?.claim() ?? TaxIndexAhead.start { expectedRows }
    let files = SourceFiles(setAside: Set(ingestSummary.files.filter { $0.status == .setAside }.map(\.file)))
    // By exact name: "Hưng Hà.csv" in NFC and in NFD are two files (ingest sets the second aside), where String
    // equality would take them for one.
    var counts: [ExactText: NormaliseCounts] = [:]
    for file in ingestSummary.files { counts[ExactText(file.file)] = NormaliseCounts() }

    let normaliser = normaliser ?? RowNormaliser(reference: reference, corrections: corrections, wording: wording)
    let moneyUnits = FileMoneyUnits.byFile(ingestSummary)
    normaliser.moneyUnits = moneyUnits
    normaliser.today = today
    let wording = normaliser.wording
    let review = try CSVWriter(
      runDirectory.appendingPathComponent(ArtefactName.review), header: RowNormaliser.reviewHeader, style: .rowList)
    // Other stages' rows first, then ours as they come.
    let rejects = try CSVWriter(
      runDirectory.appendingPathComponent(ArtefactName.rejects), header: ArtefactName.rejectsHeader, style: .rowList)
    try copyKeptRejects(runDirectory, to: rejects)

    var scratch = try RowScratch(in: runDirectory, name: "normalise-rows")
    let destination = runDirectory.appendingPathComponent(ArtefactName.establishments)
    /// Where the countable rows' cells go as they come, unless they are kept in the scratch file; a temporary
    /// name (cleaned up as other stages' temporary files are) until it becomes establishments.csv.
    let tentative = cellsInScratch ? nil : runDirectory.appendingPathComponent(".establishments.tmp-\(getpid()).csv")
    let firstOutput = try tentative.map(EstablishmentsOutput.init)
    var committed = false
    defer {
      // Once committed, the tentative CSV is establishments.csv (moved, or rewritten without the duplicates and
      // moved) and its companion goes; else both go.
      if !committed { firstOutput?.abandon() }
      if let tentative { for url in [tentative, StagedRows.companion(of: tentative)] { unlink(url.path) } }
    }
    var index: DuplicateIndex? = DuplicateIndex(
      scratch: scratch, files: files, corrections: corrections, hash: identityHash,
      taxTable: try taxTable.wait().value)
    var order = OutputOrder()
    /// The rows a `duplicate` decision names (those of them a value entry already corrected are flagged
    /// `correctedByValue`).
    let decidedRows = Set(
      corrections.all.filter { $0.column == "duplicate" }.map {
        Corrections.rowKey($0.written.trimmingCharacters(in: .whitespaces))
      })
    /// By their places in `corrections.all`: the entries that decided values of rows this run settled (counted,
    /// or decided to lie outside), and those found for rows it did not count for another reason, which wait for
    /// them. Told to `corrections` once every row is read; rows, not lookups, since matchers look a spelling up
    /// once however many rows write it.
    var appliedEntries = [Bool](repeating: false, count: tracksUse ? corrections.all.count : 0)
    var waitingEntries = appliedEntries
    func apply(_ entries: [Int]) { if tracksUse { for entry in entries { appliedEntries[entry] = true } } }
    func wait(_ decisions: RowDecisions) {
      if tracksUse { for entry in decisions.all { waitingEntries[entry] = true } }
    }
    var columns = StagedColumns()
    let worker = RowWorker(normaliser)
    /// Accounts for what a worker made of its rows, in order: counts, scratch and index, review, rejects.
    func account(_ worker: RowWorker) throws {
      try worker.counted.withUnsafeBufferPointer { try account(worker, counted: $0) }
    }
    /// `account`, reading the counted rows in place: copying one out of its array retained and released what it
    /// holds. The scratch file and the index are taken out of their captured variables once, not once a row.
    func account(_ worker: RowWorker, counted: UnsafeBufferPointer<PackedRow>) throws {
      let chunk = worker.chunk.bytes
      let others = worker.others
      let scratchFile = scratch
      var dedup = index
      var rowOrder = order
      defer { (index, order) = (dedup, rowOrder) }
      /// Counted rows whose tax code index slots are loaded together, in one tight loop (`DuplicateIndex.prefetch`).
      let batch = 64
      for entry in worker.order {
        if let dedup, entry >= 0, entry % batch == 0 {
          dedup.prefetch(taxes: counted[entry..<min(entry + batch, counted.count)].lazy.map(\.facts.tax))
        }
        let (local, line) =
          entry >= 0 ? (counted[entry].file, counted[entry].line) : (others[-1 - entry].file, others[-1 - entry].line)
        let fileID = worker.globalID(local, in: files)
        files.counts[fileID].rowsIn += 1
        if files.isSetAside[fileID] {
          if entry >= 0 {
            if let decisions = counted[entry].facts.decisions { wait(decisions) }
          } else {
            switch others[-1 - entry].outcome {
            case .review(_, _, let decisions), .rejected(_, _, _, let decisions, _): wait(decisions)
            case .counted(let row): wait(row.decisions)
            }
          }
          files.counts[fileID].rejected += 1
          try rejects.write([
            files.names[fileID], String(line), "normalise", "the file was set aside by ingest", "", "",
          ])
          continue
        }
        guard entry < 0 else {
          let row = counted.baseAddress! + entry
          if row.pointee.facts.fuzzy { files.counts[fileID].fuzzyMatches += 1 }
          let offset = scratchFile.size
          let cells = UnsafeRawBufferPointer(rebasing: chunk[row.pointee.cells])
          // A row whose only remark is the place note of an analyst's decision is not counted among the
          // remarked rows, which ask for attention.
          var flags: ScratchFlags = row.pointee.facts.remarked && !row.pointee.facts.remarkSettled ? .remarked : []
          if row.pointee.facts.identityHashed { flags.insert(.identityHashed) }
          if row.pointee.facts.dateAfterRun { flags.insert(.dateAfterRun) }
          if let decisions = row.pointee.facts.decisions, !decisions.applied.isEmpty {
            apply(decisions.applied)
            files.counts[fileID].correctionsApplied += 1
            if !decidedRows.isEmpty, decidedRows.contains(Corrections.rowKey("\(files.names[fileID]):\(line)")) {
              flags.insert(.correctedByValue)
            }
          }
          rowOrder.see(file: UInt32(fileID), line: line, files: files)
          if rowOrder.unsorted && !cellsInScratch { throw RowsOutOfOrder() }
          // Counted unless the second pass finds it a duplicate, which then takes it back out.
          files.counts[fileID].counted += 1
          if flags.contains(.remarked) { files.counts[fileID].remarked = (files.counts[fileID].remarked ?? 0) + 1 }
          let (tax, date) = (row.pointee.facts.tax, row.pointee.facts.date)
          try scratchFile.append(
            file: UInt32(fileID), line: line, tax: tax, date: date, flags: flags, district: row.pointee.facts.district,
            fields: cellsInScratch ? cells : UnsafeRawBufferPointer(start: nil, count: 0),
            name: UnsafeRawBufferPointer(rebasing: chunk[row.pointee.facts.name]),
            identity: row.pointee.facts.identity ?? "",
            place: UnsafeRawBufferPointer(rebasing: chunk[row.pointee.facts.identityPlace]))
          try firstOutput?.append(cells)
          if let dedup, !rowOrder.unsorted {
            try dedup.add(
              offset: offset, file: UInt32(fileID), line: line, tax: tax, date: date,
              identity: row.pointee.facts.identity)
          } else {
            dedup = nil  // rows out of order: the index is built again once they are sorted
          }
          continue
        }
        switch others[-1 - entry].outcome {
        // A row not counted is no row an entry settled, whatever entries its cells found: they wait for it. A row
        // decided to lie outside is settled by that decision.
        case .review(let cells, let fuzzy, let decisions):
          try review.write(cells)
          if decidesDuplicates { inReview.insert(Corrections.rowKey("\(files.names[fileID]):\(line)")) }
          files.counts[fileID].review += 1
          if fuzzy { files.counts[fileID].fuzzyMatches += 1 }
          wait(decisions)
        case .rejected(let reason, let column, let written, let decisions, let settled):
          try rejects.write([files.names[fileID], String(line), "normalise", reason, column, written])
          files.counts[fileID].rejected += 1
          if settled {
            files.counts[fileID].decidedOutside = (files.counts[fileID].decidedOutside ?? 0) + 1
            files.counts[fileID].correctionsApplied += 1
            apply(decisions.applied)
          } else {
            wait(decisions)
          }
        case .counted:
          preconditionFailure("RowWorker packs counted rows")
        }
      }
      if let failure = worker.failure { throw failure }
      worker.reset()
    }
    let ingested = runDirectory.appendingPathComponent(ArtefactName.ingested)
    func readHeader(_ header: [String]) throws {
      var byName: [String: Int] = [:]
      for (index, name) in header.enumerated() { byName[name] = index }
      for required in ["source_file", "source_line", "name", "district", "commune", "enterprise_type"]
      where byName[required] == nil {
        throw PipelineError(
          .badInput, "column '\(required)' is missing: is this an ingested.csv?",
          at: InputLocation(file: ArtefactName.ingested, line: 1))
      }
      columns = StagedColumns(byName, needKeys: normaliser.needs.order)
    }
    if let reader = StagedRowsReader(companionOf: ingested) {
      func readCompanionHeader(_ header: [String]) throws {
        try readHeader(header)
        columns.wellFormedUTF8 = true
      }
      // Blocks normalised on two threads, accounted for in order on this one (`FirstPass`).
      try reader.withBlocks(header: readCompanionHeader) { next, recycle in
        try FirstPass.run(
          next: next, recycle: recycle, columns: columns, worker: worker,
          makeNormaliser: { [places = normaliser.places.index, answers = normaliser.placeAnswers] in
            // A normaliser made here shares its place index and answers (made from the same reference, corrections
            // and wording); a given one may come from other tables, so the second thread's is made whole, as before.
            let made =
              tracksUse
              ? RowNormaliser(
                reference: reference, corrections: corrections, wording: wording, places: places, answers: answers)
              : RowNormaliser(reference: reference, corrections: corrections, wording: wording)
            made.moneyUnits = moneyUnits
            made.today = today
            return made
          },
          account: account)
      }
    } else {
      try CSVFile.forEachRawRow(ingested, header: readHeader) { record in
        worker.work(record, columns: columns)
        worker.seal()
        try account(worker)
      }
    }

    corrections.markApplied(appliedEntries.indices.filter { appliedEntries[$0] })
    corrections.markWaiting(waitingEntries.indices.filter { waitingEntries[$0] })
    if index == nil {
      (scratch, index) = try sorted(
        scratch, in: runDirectory, files: files, corrections: corrections, hash: identityHash)
    }
    let duplicateIndex = index!
    try duplicateIndex.settle(corrections)
    // The tentative file is kept when no row will be dropped from it, else read back. Its last batches go on
    // beside the second pass, which does not read it; they are waited for before it is moved or rewritten, and
    // before it would be abandoned (this `defer` runs before the earlier one).
    let dropsRows = duplicateIndex.dropsRows
    let sealing = firstOutput.map { output in BackgroundTask(name: "establishments commit") { try output.commit() } }
    defer { try? sealing?.wait() }

    let duplicates = try CSVWriter(
      runDirectory.appendingPathComponent(ArtefactName.duplicates), header: duplicatesHeader, style: .rowList)
    // Encoding and writing the kept rows runs on threads of their own.
    let output = cellsInScratch ? try EstablishmentsOutput(destination) : nil
    defer { if !committed { output?.abandon() } }
    /// The duplicates' places among the countable rows, in order: the rows the tentative file holds and
    /// establishments.csv does not.
    var dropped: [Int] = []
    var place = 0
    var lastKept: (offset: UInt64, place: KeptPlace)?
    /// The row that stands, as duplicates.csv names it, with what its reason compares.
    struct KeptPlace {
      var file: String
      var line: String
      var fileID: UInt32
      var date: UInt32
      var district: UInt16
    }
    func keptPlace(_ offset: UInt64) throws -> KeptPlace {
      if let lastKept, lastKept.offset == offset { return lastKept.place }
      let header = try scratch.withRecord(at: offset) { $0.header }
      let place = KeptPlace(
        file: files.names[Int(header.file)], line: String(header.line), fileID: header.file, date: header.date,
        district: header.district)
      lastKept = (offset, place)
      return place
    }
    var overlaps = FileOverlaps()
    /// What becomes of the countable row `record`, the `place`th of the scratch file.
    func settleRow(_ record: ScratchRecord, place: Int) throws {
      let header = record.header
      let fileID = Int(header.file)
      let link = try duplicateIndex.link(offset: record.offset, tax: header.tax) { record.identity ?? "" }
      func listed(kept: UInt64, kind: DuplicateLink.Kind, reason: String, decided: Bool = false) throws {
        let place = try keptPlace(kept)
        if !decided {
          overlaps.add(
            file: files.names[fileID], kept: kept, keptFile: place.file, possible: kind == .possibleDuplicate)
        }
        try duplicates.write([
          files.names[fileID], String(header.line), place.file, place.line, kind.rawValue,
          header.tax == 0 ? "" : TaxKey.unpack(header.tax), record.name, reason,
        ])
      }
      func correctedBefore() -> Bool { header.flags.contains(.correctedByValue) }
      switch link {
      case .duplicate(let kept, let correction):
        let reason =
          try correction.map { wording.sameByCorrection($0.description) }
          ?? {
            let place = try keptPlace(kept)
            let rule = StandingRule(kept: place.date, row: header.date, sameFile: place.fileID == header.file)
            var districts: (kept: String, row: String)?
            if place.district != header.district,
              let keptName = RowNormaliser.districtName(place.district, in: reference),
              let rowName = RowNormaliser.districtName(header.district, in: reference)
            {
              districts = (keptName, rowName)
              files.counts[fileID].duplicatesAcrossDistricts = (files.counts[fileID].duplicatesAcrossDistricts ?? 0) + 1
            }
            return wording.mergedByTaxCode(
              TaxKey.unpack(header.tax), rule, dateAfterRun: header.flags.contains(.dateAfterRun), districts: districts)
          }()
        try listed(kept: kept, kind: .duplicate, reason: reason, decided: correction != nil)
        files.counts[fileID].duplicates += 1
        if correction != nil, !correctedBefore() { files.counts[fileID].correctionsApplied += 1 }
        dropped.append(place)
        files.counts[fileID].counted -= 1
        if header.flags.contains(.remarked) {
          let remarked = files.counts[fileID].remarked! - 1
          files.counts[fileID].remarked = remarked == 0 ? nil : remarked
        }
        return
      case .possibleDuplicate(let first):
        try listed(kept: first, kind: .possibleDuplicate, reason: wording.possibleDuplicate)
        files.counts[fileID].possibleDuplicates += 1
      case .possibleDuplicateOfTaxCode(let kept, let tax, let matched):
        // The row whose name and place matched, when it is not the one listed (it was merged into that one).
        let at = try matched == kept ? nil : keptPlace(matched)
        try listed(
          kept: kept, kind: .possibleDuplicate,
          reason: wording.possibleDuplicateOfTaxCode(TaxKey.unpack(tax), at.map { "\($0.file):\($0.line)" }))
        files.counts[fileID].possibleDuplicates += 1
      case .distinctByCorrection: if !correctedBefore() { files.counts[fileID].correctionsApplied += 1 }
      case .none: break
      }
      try output?.append(record.fields)
    }
    // Where the cells go out from here (rows that came out of order), every row is read back. Otherwise only the
    // rows some tax code, identity or decision links are: at a million rows without duplicates, the pass over
    // every record was 25 ms with one core idle. Read one by one (two reads each), a few thousand would cost about
    // as much as the whole pass: beyond one row in 256, every record is read.
    let linkable =
      output == nil && scratch.count <= Int(UInt32.max) ? duplicateIndex.linkableRows(atMost: scratch.count / 256) : nil
    if let linkable {
      for offset in linkable {
        try scratch.withRecord(at: offset) { try settleRow($0, place: Int($0.header.ordinal)) }
      }
    } else {
      try scratch.forEachRecord { record in
        defer { place += 1 }
        try settleRow(record, place: place)
      }
    }
    precondition(dropped.isEmpty || dropsRows, "a row was dropped where the index said none would be")
    scratch.close()  // read for the last time above; its pages go while the flush runs

    for (fileID, name) in files.names.enumerated() {
      counts[ExactText(name), default: NormaliseCounts()].add(files.counts[fileID])
    }
    let summaryFiles = counts.keys.sorted { $0.text.utf8.lexicographicallyPrecedes($1.text.utf8) }
      .map { NormaliseFileSummary(file: $0.text, counts: counts[$0]!) }
    var totals = NormaliseCounts()
    for file in summaryFiles { totals.add(file.counts) }
    let unused =
      tracksUse
      ? Self.unused(
        corrections, setAside: files.setAside,
        waiting: Set(UnsettledList.read(in: runDirectory)?.files.map(\.file) ?? []), inReview: inReview,
        rows: duplicateIndex.namedRows) : []
    let summary = NormaliseSummary(
      files: summaryFiles, totals: totals, unusedCorrections: unused.isEmpty ? nil : unused,
      fileOverlaps: Self.overlapping(overlaps, summaryFiles))
    try sealing?.wait()
    committed = true
    if let output {
      try output.commit()
    } else if let tentative {
      if dropped.isEmpty {
        try moveIntoPlace(tentative, destination)
      } else {
        try StagedRows.compact(tentative, to: destination, header: Establishment.header, dropping: dropped)
      }
    }
    try review.commit()
    try duplicates.commit()
    try rejects.commit()
    try StableJSON.write(summary, to: runDirectory.appendingPathComponent(ArtefactName.normaliseSummary))
    return summary
  }

  /// The files that share most of their rows with another, for the summary (nil when none does).
  static func overlapping(_ overlaps: FileOverlaps, _ files: [NormaliseFileSummary]) -> [FileOverlap]? {
    let rows = Dictionary(files.map { ($0.file, $0.counts.counted + $0.counts.duplicates) }, uniquingKeysWith: +)
    let found = overlaps.found { rows[$0] ?? 0 }
    return found.isEmpty ? nil : found
  }

  /// The entries of `corrections` that settled no row, each with why; one about a file ingest set aside this run
  /// (limited to it, or naming a row of it) is said to wait for that file, and so is one about a file left for the
  /// next run (`waiting`: still being written); one limited to no file that found no spelling, to wait for the
  /// files left, when there are any. Told to delete them, an analyst would drop decisions the next run needs.
  ///
  /// A `duplicate` entry whose row (or row to stand) waits in review.csv settled nothing either: it waits for
  /// that row, as an entry for such a row's sector does; unless its other row is nowhere, which is said as such.
  /// `inReview` holds those rows, `rows` the countable rows the entries name, as `rowKey`s.
  static func unused(
    _ corrections: Corrections, setAside: Set<String>, waiting: Set<String> = [], inReview: Set<String> = [],
    rows: Set<String> = []
  ) -> [UnusedCorrection] {
    let setAside = Set(setAside.map(Corrections.fileKey))
    let waiting = Set(waiting.map(Corrections.fileKey))
    return corrections.unused.map { entry, reason, found in
      switch (entry.column == "duplicate", reason) {
      case (true, .noRow):
        let means = Corrections.rowKey(entry.means)
        let waits =
          inReview.contains(Corrections.rowKey(entry.written))
          && (entry.means == "distinct" || inReview.contains(means) || rows.contains(means))
        return (entry, waits ? .rowsNotCounted : reason, found)
      case (true, .standingRowNotCounted):
        return (entry, inReview.contains(Corrections.rowKey(entry.means)) ? .rowsNotCounted : reason, found)
      default: return (entry, reason, found)
      }
    }.map { entry, reason, found in
      // The file whose rows the entry waits for: the one it is limited to, the row's, or the standing row's.
      let file: String?
      switch (entry.column == "duplicate", reason) {
      case (false, .noMatch), (false, .rowsNotCounted): file = entry.sourceFile
      case (true, .noRow): file = Corrections.file(ofRow: entry.written)
      case (true, .standingRowNotCounted): file = Corrections.file(ofRow: entry.means)
      default: file = nil
      }
      if let file = file.map(Corrections.fileKey) {
        if setAside.contains(file) { return UnusedCorrection(entry, reason: .fileSetAside, found: found) }
        if waiting.contains(file) { return UnusedCorrection(entry, reason: .fileWaiting, found: found) }
      } else if reason == .noMatch, entry.column != "duplicate", !waiting.isEmpty {
        return UnusedCorrection(entry, reason: .filesWaiting, found: found)
      }
      return UnusedCorrection(entry, reason: reason, found: found)
    }
  }

  /// Renames a sealed tentative establishments.csv and its companion into place, the CSV first (as
  /// `EstablishmentsOutput.commit` does).
  private static func moveIntoPlace(_ tentative: URL, _ destination: URL) throws {
    for (from, to) in [
      (tentative, destination), (StagedRows.companion(of: tentative), StagedRows.companion(of: destination)),
    ] {
      guard rename(from.path, to.path) == 0 else {
        throw PipelineError(.io, "cannot rename into \(to.path): \(String(cString: strerror(errno)))")
      }
    }
  }

  /// The scratch rows rewritten in output order (stably: rows at one place keep their order), and their index.
  /// Only for an ingested.csv not in file-then-line order, which ingest never writes.
  private static func sorted(
    _ scratch: RowScratch, in runDirectory: URL, files: SourceFiles, corrections: Corrections,
    hash: @escaping (String) -> Int
  ) throws -> (RowScratch, DuplicateIndex) {
    var places: [(file: UInt32, line: Int, offset: UInt64)] = []
    try scratch.forEachRecord { places.append(($0.header.file, $0.header.line, $0.offset)) }
    places.sort { a, b in
      if files.precedes(a.file, a.line, b.file, b.line) { return true }
      if files.precedes(b.file, b.line, a.file, a.line) { return false }
      return a.offset < b.offset
    }
    let sortedScratch = try RowScratch(in: runDirectory, name: "normalise-sorted")
    let index = DuplicateIndex(scratch: sortedScratch, files: files, corrections: corrections, hash: hash)
    for place in places {
      try scratch.withRecord(at: place.offset) { record in
        let offset = sortedScratch.size
        try sortedScratch.append(record)
        let header = record.header
        try index.add(
          offset: offset, file: header.file, line: header.line, tax: header.tax, date: header.date,
          identity: record.identity)
      }
    }
    return (sortedScratch, index)
  }

  /// Streams the rows of rejects.csv written by other stages into `writer`; normalise's own are rewritten.
  static func copyKeptRejects(_ runDirectory: URL, to writer: CSVWriter) throws {
    let url = runDirectory.appendingPathComponent(ArtefactName.rejects)
    guard FileManager.default.fileExists(atPath: url.path) else { return }
    var stage = -1
    let width = ArtefactName.rejectsHeader.count
    func findStage(_ header: [String]) throws {
      let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
      guard let index = columns.firstIndex(of: "stage") else {
        throw PipelineError(
          .badInput, "column 'stage' is missing from the header (has: \(columns.joined(separator: ", ")))",
          at: InputLocation(file: url.lastPathComponent, line: 1))
      }
      stage = index
    }
    try CSVFile.forEachRow(
      url, header: findStage,
      row: { record in
        let value =
          stage < record.fields.count ? record.fields[stage].trimmingCharacters(in: .whitespacesAndNewlines) : ""
        guard value != "normalise" else { return }
        try writer.write((0..<width).map { $0 < record.fields.count ? record.fields[$0] : "" })
      })
    if stage < 0 { try findStage([]) }  // no header at all
  }
}

/// Where the form's columns are in ingested.csv.
struct StagedColumns {
  var sourceFile = -1
  var sourceLine = -1
  private var taxCode = -1
  private var name = -1
  private var enterpriseType = -1
  private var district = -1
  private var commune = -1
  private var craftVillage = -1
  private var sector = -1
  private var employees = -1
  private var revenue = -1
  private var needMarks: [Int] = []
  private var needs = -1
  /// The first need mark column, when the marks and then the needs list are columns side by side (as ingest writes
  /// them); -1 otherwise. See `rawNeedsRun`.
  private var needsRunStart = -1
  private var trainees = -1
  private var supportRequested = -1
  private var previouslySupported = -1
  private var surveyDate = -1
  private var notes = -1
  /// True when every cell is known to be well-formed UTF-8: the rows come through ingest's companion, which
  /// indexes only the cells ingest wrote, and ingest rejects a row with a cell that is not UTF-8 (a CSV edited
  /// since is parsed again, and its cells checked).
  var wellFormedUTF8 = false

  init() {}

  init(_ byName: [String: Int], needKeys: [String]) {
    func at(_ name: String) -> Int { byName[name] ?? -1 }
    sourceFile = at("source_file")
    sourceLine = at("source_line")
    taxCode = at("tax_code")
    name = at("name")
    enterpriseType = at("enterprise_type")
    district = at("district")
    commune = at("commune")
    craftVillage = at("craft_village")
    sector = at("sector")
    employees = at("employees")
    revenue = at("revenue")
    needMarks = needKeys.map { at("need_" + $0) }
    needs = at("needs")
    if let first = needMarks.first, first >= 0, needMarks == Array(first..<first + needMarks.count),
      needs == first + needMarks.count
    {
      needsRunStart = first
    }
    trainees = at("trainees")
    supportRequested = at("support_requested")
    previouslySupported = at("previously_supported")
    surveyDate = at("survey_date")
    notes = at("notes")
  }

  /// The cells the byte path reads by name.
  enum Cell {
    case taxCode, name, enterpriseType, district, commune, craftVillage, sector, employees, revenue, needs, trainees
    case supportRequested, previouslySupported, surveyDate, notes
  }

  private func index(_ cell: Cell) -> Int {
    switch cell {
    case .taxCode: taxCode
    case .name: name
    case .enterpriseType: enterpriseType
    case .district: district
    case .commune: commune
    case .craftVillage: craftVillage
    case .sector: sector
    case .employees: employees
    case .revenue: revenue
    case .needs: needs
    case .trainees: trainees
    case .supportRequested: supportRequested
    case .previouslySupported: previouslySupported
    case .surveyDate: surveyDate
    case .notes: notes
    }
  }

  /// The untrimmed bytes of a cell; empty where the column or the cell is missing.
  @inline(__always)
  func raw(_ record: CSVRawRecord, _ cell: Cell) -> UnsafeRawBufferPointer {
    raw(record, index(cell))
  }

  var needMarkCount: Int { needMarks.count }

  /// The need marks and the needs list as one run of bytes, when each of these cells starts one byte (its comma)
  /// after the one before ends: none of them quoted, in a record whose fields lie in its CSV line (the companion's
  /// records). The cells are then the run split at its commas, since a cell that holds a comma is quoted. Nil
  /// otherwise: a quoted cell, columns not side by side, or a record whose fields follow one another with
  /// nothing between (read without the companion).
  @inline(__always)
  func rawNeedsRun(_ record: CSVRawRecord) -> UnsafeRawBufferPointer? {
    let first = needsRunStart
    guard first >= 0 && needs < record.count else { return nil }
    let start = record.field(first)
    guard var end = start.baseAddress.map({ $0 + start.count }) else { return nil }
    for index in (first + 1)...needs {
      let field = record.field(index)
      guard let at = field.baseAddress, at == end + 1 else { return nil }
      end = at + field.count
    }
    return UnsafeRawBufferPointer(start: start.baseAddress, count: end - start.baseAddress!)
  }

  /// The untrimmed bytes of the need mark cell at `position` in the form's order.
  @inline(__always)
  func rawNeedMark(_ record: CSVRawRecord, _ position: Int) -> UnsafeRawBufferPointer {
    raw(record, needMarks[position])
  }

  @inline(__always)
  private func raw(_ record: CSVRawRecord, _ index: Int) -> UnsafeRawBufferPointer {
    index >= 0 && index < record.count ? record.field(index) : UnsafeRawBufferPointer(start: nil, count: 0)
  }

  /// The trimmed cell at `index`, or "" where the column or the cell is missing.
  func cell(_ record: CSVRawRecord, _ index: Int) -> String {
    guard index >= 0 && index < record.count else { return "" }
    let field = record.field(index)
    if field.isEmpty { return "" }
    return StagedText.trimmed(String(decoding: field, as: UTF8.self))
  }

  /// The row's source line: plain digits read as they are, anything else as the trimmed cell's number.
  func line(_ record: CSVRawRecord) -> Int? {
    guard sourceLine >= 0 && sourceLine < record.count else { return nil }
    let field = record.field(sourceLine)
    if field.count >= 1 && field.count <= 18 {
      // One pass; at most 18 digits cannot overflow.
      var value = 0
      for byte in field {
        let digit = byte &- 0x30
        guard digit < 10 else { return Int(cell(record, sourceLine)) }
        value = value &* 10 &+ Int(digit)
      }
      return value
    }
    return Int(cell(record, sourceLine))
  }

  /// The number of the row's source file, named by the cell's exact bytes: ingest's summary names a file
  /// exactly as it is called, spaces or tabs at its ends included, and the counts must meet it there.
  func fileID(_ record: CSVRawRecord, _ files: SourceFiles) -> Int {
    guard sourceFile >= 0 && sourceFile < record.count else { return files.id(of: "") }
    return files.id(of: record.field(sourceFile))
  }

  func stagedRow(_ record: CSVRawRecord) -> StagedRow {
    var row = StagedRow()
    row.taxCode = cell(record, taxCode)
    row.name = cell(record, name)
    row.enterpriseType = cell(record, enterpriseType)
    row.district = cell(record, district)
    row.commune = cell(record, commune)
    row.craftVillage = cell(record, craftVillage)
    row.sector = cell(record, sector)
    row.employees = cell(record, employees)
    row.revenue = cell(record, revenue)
    row.needMarks = needMarks.map { cell(record, $0) }
    row.needs = cell(record, needs)
    row.trainees = cell(record, trainees)
    row.supportRequested = cell(record, supportRequested)
    row.previouslySupported = cell(record, previouslySupported)
    row.surveyDate = cell(record, surveyDate)
    row.notes = cell(record, notes)
    return row
  }
}

/// The source files of a run, numbered as first seen (told apart by their exact bytes), with their counts.
final class SourceFiles {
  // Unchecked: one thread at a time uses a numbering (the stage's, or a worker's), and the runtime's checks were
  // several a row.
  @exclusivity(unchecked) private(set) var names: [String] = []
  @exclusivity(unchecked) private(set) var isSetAside: [Bool] = []
  @exclusivity(unchecked) var counts: [NormaliseCounts] = []
  @exclusivity(unchecked) private var ids: [[UInt8]: Int] = [:]
  /// The files ingest set aside this run.
  let setAside: Set<String>
  /// The same, told apart by their exact bytes (a String set takes an NFD name for its NFC twin).
  private let setAsideBytes: Set<[UInt8]>
  /// The file the last row named, and its name's bytes: rows come a file at a time, so most rows ask for it.
  @exclusivity(unchecked) private var last = -1 {
    didSet {
      lastBytes.deallocate()
      let name = Array(names[last].utf8)
      lastBytes = .allocate(byteCount: name.count, alignment: 1)
      if !name.isEmpty { name.withUnsafeBytes { lastBytes.copyMemory(from: $0) } }
    }
  }
  /// In memory of its own, not an array: comparing a row's bytes with an array's retained and released it, once
  /// a row.
  @exclusivity(unchecked) private var lastBytes = UnsafeMutableRawBufferPointer.allocate(byteCount: 0, alignment: 1)

  init(setAside: Set<String>) {
    self.setAside = setAside
    setAsideBytes = Set(setAside.map { Array($0.utf8) })
  }

  deinit { lastBytes.deallocate() }

  func id(of name: String) -> Int {
    if last >= 0, lastBytes.elementsEqual(name.utf8) { return last }
    return id(Array(name.utf8), name)
  }

  /// `id(of:)` of the name whose UTF-8 bytes these are.
  func id(of bytes: UnsafeRawBufferPointer) -> Int {
    if last >= 0, lastBytes.count == bytes.count,
      ByteKeys.equal(UnsafeRawPointer(lastBytes.baseAddress), bytes.baseAddress, bytes.count)
    {
      return last
    }
    // Only well-formed names are keys, so a hit means the bytes are the name; else as the String reads them.
    if let id = ids[Array(bytes)] {
      last = id
      return id
    }
    return id(of: String(decoding: bytes, as: UTF8.self))
  }

  private func id(_ bytes: [UInt8], _ name: String) -> Int {
    if let id = ids[bytes] {
      last = id
      return id
    }
    let id = names.count
    ids[bytes] = id
    names.append(name)
    isSetAside.append(setAsideBytes.contains(bytes))
    counts.append(NormaliseCounts())
    last = id
    return id
  }

  /// The output order of two rows: source file (byte order), then line.
  func precedes(_ a: UInt32, _ aLine: Int, _ b: UInt32, _ bLine: Int) -> Bool {
    if a == b { return aLine < bLine }
    let (x, y) = (names[Int(a)], names[Int(b)])
    return x != y ? x.utf8.lexicographicallyPrecedes(y.utf8) : aLine < bLine
  }

  /// Whether two rows are at different places (file or line), as `Deduplicator.supersedes` tells them.
  func differ(_ a: UInt32, _ aLine: Int, _ b: UInt32, _ bLine: Int) -> Bool {
    if aLine != bLine { return true }
    return a != b && names[Int(a)] != names[Int(b)]
  }
}

/// Watches rows go by: whether they come in output order.
struct OutputOrder {
  private(set) var unsorted = false
  private var previous: (file: UInt32, line: Int)?

  mutating func see(file: UInt32, line: Int, files: SourceFiles) {
    if let previous, files.precedes(file, line, previous.file, previous.line) { unsorted = true }
    previous = (file, line)
  }
}

extension NormaliseCounts {
  /// Adds another file's counts (for the run's totals).
  mutating func add(_ other: NormaliseCounts) {
    rowsIn += other.rowsIn
    counted += other.counted
    duplicates += other.duplicates
    review += other.review
    rejected += other.rejected
    possibleDuplicates += other.possibleDuplicates
    fuzzyMatches += other.fuzzyMatches
    correctionsApplied += other.correctionsApplied
    if let more = other.remarked { remarked = (remarked ?? 0) + more }
    if let more = other.decidedOutside { decidedOutside = (decidedOutside ?? 0) + more }
    if let more = other.duplicatesAcrossDistricts {
      duplicatesAcrossDistricts = (duplicatesAcrossDistricts ?? 0) + more
    }
  }
}
