/// scripts/run-pipeline when the output folder is not as runs left it: `latest` dangling, pointing elsewhere or
/// replaced by a file, and folders the run may not write in (an operator's audit).
import Foundation
import SurveyCore
import Testing

@Suite(.serialized) struct RunPipelineOperatorTests {
  /// An operator frees space by deleting the newest run folder: `latest` dangles, and the next run compared itself
  /// with nothing ("Đây là lần chạy đầu tiên") although older complete runs were there, the log silent. It now
  /// takes the newest complete run (a failed one is passed over) and says so in one line; a `latest` pointed at a
  /// folder outside `runs/` is not taken for a run either.
  @Test func aLatestThatNoLongerPointsAtARunFallsBackOnTheNewestCompleteOneAndSaysSo() throws {
    let work = try Workdir()
    defer { work.remove() }
    for _ in 0..<3 { expectComplete(try work.run()) }
    let runs = try work.runs()
    let (older, failed, deleted) = (runs[0], runs[1], runs[2])
    // The middle run failed: its manifest says so, and it is no run to compare with.
    let manifestURL = work.runFolder(failed).appendingPathComponent("manifest.json")
    var manifest = try work.manifest(failed)
    manifest["status"] = "failed"
    try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
    try FileManager.default.removeItem(at: work.runFolder(deleted))

    let dangling = try work.run()
    #expect(dangling.code == 0, "\(dangling)")
    #expect(
      dangling.stderr
        == "survey-run: \(work.latest.path) pointed at a run folder that is gone (runs/\(deleted)); compared with run "
        + "\(older), the newest complete one\n")
    let after = try #require(work.latestRun())
    #expect(try work.manifest(after)["previous_run"] as? String == older)
    let report = try work.latestReport()
    #expect(!report.contains("Đây là lần chạy đầu tiên"), "\(report)")

