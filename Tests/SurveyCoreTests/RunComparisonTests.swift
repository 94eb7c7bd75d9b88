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
