import Foundation
import Testing

@testable import SurveyCore

@Suite struct ManifestBuilderTests {
  /// A run folder holding the summaries the stages would have written.
  struct RunFolder {
    let url: URL

    init(ingest: IngestSummary? = nil, normalise: NormaliseSummary? = nil, unsettled: UnsettledList? = nil) throws {
      url = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)")
        .appendingPathComponent("20261130T020000Z")
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      if let ingest { try StableJSON.write(ingest, to: url.appendingPathComponent(ArtefactName.ingestSummary)) }
      if let normalise {
        try StableJSON.write(normalise, to: url.appendingPathComponent(ArtefactName.normaliseSummary))
      }
      if let unsettled { try StableJSON.write(unsettled, to: url.appendingPathComponent(ArtefactName.unsettled)) }
    }

    func facts(_ stages: [String]) -> RunFacts {
      RunFacts(
        runDirectory: url, startedAt: Date(timeIntervalSince1970: 1_796_004_000),
        finishedAt: Date(timeIntervalSince1970: 1_796_004_005), stages: stages.compactMap(StageRecord.init(argument:)),
        revision: "abc1234", inputFolder: "/srv/input", previousRun: "20261129T020000Z")
    }

    func remove() { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
  }

  static func ingestSummary(rejected: Int = 0, setAside: Bool = false) -> IngestSummary {
    var a = IngestFileSummary(file: "hung-ha.csv", bytes: 2048)
    a.sha256 = String(repeating: "a", count: 64)
    a.encoding = "utf-8"
    a.delimiter = ","
    a.rowsRead = 13
    a.rowsPassed = 8 - rejected
    a.rowsSkippedBlank = 1
    a.rowsSkippedTotals = 1
    a.rowsSkippedSignature = 3
    a.rowsRejected = rejected
    var b = IngestFileSummary(file: "vu-thu.csv", bytes: 99)
    if setAside {
      b.status = .setAside
      b.problem = "unterminated quote"
    } else {
      b.status = .empty
    }
    return IngestSummary(files: [a, b])
  }

  static func normaliseSummary(review: Int) -> NormaliseSummary {
    var counts = NormaliseCounts()
    counts.rowsIn = 8
    counts.counted = 8 - review - 1
    counts.duplicates = 1
    counts.review = review
    return NormaliseSummary(files: [NormaliseFileSummary(file: "hung-ha.csv", counts: counts)], totals: counts)
  }

