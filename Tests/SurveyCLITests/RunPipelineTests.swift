/// scripts/run-pipeline as cron runs it: locking, killed runs, files dropped mid-run, repeatability, pruning.
///
/// Written to hold whichever stages are built: the checks are on the artefacts a run folder holds, whatever
/// they are, and on `latest`, the manifest and the exit codes.
import Foundation
import Testing

@Suite(.serialized) struct RunPipelineTests {
  @Test func aRunFillsItsOwnFolderAndPointsLatestAtIt() throws {
    let work = try Workdir()
    defer { work.remove() }
    let finished = try work.run()
    expectComplete(finished)
    // Quiet under cron: nothing on stdout but the one line for an analyst, if any.
    #expect(finished.code == 1 || finished.stdout.isEmpty, "\(finished)")

    let runs = try work.runs()
    #expect(runs.count == 1)
    #expect(runs[0].wholeMatch(of: runIDPattern) != nil)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: work.latest.path) == "runs/\(runs[0])")
    try work.expectWhole(runs[0])
    let manifest = try work.manifest(runs[0])
    #expect(manifest["run_id"] as? String == runs[0])
    #expect(manifest["exit_code"] as? Int == Int(finished.code))
    #expect((manifest["inputs"] as? [[String: Any]])?.map { $0["file"] as? String } == ["hung-ha.csv"])
    // Aggregate and report run side by side, and are recorded in the pipeline's order all the same.
    #expect(
      (manifest["stages"] as? [[String: Any]])?.map { $0["name"] as? String }
        == ["ingest", "normalise", "aggregate", "report"])
    #expect(!FileManager.default.fileExists(atPath: work.runFolder(runs[0]).appendingPathComponent("report.eml").path))

