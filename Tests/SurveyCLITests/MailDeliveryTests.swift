/// The report mailed by a nightly run to a real SMTP server on 127.0.0.1 (aiosmtpd in .venv-test/), and
/// read back with Python's own email package rather than the pipeline's code.
import Foundation
import Testing

/// A loopback SMTP server (scripts/tests/smtp-sink.py) that saves what it receives into a folder.
final class SMTPSink {
  let folder: URL
  let port: Int
  private let process = Process()
  private let input = Pipe()

  static let python = Paths.repository.appendingPathComponent(".venv-test/bin/python")

  /// Makes sure the venv exists: scripts/test does this before `swift test`, but `swift test` alone works too.
  static let venvReady: Bool = {
    let setup = Process()
    setup.executableURL = Paths.script("test-venv")
    return (try? setup.run()).map {
      setup.waitUntilExit()
      return setup.terminationStatus == 0
    } ?? false
  }()

  /// - Parameter login: the user and password the server asks for before it takes a message; none by default.
  init(in root: URL, login: (user: String, password: String)? = nil) throws {
    guard Self.venvReady else { throw HarnessError("scripts/test-venv failed: no aiosmtpd to test against") }
    folder = root.appendingPathComponent("sink")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let output = Pipe()
    process.executableURL = Self.python
    process.arguments =
      [Paths.script("tests/smtp-sink.py").path, folder.path, "120"] + (login.map { [$0.user, $0.password] } ?? [])
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    // The server's first line is "port N", once it accepts connections.
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = output.fileHandleForReading.availableData
      guard !chunk.isEmpty else { throw HarnessError("the SMTP server did not start") }
      line += chunk
    }
    let words = String(decoding: line, as: UTF8.self).split(whereSeparator: \.isWhitespace)
    guard words.count >= 2, words[0] == "port", let port = Int(words[1]) else {
      throw HarnessError("no port from the server")
    }
    self.port = port
  }

  /// Stops the server: it ends when its standard input closes.
  func stop() {
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
  }

  /// The messages received so far, as their file names (001.eml, ...).
  func messages() throws -> [URL] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.sorted()
      .map { folder.appendingPathComponent($0) }
  }
}

