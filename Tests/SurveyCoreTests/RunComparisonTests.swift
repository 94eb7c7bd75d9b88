/// What changed since the previous run: files by SHA-256, establishments by tax code or name and district, movement.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct RunComparisonTests {
  /// A previous run of `before` with its report written (so its ranking is there), and this run's folder of
  /// `after` with its ingest summary.
  static func runs(before: [CountedEstablishment], after: [CountedEstablishment]) throws -> (
    previous: URL, current: URL, ingest: IngestSummary
  ) {
    let previous = try ReportFixtures.temporaryFolder()
    let current = try ReportFixtures.temporaryFolder()
    try ReportFixtures.writeRun(before, to: previous)
    try ReportFixtures.writeRun(after, to: current)
    try ReportStage.run(
      runDirectory: previous, reference: ReportFixtures.reference, options: ReportOptions(minimumEstablishments: 1))
    let ingest = try StableJSON.read(
      IngestSummary.self, from: current.appendingPathComponent(ArtefactName.ingestSummary))
    return (previous, current, ingest)
  }

  @Test func comparesFilesEstablishmentsAndRanks() throws {
    let before = [
      ReportFixtures.establishment(1, needs: ["marketing"], taxCode: "1000000001"),
      ReportFixtures.establishment(2, needs: ["marketing"]),
      ReportFixtures.establishment(3, needs: ["machinery"], file: "b.csv"),
    ]
    var moved = before[0]
    moved.sourceLine = 40  // same tax code on another line: the same establishment
    let after = [moved, ReportFixtures.establishment(5, needs: ["machinery"], file: "c.csv")]
    var (previous, _, ingest) = try Self.runs(before: before, after: after)
    ingest.files[0].sha256 = String(repeating: "f", count: 64)  // a.csv changed
    let comparison = RunComparison.compare(previousRun: previous, ingest: ingest, establishments: after)
    #expect(comparison.newFiles == ["c.csv"])
    #expect(comparison.changedFiles == ["a.csv"])
    #expect(comparison.removedFiles == ["b.csv"])
    #expect(comparison.added.map(\.sourceLine) == [5])
    #expect(comparison.removedCount == 2)
    #expect(comparison.previousRanks["338|marketing|*"] == 1)
    #expect(comparison.missing.isEmpty)
  }

  /// A file set aside before it was read has no digest: it is changed only when its size or its reason is, not
  /// every night it stays in input/.
  @Test func aFileSetAsideUnreadIsChangedOnlyWhenItsSizeOrReasonIs() throws {
    let establishments = [ReportFixtures.establishment(1, needs: ["marketing"])]
    var (previous, _, ingest) = try Self.runs(before: establishments, after: establishments)
    func workbook(_ bytes: Int) -> IngestFileSummary {
      var file = IngestFileSummary(file: "vu-thu.xlsx", bytes: bytes)
      file.status = .setAside
      file.problem = FileProblem.notAnExport(".xlsx").english
      return file
    }
    let summaryURL = previous.appendingPathComponent(ArtefactName.ingestSummary)
    var before = try StableJSON.read(IngestSummary.self, from: summaryURL)
    before.files.append(workbook(4_096))
    try StableJSON.write(before, to: summaryURL)
    ingest.files.append(workbook(4_096))
    #expect(
      RunComparison.compare(previousRun: previous, ingest: ingest, establishments: establishments).changedFiles == [])
    ingest.files[ingest.files.count - 1] = workbook(5_120)
    #expect(
      RunComparison.compare(previousRun: previous, ingest: ingest, establishments: establishments).changedFiles == [
        "vu-thu.xlsx"
      ])
  }

  /// A file named like last night's but for how its accents are encoded (a Mac's NFD) is a new file, set aside;
  /// the file read both nights has not changed.
  @Test func aTwinNamedInNFDIsNewNotTheOldFileChanged() throws {
    let establishments = [ReportFixtures.establishment(1, needs: ["marketing"])]
    var (previous, _, ingest) = try Self.runs(before: establishments, after: establishments)
    let name = "đông-hưng.csv"
    let summaryURL = previous.appendingPathComponent(ArtefactName.ingestSummary)
    var before = try StableJSON.read(IngestSummary.self, from: summaryURL)
    var read = IngestFileSummary(file: name.precomposedStringWithCanonicalMapping, bytes: 10)
    read.sha256 = String(repeating: "c", count: 64)
    before.files.append(read)
    try StableJSON.write(before, to: summaryURL)
    var twin = IngestFileSummary(file: name.decomposedStringWithCanonicalMapping, bytes: 10)
    twin.status = .setAside
    twin.problem = FileProblem.sameName(as: read.file).english
    ingest.files.append(read)
    ingest.files.append(twin)
    let comparison = RunComparison.compare(previousRun: previous, ingest: ingest, establishments: establishments)
    #expect(comparison.changedFiles == [])
    #expect(comparison.newFiles.map { Array($0.utf8) } == [Array(twin.file.utf8)])
  }

  /// A file still being written when the run started (`unsettled.json`) is waiting, not removed, and its
  /// establishments of the previous run are not counted as removed; the report says so.
  @Test func aFileLeftForTheNextRunIsWaitingNotRemoved() throws {
    let before = [
      ReportFixtures.establishment(1, needs: ["marketing"], taxCode: "1000000001"),
      ReportFixtures.establishment(2, needs: ["marketing"]),
      ReportFixtures.establishment(3, needs: ["machinery"], file: "b.csv"),
      ReportFixtures.establishment(4, needs: ["machinery"], file: "b.csv", taxCode: "1000000004"),
    ]
    let after = [before[0]]
    let (previous, current, ingest) = try Self.runs(before: before, after: after)
    var tracker = RunComparison.Tracker(previousRun: previous, waiting: ["b.csv"])
    for establishment in after {
      var fold: String?
      tracker.add(establishment, fold: &fold)
    }
    let comparison = tracker.finish(ingest: ingest)
    #expect(comparison.removedFiles.isEmpty)
    #expect(comparison.waitingFiles == ["b.csv"])
    #expect(comparison.removedCount == 1)  // a.csv line 2, not the two rows of b.csv

    try StableJSON.write(
      UnsettledList(windowSeconds: 60, files: [UnsettledFile(file: "b.csv", bytes: 10, reason: "changed 2 s ago")]),
      to: current.appendingPathComponent(ArtefactName.unsettled))
    try ReportStage.run(
      runDirectory: current, reference: ReportFixtures.reference,
      options: ReportOptions(language: .en, previousRun: previous, minimumEstablishments: 1))
    let report = try String(contentsOf: current.appendingPathComponent(ArtefactName.report), encoding: .utf8)
    #expect(report.contains("- Files still being written when the run started, left for the next run"))
    #expect(report.contains("**0** added, **1** removed"))
    #expect(report.contains("`b.csv` was still being written when the run started and was not read"))
    #expect(!report.contains("Files no longer present"))
  }

  @Test func aPreviousRunWithoutItsFilesIsSaidNotGuessed() throws {
    let previous = try ReportFixtures.temporaryFolder()
    let comparison = RunComparison.compare(
      previousRun: previous, ingest: IngestSummary(files: []), establishments: [])
    #expect(
      comparison.missing == [ArtefactName.ingestSummary, ArtefactName.establishments, ArtefactName.recommendations])
  }

  @Test func anUnreadablePreviousFileIsSaidWithItsReason() throws {
    let previous = try ReportFixtures.temporaryFolder()
    try "{\"files\": [{\"file\": \"a.csv\"}]}".write(
      to: previous.appendingPathComponent(ArtefactName.ingestSummary), atomically: true, encoding: .utf8)
    let comparison = RunComparison.compare(previousRun: previous, ingest: IngestSummary(files: []), establishments: [])
    #expect(comparison.missing.first == ArtefactName.ingestSummary)
    #expect(comparison.unreadable[ArtefactName.ingestSummary]?.contains("not a valid summary") == true)
    #expect(comparison.changedAfterRun.isEmpty)
  }

  /// A previous artefact that is not what its run wrote (cut short at a row's end, or edited to the same size) is
  /// said so and left out: read as it was, an `establishments.csv` cut after 60 rows made the next report name
  /// every establishment past the cut as new, and a cut ranking marked its lower half "new".
  @Test func aPreviousArtefactChangedSinceItsRunIsLeftOut() throws {
    let establishments = (1...6).map { ReportFixtures.establishment($0, needs: ["marketing"]) }
    let (previous, _, ingest) = try Self.runs(before: establishments, after: establishments)
    struct Recorded: Encodable { var artefacts: [ManifestArtefact] }
    try StableJSON.write(
      Recorded(artefacts: ManifestBuilder.artefacts(in: previous)),
      to: previous.appendingPathComponent(ArtefactName.manifest))
    let whole = RunComparison.compare(previousRun: previous, ingest: ingest, establishments: establishments)
    #expect(whole.missing.isEmpty && whole.addedCount == 0 && !whole.previousRanks.isEmpty)

    let csv = previous.appendingPathComponent(ArtefactName.establishments)
    let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
    try (lines.prefix(3).joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)
    let ranking = previous.appendingPathComponent(ArtefactName.recommendations)
    var bytes = try [UInt8](Data(contentsOf: ranking))
    let at = try #require(bytes.indices.last { bytes[$0] == UInt8(ascii: "g") })
    bytes[at] = UInt8(ascii: "G")
    try Data(bytes).write(to: ranking)

    let changed = RunComparison.compare(previousRun: previous, ingest: ingest, establishments: establishments)
    #expect(changed.missing == [ArtefactName.establishments, ArtefactName.recommendations])
    // Cut short: told by its size, which is all that is checked of an artefact above 8 MiB.
    #expect(changed.unreadable[ArtefactName.establishments]?.contains("changed after its run: ") == true)
    #expect(changed.unreadable[ArtefactName.establishments]?.contains(" bytes, where that run's manifest.json") == true)
    #expect(changed.unreadable[ArtefactName.recommendations]?.contains("SHA-256") == true)
    #expect(changed.changedAfterRun == [ArtefactName.establishments, ArtefactName.recommendations])
    #expect(changed.addedCount == 0 && changed.previousRanks.isEmpty)
    // The ingest summary, as its run wrote it, is still compared.
    #expect(changed.newFiles.isEmpty && changed.changedFiles.isEmpty && changed.removedFiles.isEmpty)
  }

  /// The previous identities read as bytes, from the CSV or its companion, are the ones its cells as Strings give.
  @Test func previousIdentitiesAreTheCellsAsStrings() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let csv = folder.file(ArtefactName.establishments)
    let header = ["source_file", "source_line", "tax_code", "name", "district_code"]
    let rows = [
      ["a.csv", "2", "1000000001", "A", "338"], ["a.csv", "3", " ", "Cơ sở B", "338"],
      ["a.csv", " 4", "", "C ", "339"],
      ["tệp b.csv", "5", "", "cơ sở b", "338"], ["tệp b.csv\u{A0}", "6", "\t1000000002 ", "E", "340"],
      ["c.csv", "x", "", "F", "344"], ["a.csv", "2", "1000000001", "duplicate", "338"],
    ]
    let writer = try CSVWriter(csv, header: header)
    for row in rows { try writer.write(row) }
    try writer.commit()
    // "Cơ sở B" and "cơ sở b" in 338 are one name: two establishments of it.
    let expected = [
      "1000000001": 1, "co so b|338": 2, "c|339": 1, "1000000002": 1, "f|344": 1,
    ]
    for _ in 0..<2 {
      let all = try RunComparison.identities(in: csv).all
      #expect(all.mapValues(\.had) == expected)
      #expect(all.values.allSatisfy { $0.unseen == $0.had })
      try EstablishmentsReaderTests.writeCompanion(of: csv)
    }
  }

  /// The previous tax codes are met in their order until one is not; the answers and the count of those not
  /// seen must be a set's, whatever the orders: the same order, a row dropped or added, two rows swapped, another
  /// order altogether, a tax code given twice on either side (kept apart by an analyst's `distinct` decision).
  @Test(arguments: 0..<6) func taxCodesMetInOrderAnswerAsASetDoes(shape: Int) {
    var random = RecommenderTests.Generator(state: UInt64(7 + shape))
    func code(_ number: Int) -> String { String(1_000_000_000 + number * 7919) }
    let before = (0..<400).map { index in code(index % 97 == 5 ? index - 1 : index) }  // some codes twice
    var after = before
    switch shape {
    case 1: after.removeLast(30)
    case 2: after += (400..<420).map(code)
    case 3: after.swapAt(150, 151)
    case 4: after.remove(at: 200)
    case 5:
      for index in after.indices.dropLast().reversed() { after.swapAt(index, index + random.next(after.count - index)) }
    default: break
    }
    if shape >= 3 { after.insert(code(10), at: 300) }  // a code of the previous run met twice
    // Asked for the count halfway, the identities make their table then; not asked, they may meet every code in
    // order to the end and never make it.
    for askedHalfway in [false, true] {
      let identities = PreviousIdentities(expected: before.count)
      for taxCode in before { identities.insert(taxKey: TaxKey.pack(taxCode)!) }
      identities.insert(text: "Cơ sở A|340")
      var seen = Set<String>()
      for (line, taxCode) in after.enumerated() {
        let establishment = ReportFixtures.establishment(line + 2, needs: [], taxCode: taxCode)
        #expect(identities.see(establishment) == before.contains(taxCode), "\(shape): \(taxCode) at \(line)")
        seen.insert(taxCode)
        if askedHalfway && line == after.count / 2 {
          #expect(identities.unseen == Set(before).subtracting(seen).count + 1, "\(shape) halfway")
        }
      }
      #expect(identities.unseen == Set(before).subtracting(seen).count + 1, "\(shape), \(askedHalfway)")
      let all = identities.all
      #expect(all.count == Set(before).count + 1)
      for taxCode in Set(before) { #expect(all[taxCode]?.unseen == (seen.contains(taxCode) ? 0 : 1), "\(taxCode)") }
    }
  }

  /// A row added above households without tax codes moves their lines, not their identities: the comparison
  /// counts the one added, not every household below it as added and removed.
  @Test func householdsWithoutTaxCodesAreKnownByNameAndDistrictNotLine() throws {
    let before = (1...3).map { ReportFixtures.establishment($0, needs: ["marketing"]) }
    var moved = before.map { establishment in
      var moved = establishment
      moved.sourceLine += 1
      return moved
    }
    var added = ReportFixtures.establishment(1, needs: ["training"])
    added.name = "Hộ mới thêm"
    moved.insert(added, at: 0)
    let (previous, _, ingest) = try Self.runs(before: before, after: moved)
    let comparison = RunComparison.compare(previousRun: previous, ingest: ingest, establishments: moved)
    #expect(comparison.addedCount == 1 && comparison.removedCount == 0)
    #expect(comparison.added.map(\.name) == ["Hộ mới thêm"])
  }
}