    let verbose = try work.run(["--verbose"])
    expectComplete(verbose)
    #expect(verbose.stdout.contains("run-pipeline: run \(try work.runs()[1]) complete; report: "))
    // The side-by-side stages' lines come whole and in the pipeline's order, whichever finished first.
    let stageLines = verbose.stdout.split(separator: "\n").filter {
      $0.hasPrefix("survey-") && !$0.hasPrefix("survey-run")
    }
    #expect(
      stageLines.map { $0.prefix { $0 != ":" } } == [
        "survey-ingest", "survey-normalise", "survey-aggregate", "survey-report",
      ], "\(verbose)")
    // One file in one district, as a small night has it: the operator's lines count in English, one not "1 files".
    for phrase in [
      "survey-ingest: 1 file, 3 rows read, 3 passed on, 0 skipped, 0 rejected, 0 files set aside",
      "survey-normalise: 3 rows: 3 counted, 0 duplicates, 0 for review, 0 rejected; 0 possible duplicates, "
        + "0 fuzzy matches, 0 corrections applied",
      "survey-aggregate: 3 establishments in 1 district, 3 enterprise types, ",
      ": 1 file, 3 rows read, 3 counted, 0 in review, 0 rejected, 0 files set aside, 0 left for the next run",
    ] {
      #expect(verbose.stdout.contains(phrase), "\(verbose)")
    }
  }

  /// A file with no need column of any kind is counted with no needs, and the cron log says so beside the report,
  /// with what to do; a file whose need columns are there but blank is no news.
  @Test func aFileWithNoNeedColumnIsNamedInTheLogAndTheReport() throws {
    let work = try Workdir()
    defer { work.remove() }
    let fixtures = Paths.repository.appendingPathComponent("Tests/SurveyCoreTests/Fixtures/header-groups")
    for name in ["g-no-need-columns.csv", "h-blank-need-columns.csv"] {
      try FileManager.default.copyItem(
        at: fixtures.appendingPathComponent(name), to: work.input.appendingPathComponent(name))
    }
    let finished = try work.run()
    expectComplete(finished, problems: true)
    let warning: String =
      "survey-ingest: g-no-need-columns.csv: no 'Nhu cầu hỗ trợ' column and none of the nine need columns: its "
      + "establishments are counted with no needs; if the survey asked, name the need columns as the form does "
      + "(one column 'Nhu cầu hỗ trợ' listing the needs, or a column for each need named as on the form, such as "
      + "'Đào tạo nghề' or 'Nhu cầu hỗ trợ - Đào tạo nghề') and drop the file again"
    let lines = finished.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("survey-ingest: ") }
    #expect(lines == [warning], "\(finished)")
    let report = try work.latestReport()
    let vietnamese: String =
      "- `g-no-need-columns.csv`, lưu ý: không có cột 'Nhu cầu hỗ trợ' và không có cột nào trong chín cột nhu cầu: "
      + "các cơ sở trong tệp được tính là không có nhu cầu; nếu phiếu có hỏi, hãy đặt tên cột nhu cầu theo mẫu phiếu"
    #expect(report.contains(vietnamese), "\(report)")
    #expect(!report.contains("`h-blank-need-columns.csv`, lưu ý"))
  }

  /// --lang reaches every stage an analyst reads from: the reasons in rejects.csv and the report that lists
  /// them are Vietnamese by default and English on request.
  @Test func theRowListsAndTheReportSpeakTheRunsLanguage() throws {
    let work = try Workdir()
    defer { work.remove() }
    try work.write("thieu-ten.csv", Workdir.header + "1,,Hộ kinh doanh,Huyện Hưng Hà,Xã Tân Lễ,5,Đào tạo nghề\n")
    func rejectsAndReport() throws -> (String, String) {
      let run = work.latest
      let rejects = try String(contentsOf: run.appendingPathComponent("rejects.csv"), encoding: .utf8)
      let report = try String(contentsOf: run.appendingPathComponent("report.md"), encoding: .utf8)
      return (rejects, report)
    }
    expectComplete(try work.run())
    let (rejects, report) = try rejectsAndReport()
    #expect(rejects.contains("thieu-ten.csv,2,normalise,thiếu tên cơ sở,name,"), "\(rejects)")
    #expect(report.contains("| thieu-ten.csv | 2 | thiếu tên cơ sở | Tên cơ sở |"), "\(report)")
    expectComplete(try work.run(["--lang", "en"]))
    let (english, englishReport) = try rejectsAndReport()
    #expect(english.contains("thieu-ten.csv,2,normalise,no establishment name,name,"), "\(english)")
    #expect(englishReport.contains("| thieu-ten.csv | 2 | no establishment name | Establishment name |"))
  }

  /// The nightly run bounds the survey dates by its own day (normalise's `--today`, the run's local date): a year
  /// typed wrong no longer wins deduplication over the re-survey nor stretches the report's survey period.
  @Test func aSurveyDateAfterTheRunsDayIsNotBelieved() throws {
    let work = try Workdir()
    defer { work.remove() }
    try FileManager.default.removeItem(at: work.input.appendingPathComponent("hung-ha.csv"))
    let header = String(Workdir.header.dropLast()) + ",Mã số thuế,Ngày khảo sát\n"
    try work.write(
      "vu-thu-dot-1.csv",
      header + """
        1,HTX Mây tre đan Hồng Lý,Hợp tác xã,Huyện Vũ Thư,Xã Hồng Lý,12,Đào tạo nghề,1000000001,20/11/2052
        2,Cơ sở gốm Nguyễn Thị Bình,Hộ kinh doanh,Huyện Vũ Thư,Xã Hồng Lý,6,Đào tạo nghề,1000000002,21/11/2052
        3,Cơ sở thêu ren Minh Lãng,Hộ kinh doanh,Huyện Vũ Thư,Xã Minh Lãng,5,Đào tạo nghề,1000000003,18/11/2025

        """)
    try work.write(
      "vu-thu-khao-sat-lai.csv",
      header + "1,HTX Mây tre đan Hồng Lý,Hợp tác xã,Huyện Vũ Thư,Xã Hồng Lý,14,Đào tạo nghề,1000000001,25/11/2025\n")
    expectComplete(try work.run())
    let report = try work.latestReport()
    #expect(
      report.contains(
        "Các cơ sở trong số liệu này được khảo sát từ ngày 18/11/2025 đến ngày 25/11/2025 (1 phiếu không ghi ngày "
          + "khảo sát, ghi ngày không đọc được hoặc ngày sau ngày chạy)."), "\(report)")
    let establishments = try String(
      contentsOf: work.latest.appendingPathComponent("establishments.csv"), encoding: .utf8)
    #expect(establishments.contains("vu-thu-khao-sat-lai.csv,2,1000000001,"), "\(establishments)")
    #expect(establishments.contains("ngày khảo sát 21/11/2052 sau ngày chạy "), "\(establishments)")
    let duplicates = try String(contentsOf: work.latest.appendingPathComponent("duplicates.csv"), encoding: .utf8)
    #expect(
      duplicates.contains(
        "lấy phiếu có ngày khảo sát (25/11/2025); ngày khảo sát của phiếu này sau ngày chạy nên coi như không ghi"),
      "\(duplicates)")
    #expect(!duplicates.contains("không có ngày đọc được"), "\(duplicates)")
  }

  @Test func aFailedReportFailsTheRunThoughAggregateRanBesideIt() throws {
    let work = try Workdir()
    defer { work.remove() }
    try work.wrap("report", then: "echo 'survey-report: disk full' >&2; exit 74")
    let failed = try work.run()
    #expect(failed.code == 74, "\(failed)")
    #expect(failed.stderr.contains("survey-report: disk full"), "\(failed)")
    #expect(work.latestRun() == nil)
    let run = try #require(try work.runs().last)
    let manifest = try work.manifest(run)
    #expect(manifest["failed_stage"] as? String == "report")
    let stages = (manifest["stages"] as? [[String: Any]]) ?? []
    #expect(
      stages.map { "\($0["name"] ?? ""):\($0["exit_code"] ?? "")" } == [
        "ingest:0", "normalise:0", "aggregate:0", "report:74",
      ])
    // Aggregate finished its work; the companions stay for a failed run, as after any failed stage.
    #expect(FileManager.default.fileExists(atPath: work.runFolder(run).appendingPathComponent("aggregates.csv").path))
  }

  @Test func aSecondRunWhileOneIsInProgressExitsAtOnceWith75() throws {
    let work = try Workdir()
    defer { work.remove() }
    try work.pause(after: "aggregate")
    let first = try work.start()
    try work.waitUntilPaused()

    let second = try work.run()
    #expect(second.code == 75, "\(second)")
    #expect(second.stderr.contains("another run is in progress"))
    #expect(try work.runs().count == 1, "the second run made no folder")

    work.resume()
    expectComplete(try first.wait())
    let runs = try work.runs()
    #expect(runs.count == 1)
    #expect(work.latestRun() == runs[0])
    try work.expectWhole(runs[0])
  }

  @Test func aKilledRunLeavesLatestOnThePreviousCompleteRun() throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    let previous = try #require(work.latestRun())

    // The whole run dies mid-stage (power cut, OOM killer): no manifest, latest unchanged.
    try work.pause(after: "aggregate")
    let killed = try work.start()
    try work.waitUntilPaused()
    kill(try work.hookPID("pipeline"), SIGKILL)
    kill(try work.hookPID("stage"), SIGKILL)
    #expect(try killed.wait().code == 128 + SIGKILL)
    #expect(work.latestRun() == previous)
    let interrupted = try #require(try work.runs().last)
    #expect(interrupted != previous)
    #expect(
      !FileManager.default.fileExists(atPath: work.runFolder(interrupted).appendingPathComponent("manifest.json").path))

    // Only the stage dies: the run records the failure, exits with the stage's code, latest unchanged.
    try FileManager.default.removeItem(at: work.hooks.appendingPathComponent("paused"))
    let crashed = try work.start()
    try work.waitUntilPaused()
    kill(try work.hookPID("stage"), SIGKILL)
    let failed = try crashed.wait()
    #expect(failed.code == 128 + SIGKILL, "\(failed)")
    // The cron log says which stage, and what a SIGKILL usually is (a helper's operator round: it said neither).
    #expect(
      failed.stderr.contains(
        "failed in aggregate, stopped by SIGKILL (often the kernel's out-of-memory killer: see dmesg) (exit 137); "
          + "latest is unchanged (\(previous))"), "\(failed)")
    #expect(work.latestRun() == previous)
    let failedRun = try #require(try work.runs().last)
    let manifest = try work.manifest(failedRun)
    #expect(manifest["status"] as? String == "failed")
    #expect(manifest["failed_stage"] as? String == "aggregate")

    // The next run is not blocked by the dead ones, and succeeds.
    try work.wrap("aggregate", then: "")
    expectComplete(try work.run())
    let next = try #require(try work.runs().last)
    #expect(work.latestRun() == next)
    try work.expectWhole(next)
  }

  /// A night whose figures moved with no new survey file says which reference tables were edited; a table saved
  /// under another name or format (Excel's "Unicode Text" names it .txt) is said to be read by no stage, in the
  /// cron log and the report (a helper's round on the department's edits: both went unsaid).
  @Test func editedAndStrayReferenceTablesAreSaid() throws {
    let work = try Workdir()
    defer { work.remove() }
    let reference = work.input.appendingPathComponent("reference")
    try FileManager.default.copyItem(
      at: Paths.repository.appendingPathComponent("input/reference"), to: reference)
    expectComplete(try work.run())
    let aliases = reference.appendingPathComponent("district-aliases.csv")
    try (try String(contentsOf: aliases, encoding: .utf8) + "H. VT,344\n").write(
      to: aliases, atomically: true, encoding: .utf8)
    try "alias\tdistrict_code\nH. VT\t344\n".write(
      to: reference.appendingPathComponent("district-aliases.txt"), atomically: true, encoding: .utf8)
    let edited = try work.run()
    #expect(edited.stderr.contains("district-aliases.txt is read by no stage"), "\(edited)")
    let report = try work.latestReport()
    #expect(report.contains("- Bảng tham chiếu đã sửa (số liệu có thể thay đổi theo): `district-aliases.csv`."))
    #expect(report.contains("`district-aliases.txt` trong thư mục bảng tham chiếu không được đọc"))
    try FileManager.default.removeItem(at: reference.appendingPathComponent("district-aliases.txt"))
    // Saved again as Excel saves, nothing changed (a BOM, CRLF): not edited (a helper's round).
    let text = try String(contentsOf: aliases, encoding: .utf8)
    try Data(([0xEF, 0xBB, 0xBF] as [UInt8]) + Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)).write(
      to: aliases)
    expectComplete(try work.run())
    let again = try work.latestReport()
    #expect(!again.contains("Bảng tham chiếu") && !again.contains("district-aliases.txt"))
  }

  /// A previous artefact that cannot be read: the Vietnamese report says so in Vietnamese, and the cron log says
  /// why (a helper's round: the report quoted the English error, with advice meant for survey files). One its
  /// run's manifest records otherwise was edited after that run: the report said "damaged, or written by an older
  /// version", where the log said it had changed; it now says so too.
  @Test func anUnreadablePreviousArtefactIsSaidInTheReportsLanguageAndWhyInTheLog() throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    let previous = work.runFolder(try #require(work.latestRun()))
    try? FileManager.default.removeItem(at: previous.appendingPathComponent("establishments.rows"))
    try "source_file,source_line\n\"never closed\n".write(
      to: previous.appendingPathComponent("establishments.csv"), atomically: true, encoding: .utf8)
    let edited = try work.run()
    #expect(
      edited.stderr.contains(
        "survey-report: the previous run's establishments.csv was not read, its comparison left out: it changed after its run: "
      ), "\(edited)")
    let said = try work.latestReport()
    #expect(
      said.contains(
        "Tệp `establishments.csv` của lần chạy trước đã bị sửa hoặc cắt bớt sau lần chạy đó (khác với bản ghi trong "
          + "`manifest.json`): bỏ qua phần so sánh này."), "\(said.prefix(800))")

    // A run whose manifest records none of its artefacts (an older version's) has its files read as they are.
    let older = work.runFolder(try #require(work.latestRun()))
    try? FileManager.default.removeItem(at: older.appendingPathComponent("establishments.rows"))
    let manifest = older.appendingPathComponent("manifest.json")
    var fields = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as? [String: Any])
    fields["artefacts"] = nil
    try JSONSerialization.data(withJSONObject: fields).write(to: manifest)
    try "source_file,source_line\n\"never closed\n".write(
      to: older.appendingPathComponent("establishments.csv"), atomically: true, encoding: .utf8)
    let next = try work.run()
    #expect(next.stderr.contains("survey-report: the previous run's establishments.csv could not be read"), "\(next)")
    let report = try work.latestReport()
    #expect(
      report.contains(
        "Không đọc được `establishments.csv` của lần chạy trước (tệp hỏng, hoặc do phiên bản cũ ghi): bỏ qua phần so "
          + "sánh này."), "\(report.prefix(800))")
  }

  /// SIGHUP too (a terminal or ssh session closing): it ran on alone, its lock let go (a helper's round).
  @Test(arguments: [(SIGTERM, "TERM"), (SIGHUP, "HUP")])
  func aStoppedRunStopsItsStageAndLeavesLatestAsItWas(signal: Int32, name: String) throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    let previous = try #require(work.latestRun())
    try work.pause(after: "normalise")
    let stopping = try work.start(signalsAsCron: true)
    try work.waitUntilPaused()
    let stage = try work.hookPID("stage")
    kill(try work.hookPID("pipeline"), signal)
    let stopped = try stopping.wait()
    #expect(stopped.code == 128 + signal, "\(stopped)")
    #expect(stopped.stderr.contains("run-pipeline: stopped by SIG\(name); the stages were stopped"), "\(stopped)")
    #expect(kill(stage, 0) != 0, "the paused stage was stopped with the run, not left running")
    #expect(work.latestRun() == previous)
    let run = try #require(try work.runs().last)
    #expect(run != previous)
    #expect(!FileManager.default.fileExists(atPath: work.runFolder(run).appendingPathComponent("manifest.json").path))
    // Nothing half-written, and no companion, is left in the stopped run's folder.
    let left = try FileManager.default.contentsOfDirectory(atPath: work.runFolder(run).path)
    #expect(!left.contains { $0.contains(".tmp-") || $0.hasSuffix(".rows") }, "\(left)")
  }

  /// The whole run SIGKILLed while a stage works (`kill -9` by an operator, the out-of-memory killer): the stage
  /// ends with it, removing what it was writing, rather than run on alone, without the lock, beside the next
  /// night's run (an operator's round). The kernel's part of it (PR_SET_PDEATHSIG) is Linux's.
  @Test(.enabled(if: isLinux)) func aStageEndsWithTheRunWhenTheRunIsKilled() throws {
    let work = try Workdir()
    defer { work.remove() }
    // Rows enough that ingest is still at work when the test stops it.
    var rows = Workdir.header
    for number in 1...200_000 {
      rows += "\(number),Cơ sở số \(number),Hộ kinh doanh,Huyện Hưng Hà,Xã Tân Lễ,5,Đào tạo nghề\n"
    }
    try work.write("many.csv", rows)
    // The stage as the script runs it (a shell that becomes the stage), telling the test its process id.
    let ingest = work.bin.appendingPathComponent("survey-ingest")
    try FileManager.default.removeItem(at: ingest)
    try Data(
      "#!/bin/sh\necho $$ > '\(work.hooks.path)/stage.pid'\nexec '\(Paths.products.path)/survey-ingest' \"$@\"\n".utf8
    ).write(to: ingest)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: ingest.path)

    let running = try work.start(signalsAsCron: true)
    // Ingest is tied to the script before it writes unsettled.json, its first file: the script is killed then,
    // with the stage at work. (Not stopped there: a stopped process left alone in its process group is sent SIGHUP
    // by the kernel, which would end it before its SIGTERM came.)
    let deadline = Date().addingTimeInterval(60)
    var run: URL?
    while Date() < deadline {
      if let name = try? work.runs().last,
        FileManager.default.fileExists(atPath: work.runFolder(name).appendingPathComponent("unsettled.json").path)
      {
        run = work.runFolder(name)
        break
      }
      Thread.sleep(forTimeInterval: 0.005)
    }
    let folder = try #require(run, "ingest never started")
    kill(running.process.processIdentifier, SIGKILL)
    let stage = try work.hookPID("stage")
    defer { kill(stage, SIGKILL) }
    #expect(try running.wait().code == 128 + SIGKILL)
    let summary = folder.appendingPathComponent("ingest-summary.json")
    let ended = Date().addingTimeInterval(20)
    while isRunning(stage) && Date() < ended { Thread.sleep(forTimeInterval: 0.05) }
    #expect(!isRunning(stage), "the stage ran on after the run was killed")
    #expect(!FileManager.default.fileExists(atPath: summary.path), "the stage finished its work alone")
    let left = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(!left.contains { $0.contains(".tmp-") }, "what the stage was writing is removed: \(left)")
  }

  /// Every input file still being written when the run starts: nothing is read, latest and the mail wait.
  @Test func aRunThatFindsEveryFileStillBeingWrittenReadsNothingAndLeavesLatest() throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    let previous = try #require(work.latestRun())
    try work.write("vu-thu.csv", Workdir.vuThu)
    let hungHa = work.input.appendingPathComponent("hung-ha.csv")
    try work.write("hung-ha.csv", String(decoding: try Data(contentsOf: hungHa), as: UTF8.self))
    let waiting = try work.run(["--settle", "600"])
    #expect(waiting.code == 75, "\(waiting)")
    #expect(waiting.stderr.contains("counted nothing: the survey files were still being written"), "\(waiting)")
    #expect(work.latestRun() == previous)
    let run = try #require(try work.runs().last)
    #expect(try work.manifest(run)["status"] as? String == "waiting")
  }

  /// Every file in the input folder set aside (a district's workbook as it came, a scan): nothing was read, so
  /// latest stays on the last complete run and nothing is mailed, and the run exits 66 as for an empty input
  /// folder, with one line naming the files and what to do (an operator's round: the empty report became latest,
  /// was mailed, and said every establishment had gone).
  @Test func aRunThatCouldReadNoSurveyFileLeavesLatestAndTheMailAndExits66() throws {
    let work = try Workdir()
    defer { work.remove() }
    let sent = work.hooks.appendingPathComponent("sent")
    let mail = [
      "SURVEY_MAIL_TO": "qlcn@sct.example.vn", "SURVEY_MAIL_FROM": "khaosat@sct.example.vn",
      "SURVEY_SENDMAIL": "cat >> '\(sent.path)'",
    ]
    expectComplete(try work.run(environment: mail))
    let previous = try #require(work.latestRun())
    let mailed = try Data(contentsOf: sent)
    try FileManager.default.removeItem(at: work.input.appendingPathComponent("hung-ha.csv"))
    try work.write("Kiến Xương.xlsx", "PK\u{3}\u{4} not really a workbook")
    try work.write("phieu-01.jpg", "not really a scan")

    let nothing = try work.run(environment: mail)
    #expect(nothing.code == 66, "\(nothing)")
    let run = try #require(try work.runs().last)
    #expect(run != previous)
    #expect(work.latestRun() == previous)
    #expect(try Data(contentsOf: sent) == mailed, "nothing more was mailed")
    #expect(!FileManager.default.fileExists(atPath: work.runFolder(run).appendingPathComponent("report.eml").path))
    #expect(try work.manifest(run)["status"] as? String == "nothing_read")
    let lines = nothing.stderr.split(separator: "\n")
    #expect(lines.allSatisfy { $0.hasPrefix("survey-") }, "one line per problem, and no 'run failed': \(nothing)")
    let last = String(try #require(lines.last))
    #expect(
      last.hasPrefix(
        "survey-run: run \(run) read no survey file, so it counted nothing: every file in the input folder was set "
          + "aside or held no rows (Kiến Xương.xlsx, phieu-01.jpg); open each workbook in Excel, save it as \"CSV UTF-8\""
      ),
      "\(nothing)")
    #expect(last.hasSuffix("latest is unchanged and nothing was mailed; see \(work.runFolder(run).path)/manifest.json"))
    // The run folder stays for the operator, with why each file was set aside, and is pruned like any other.
    #expect(FileManager.default.fileExists(atPath: work.runFolder(run).appendingPathComponent("rejects.csv").path))
  }

  /// `latest` cannot be made (the disk out of inodes: mv fails as it does then): one survey-run line says what
  /// failed, where latest still points and what to do, the manifest says failed at latest with 73, and nothing is
  /// mailed (an operator's round: a raw `ln:` line after one saying the run was complete, and a manifest still
  /// saying needs_review with exit 1).
  @Test func aLatestThatCannotBeMadeIsOneLineAndTheManifestSaysSo() throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    let previous = try #require(work.latestRun())
    // The disk fills up during the run: the link made before the stages is there, its rename over latest fails.
    let path = try work.failing("mv", when: "*/latest", with: "No space left on device")
    let sent = work.hooks.appendingPathComponent("sent")
    let full = try work.run(
      environment: [
        "PATH": path, "SURVEY_MAIL_TO": "qlcn@sct.example.vn", "SURVEY_MAIL_FROM": "khaosat@sct.example.vn",
        "SURVEY_SENDMAIL": "cat >> '\(sent.path)'",
      ])
    #expect(full.code == 73, "\(full)")
    let run = try #require(try work.runs().last)
    #expect(work.latestRun() == previous)
    let lines = full.stderr.split(separator: "\n")
    #expect(lines.count == 1 && lines.allSatisfy { $0.hasPrefix("survey-run: ") }, "\(full)")
    #expect(
      full.stderr
        == "survey-run: run \(run) is complete but could not be made latest (No space left on device); latest still "
        + "points at the previous run, \(previous); see \(work.runFolder(run).path)/manifest.json; free disk space and "
        + "inodes where the output folder is (df -h and df -i show them), then run it again; nothing was mailed\n")
    let manifest = try work.manifest(run)
    #expect(manifest["status"] as? String == "failed")
    #expect(manifest["exit_code"] as? Int == 73)
    #expect(manifest["failed_stage"] as? String == "latest")
    #expect(!FileManager.default.fileExists(atPath: sent.path), "nothing was mailed")
    let left = try FileManager.default.contentsOfDirectory(atPath: work.output.path)
    #expect(!left.contains(".latest.tmp"), "\(left)")
    try work.expectWhole(run)
  }

  @Test func aFileDroppedDuringARunWaitsForTheNextAndInputsAreNeverTouched() throws {
    let work = try Workdir()
    defer { work.remove() }
    // A window wide enough that a loaded machine still checks the new file within it.
    let window = 8.0
    let hungHaSettles = Date().addingTimeInterval(window + 0.5)
    try work.pause(after: "aggregate")
    let running = try work.start()
    try work.waitUntilPaused()
    try work.write("vu-thu.csv", Workdir.vuThu)
    work.resume()
    expectComplete(try running.wait())
    let first = try #require(work.latestRun())
    #expect(try inputNames(work.manifest(first)) == ["hung-ha.csv"])
    try work.wrap("aggregate", then: "")

    // The analyst is still writing the new file when the next run starts: it is left alone and listed.
    Thread.sleep(until: hungHaSettles)
    try work.write(
      "vu-thu.csv", Workdir.vuThu + "3,Cơ sở mộc Trần Văn Cường,Hộ kinh doanh,Huyện Vũ Thư,Xã Việt Hùng,4,\n")
    let before = try inputDigests(work)
    expectComplete(try work.run(["--settle", "\(Int(window))"]))
    let second = try #require(work.latestRun())
    let manifest = try work.manifest(second)
    #expect(inputNames(manifest) == ["hung-ha.csv"])
    let unsettled = try #require(manifest["unsettled"] as? [[String: Any]])
    #expect(unsettled.map { $0["file"] as? String } == ["vu-thu.csv"])
    #expect((unsettled.first?["reason"] as? String)?.contains("settle window") == true)

    // Once it has settled, the next run reads it.
    expectComplete(try work.run())
    #expect(try inputNames(work.manifest(#require(work.latestRun()))) == ["hung-ha.csv", "vu-thu.csv"])
    #expect(try inputDigests(work) == before, "the pipeline never modifies, moves or deletes an input")
  }

  /// A file read one night, left waiting the next (copied again), read unchanged the third: the third night
  /// compares it with the first, through the manifests' chain and the first run's establishments.csv (its
  /// companion gone), so nothing is new or added; the waiting night says its establishments are not counted.
  @Test func aFileThatWaitedANightIsComparedWithTheLastRunThatReadIt() throws {
    let work = try Workdir()
    defer { work.remove() }
    let window = 8.0
    let hungHaSettles = Date().addingTimeInterval(window + 0.5)
    try work.write("vu-thu.csv", Workdir.vuThu)
    expectComplete(try work.run())
    let first = try #require(work.latestRun())

    Thread.sleep(until: hungHaSettles)
    try work.write("vu-thu.csv", Workdir.vuThu)  // copied again, byte for byte, as the run starts
    expectComplete(try work.run(["--settle", "\(Int(window))"]))
    let waiting = try work.latestReport()
    #expect(waiting.contains("để lần chạy sau đọc (các cơ sở trong tệp không có trong số liệu và thứ hạng lần này"))
    #expect(!waiting.contains("Tệp không còn"))

    expectComplete(try work.run())
    let report = try work.latestReport()
    #expect(report.contains("- Tệp khảo sát: không có tệp mới hay tệp thay đổi."), "\(report)")
    #expect(report.contains("- Cơ sở: không thêm, không bớt"), "\(report)")
    #expect(report.contains("được so với lượt chạy `\(first)`"), "\(report)")
  }

  @Test func unchangedInputsGiveIdenticalArtefactsButForRunIDAndTimes() throws {
    let work = try Workdir()
    defer { work.remove() }
    try work.write("vu-thu.csv", Workdir.vuThu)
    var made: [String] = []
    for _ in 0..<3 {
      expectComplete(try work.run())
      made.append(try #require(work.latestRun()))
    }
    let runs = try work.runs()
    #expect(runs == made, "run ids are unique, even within a second, and sort in the order the runs were made")
    // The first run has no previous run to compare with, so its "what changed" may differ; the later two
    // both compare with a run of the same inputs.
    try expectSameArtefacts(work.runFolder(runs[1]), work.runFolder(runs[2]))
    try expectSameArtefacts(work.runFolder(runs[0]), work.runFolder(runs[1]), except: ["report.md", "report.eml"])
  }

  @Test func oldRunsArePrunedButNeverTheOneLatestPointsTo() throws {
    let work = try Workdir()
    defer { work.remove() }
    expectComplete(try work.run())
    let good = try #require(work.latestRun())
    try FileManager.default.createDirectory(
      at: work.output.appendingPathComponent("runs/operator-notes"), withIntermediateDirectories: true)
    // Three failing nights in a row, keeping two runs: the last good run stays, being latest.
    try FileManager.default.removeItem(at: work.bin.appendingPathComponent("survey-normalise"))
    try Data("#!/bin/sh\necho 'survey-normalise: ingested.csv:3: cannot happen' >&2\nexit 1\n".utf8)
      .write(to: work.bin.appendingPathComponent("survey-normalise"))
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o755], ofItemAtPath: work.bin.appendingPathComponent("survey-normalise").path)
    for _ in 0..<3 {
      let failed = try work.run(["--keep", "2"])
      #expect(failed.code == 70, "a stage's exit 1 is reported as 70, never as 1: \(failed)")
      #expect(failed.stderr.hasPrefix("survey-normalise: ingested.csv:3: cannot happen\n"), "\(failed)")
    }
    let runs = try work.runs()
    #expect(runs.count == 4)
    #expect(runs.contains(good))
    #expect(runs.contains("operator-notes"))
    #expect(work.latestRun() == good)
  }

  @Test func badUsageAndAMissingInputFolderAreReportedBeforeAnythingIsMade() throws {
    let work = try Workdir()
    defer { work.remove() }
    let usage = try work.run(["--lang", "fr"])
    #expect(usage.code == 64)
    #expect(usage.stderr == "run-pipeline: --lang takes vi or en (see --help)\n")
    for arguments in [["--settle", "99999999999999999999"], ["--keep", "99999999999999999999"], ["--output", ""]] {
      let bad = try work.run(arguments)
      let oneLine = bad.stderr.hasPrefix("run-pipeline: ") && !bad.stderr.dropLast().contains("\n")
      #expect(bad.code == 64 && oneLine, "\(bad)")
    }
    #expect(!FileManager.default.fileExists(atPath: work.output.path))
    let missing = try Started(
      Paths.script("run-pipeline"),
      ["--input", work.root.appendingPathComponent("nowhere").path, "--output", work.output.path],
      environment: work.environment(), logs: work.root
    ).wait()
    #expect(missing.code == 66)
    #expect(!FileManager.default.fileExists(atPath: work.output.path))
    // An output whose latest is a folder (not the link a run makes) is refused before anything runs.
    try FileManager.default.createDirectory(
      at: work.output.appendingPathComponent("latest"), withIntermediateDirectories: true)
    let folder = try work.run()
    #expect(folder.code == 73 && folder.stderr.contains("latest is a folder, not the link a run makes"), "\(folder)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: work.output.path) == ["latest"])
    // A file where the runs folder or the output folder should be: the message names that file.
    try FileManager.default.removeItem(at: work.output.appendingPathComponent("latest"))
    let output = work.output.path
    for (file, why) in [
      ("\(output)/runs", "\(output)/runs is a file, not the folder runs go in: move it away"),
      (output, "\(output) is a file, not a folder"),
    ] {
      try? FileManager.default.removeItem(at: work.output)
      if file != output { try FileManager.default.createDirectory(at: work.output, withIntermediateDirectories: true) }
      try Data("x".utf8).write(to: URL(fileURLWithPath: file))
      let refused = try work.run()
      #expect(refused.code == 73, "\(refused)")
      #expect(refused.stderr == "run-pipeline: cannot make \(output)/runs (\(why)); nothing was run\n")
    }
    // runs/ there, but the lock file cannot be opened (here a folder in its place; a read-only output folder says
    // "Permission denied"): the line says what failed, not "cannot make runs" (an operator's round).
    try? FileManager.default.removeItem(at: work.output)
    try FileManager.default.createDirectory(
      at: work.output.appendingPathComponent("runs"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      at: work.output.appendingPathComponent(".lock"), withIntermediateDirectories: true)
    let unlocked = try work.run()
    #expect(unlocked.code == 73, "\(unlocked)")
    #expect(
      unlocked.stderr
        == "run-pipeline: cannot open the lock file \(output)/.lock (Is a directory: check that \(output) is "
        + "writable); nothing was run\n")
    try FileManager.default.removeItem(at: work.output)
    let help = try work.run(["--help"])
    #expect(help.code == 0)
    #expect(help.stdout.contains("exit: 0 complete; 1 complete, rows or files for an analyst; 75 another run"))
  }
}