  @Test func aCleanRunIsCompleteWithInputsTotalsTimingsAndArtefacts() throws {
    let folder = try RunFolder(
      ingest: Self.ingestSummary(), normalise: Self.normaliseSummary(review: 0),
      unsettled: UnsettledList(windowSeconds: 60, files: [UnsettledFile(file: "late.csv", bytes: 7, reason: "x")]))
    defer { folder.remove() }
    try Data("a,b\n".utf8).write(to: folder.url.appendingPathComponent("establishments.csv"))
    try Data("old".utf8).write(to: folder.url.appendingPathComponent(ArtefactName.manifest))
    try Data("msg".utf8).write(to: folder.url.appendingPathComponent(ArtefactName.message))
    try Data("tmp".utf8).write(to: folder.url.appendingPathComponent(".ingested.csv.tmp-1"))

    let manifest = try ManifestBuilder.build(folder.facts(["ingest:0:812", "normalise:0:390"]))

    #expect(manifest.runID == "20261130T020000Z")
    #expect(manifest.status == .complete)
    #expect(manifest.exitCode == 0)
    #expect(manifest.failedStage == nil)
    #expect(manifest.startedAt == "2026-11-30T02:00:00Z")
    #expect(manifest.program == ManifestProgram(revision: "abc1234"))
    #expect(manifest.inputs.map(\.file) == ["hung-ha.csv", "vu-thu.csv"])
    #expect(manifest.inputs[0].sha256 == String(repeating: "a", count: 64))
    #expect(manifest.inputs[0].rowsSkipped == 5)
    #expect(manifest.inputs[0].normalise?.duplicates == 1)
    #expect(manifest.inputs[1].normalise == nil)
    #expect(manifest.unsettled.map(\.file) == ["late.csv"])
    #expect(manifest.totals.files == 2)
    #expect(manifest.totals.filesUnsettled == 1)
    #expect(manifest.totals.rowsRead == 13)
    #expect(manifest.totals.rowsSkipped == 5)
    #expect(manifest.totals.counted == 7)
    #expect(manifest.totals.duplicates == 1)
    #expect(manifest.totals.review == 0)
    #expect(manifest.stages.map(\.milliseconds) == [812, 390])
    #expect(
      manifest.artefacts.map(\.file)
        == ["establishments.csv", "ingest-summary.json", "normalise-summary.json", "unsettled.json"])
    #expect(manifest.artefacts[0].sha256 == "5be08c9684a1d25efcee09318204824278b08bbfb4aef973ffefd0b9d7478313")
    #expect(manifest.artefacts[0].bytes == 4)
    #expect(ManifestBuilder.attention(manifest) == nil)
  }

  @Test func reviewRowsRejectsAndSetAsideFilesMakeItNeedReview() throws {
    let folder = try RunFolder(
      ingest: Self.ingestSummary(rejected: 2, setAside: true), normalise: Self.normaliseSummary(review: 3))
    defer { folder.remove() }
    let manifest = try ManifestBuilder.build(folder.facts(["ingest:0:5", "normalise:0:5"]))
    #expect(manifest.status == .needsReview)
    #expect(manifest.exitCode == 1)
    #expect(manifest.totals.rejected == 2)
    #expect(manifest.totals.filesSetAside == 1)
    #expect(
      ManifestBuilder.attention(manifest)
        == "run 20261130T020000Z is complete; for an analyst: 3 rows to review in review.csv; "
        + "2 rows rejected (rejects.csv); 1 file set aside (vu-thu.csv)")

    // Scans of paper forms by the dozen are counted; the survey file set aside is still named.
    var scans = Self.ingestSummary(setAside: true)
    for number in 1...12 {
      var scan = IngestFileSummary(file: "scan-\(number < 10 ? "0" : "")\(number).jpg", bytes: 10)
      scan.status = .setAside
      scan.problem = FileProblem.notAnExport(".jpg").english
      scans.files.append(scan)
    }
    let many = try RunFolder(ingest: scans, normalise: Self.normaliseSummary(review: 0))
    defer { many.remove() }
    #expect(
      ManifestBuilder.attention(try ManifestBuilder.build(many.facts(["ingest:0:5", "normalise:0:5"])))
        == "run 20261130T020000Z is complete; for an analyst: 13 files set aside (vu-thu.csv, 12 not survey "
        + "exports)")
  }

  /// A file that repeats another's rows (sent again under a new name) counts some establishments twice: the
  /// run needs an analyst even with nothing in review.
  @Test func aFileSharingMostOfItsRowsWithAnotherMakesItNeedReview() throws {
    var normalise = Self.normaliseSummary(review: 0)
    normalise.fileOverlaps = [FileOverlap(file: "hung-ha.csv", other: "vu-thu.csv", rows: 6, of: 7, countedTwice: 2)]
    let folder = try RunFolder(ingest: Self.ingestSummary(), normalise: normalise)
    defer { folder.remove() }
    let manifest = try ManifestBuilder.build(folder.facts(["ingest:0:5", "normalise:0:5"]))
    #expect(manifest.status == .needsReview && manifest.exitCode == 1)
    #expect(manifest.totals.filesOverlapping == 1)
    #expect(
      ManifestBuilder.attention(manifest)
        == "run 20261130T020000Z is complete; for an analyst: 1 file repeating rows of another file or of itself "
        + "(establishments counted twice: sent again under a new name, or pasted twice? see the report's data quality)")
    // An overlap merged by tax codes alone counts nothing twice: it is said in the report, and needs no one.
    normalise.fileOverlaps![0].countedTwice = 0
    let merged = try RunFolder(ingest: Self.ingestSummary(), normalise: normalise)
    defer { merged.remove() }
    let quiet = try ManifestBuilder.build(merged.facts(["ingest:0:5", "normalise:0:5"]))
    #expect(quiet.status == .complete && quiet.totals.filesOverlapping == 0)
  }

  @Test func withoutTheNormaliseStageItsCountsAreLeftOut() throws {
    let folder = try RunFolder(ingest: Self.ingestSummary())
    defer { folder.remove() }
    let manifest = try ManifestBuilder.build(folder.facts(["ingest:0:5"]))
    #expect(manifest.status == .complete)
    #expect(manifest.totals.counted == nil)
    #expect(manifest.totals.review == nil)
    let json = try StableJSON.encode(manifest)
    #expect(!json.contains("\"counted\""))
  }

  @Test(arguments: [(Int32(65), Int32(65)), (1, 70), (137, 137), (74, 74)])
  func aFailedStageFailsTheRunWithItsCode(stageExit: Int32, runExit: Int32) throws {
    let folder = try RunFolder(ingest: Self.ingestSummary())
    defer { folder.remove() }
    let manifest = try ManifestBuilder.build(folder.facts(["ingest:0:5", "normalise:\(stageExit):9"]))
    #expect(manifest.status == .failed)
    #expect(manifest.exitCode == runExit)
    #expect(manifest.failedStage == "normalise")
    #expect(ManifestBuilder.attention(manifest) == nil)
  }

  /// Every input file still being written: nothing read, so the run waits (75) and does not become latest; one
  /// file read and another waiting is an ordinary run.
  @Test func aRunThatReadNothingBecauseEveryFileWasBeingWrittenWaits() throws {
    let waiting = UnsettledList(windowSeconds: 60, files: [UnsettledFile(file: "a.csv", bytes: 9, reason: "new")])
    let nothing = try RunFolder(
      ingest: IngestSummary(files: []), normalise: NormaliseSummary(files: [], totals: NormaliseCounts()),
      unsettled: waiting)
    defer { nothing.remove() }
    let manifest = try ManifestBuilder.build(nothing.facts(["ingest:0:5", "normalise:0:5"]))
    #expect(manifest.status == .waiting && manifest.exitCode == 75)
    #expect(manifest.totals.filesUnsettled == 1)
    let some = try RunFolder(ingest: Self.ingestSummary(), unsettled: waiting)
    defer { some.remove() }
    #expect(try ManifestBuilder.build(some.facts(["ingest:0:5"])).status == .complete)

    // A workbook set aside beside them reads no row either: the run still waits, rather than mail an empty report.
    var workbook = IngestFileSummary(file: "Kiến Xương.xlsx", bytes: 5)
    workbook.status = .setAside
    workbook.problem = "a spreadsheet workbook (.xlsx), which is not read"
    let setAside = try RunFolder(
      ingest: IngestSummary(files: [workbook]), normalise: NormaliseSummary(files: [], totals: NormaliseCounts()),
      unsettled: waiting)
    defer { setAside.remove() }
    #expect(try ManifestBuilder.build(setAside.facts(["ingest:0:5", "normalise:0:5"])).status == .waiting)
  }

  /// Every file set aside or empty, none being written: the run read no row, so it must neither become latest nor
  /// be mailed (66, as for an empty input folder), and one line names the files and what to do (an operator's
  /// round: the empty report became latest and was mailed). One file read makes it an ordinary run.
  @Test func aRunThatCouldReadNoSurveyFileCountsNothingWith66() throws {
    var workbook = IngestFileSummary(file: "Kiến Xương.xlsx", bytes: 5)
    workbook.status = .setAside
    workbook.problem = FileProblem.notAnExport(".xlsx").english
    var blank = IngestFileSummary(file: "vu-thu.csv", bytes: 99)
    blank.status = .empty
    let folder = try RunFolder(
      ingest: IngestSummary(files: [workbook, blank]),
      normalise: NormaliseSummary(files: [], totals: NormaliseCounts()))
    defer { folder.remove() }
    let manifest = try ManifestBuilder.build(folder.facts(["ingest:0:5", "normalise:0:5", "report:0:5"]))
    #expect(manifest.status == .nothingRead && manifest.exitCode == 66)
    #expect(ManifestBuilder.attention(manifest) == nil)
    #expect(
      ManifestBuilder.nothingRead(manifest, manifestPath: "/srv/m.json")
        == "run 20261130T020000Z read no survey file, so it counted nothing: every file in the input folder was set "
        + "aside or held no rows (Kiến Xương.xlsx, vu-thu.csv (no rows)); open each workbook in Excel, save it as "
        + "\"CSV UTF-8\" into the input folder and move the workbook out; why each file was not read is in the lines "
        + "above and in rejects.csv; latest is unchanged and nothing was mailed; see /srv/m.json")
    let encoded = String(decoding: try JSONEncoder().encode(manifest.status), as: UTF8.self)
    #expect(encoded == "\"nothing_read\"")

    let some = try RunFolder(ingest: Self.ingestSummary(setAside: true))
    defer { some.remove() }
    let ordinary = try ManifestBuilder.build(some.facts(["ingest:0:5"]))
    #expect(ordinary.status == .needsReview)
    #expect(ManifestBuilder.nothingRead(ordinary, manifestPath: "/srv/m.json") == nil)
  }

  @Test func aRunThatFailedBeforeIngestWroteAnythingStillGetsAManifest() throws {
    let folder = try RunFolder()
    defer { folder.remove() }
    let manifest = try ManifestBuilder.build(folder.facts(["ingest:66:3"]))
    #expect(manifest.status == .failed)
    #expect(manifest.inputs.isEmpty)
    #expect(manifest.artefacts.isEmpty)
  }

  @Test func anUnreadableSummaryIsAnError() throws {
    let folder = try RunFolder()
    defer { folder.remove() }
    try Data("{".utf8).write(to: folder.url.appendingPathComponent(ArtefactName.ingestSummary))
    #expect(throws: PipelineError.self) { try ManifestBuilder.build(folder.facts(["ingest:0:1"])) }
  }

  @Test func stageArgumentsParse() {
    #expect(StageRecord(argument: "report:0:1200") == StageRecord(name: "report", exitCode: 0, milliseconds: 1200))
    #expect(StageRecord(argument: "report:x:1") == nil)
    #expect(StageRecord(argument: ":0:1") == nil)
    #expect(StageRecord(argument: "report:0") == nil)
  }
}
