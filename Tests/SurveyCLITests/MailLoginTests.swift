/// The report sent through an SMTP server that asks for a login, as a department's mail server does: the user and
/// password go to curl in its config file on standard input, never on its command line, so a password holding the
/// config's quote or backslash must reach the server as the operator wrote it.
import Foundation
import SurveyCore
import Testing

@Suite(.serialized) struct MailLoginTests {
  /// A password with everything a curl config value must escape, and a space.
  static let password = #"p@ss "khảo sát" \ 2025"#

  func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mail-login-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A saved message, as `survey-run mail` hands one over.
  func message(in folder: URL) throws -> URL {
    let url = folder.appendingPathComponent("report.eml")
    try Data("From: khaosat@sct.example.vn\r\nTo: giamdoc@sct.example.vn\r\nSubject: report\r\n\r\nreport\r\n".utf8)
      .write(to: url)
    return url
  }

  /// The settings as an operator writes them in OUTPUT/mail.env.
  func settings(port: Int, password: String) throws -> MailSettings {
    try #require(
      try MailSettings.resolve(
        file: nil,
        environment: [
          "SURVEY_MAIL_TO": "giamdoc@sct.example.vn", "SURVEY_MAIL_FROM": "khaosat@sct.example.vn",
          "SURVEY_SMTP_URL": "smtp://127.0.0.1:\(port)", "SURVEY_SMTP_USER": "khaosat",
          "SURVEY_SMTP_PASSWORD": password,
        ]))
  }

  @Test func aPasswordWithQuotesAndBackslashesLogsIn() throws {
    let root = try folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let sink = try SMTPSink(in: root, login: ("khaosat", Self.password))
    defer { sink.stop() }
    let sent = try message(in: root)
    try MailSender.send(message: sent, settings: try settings(port: sink.port, password: Self.password))
    let messages = try sink.messages()
    try #require(messages.count == 1)
    #expect(try Data(contentsOf: messages[0]) == Data(contentsOf: sent))
    let envelope = try JSONSerialization.jsonObject(
      with: Data(contentsOf: messages[0].deletingPathExtension().appendingPathExtension("json")))
    #expect((envelope as? [String: Any])?["login"] as? String == "khaosat")
  }

  /// A wrong password is the mail system's refusal, thrown for `survey-run mail` to report; nothing is delivered.
  @Test func aWrongPasswordIsRefusedAndNothingIsDelivered() throws {
    let root = try folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let sink = try SMTPSink(in: root, login: ("khaosat", Self.password))
    defer { sink.stop() }
    let sent = try message(in: root)
    let error = #expect(throws: DeliveryError.self) {
      try MailSender.send(message: sent, settings: try settings(port: sink.port, password: "p@ss"))
    }
    #expect(error?.description == "curl failed (exit 67): curl: (67) Login denied")
    #expect(try sink.messages().isEmpty)
  }
}
