import Foundation
import Testing

@testable import SurveyCore

/// Decodes the RFC 2047 encoded words of a header value (the test's own small reader).
func decodeHeader(_ value: String) -> String? {
  var bytes: [UInt8] = []
  for word in value.components(separatedBy: "\r\n ").flatMap({ $0.split(separator: " ") }) {
    guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="), word.count <= 75 else { return nil }
    guard let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) else { return nil }
    guard String(data: data, encoding: .utf8) != nil else { return nil }  // each word whole characters
    bytes += data
  }
  return String(data: Data(bytes), encoding: .utf8)
}

@Suite struct MailMessageTests {
  static let subject = "Báo cáo khảo sát nhu cầu khuyến công tỉnh Thái Bình — tháng 11/2026"
  static let csv = Data("hạng,huyện,nội dung\n1,Hưng Hà,Đào tạo nghề\n".utf8)

  static func message(attachments: [MailAttachment]? = nil) -> MailMessage {
    MailMessage(
      from: MailAddress(name: "Hệ thống khảo sát", address: "survey@sct.example.vn"),
      to: [
        MailAddress(address: "giamdoc@sct.example.vn"), MailAddress(name: "Phòng QLCN", address: "qlcn@sct.example.vn"),
      ],
      subject: subject, date: Date(timeIntervalSince1970: 1_796_004_000),
      messageID: "20261130T020000Z.abc@sct.example.vn",
      plainText: "# Báo cáo\n\nCó 12 cơ sở.\n", html: "<h1>Báo cáo</h1>\n<p>Có 12 cơ sở.</p>\n",
      attachments: attachments ?? [
        MailAttachment(filename: "recommendations.csv", contentType: "text/csv; charset=utf-8", data: csv)
      ])
  }

  var text: String { String(decoding: Self.message().rendered(), as: UTF8.self) }

  /// The header block, unfolded into name → value (values keep their folding).
  func headers(_ text: String) -> [String: String] {
    let block = text.components(separatedBy: "\r\n\r\n")[0]
    var result: [String: String] = [:]
    var last = ""
    for line in block.components(separatedBy: "\r\n") {
      if line.hasPrefix(" "), !last.isEmpty {
        result[last]! += "\r\n" + line
      } else if let colon = line.firstIndex(of: ":") {
        last = String(line[..<colon])
        result[last] = String(line[line.index(colon, offsetBy: 2)...])
      }
    }
    return result
  }

  /// The decoded body of the single part whose headers contain `marker`.
  func body(after marker: String, in text: String) throws -> Data {
    let start = try #require(text.range(of: marker))
    let rest = text[start.upperBound...]
    let bodyStart = try #require(rest.range(of: "\r\n\r\n"))
    let bodyEnd = try #require(rest.range(of: "\r\n--", range: bodyStart.upperBound..<rest.endIndex))
    let base64 = rest[bodyStart.upperBound..<bodyEnd.lowerBound].replacingOccurrences(of: "\r\n", with: "")
    return try #require(Data(base64Encoded: base64))
  }

  @Test func everyLineEndsInCRLFAndIsShortAndSevenBit() {
    let bytes = [UInt8](Self.message().rendered())
    #expect(bytes.allSatisfy { $0 < 0x80 })
    for (index, byte) in bytes.enumerated() where byte == 0x0A {
      #expect(index > 0 && bytes[index - 1] == 0x0D, "bare LF at byte \(index)")
    }
    for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 78, "\(line)") }
  }

  @Test func theVietnameseSubjectAndNamesAreEncodedWordsThatDecode() throws {
    let fields = headers(text)
    let subject = try #require(fields["Subject"])
    #expect(subject.hasPrefix("=?UTF-8?B?"))
    #expect(decodeHeader(subject) == Self.subject)
    #expect(fields["From"]?.hasSuffix(" <survey@sct.example.vn>") == true)
    let fromName = try #require(fields["From"]?.components(separatedBy: " <").first)
    #expect(decodeHeader(fromName) == "Hệ thống khảo sát")
    let to = try #require(fields["To"]?.components(separatedBy: ",\r\n "))
    #expect(to.count == 2)
    #expect(to[0] == "giamdoc@sct.example.vn")
    #expect(to[1].hasSuffix(" <qlcn@sct.example.vn>"))
    #expect(decodeHeader(String(to[1].dropLast(" <qlcn@sct.example.vn>".count))) == "Phòng QLCN")
    #expect(fields["Date"] == "Mon, 30 Nov 2026 02:00:00 +0000")
    #expect(fields["Message-ID"] == "<20261130T020000Z.abc@sct.example.vn>")
    #expect(fields["MIME-Version"] == "1.0")
  }

  @Test func theStructureIsMixedHoldingAlternativeAndTheAttachment() throws {
    let fields = headers(text)
    let digest = Self.message().contentDigest
    #expect(fields["Content-Type"] == "multipart/mixed; boundary=\"=_mixed_\(digest)\"")
    let order = ["multipart/alternative", "text/plain; charset=utf-8", "text/html; charset=utf-8", "text/csv"]
    let positions = order.map { text.range(of: "Content-Type: " + $0)?.lowerBound }
    #expect(positions.allSatisfy { $0 != nil })
    #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    #expect(text.contains("Content-Disposition: attachment; filename=\"recommendations.csv\""))
    #expect(text.hasSuffix("--=_mixed_\(digest)--\r\n"))
    #expect(text.components(separatedBy: "--=_alt_\(digest)\r\n").count == 3)
  }

  @Test func bodiesDecodeToTheTextWithCRLFAndTheAttachmentToItsExactBytes() throws {
    let plain = try body(after: "Content-Type: text/plain; charset=utf-8", in: text)
    #expect(String(data: plain, encoding: .utf8) == "# Báo cáo\r\n\r\nCó 12 cơ sở.\r\n")
    let html = try body(after: "Content-Type: text/html; charset=utf-8", in: text)
    #expect(String(data: html, encoding: .utf8) == "<h1>Báo cáo</h1>\r\n<p>Có 12 cơ sở.</p>\r\n")
    #expect(try body(after: "Content-Type: text/csv", in: text) == Self.csv)
  }

  @Test func theSameContentGivesTheSameBytes() {
    #expect(Self.message().rendered() == Self.message().rendered())
    var other = Self.message()
    other.plainText += "Thêm.\n"
    #expect(other.contentDigest != Self.message().contentDigest)
  }

  @Test func aVietnameseFileNameUsesRFC2231() {
    let message = Self.message(attachments: [
      MailAttachment(filename: "khuyến nghị.csv", contentType: "text/csv", data: Data())
    ])
    let text = String(decoding: message.rendered(), as: UTF8.self)
    #expect(text.contains("filename*=UTF-8''khuy%E1%BA%BFn%20ngh%E1%BB%8B.csv"))
  }

  @Test func noAttachmentStillMakesAWholeMessage() {
    let text = String(decoding: Self.message(attachments: []).rendered(), as: UTF8.self)
    #expect(!text.contains("Content-Disposition"))
    #expect(text.hasSuffix("--\r\n"))
  }
}