    // A link made by hand to a folder elsewhere: not a run, not used.
    let foreign = work.root.appendingPathComponent("elsewhere")
    try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
    try FileManager.default.removeItem(at: work.latest)
    try FileManager.default.createSymbolicLink(atPath: work.latest.path, withDestinationPath: foreign.path)
    let outside = try work.run()
    #expect(outside.code == 0, "\(outside)")
    #expect(
      outside.stderr
        == "survey-run: \(work.latest.path) pointed at \(foreign.path), which is not a run folder in "
        + "\(work.output.path)/runs; it was not used; compared with run \(after), the newest complete one\n")
    let last = try #require(work.latestRun())
    #expect(last != after)
    #expect(try work.manifest(last)["previous_run"] as? String == after)

    // No complete run left at all: compared with none, and said so.
    for run in try work.runs() where run != last { try FileManager.default.removeItem(at: work.runFolder(run)) }
    try FileManager.default.removeItem(at: work.runFolder(last))
    let none = try work.run()
    #expect(
      none.stderr
        == "survey-run: \(work.latest.path) pointed at a run folder that is gone (runs/\(last)); no complete run is "
        + "left in \(work.output.path)/runs, so this run is compared with none\n", "\(none)")
    #expect(try work.manifest(try #require(work.latestRun()))["previous_run"] == nil)
  }

  /// A plain file named `latest` (someone's notes) was replaced by the link without a word; it is now refused as a
  /// folder there is, before anything runs, and left as it was.
  @Test func aFileNamedLatestIsRefusedAndLeftAsItWas() throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    try FileManager.default.removeItem(at: work.latest)
    try Data("operator notes\n".utf8).write(to: work.latest)
    let refused = try work.run()
    #expect(refused.code == 73, "\(refused)")
    #expect(
      refused.stderr
        == "run-pipeline: \(work.latest.path) is a file, not the link a run makes: move it away; nothing was run\n")
    #expect(try String(contentsOf: work.latest, encoding: .utf8) == "operator notes\n")
    #expect(try work.runs().count == 1)

    // A folder under the link's temporary name: ln put the link inside it, every stage ran, and the rename failed.
    try FileManager.default.removeItem(at: work.latest)
    let temporary = work.output.appendingPathComponent(".latest.tmp")
    try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: false)
    let folder = try work.run()
    #expect(folder.code == 73, "\(folder)")
    #expect(
      folder.stderr
        == "run-pipeline: \(temporary.path) is a folder, not the link a run makes before it becomes latest: move it "
        + "away; nothing was run\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: temporary.path).isEmpty)
    #expect(try work.runs().count == 1)
  }

  /// `latest` refused for want of permission: the line says to check the permissions, not the free space, and no
  /// line before it says the run is complete (the manifest's lines wait until the run is latest).
  @Test func aLatestRefusedForPermissionSaysToCheckThemAndNothingElse() throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    let previous = try #require(work.latestRun())
    // The link is made before the stages run; the rename that publishes it after them is what fails here.
    let path = try work.failing("mv", when: "*/latest", with: "Permission denied")
    let refused = try work.run(["-v"], environment: ["PATH": path])
    #expect(refused.code == 73, "\(refused)")
    let run = try #require(try work.runs().last)
    #expect(work.latestRun() == previous)
    #expect(!refused.stdout.contains("survey-run:"), "\(refused)")
    #expect(
      refused.stderr
        == "survey-run: run \(run) is complete but could not be made latest (Permission denied); latest still points "
        + "at the previous run, \(previous); see \(work.runFolder(run).path)/manifest.json; check that "
        + "\(work.output.path) is writable by the account the run runs as (ls -ld shows its owner and mode; mount "
        + "shows a read-only file system), then run it again; nothing was mailed\n")
  }

  /// An operator deletes `latest` itself (not the run folder): the next run said "Đây là lần chạy đầu tiên" and the
  /// log nothing, though complete runs were there. It now compares with the newest complete one and says in one
  /// line that `latest` was missing. A real first run, and a night as any other, ask `survey-run previous` nothing.
  @Test func aMissingLatestFallsBackOnTheNewestCompleteRunAndSaysSo() throws {
    let work = try Workdir()
    defer { work.remove() }
    let asked = work.root.appendingPathComponent("asked")
    try work.wrap("run", then: "[ \"$1\" = previous ] && echo previous >> \"\(asked.path)\"; exit 0")
    expectComplete(try work.run())
    expectComplete(try work.run())
    #expect(!FileManager.default.fileExists(atPath: asked.path), "a first run or a night as any other asked")
    let newest = try #require(work.latestRun())
    try FileManager.default.removeItem(at: work.latest)

    let missing = try work.run()
    #expect(missing.code == 0, "\(missing)")
    #expect(
      missing.stderr
        == "survey-run: \(work.latest.path) was missing (a run makes it; was it deleted?); compared with run "
        + "\(newest), the newest complete one\n")
    let after = try #require(work.latestRun())
    #expect(after != newest)
    #expect(try work.manifest(after)["previous_run"] as? String == newest)
    #expect(!(try work.latestReport()).contains("Đây là lần chạy đầu tiên"))
  }

  /// `latest` pointed by hand at a run that failed (or one with no manifest) made that run the previous run, the
  /// log silent: the report compared the night with a run that never finished. It is now passed over for the
  /// newest complete run, and one line says which and why.
  @Test func aLatestPointedAtARunThatDidNotCompleteIsNotUsed() throws {
    let work = try Workdir()
    defer { work.remove() }
    for _ in 0..<2 { expectComplete(try work.run()) }
    let (good, failed) = (try work.runs()[0], try work.runs()[1])
    let manifestURL = work.runFolder(failed).appendingPathComponent("manifest.json")
    var manifest = try work.manifest(failed)
    manifest["status"] = "failed"
    try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys]).write(to: manifestURL)
    #expect(work.latestRun() == failed)

    let night = try work.run()
    #expect(night.code == 0, "\(night)")
    #expect(
      night.stderr
        == "survey-run: \(work.latest.path) pointed at run \(failed), which did not complete (its manifest.json says "
        + "failed); it was not used; compared with run \(good), the newest complete one\n")
    let after = try #require(work.latestRun())
    #expect(try work.manifest(after)["previous_run"] as? String == good)

    // A run folder with no manifest at all (a run killed mid-stage), pointed at by hand.
    let killed = try #require(try work.runs().last)
    try FileManager.default.removeItem(at: work.runFolder(killed).appendingPathComponent("manifest.json"))
    let next = try work.run()
    #expect(
      next.stderr
        == "survey-run: \(work.latest.path) pointed at run \(killed), which did not complete (it has no "
        + "manifest.json); it was not used; compared with run \(good), the newest complete one\n", "\(next)")
  }

  /// The statuses `scripts/run-pipeline` reads from a manifest as "completed", without asking survey-run, are
  /// those of `RunStatus.isComplete`: one definition, the script's copy tied to it here.
  @Test func theScriptKnowsTheCompleteStatusesRunStatusDoes() throws {
    let script = try String(contentsOf: Paths.script("run-pipeline"), encoding: .utf8)
    let line = try #require(script.split(separator: "\n").first { $0.hasPrefix("complete_statuses='") })
    let listed = line.dropFirst("complete_statuses='".count).prefix { $0 != "'" }.split(separator: "|").map(String.init)
    #expect(listed.sorted() == RunStatus.allCases.filter(\.isComplete).map(\.rawValue).sorted())
  }

  /// An output folder the run's account may not write in, while `runs/` is writable: every stage ran, then
  /// publishing `latest` failed (exit 73), a night's work for nothing. It is now found before any stage runs,
  /// with the permissions advice, and nothing is left behind; a run that fails leaves no `.latest.tmp` either.
  @Test func anOutputFolderThatRefusesLatestIsFoundBeforeTheStages() throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    let previous = try #require(work.latestRun())
    let path = try work.failing("ln", when: "*/.latest.tmp", with: "Permission denied")
    let started = work.root.appendingPathComponent("ingest-started")
    try work.wrap("ingest", then: ": > \"\(started.path)\"")
    let refused = try work.run(environment: ["PATH": path])
    #expect(refused.code == 73, "\(refused)")
    #expect(
      refused.stderr
        == "run-pipeline: cannot make latest in \(work.output.path) (Permission denied): check that "
        + "\(work.output.path) is writable by \(NSUserName()), the account this run runs as (ls -ld shows its owner "
        + "and mode; mount shows a read-only file system); nothing was run\n")
    #expect(!FileManager.default.fileExists(atPath: started.path), "a stage ran")
    #expect(try work.runs() == [previous] && work.latestRun() == previous)

    // A stage that fails: latest is not published, and its temporary link does not stay behind.
    try work.wrap("normalise", then: "exit 65")
    let failed = try work.run()
    #expect(failed.code == 65, "\(failed)")
    #expect(work.latestRun() == previous)
    let names = try FileManager.default.contentsOfDirectory(atPath: work.output.path)
    #expect(!names.contains(".latest.tmp"), "\(names)")
  }

  /// Of two files named alike, ingest reads the one the last complete run read; when that run's ingest-summary.json
  /// is damaged, the choice fell back on the file changed longest ago without a word, and a stale copy could push
  /// out the file read every night. The cron log now says the previous choice was not known, and which was chosen.
  @Test func aDamagedPreviousSummarySaysWhichOfTheFilesNamedAlikeWasChosen() throws {
    let work = try Workdir()
    defer { work.remove() }
    let (lower, upper) = ("2025-10-dong-hung.csv", "2025-10-DONG-HUNG.csv")
    try work.write(lower, Workdir.vuThu)
    try work.write(upper, Workdir.vuThu.replacingOccurrences(of: "2,Cơ sở gốm Nguyễn Thị Bình", with: "2,Cơ sở gốm"))
    func age(_ name: String, days: Double) throws {
      try FileManager.default.setAttributes(
        [.modificationDate: Date().addingTimeInterval(-days * 86_400)],
        ofItemAtPath: work.input.appendingPathComponent(name).path)
    }
    try age(lower, days: 2)
    try age(upper, days: 1)
    let first = try work.run()
    #expect(first.code == 1 && first.stderr.contains("survey-ingest: \(upper): set aside:"), "\(first)")
    let previous = try #require(work.latestRun())
    // The file read is copied again (now the newer), and the previous run's summary is damaged.
    try age(lower, days: 0)
    let summary = work.runFolder(previous).appendingPathComponent("ingest-summary.json")
    let handle = try FileHandle(forWritingTo: summary)
    try handle.truncate(atOffset: 100)
    try handle.close()

    let night = try work.run()
    #expect(night.code == 1, "\(night)")
    #expect(
      night.stderr.contains(
        "survey-ingest: \(summary.path) cannot be read, so which of the files named alike the previous run read is "
          + "not known: \(upper) was chosen, the one changed longest ago, and \(lower) set aside; if \(upper) is not "
          + "the one to read, move it out of \(work.input.path)\n"), "\(night)")
  }

  /// A runs folder the run may not write in stopped the run with "cannot create a run folder", after trying a
  /// hundred names, and no reason: the system's reason is given at once, with what to check.
  @Test func aRunFolderThatCannotBeMadeSaysWhyAndWhatToCheck() throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    for (reason, advice) in [
      ("Permission denied", "is writable by "),
      ("No space left on device", "check disk space and inodes where \(work.output.path)/runs is (df -h and df -i"),
    ] {
      let path = try work.failing("mkdir", when: "*/runs/2*", with: reason)
      let refused = try work.run(environment: ["PATH": path])
      #expect(refused.code == 73, "\(refused)")
      let lines = refused.stderr.split(separator: "\n")
      #expect(lines.count == 1, "\(refused)")
      #expect(
        refused.stderr.hasPrefix(
          "run-pipeline: cannot create a run folder in \(work.output.path)/runs (\(reason)): "), "\(refused)")
      #expect(refused.stderr.contains(advice) && refused.stderr.hasSuffix("; nothing was run\n"), "\(refused)")
      #expect(try work.runs().count == 1)
    }
  }

  /// An input folder the run's account may not enter: `cd` failed, the path came out empty, and ingest read the
  /// folder the run was started in instead (a checkout's `Package.swift` and `README.md` set aside, its folders
  /// named). The run now stops at once and says why.
  @Test func anInputFolderThatCannotBeEnteredStopsTheRunAndSaysWhy() throws {
    let work = try Workdir()
    defer { work.remove() }
    try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: work.input.path)
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: work.input.path) }
    let arguments = ["--input", work.input.path, "--output", work.output.path, "--settle", "0"]
    let refused: Finished
    let account: String
    if getuid() == 0 {
      // Root enters any folder: the run is made as nobody, whom the folder's mode keeps out.
      let runuser = try #require(
        ["/usr/sbin/runuser", "/sbin/runuser"].first { FileManager.default.isExecutableFile(atPath: $0) })
      account = "nobody"
      refused = try Started(
        URL(fileURLWithPath: runuser),
        ["-u", account, "--", "env", "SURVEY_BIN_DIR=\(work.bin.path)", Paths.script("run-pipeline").path] + arguments,
        environment: work.environment(), logs: work.root
      ).wait()
    } else {
      try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: work.input.path)
      account = NSUserName()
      refused = try Started(
        Paths.script("run-pipeline"), arguments, environment: work.environment(), logs: work.root
      ).wait()
    }
    #expect(refused.code == 66, "\(refused)")
    #expect(
      refused.stderr
        == "run-pipeline: cannot enter the input folder \(work.input.path) (Permission denied): check that "
        + "\(account), the account this run runs as, may read it (ls -ld shows its owner and mode); nothing was run\n",
      "\(refused)")
    #expect(!FileManager.default.fileExists(atPath: work.output.appendingPathComponent("runs").path))
  }

  /// Stopped after its run folder was made and before its first stage (while it chose the previous run or made
  /// the link it publishes): the traps were not set yet, so the script died with no line and left an empty run
  /// folder behind. A closing terminal's SIGHUP here is the test's: the `ln` that makes the link sends it to the
  /// script, the parent of the subshell that runs it.
  @Test func aRunStoppedBeforeItsFirstStageSaysSoAndLeavesNothing() throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    let previous = try #require(work.latestRun())
    let tools = work.root.appendingPathComponent("tools-hup")
    try FileManager.default.createDirectory(at: tools, withIntermediateDirectories: true)
    let real = ["/usr/bin/ln", "/bin/ln"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/bin/ln"
    let ln = tools.appendingPathComponent("ln")
    try Data(
      """
      #!/bin/sh
      for last in "$@"; do :; done
      case $last in */.latest.tmp) read -r _ _ _ script _ </proc/$PPID/stat; kill -HUP "$script";; esac
      exec \(real) "$@"

      """.utf8
    ).write(to: ln)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: ln.path)
    let path = tools.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    let stopped = try work.start(environment: ["PATH": path], signalsAsCron: true).wait()
    #expect(stopped.code == 129, "\(stopped)")
    #expect(
      stopped.stderr == "run-pipeline: stopped by SIGHUP before any stage ran; nothing was run, latest is unchanged\n",
      "\(stopped)")
    #expect(try work.runs() == [previous])
    #expect(work.latestRun() == previous)
    #expect(!FileManager.default.fileExists(atPath: work.output.appendingPathComponent(".latest.tmp").path))
  }
}

extension Workdir {
  /// A PATH whose `tool` fails as the system would, with `reason`, when its last argument matches `pattern` (sh),
  /// and is the real one otherwise.
  func failing(_ tool: String, when pattern: String, with reason: String) throws -> String {
    let tools = root.appendingPathComponent("tools-\(tool)-\(reason.count)")
    try FileManager.default.createDirectory(at: tools, withIntermediateDirectories: true)
    let real =
      ["/usr/bin/\(tool)", "/bin/\(tool)"].first { FileManager.default.isExecutableFile(atPath: $0) }
      ?? "/bin/\(tool)"
    try Data(
      """
      #!/bin/sh
      for last in "$@"; do :; done
      case $last in \(pattern)) echo "\(tool): cannot make '$last': \(reason)" >&2; exit 1;; esac
      exec \(real) "$@"

      """.utf8
    ).write(to: tools.appendingPathComponent(tool))
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: tools.appendingPathComponent(tool).path)
    return tools.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
  }
}
