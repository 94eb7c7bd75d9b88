import Foundation
import Testing

@testable import SurveyCore

@Suite struct MailSettingsTests {
  func file(_ text: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mail-\(UUID().uuidString).env")
    try Data(text.utf8).write(to: url)
    return url
  }

  @Test func nothingSetMeansNoMailAndNoError() throws {
    #expect(try MailSettings.resolve(file: nil, environment: [:]) == nil)
    let missing = URL(fileURLWithPath: "/nonexistent/mail.env")
    #expect(try MailSettings.resolve(file: missing, environment: ["HOME": "/root"]) == nil)
  }

  @Test func aFileWithCommentsExportAndQuotes() throws {
    let url = try file(
      """
      # Mail settings for the nightly report
      export SURVEY_MAIL_TO="Giám đốc <giamdoc@sct.example.vn>, qlcn@sct.example.vn"
      SURVEY_MAIL_FROM='survey@sct.example.vn'

      SURVEY_SMTP_URL = smtp://mail.sct.example.vn:587
      SURVEY_SMTP_STARTTLS=yes
      SURVEY_SMTP_USER=survey
      SURVEY_SMTP_PASSWORD="p@ss \\"word\\""
      """)
    defer { try? FileManager.default.removeItem(at: url) }
    let settings = try #require(try MailSettings.resolve(file: url, environment: [:]))
    #expect(settings.to.map(\.address) == ["giamdoc@sct.example.vn", "qlcn@sct.example.vn"])
    #expect(settings.to[0].name == "Giám đốc")
    #expect(settings.from.address == "survey@sct.example.vn")
    #expect(
      settings.transport
        == .smtp(url: "smtp://mail.sct.example.vn:587", user: "survey", password: "p@ss \\\"word\\\"", requireTLS: true)
    )
    #expect(settings.subject == nil)
  }

  @Test func theEnvironmentWinsOverTheFile() throws {
    let url = try file(
      "SURVEY_MAIL_TO=a@sct.example.vn\nSURVEY_MAIL_FROM=b@sct.example.vn\nSURVEY_SMTP_URL=smtp://x.vn:25\n")
    defer { try? FileManager.default.removeItem(at: url) }
    let settings = try #require(
      try MailSettings.resolve(
        file: url,
        environment: [
          "SURVEY_MAIL_TO": "c@sct.example.vn", "SURVEY_SMTP_URL": "", "SURVEY_SENDMAIL": "/usr/sbin/sendmail -t",
          "SURVEY_MAIL_SUBJECT": "Báo cáo",
        ]))
    #expect(settings.to.map(\.address) == ["c@sct.example.vn"])
    #expect(settings.transport == .sendmail(command: "/usr/sbin/sendmail -t"))
    #expect(settings.subject == "Báo cáo")
  }

  @Test func halfConfiguredIsAnErrorThatSaysWhereToFixIt() throws {
    let url = try file("# settings\nSURVEY_MAIL_TO=a@sct.example.vn\n")
    defer { try? FileManager.default.removeItem(at: url) }
    let noSender = #expect(throws: DeliveryError.self) { try MailSettings.resolve(file: url, environment: [:]) }
    #expect(noSender?.message == "\(url.path):2: recipients are set but SURVEY_MAIL_FROM is not")
    #expect(noSender?.exitCode == 78)
    let noTransport = #expect(throws: DeliveryError.self) {
      try MailSettings.resolve(file: url, environment: ["SURVEY_MAIL_FROM": "b@sct.example.vn"])
    }
    #expect(noTransport?.message.contains("neither SURVEY_SMTP_URL nor SURVEY_SENDMAIL") == true)
    let badURL = #expect(throws: DeliveryError.self) {
      try MailSettings.resolve(
        file: url, environment: ["SURVEY_MAIL_FROM": "b@sct.example.vn", "SURVEY_SMTP_URL": "mail.example.vn"])
    }
    #expect(badURL?.message == "environment variable SURVEY_SMTP_URL: must start smtp:// or smtps://")
  }

  @Test func aMisspeltSettingIsFoundByItsLine() throws {
    let url = try file("SURVEY_MAIL_TO=a@sct.example.vn\nSURVEY_MAIL_FORM=b@sct.example.vn\n")
    defer { try? FileManager.default.removeItem(at: url) }
    let error = #expect(throws: DeliveryError.self) { try MailSettings.resolve(file: url, environment: [:]) }
    #expect(error?.message.hasPrefix("\(url.path):2: unknown setting SURVEY_MAIL_FORM") == true)
  }

  /// A file saved by Notepad (CRLF, perhaps a BOM) or an old Mac editor (lone CR) reads as the same settings: split
  /// on LF alone, a CRLF file was one line, read as one comment when it began with one, and no mail went out
  /// without a word (an operator's round).
  @Test(arguments: ["\r\n", "\r"])
  func aFileSavedWithWindowsOrOldMacLineEndsReadsTheSame(lineEnd: String) throws {
    let lines = [
      "# Thư báo cáo hằng đêm", "SURVEY_MAIL_TO=Giám đốc <giamdoc@sct.example.vn>, qlcn@sct.example.vn",
      "SURVEY_MAIL_FROM=\"survey@sct.example.vn\"", "", "SURVEY_SMTP_URL=smtp://mail.sct.example.vn:587",
      "SURVEY_MAIL_SUBJECT=Báo cáo",
    ]
    let texts = [(lines.joined(separator: lineEnd), false), (lines.dropFirst().joined(separator: lineEnd), true)]
    for (text, bom) in texts {
      let url = try file((bom ? "\u{FEFF}" : "") + text + lineEnd)
      defer { try? FileManager.default.removeItem(at: url) }
      let settings = try #require(try MailSettings.resolve(file: url, environment: [:]))
      #expect(settings.to.map(\.address) == ["giamdoc@sct.example.vn", "qlcn@sct.example.vn"])
      #expect(settings.from.address == "survey@sct.example.vn")
      #expect(
        settings.transport == .smtp(url: "smtp://mail.sct.example.vn:587", user: nil, password: nil, requireTLS: false))
      #expect(settings.subject == "Báo cáo")
    }
    // Errors still name the right line.
    let misspelt = ["# settings", "SURVEY_MAIL_TO=a@sct.example.vn", "SURVEY_MAIL_FORM=b@sct.example.vn"]
    let url = try file(misspelt.joined(separator: lineEnd))
    defer { try? FileManager.default.removeItem(at: url) }
    let error = #expect(throws: DeliveryError.self) { try MailSettings.resolve(file: url, environment: [:]) }
    #expect(error?.message.hasPrefix("\(url.path):3: unknown setting SURVEY_MAIL_FORM") == true)
  }
}
