import Foundation
import Testing

@testable import SurveyCore

@Suite struct ReportMailTests {
  let settings = MailSettings(
    to: [MailAddress(address: "giamdoc@sct.example.vn")], from: MailAddress(address: "survey@sct.example.vn"),
    transport: .sendmail(command: "cat"))

  func runFolder(report: String?, recommendations: String?) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-mail-\(UUID().uuidString)")
      .appendingPathComponent("20261130T020000Z")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    if let report { try Data(report.utf8).write(to: url.appendingPathComponent(ArtefactName.report)) }
    if let recommendations {
      try Data(recommendations.utf8).write(to: url.appendingPathComponent(ArtefactName.recommendations))
    }
    return url
  }

  @Test func theReportBecomesTextHTMLAndAttachmentWithItsTitleAsSubject() throws {
    let report = """
      # Báo cáo khảo sát khuyến công 2026

      ## Nhu cầu theo huyện

      | Huyện | Cơ sở |
      |---|---|
      | Hưng Hà | 5 |

      """
    let folder = try runFolder(report: report, recommendations: "rank,need\n1,training\n")
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    let message = try #require(try ReportMail.compose(runDirectory: folder, settings: settings, date: Date()))
    // The run 20261130T020000Z started at 09:00 on 30/11/2026 in Vietnam: its day tells the nights' mails apart.
    #expect(message.subject == "Báo cáo khảo sát khuyến công 2026 · 30/11/2026")
    #expect(message.plainText == report)
    #expect(message.html.contains("<title>Báo cáo khảo sát khuyến công 2026 · 30/11/2026</title>"))
    #expect(message.html.contains("<h2>Nhu cầu theo huyện</h2>"))
    #expect(message.html.contains("<td>Hưng Hà</td>"))
    #expect(message.attachments.map(\.filename) == ["recommendations.csv"])
    #expect(message.attachments[0].data == Data("rank,need\n1,training\n".utf8))
    #expect(message.messageID == "20261130T020000Z.\(message.contentDigest)@sct.example.vn")
  }

  @Test func theSettingsSubjectWinsAndAReportWithoutTitleGetsTheDefault() throws {
    let folder = try runFolder(report: "No heading <here> & there.\n", recommendations: nil)
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    let plain = try #require(try ReportMail.compose(runDirectory: folder, settings: settings, date: Date()))
    #expect(plain.subject == ReportMail.defaultSubject + " · 30/11/2026")
    #expect(plain.attachments.isEmpty)
    var custom = settings
    custom.subject = "Khảo sát <đêm qua>"
    let titled = try #require(try ReportMail.compose(runDirectory: folder, settings: custom, date: Date()))
    #expect(titled.subject == "Khảo sát <đêm qua>")
    #expect(titled.html.contains("<title>Khảo sát &lt;đêm qua&gt;</title>"))
  }

  /// The row lists go with the report when there is something in them to act on, and not when they are too
  /// large to mail (the report says where they are).
  @Test func theRowListsAreAttachedWhenTheyHoldRows() throws {
    let folder = try runFolder(report: "# Báo cáo\n", recommendations: "rank,need\n")
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    let rejects = "source_file,source_line,stage,reason,column,value\na.csv,4,normalise,thiếu tên cơ sở,name,\n"
    try Data(rejects.utf8).write(to: folder.appendingPathComponent(ArtefactName.rejects))
    try Data("source_file,source_line,reason\n".utf8).write(to: folder.appendingPathComponent(ArtefactName.review))
    let empty = "\u{FEFF}" + NormaliseStage.duplicatesHeader.joined(separator: ",") + "\n"
    try Data(empty.utf8).write(to: folder.appendingPathComponent(ArtefactName.duplicates))
    let message = try #require(try ReportMail.compose(runDirectory: folder, settings: settings, date: Date()))
    #expect(message.attachments.map(\.filename) == ["recommendations.csv", "rejects.csv"])
    #expect(message.attachments[1].data == Data(rejects.utf8))
    // duplicates.csv too, once it lists rows: the possible duplicates are decided from it.
    let listed = empty + "a.csv,7,a.csv,4,possible_duplicate,,Đào Thị Duyên,cùng tên\n"
    try Data(listed.utf8).write(to: folder.appendingPathComponent(ArtefactName.duplicates))
    let withDuplicates = try #require(try ReportMail.compose(runDirectory: folder, settings: settings, date: Date()))
    #expect(withDuplicates.attachments.map(\.filename) == ["recommendations.csv", "rejects.csv", "duplicates.csv"])
    try FileManager.default.removeItem(at: folder.appendingPathComponent(ArtefactName.duplicates))

    let long = rejects + String(repeating: "a.csv,5,normalise,thiếu tên cơ sở,name,\n", count: 60_000)
    #expect(long.utf8.count > ReportMail.listAttachmentLimit)
    try Data(long.utf8).write(to: folder.appendingPathComponent(ArtefactName.rejects))
    let trimmed = try #require(try ReportMail.compose(runDirectory: folder, settings: settings, date: Date()))
    #expect(trimmed.attachments.map(\.filename) == ["recommendations.csv"])
  }

  @Test func noReportNoMessage() throws {
    let folder = try runFolder(report: nil, recommendations: "x\n")
    defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
    #expect(try ReportMail.compose(runDirectory: folder, settings: settings, date: Date()) == nil)
  }
}