extension RunComparisonTests {
  /// The file read every night comes again under a name alike (its case changed, or its accents encoded by a
  /// Mac) and waits for the settle window: its establishments of the previous run are waiting, not removed, and
  /// the file is not said to be gone. Rows of a file read are listed though its NFD twin was set aside.
  @Test func aFileWaitingUnderANameAlikeIsWaitingNotRemoved() throws {
    let nfc = "Hưng Hà.csv"
    let nfd = nfc.decomposedStringWithCanonicalMapping
    let before =
      (1...4).map { ReportFixtures.establishment($0, needs: ["marketing"], file: "hung-ha.csv") }
      + (5...6).map { ReportFixtures.establishment($0, needs: ["marketing"], file: nfc) }
      + [ReportFixtures.establishment(9, needs: ["marketing"], file: "b.csv", taxCode: "1000000009")]
    let after = [before[6]]
    let (previous, _, ingest) = try Self.runs(before: before, after: after)
    for waiting in [["Hung-Ha.csv", nfd], ["HUNG-HA.CSV", nfd]] {
      var tracker = RunComparison.Tracker(previousRun: previous, waiting: waiting)
      var fold: String?
      tracker.add(after[0], fold: &fold)
      let comparison = tracker.finish(ingest: ingest)
      #expect(comparison.addedCount == 0 && comparison.removedCount == 0, "\(waiting)")
      #expect(comparison.removedFiles.isEmpty && comparison.waitingFiles.count == 2)
    }

    let folder = try ReportFixtures.temporaryFolder()
    try Data("source_file,source_line,stage,reason,column,value\n\(nfc),7,normalise,thiếu tên cơ sở,name,\n".utf8)
      .write(to: folder.appendingPathComponent(ArtefactName.rejects))
    let listed = try ListedRows.read(
      folder.appendingPathComponent(ArtefactName.rejects), value: "value", leavingOut: [nfd])
    #expect(listed.total == 1)
  }
}

