/// Mistakes an operator makes in `OUTPUT/mail.env` that no other suite made: each is one line naming the file and
/// line (or the environment variable) and what is wrong (README, Mail: "a configuration error ... is also one
/// line, and the run stays complete"), rather than a report mailed to nobody or to the wrong people.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct MailSettingsMistakesTests {
  /// The message `resolve` stops with for a mail.env holding `bytes`, with the file's path shortened to `mail.env`.
  func failure(_ bytes: Data) throws -> String {
    let folder = try TemporaryFolder("mail-settings")
    defer { folder.cleanUp() }
    let url = folder.file("mail.env")
    try bytes.write(to: url)
    do {
      _ = try MailSettings.resolve(file: url, environment: [:])
      return "no error"
    } catch let error as DeliveryError {
      #expect(error.exitCode == 78, "a configuration error: \(error)")
      return error.description.replacingOccurrences(of: url.path, with: "mail.env")
    }
  }

  func failure(_ text: String) throws -> String { try failure(Data(text.utf8)) }

  static let from = "SURVEY_MAIL_FROM=Khảo sát khuyến công <khaosat@sct.example.vn>\n"
  static let smtp = "SURVEY_SMTP_URL=smtp://mail.sct.example.vn:587\n"

  /// Recipients separated by ";" as Outlook separates them: not read as one strange address.
  @Test func recipientsSeparatedBySemicolonsAreNotAList() throws {
    #expect(
      try failure("SURVEY_MAIL_TO=giamdoc@sct.example.vn; qlcn@sct.example.vn\n" + Self.from + Self.smtp)
        == "mail.env:1: not a comma-separated list of addresses")
    #expect(
      try failure("SURVEY_MAIL_TO=giamdoc@sct.example.vn, qlcn@sct.example.vn\n" + Self.from + Self.smtp)
        == "no error")
  }

  /// A sender that is a name without its address.
  @Test func aSenderWithoutAnAddressIsSaid() throws {
    #expect(
      try failure("SURVEY_MAIL_TO=giamdoc@sct.example.vn\nSURVEY_MAIL_FROM=Khảo sát khuyến công\n" + Self.smtp)
        == "mail.env:2: not an address: Khảo sát khuyến công")
  }

  /// A line without `=` (a key and value separated by a colon or a space, as in other settings files).
  @Test func aLineWithoutAnEqualsSignNamesItsLine() throws {
    #expect(
      try failure("# Mail\nSURVEY_MAIL_TO: giamdoc@sct.example.vn\n" + Self.from + Self.smtp)
        == "mail.env:2: expected KEY=VALUE")
  }

  /// The file saved as "Unicode" (UTF-16 with a byte-order mark) by Windows Notepad, for the Vietnamese names in it.
  @Test func aFileNotInUTF8IsSaidToBeSo() throws {
    var utf16 = Data([0xFF, 0xFE])
    utf16.append(
      ("SURVEY_MAIL_TO=Giám đốc <giamdoc@sct.example.vn>\n" + Self.from + Self.smtp).data(using: .utf16LittleEndian)!)
    #expect(try failure(utf16) == "mail.env: cannot be read as UTF-8 text")
  }
}