/// A message as Python's email package decodes it (scripts/tests/read-mail.py).
func readMail(_ url: URL) throws -> [String: Any] {
  let process = Process()
  process.executableURL = SMTPSink.python
  process.arguments = [Paths.script("tests/read-mail.py").path, url.path]
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

/// A free TCP port on 127.0.0.1 where nothing listens, found by asking the kernel for one.
func closedPort() throws -> Int {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [
    "python3", "-c", "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])",
  ]
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return try #require(Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
}

@Suite(.serialized) struct MailDeliveryTests {
  static let subject = "Báo cáo khảo sát nhu cầu khuyến công — Thái Bình, đêm qua"

  /// A workdir whose report stage is sure to leave report.md and recommendations.csv, as the real one will.
  func workdir() throws -> Workdir {
    let work = try Workdir()
    let stub = work.root.appendingPathComponent("stub")
    try FileManager.default.createDirectory(at: stub, withIntermediateDirectories: true)
    try Data("# Báo cáo khảo sát khuyến công\n\n| Huyện | Cơ sở |\n|---|---|\n| Hưng Hà | 3 |\n".utf8)
      .write(to: stub.appendingPathComponent("report.md"))
    try Data("hạng,huyện,nội dung\n1,Hưng Hà,Đào tạo nghề\n".utf8).write(
      to: stub.appendingPathComponent("recommendations.csv"))
    try work.wrap(
      "report",
      then: """
        [ -f "$RUN_DIR/report.md" ] || cp "\(stub.path)/report.md" "$RUN_DIR/"
        [ -f "$RUN_DIR/recommendations.csv" ] || cp "\(stub.path)/recommendations.csv" "$RUN_DIR/"
        """)
    return work
  }

  @Test func theReportArrivesWithItsVietnameseSubjectBothPartsAndTheAttachment() throws {
    let work = try workdir()
    defer { work.remove() }
    let sink = try SMTPSink(in: work.root)
    defer { sink.stop() }
    // The settings in OUTPUT/mail.env, as an operator keeps them.
    try FileManager.default.createDirectory(at: work.output, withIntermediateDirectories: true)
    try Data(
      """
      # Nightly report
      SURVEY_MAIL_TO=Phòng Quản lý công nghiệp <qlcn@sct.example.vn>, giamdoc@sct.example.vn
      SURVEY_MAIL_FROM=Hệ thống khảo sát <khaosat@sct.example.vn>
      SURVEY_MAIL_SUBJECT=\(Self.subject)
      SURVEY_SMTP_URL=smtp://127.0.0.1:\(sink.port)

      """.utf8
    ).write(to: work.output.appendingPathComponent("mail.env"))

    expectComplete(try work.run())

    let run = try #require(work.latestRun())
    let folder = work.runFolder(run)
    let messages = try sink.messages()
    try #require(messages.count == 1)
    #expect(try Data(contentsOf: messages[0]) == Data(contentsOf: folder.appendingPathComponent("report.eml")))
    let envelope = try #require(
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: messages[0].deletingPathExtension().appendingPathExtension("json")))
        as? [String: Any])
    #expect(envelope["mail_from"] as? String == "khaosat@sct.example.vn")
    #expect(envelope["rcpt_tos"] as? [String] == ["qlcn@sct.example.vn", "giamdoc@sct.example.vn"])

    let mail = try readMail(messages[0])
    #expect(mail["subject"] as? String == Self.subject)
    #expect(mail["from"] as? String == "Hệ thống khảo sát <khaosat@sct.example.vn>")
    #expect(mail["to"] as? [String] == ["Phòng Quản lý công nghiệp <qlcn@sct.example.vn>", "giamdoc@sct.example.vn"])
    #expect((mail["defects"] as? [Any])?.isEmpty == true, "\(mail)")
    let parts = try #require(mail["parts"] as? [[String: Any]])
    #expect(
      parts.map { $0["content_type"] as? String }
        == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/csv"])
    let report = try String(contentsOf: folder.appendingPathComponent("report.md"), encoding: .utf8)
    #expect((parts[2]["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == report)
    let html = try #require(parts[3]["text"] as? String)
    #expect(html.contains("<h1>"))
    #expect(html.contains("<meta charset=\"utf-8\">"))
    if report.contains("|---") { #expect(html.contains("<table>")) }
    #expect(parts[4]["filename"] as? String == "recommendations.csv")
    #expect(parts[4]["sha256"] as? String == sha256(folder.appendingPathComponent("recommendations.csv")))
  }

  @Test func aFailedSendLeavesTheRunCompleteAndSaysHowToResend() throws {
    let work = try workdir()
    defer { work.remove() }
    let settings = [
      "SURVEY_MAIL_TO": "giamdoc@sct.example.vn", "SURVEY_MAIL_FROM": "khaosat@sct.example.vn",
      "SURVEY_MAIL_SUBJECT": Self.subject,
    ]
    let down = try work.run(
      environment: settings.merging(["SURVEY_SMTP_URL": "smtp://127.0.0.1:\(try closedPort())"]) { $1 })
    expectComplete(down, problems: true)
    let lines = down.stderr.split(separator: "\n").filter { $0.hasPrefix("survey-run: ") }
    try #require(lines.count == 1, "one line per problem: \(down)")
    #expect(lines[0].hasPrefix("survey-run: mail not sent: curl failed"))
    let run = try #require(work.latestRun(), "the run is complete all the same")
    let saved = work.runFolder(run).appendingPathComponent("report.eml")
    #expect(FileManager.default.fileExists(atPath: saved.path))
    try work.expectWhole(run)

    // The operator pastes the printed command once the server is back.
    #expect(
      lines[0].contains(
        "resend (SURVEY_MAIL_FROM, SURVEY_MAIL_SUBJECT, SURVEY_MAIL_TO, SURVEY_SMTP_URL set as for this run) with: "))
    let command = try #require(lines[0].components(separatedBy: " with: ").last)
    let words = command.split(separator: " ").map(String.init)
    #expect(words.dropFirst().prefix(3) == ["mail", "--run-dir", work.runFolder(run).path])
    let sink = try SMTPSink(in: work.root)
    defer { sink.stop() }
    let resent = try Started(
      URL(fileURLWithPath: words[0]), Array(words.dropFirst()),
      environment: work.environment(settings.merging(["SURVEY_SMTP_URL": "smtp://127.0.0.1:\(sink.port)"]) { $1 }),
      logs: work.root
    ).wait()
    #expect(resent.code == 0, "\(resent)")
    #expect(resent.stdout.isEmpty && resent.stderr.isEmpty)
    let messages = try sink.messages()
    try #require(messages.count == 1)
    #expect(try readMail(messages[0])["subject"] as? String == Self.subject)
  }

  /// Stopped while the report is being mailed: the run is over and says so (not "incomplete"), latest points at
  /// it, and the mail program is stopped with it rather than left running.
  @Test func aRunStoppedWhileMailingSaysItIsOverAndStopsTheMailProgram() throws {
    let work = try workdir()
    defer { work.remove() }
    let pidFile = work.hooks.appendingPathComponent("sendmail.pid")
    let mailing = try work.start(
      environment: [
        "SURVEY_MAIL_TO": "giamdoc@sct.example.vn", "SURVEY_MAIL_FROM": "khaosat@sct.example.vn",
        // Not exec'd: the shell's own child must be stopped too.
        "SURVEY_SENDMAIL": "echo $$ > '\(pidFile.path)'; sleep 60; true",
      ], signalsAsCron: true)
    let deadline = Date().addingTimeInterval(60)
    while (try? String(contentsOf: pidFile, encoding: .utf8))?.hasSuffix("\n") != true {
      try #require(Date() < deadline, "the run never reached the mail")
      Thread.sleep(forTimeInterval: 0.05)
    }
    let written = try String(contentsOf: pidFile, encoding: .utf8)
    let shell = try #require(Int32(written.trimmingCharacters(in: .whitespacesAndNewlines)))
    /// A process's state and parent, from /proc; nil when it is gone.
    func status(_ pid: Int32) -> (state: Substring, parent: Int32)? {
      guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let fields = stat.split(separator: ")").last?.split(separator: " "), fields.count > 1
      else { return nil }
      return (fields[0], Int32(fields[1]) ?? 0)
    }
    var sleeper: Int32?
    while sleeper == nil {
      try #require(Date() < deadline, "the mail command never started its sleep")
      let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap(Int32.init) ?? []
      sleeper = pids.first { status($0)?.parent == shell }
      if sleeper == nil { Thread.sleep(forTimeInterval: 0.05) }
    }
    kill(mailing.process.processIdentifier, SIGTERM)
    let stopped = try mailing.wait()
    #expect(stopped.code == 128 + SIGTERM, "\(stopped)")
    #expect(stopped.stderr.contains("was over (see its manifest.json; latest points at it)"), "\(stopped)")
    #expect(!stopped.stderr.contains("incomplete"), "\(stopped)")
    let run = try #require(work.latestRun(), "the run was complete before the mail")
    #expect(FileManager.default.fileExists(atPath: work.runFolder(run).appendingPathComponent("manifest.json").path))
    // The shell and what it started are stopped. Either may linger as a zombie of a PID 1 that does not reap (as
    // in some containers): that is gone too.
    let gone = Date().addingTimeInterval(5)
    func running(_ pid: Int32) -> Bool { status(pid).map { $0.state != "Z" } ?? false }
    while (running(shell) || running(sleeper!)) && Date() < gone { Thread.sleep(forTimeInterval: 0.05) }
    #expect(!running(shell) && !running(sleeper!), "the mail program and its child were stopped with the run")
  }

  @Test func aSendmailCommandGetsTheSavedMessageOnItsInput() throws {
    let work = try workdir()
    defer { work.remove() }
    let received = work.root.appendingPathComponent("sendmail-input.eml")
    let finished = try work.run(environment: [
      "SURVEY_MAIL_TO": "giamdoc@sct.example.vn", "SURVEY_MAIL_FROM": "khaosat@sct.example.vn",
      "SURVEY_SENDMAIL": "cat > '\(received.path)'",
    ])
    expectComplete(finished)
    let run = try #require(work.latestRun())
    #expect(
      try Data(contentsOf: received) == Data(contentsOf: work.runFolder(run).appendingPathComponent("report.eml")))
    let report = try String(contentsOf: work.runFolder(run).appendingPathComponent("report.md"), encoding: .utf8)
    let title = try #require(report.split(separator: "\n").first { $0.hasPrefix("# ") }).dropFirst(2)
    let subject = try #require(try readMail(received)["subject"] as? String)
    #expect(subject.hasPrefix(String(title) + " · "), "the report's title, then the run's day: \(subject)")
  }

  @Test func wrongSettingsAreOneLineAndNoFailure() throws {
    let work = try workdir()
    defer { work.remove() }
    let finished = try work.run(environment: ["SURVEY_MAIL_TO": "giamdoc@sct.example.vn"])
    expectComplete(finished, problems: true)
    #expect(
      finished.stderr.split(separator: "\n").filter { $0.hasPrefix("survey-run: ") }
        == ["survey-run: environment variable SURVEY_MAIL_TO: recipients are set but SURVEY_MAIL_FROM is not"])
    #expect(work.latestRun() != nil)
  }
}