/// The input files a manifest lists, by name.
func inputNames(_ manifest: [String: Any]) -> [String] {
  ((manifest["inputs"] as? [[String: Any]]) ?? []).compactMap { $0["file"] as? String }
}

/// Every input file's digest, to show the pipeline left them as they were.
func inputDigests(_ work: Workdir) throws -> [String: String] {
  var digests: [String: String] = [:]
  for name in try FileManager.default.contentsOfDirectory(atPath: work.input.path) {
    digests[name] = sha256(work.input.appendingPathComponent(name))
  }
  return digests
}

/// Checks that two run folders hold the same files with the same content, once run ids and times are
/// set aside: the manifest without its times, other files with every run id replaced.
func expectSameArtefacts(
  _ a: URL, _ b: URL, except skipped: Set<String> = [], sourceLocation: SourceLocation = #_sourceLocation
) throws {
  // The latest run keeps its binary companion (establishments.rows) for the next one; it is no artefact.
  func artefacts(_ folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasSuffix(".rows") }.sorted()
  }
  let names = try artefacts(a)
  #expect(names == (try artefacts(b)), sourceLocation: sourceLocation)
  for name in names where !skipped.contains(name) {
    let left = try comparable(a.appendingPathComponent(name), skipping: skipped)
    let right = try comparable(b.appendingPathComponent(name), skipping: skipped)
    #expect(
      left == right, "\(name) differs between \(a.lastPathComponent) and \(b.lastPathComponent)",
      sourceLocation: sourceLocation)
  }
}