extension RunComparisonTests {
  /// A copy set aside unread is not "changed" when only the file read changed: its message names that file's
  /// size and date, which are not the copy's; nor the first night after an upgrade that added them.
  @Test func aCopySetAsideIsNotChangedWhenOnlyTheFileReadChanged() throws {
    let rows = [ReportFixtures.establishment(1, needs: ["marketing"], taxCode: "1000000001")]
    let (previous, _, _) = try Self.runs(before: rows, after: rows)
    func copy(_ stamps: FileProblem.TwinStamps?) -> IngestFileSummary {
      var file = IngestFileSummary(file: "A.csv", bytes: 120)
      file.status = .setAside
      let problem = FileProblem.sameName(as: "a.csv", stamps: stamps)
      file.problemDetail = problem
      file.problem = problem.english
      return file
    }
    let summary = previous.appendingPathComponent(ArtefactName.ingestSummary)
    var before = try StableJSON.read(IngestSummary.self, from: summary)
    var now = before
    before.files.append(copy(nil))
    try StableJSON.write(before, to: summary)
    let stamps = FileProblem.TwinStamps(
      thisBytes: 120, thisChanged: "01/11/2025 08:00", otherBytes: 99, otherChanged: "29/11/2026 07:00")
    now.files.append(copy(stamps))
    let comparison = RunComparison.compare(previousRun: previous, ingest: now, establishments: rows)
    #expect(comparison.changedFiles.isEmpty && comparison.newFiles.isEmpty && comparison.removedFiles.isEmpty)
  }
}

