/// `survey-run mail` run by hand, as README's Mail section tells an operator to: `--dry-run` composes report.eml
/// and sends nothing, the resend command sends through a server that asks for a login, and a run folder without a
/// report is nothing to mail rather than a failure.
import Foundation
import Testing

@Suite(.serialized) struct RunMailCommandTests {
  /// A run folder holding a report and its recommendations, as a complete run leaves them.
  func runFolder(in root: URL) throws -> URL {
    let run = root.appendingPathComponent("runs/20261130T020000Z")
    try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
    try Data("# Khảo sát nhu cầu hỗ trợ khuyến công\n\n| Huyện | Cơ sở |\n|---|---|\n| Hưng Hà | 3 |\n".utf8)
      .write(to: run.appendingPathComponent("report.md"))
    try Data("\u{FEFF}rank,district\n1,Hưng Hà\n".utf8).write(to: run.appendingPathComponent("recommendations.csv"))
    return run
  }

  /// OUTPUT/mail.env for a server on `port` that asks for a login.
  func config(in root: URL, port: Int) throws -> URL {
    let url = root.appendingPathComponent("mail.env")
    try Data(
      """
      SURVEY_MAIL_TO=Giám đốc Sở <giamdoc@sct.example.vn>
      SURVEY_MAIL_FROM=Khảo sát khuyến công <khaosat@sct.example.vn>
      SURVEY_SMTP_URL=smtp://127.0.0.1:\(port)
      SURVEY_SMTP_USER=khaosat
      SURVEY_SMTP_PASSWORD=\(MailLoginTests.password)

      """.utf8
    ).write(to: url)
    return url
  }

  @Test func aDryRunComposesTheMessageAndTheResendCommandSendsIt() throws {
    let root = try temporaryFolder("run-mail")
    defer { try? FileManager.default.removeItem(at: root) }
    let sink = try SMTPSink(in: root, login: ("khaosat", MailLoginTests.password))
    defer { sink.stop() }
    let run = try runFolder(in: root)
    let config = try config(in: root, port: sink.port)
    let message = run.appendingPathComponent("report.eml")

    let dry = try runTool("survey-run", ["mail", "--run-dir", run.path, "--config", config.path, "--dry-run", "-v"])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(dry.stdout == "survey-run: composed \(message.path); not sent (--dry-run)\n")
    #expect(FileManager.default.fileExists(atPath: message.path))
    #expect(try sink.messages().isEmpty)

    let sent = try runTool("survey-run", ["mail", "--run-dir", run.path, "--config", config.path, "-v"])
    #expect(sent.status == 0, "\(sent.stderr)")
    #expect(sent.stdout == "survey-run: mailed report.md to giamdoc@sct.example.vn\n")
    let messages = try sink.messages()
    try #require(messages.count == 1)
    #expect(try Data(contentsOf: messages[0]) == Data(contentsOf: message))
  }

  /// A run that stopped before its report (the folder a failed run leaves): nothing to mail, and no failure on top.
  @Test func aRunFolderWithoutAReportIsNothingToMail() throws {
    let root = try temporaryFolder("run-mail")
    defer { try? FileManager.default.removeItem(at: root) }
    let run = try runFolder(in: root)
    try FileManager.default.removeItem(at: run.appendingPathComponent("report.md"))
    let config = try config(in: root, port: try closedPort())
    let result = try runTool("survey-run", ["mail", "--run-dir", run.path, "--config", config.path, "-v"])
    #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
    #expect(result.stdout == "survey-run: \(run.path) has no report.md: nothing to mail\n")
    #expect(!FileManager.default.fileExists(atPath: run.appendingPathComponent("report.eml").path))
  }
}
