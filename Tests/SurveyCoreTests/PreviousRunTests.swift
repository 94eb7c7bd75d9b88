/// The run a new run compares itself with when `latest` is not what a run made it (`PreviousRun.choose`).
import Foundation
import Testing

@testable import SurveyCore

@Suite struct PreviousRunTests {
  /// Makes `OUTPUT/runs/<id>` with a manifest of `status` (none when nil).
  func makeRun(_ id: String, status: String?, in output: URL) throws {
    let folder = output.appendingPathComponent("runs").appendingPathComponent(id)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    if let status {
      try Data("{\"status\": \"\(status)\"}".utf8).write(to: folder.appendingPathComponent(ArtefactName.manifest))
    }
  }

  /// A run folder deleted within the second its run started, and the next run started in that same second: the
  /// new run takes the same id, so `latest` names a folder that exists again, but as the new run's own. CI found
  /// it (three runs a second apart in a fresh clone): the run compared itself with itself, unsaid.
  @Test func theRunStartingNowIsNeverItsOwnPreviousRun() throws {
    let output = try TemporaryFolder()
    defer { output.cleanUp() }
    try makeRun("20261202T034528Z", status: "complete", in: output.url)
    try makeRun("20261202T034529Z", status: "failed", in: output.url)
    try makeRun("20261202T034530Z", status: nil, in: output.url)  // the new run's folder, no manifest yet
    try FileManager.default.createSymbolicLink(
      atPath: output.file("latest").path, withDestinationPath: "runs/20261202T034530Z")
    let choice = PreviousRun.choose(outputDirectory: output.url, current: "20261202T034530Z")
    #expect(choice.run?.lastPathComponent == "20261202T034528Z")
    #expect(
      choice.note
        == "\(output.file("latest").path) pointed at a run folder that is gone (runs/20261202T034530Z); compared "
        + "with run 20261202T034528Z, the newest complete one")
    // Another run's folder that is there, and complete, is the previous run, with nothing to say.
    try makeRun("20261202T034530Z", status: "complete", in: output.url)
    let plain = PreviousRun.choose(outputDirectory: output.url, current: "20261202T034531Z")
    #expect(plain.run?.lastPathComponent == "20261202T034530Z" && plain.note == nil)
  }

  /// No `latest` at all: the newest complete run, said to be used; but with only runs that never completed (which
  /// never made `latest`: a first run that failed) there is nothing to say, and nothing to compare with.
  @Test func aMissingLatestIsTheNewestCompleteRunOrNoneUnsaid() throws {
    let output = try TemporaryFolder()
    defer { output.cleanUp() }
    try makeRun("20261201T020000Z", status: "failed", in: output.url)
    try makeRun("20261202T020000Z", status: nil, in: output.url)
    #expect(PreviousRun.choose(outputDirectory: output.url, current: "20261202T020000Z") == .init(run: nil, note: nil))
    try makeRun("20261130T020000Z", status: "needs_review", in: output.url)
    let choice = PreviousRun.choose(outputDirectory: output.url, current: "20261202T020000Z")
    #expect(choice.run?.lastPathComponent == "20261130T020000Z")
    #expect(
      choice.note
        == "\(output.file("latest").path) was missing (a run makes it; was it deleted?); compared with run "
        + "20261130T020000Z, the newest complete one")
  }

  /// A status a later version wrote is not taken for a complete run, and the line says what the manifest says.
  @Test func aLatestWhoseStatusIsUnknownIsNotUsed() throws {
    let output = try TemporaryFolder()
    defer { output.cleanUp() }
    try makeRun("20261130T020000Z", status: "complete", in: output.url)
    try makeRun("20261201T020000Z", status: "abandoned", in: output.url)
    try FileManager.default.createSymbolicLink(
      atPath: output.file("latest").path, withDestinationPath: "runs/20261201T020000Z")
    let choice = PreviousRun.choose(outputDirectory: output.url, current: "20261202T020000Z")
    #expect(choice.run?.lastPathComponent == "20261130T020000Z")
    #expect(
      choice.note
        == "\(output.file("latest").path) pointed at run 20261201T020000Z, which did not complete (its manifest.json "
        + "says abandoned, a status this version does not know); it was not used; compared with run "
        + "20261130T020000Z, the newest complete one")
  }

  /// The readers of an earlier manifest read each field apart (`ManifestExcerpt`): a status a later version wrote
  /// does not hide the run it was compared with (the chain a waited file is looked for along), nor does an
  /// artefact list this version cannot read hide either.
  @Test func anUnknownStatusHidesNeitherThePreviousRunNorTheArtefacts() throws {
    let output = try TemporaryFolder()
    defer { output.cleanUp() }
    try makeRun("20261130T020000Z", status: "complete", in: output.url)
    try makeRun("20261201T020000Z", status: nil, in: output.url)
    let run = output.url.appendingPathComponent("runs/20261201T020000Z")
    try Data(
      #"{"status": "abandoned", "previous_run": "20261130T020000Z", "artefacts": "not a list"}"#.utf8
    ).write(to: run.appendingPathComponent(ArtefactName.manifest))
    let excerpt = try #require(ManifestExcerpt.read(in: run))
    #expect(excerpt.status == "abandoned" && excerpt.previousRun == "20261130T020000Z" && excerpt.artefacts == nil)
    #expect(WaitedFiles.runBefore(run)?.lastPathComponent == "20261130T020000Z")
    #expect(RecordedArtefacts(of: run) == nil)
    #expect(
      PreviousRun.incompletion(of: run) == "its manifest.json says abandoned, a status this version does not know")
  }
}