/// A file the previous run left waiting is compared with the last run that read it: the waiting night neither
/// counted it nor counted it removed, so comparing with that night alone made it "new" when it came back unchanged,
/// and never "gone" when it was deleted instead.
extension RunComparisonTests {
  /// One night of a chain: the establishments counted, the files left for the next night, the files whose
  /// content differs from every other night's, and an earlier night's run pruned, or its establishments.csv
  /// damaged, before this one runs.
  struct Night {
    var establishments: [CountedEstablishment]
    var waiting: [String] = []
    var changed: [String] = []
    var pruning: Int?
    var damaging: Int?
  }

  /// Night `index`'s run id.
  static func runID(_ index: Int) -> String { "2026110\(index + 1)T020000Z" }

  /// Runs the nights in order in one `runs/` folder as run-pipeline chains them: each night's manifest names the
  /// night before (`previous_run`), and its report is compared with that night. Returns each night's report input.
  static func chain(_ nights: [Night]) throws -> [ReportInput] {
    let runs = try ReportFixtures.temporaryFolder()
    var previous: URL?
    var inputs: [ReportInput] = []
    for (index, night) in nights.enumerated() {
      if let pruned = night.pruning {
        try FileManager.default.removeItem(at: runs.appendingPathComponent(runID(pruned)))
      }
      if let damaged = night.damaging {
        try Data("source_file,name\n".utf8).write(
          to: runs.appendingPathComponent(runID(damaged)).appendingPathComponent(ArtefactName.establishments))
      }
      let run = runs.appendingPathComponent(runID(index), isDirectory: true)
      try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
      try write(night, to: run, after: previous)
      inputs.append(
        try ReportStage.run(
          runDirectory: run, reference: ReportFixtures.reference,
          options: ReportOptions(language: .en, previousRun: previous, minimumEstablishments: 1)))
      previous = run
    }
    return inputs
  }

