import Foundation
import Testing

@testable import SurveyCore

@Suite struct MIMEEncodingTests {
  @Test func base64LinesAre76CharactersEndedByCRLF() {
    let data = Data((0..<200).map { UInt8($0) })
    let text = MIMEEncoding.base64Lines(data)
    let lines = text.components(separatedBy: "\r\n")
    #expect(lines.last == "")
    #expect(lines.dropLast().dropLast().allSatisfy { $0.count == 76 })
    #expect(Data(base64Encoded: lines.joined()) == data)
    #expect(MIMEEncoding.base64Lines(Data()) == "")
  }

  @Test func plainShortASCIIStaysAsItIs() {
    #expect(MIMEEncoding.headerText("Survey report", used: 9) == "Survey report")
  }

  @Test func asciiThatLooksLikeAnEncodedWordOrIsTooLongIsEncoded() {
    #expect(MIMEEncoding.headerText("=?x?=", used: 9).hasPrefix("=?UTF-8?B?"))
    let long = String(repeating: "report ", count: 20)
    #expect(decodeHeader(MIMEEncoding.headerText(long, used: 9)) == long)
  }

  @Test func longVietnameseIsSplitBetweenCharactersIntoShortWords() throws {
    let subject = String(repeating: "Nhu cầu hỗ trợ đào tạo nghề ở Kiến Xương; ", count: 4)
    let encoded = MIMEEncoding.headerText(subject, used: 9)
    let lines = encoded.components(separatedBy: "\r\n ")
    #expect(lines.count > 3)
    #expect(lines.allSatisfy { $0.count <= 64 })
    #expect(decodeHeader(encoded) == subject)
  }

  @Test func controlCharactersCannotInjectHeaders() {
    let evil = "Báo cáo\r\nBcc: everyone@example.com"
    let encoded = MIMEEncoding.headerText(evil, used: 9)
    #expect(decodeHeader(encoded) == "Báo cáo  Bcc: everyone@example.com")
    #expect(MIMEEncoding.headerText("Report\nBcc: x@y.z", used: 9) == "Report Bcc: x@y.z")
  }

  @Test func datesAreRFC5322InUTC() {
    #expect(MIMEEncoding.date(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
  }

  @Test func addressesParseWithAndWithoutDisplayNames() throws {
    #expect(MailAddress(parsing: " a.b@sct.example.vn ") == MailAddress(address: "a.b@sct.example.vn"))
    let named = try #require(MailAddress(parsing: "\"Phòng Kế hoạch\" <kehoach@sct.example.vn>"))
    #expect(named.name == "Phòng Kế hoạch")
    #expect(named.address == "kehoach@sct.example.vn")
    #expect(MailAddress(parsing: "Planning <plan@sct.example.vn>")?.headerValue == "\"Planning\" <plan@sct.example.vn>")
    for bad in ["", "nobody", "a@b", "a b@c.vn", "<>", "a@b.vn>"] {
      #expect(MailAddress(parsing: bad) == nil, "\(bad)")
    }
    #expect(MailAddress.list("a@b.vn, Phòng <c@d.vn>")?.map(\.address) == ["a@b.vn", "c@d.vn"])
    #expect(MailAddress.list("a@b.vn, oops") == nil)
    #expect(MailAddress.list(" , ") == nil)
  }
}