/// A file's content with run ids and times taken out (and, in the manifest, the digests of `skipped` files).
func comparable(_ url: URL, skipping skipped: Set<String>) throws -> String {
  let text = try String(contentsOf: url, encoding: .utf8)
  if url.lastPathComponent == "manifest.json" {
    var manifest = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    for key in ["run_id", "started_at", "finished_at", "previous_run"] { manifest[key] = nil }
    manifest["stages"] = (manifest["stages"] as? [[String: Any]])?.map { $0.filter { $0.key != "milliseconds" } }
    manifest["artefacts"] = (manifest["artefacts"] as? [[String: Any]])?.filter {
      !skipped.contains($0["file"] as? String ?? "")
    }
    let data = try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
  }
  var result = text.replacing(runIDPattern, with: "<run-id>")
  result = result.replacing(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/, with: "<time>")
  if url.lastPathComponent == "report.eml" {
    result = result.replacing(/(?m)^Date: .*$/, with: "Date: <time>")
  }
  return result
}

/// True on Linux, where a stage can ask to be signalled when the script that started it dies.
#if os(Linux)
  let isLinux = true
#else
  let isLinux = false
#endif

/// True while the process runs: it exists and is no zombie (a killed script's stage is handed to an init that may
/// not reap it soon).
func isRunning(_ process: pid_t) -> Bool {
  guard let stat = try? String(contentsOfFile: "/proc/\(process)/stat", encoding: .utf8),
    let close = stat.lastIndex(of: ")")
  else { return kill(process, 0) == 0 }
  let state = stat[stat.index(after: close)...].first { $0 != " " }
  return state != "Z" && state != "X"
}