  /// What ingest, normalise and run-pipeline leave in a night's run folder before its report.
  static func write(_ night: Night, to run: URL, after previous: URL?) throws {
    try ReportFixtures.writeRun(night.establishments, to: run)
    if !night.changed.isEmpty {
      let url = run.appendingPathComponent(ArtefactName.ingestSummary)
      var summary = try StableJSON.read(IngestSummary.self, from: url)
      for index in summary.files.indices where night.changed.contains(summary.files[index].file) {
        summary.files[index].sha256 = String(repeating: "f", count: 64)
      }
      try StableJSON.write(summary, to: url)
    }
    if !night.waiting.isEmpty {
      let files = night.waiting.map { UnsettledFile(file: $0, bytes: 100, reason: "changed 2 s ago") }
      try StableJSON.write(
        UnsettledList(windowSeconds: 60, files: files), to: run.appendingPathComponent(ArtefactName.unsettled))
    }
    // The one field the comparison reads, among others it must pass over.
    let link = previous.map { "{\"previous_run\": \"\($0.lastPathComponent)\", \"status\": \"complete\"}" } ?? "{}"
    try Data(link.utf8).write(to: run.appendingPathComponent(ArtefactName.manifest))
  }

  /// One district's file, read every night; the file of the district that waits, one row with a tax code.
  static let district = [
    ReportFixtures.establishment(1, needs: ["marketing"], taxCode: "1000000001"),
    ReportFixtures.establishment(2, needs: ["marketing"]),
  ]
  static let quynhPhu = [
    ReportFixtures.establishment(1, needs: ["machinery"], file: "quynh-phu.csv", taxCode: "1000000011"),
    ReportFixtures.establishment(2, needs: ["machinery"], file: "quynh-phu.csv"),
    ReportFixtures.establishment(3, needs: ["training"], file: "quynh-phu.csv"),
  ]
  static let waitingNight = Night(establishments: district, waiting: ["quynh-phu.csv"])

  /// Waiting one night, then deleted: the night after says the file and its establishments are gone.
  @Test func aFileThatWaitedAndWasDeletedIsRemovedWithItsEstablishments() throws {
    let inputs = try Self.chain([
      Night(establishments: Self.district + Self.quynhPhu), Self.waitingNight, Night(establishments: Self.district),
    ])
    let waiting = try #require(inputs[1].comparison)
    #expect(waiting.removedFiles.isEmpty && waiting.removedCount == 0 && waiting.waitingFiles == ["quynh-phu.csv"])
    #expect(
      ReportRenderer(inputs[1], language: .en).render().contains(
        "left for the next run (their establishments are not in this run's figures or ranking, nor counted as "
          + "removed): `quynh-phu.csv`."))
    let comparison = try #require(inputs[2].comparison)
    #expect(comparison.removedFiles == ["quynh-phu.csv"])
    #expect(comparison.newFiles.isEmpty && comparison.changedFiles.isEmpty)
    #expect(comparison.addedCount == 0 && comparison.removedCount == 3)
    #expect(comparison.comparedEarlier == [EarlierComparison(run: Self.runID(0), files: ["quynh-phu.csv"])])
    let report = ReportRenderer(inputs[2], language: .en).render()
    #expect(report.contains("- Files no longer present: `quynh-phu.csv`."))
    #expect(report.contains("**0** added, **3** removed"))
    #expect(
      report.contains(
        "- Still being written at the previous run, so the files and their establishments are compared with run "
          + "`\(Self.runID(0))`, the last that read them (the ranking still with the previous run, which did not "
          + "count them): `quynh-phu.csv`."))
  }

  /// Waiting one night, or two, then read unchanged: nothing changed since the night that read it last.
  @Test(arguments: [1, 2]) func aFileThatWaitedAndCameBackUnchangedIsNeitherNewNorAdded(nightsWaiting: Int) throws {
    let inputs = try Self.chain(
      [Night(establishments: Self.district + Self.quynhPhu)]
        + Array(repeating: Self.waitingNight, count: nightsWaiting)
        + [Night(establishments: Self.district + Self.quynhPhu)])
    let comparison = try #require(inputs.last?.comparison)
    #expect(comparison.newFiles.isEmpty && comparison.changedFiles.isEmpty && comparison.removedFiles.isEmpty)
    #expect(comparison.addedCount == 0 && comparison.removedCount == 0)
    #expect(comparison.comparedEarlier.map(\.run) == [Self.runID(0)])
    let report = ReportRenderer(try #require(inputs.last), language: .vi).render()
    #expect(report.contains("- Tệp khảo sát: không có tệp mới hay tệp thay đổi."))
    #expect(report.contains("- Cơ sở: không thêm, không bớt"))
    #expect(!report.contains("Tệp mới"))
  }

  /// Waiting, then read with one establishment more: the file is changed and one establishment added, not four.
  @Test func aFileThatWaitedAndCameBackChangedIsChangedByWhatItGained() throws {
    var grown = Self.quynhPhu + [ReportFixtures.establishment(4, needs: ["training"], file: "quynh-phu.csv")]
    grown[3].name = "Hộ mới"
    let inputs = try Self.chain([
      Night(establishments: Self.district + Self.quynhPhu), Self.waitingNight,
      Night(establishments: Self.district + grown, changed: ["quynh-phu.csv"]),
    ])
    let comparison = try #require(inputs.last?.comparison)
    #expect(comparison.changedFiles == ["quynh-phu.csv"] && comparison.newFiles.isEmpty)
    #expect(comparison.addedCount == 1 && comparison.removedCount == 0)
    #expect(comparison.added.map(\.name) == ["Hộ mới"])
  }

  /// A file first seen while it was being written was never read: it is new when it is read, with its
  /// establishments. One still waiting tonight is compared with nothing.
  @Test func aFileNeverReadBeforeIsNewAndOneStillWaitingIsNotCompared() throws {
    let firstSeen = try Self.chain([
      Night(establishments: Self.district), Self.waitingNight, Night(establishments: Self.district + Self.quynhPhu),
    ])
    let comparison = try #require(firstSeen.last?.comparison)
    #expect(comparison.newFiles == ["quynh-phu.csv"] && comparison.addedCount == 3)
    #expect(comparison.comparedEarlier.isEmpty)

    let stillWaiting = try Self.chain([
      Night(establishments: Self.district + Self.quynhPhu), Self.waitingNight, Self.waitingNight,
    ])
    let waiting = try #require(stillWaiting.last?.comparison)
    #expect(waiting.removedFiles.isEmpty && waiting.removedCount == 0 && waiting.comparedEarlier.isEmpty)
  }

  /// The run that read the file last was pruned, or has lost its establishments: the search ends there, and the
  /// file is compared as new, as it was before the search existed, rather than with a run that never had it (nor
  /// "unchanged" while its establishments are "added").
  @Test(arguments: [true, false])
  func anEarlierRunPrunedOrUnreadableIsNoBaseline(pruned: Bool) throws {
    let last =
      pruned
      ? Night(establishments: Self.district + Self.quynhPhu, pruning: 0)
      : Night(establishments: Self.district + Self.quynhPhu, damaging: 0)
    let inputs = try Self.chain([Night(establishments: Self.district + Self.quynhPhu), Self.waitingNight, last])
    let comparison = try #require(inputs.last?.comparison)
    #expect(comparison.newFiles == ["quynh-phu.csv"] && comparison.addedCount == 3)
    #expect(comparison.comparedEarlier.isEmpty && comparison.missing.isEmpty)
  }

  /// A household of one name in one district in the waited file and in a file read every night is two
  /// establishments; a tax code in both, one.
  @Test func identitiesFromAnEarlierRunAddToThePreviousRunsOwn() throws {
    var twin = Self.quynhPhu  // its line 2 is "Cơ sở 2" in district 338, as the district's file's line 2 is
    twin[0].taxCode = Self.district[0].taxCode
    let inputs = try Self.chain([
      Night(establishments: Self.district + twin), Self.waitingNight, Night(establishments: Self.district),
    ])
    let comparison = try #require(inputs.last?.comparison)
    #expect(comparison.removedCount == 2)  // the household twin and line 3; the tax code is still here
  }
}
