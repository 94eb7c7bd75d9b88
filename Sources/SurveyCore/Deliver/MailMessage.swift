/// A MIME message: multipart/mixed holding a multipart/alternative (text/plain and text/html) and attachments.
///
/// Bodies are base64 in lines of 76, headers RFC 2047 encoded when they are not plain ASCII, and every line
/// ends in CRLF. The boundaries derive from the content, so the same report gives the same bytes but for
/// the Date header.
import Crypto
import Foundation

/// A file attached to a message.
public struct MailAttachment: Sendable, Equatable {
  public var filename: String
  /// The media type with its parameters, e.g. `text/csv; charset=utf-8`.
  public var contentType: String
  public var data: Data

  public init(filename: String, contentType: String, data: Data) {
    self.filename = filename
    self.contentType = contentType
    self.data = data
  }
}

/// A message with a plain-text and an HTML version of the same text, and attachments.
public struct MailMessage: Sendable, Equatable {
  public var from: MailAddress
  public var to: [MailAddress]
  public var subject: String
  public var date: Date
  /// Without the angle brackets: `20261130T020000Z.1a2b3c@example.vn`.
  public var messageID: String
  public var plainText: String
  public var html: String
  public var attachments: [MailAttachment]

  public init(
    from: MailAddress, to: [MailAddress], subject: String, date: Date, messageID: String, plainText: String,
    html: String, attachments: [MailAttachment] = []
  ) {
    self.from = from
    self.to = to
    self.subject = subject
    self.date = date
    self.messageID = messageID
    self.plainText = plainText
    self.html = html
    self.attachments = attachments
  }

  /// A short digest of the content, which names the boundaries and can name the message.
  public var contentDigest: String {
    var hasher = SHA256()
    hasher.update(data: Data(plainText.utf8))
    hasher.update(data: Data(html.utf8))
    for attachment in attachments {
      hasher.update(data: Data(attachment.filename.utf8))
      hasher.update(data: attachment.data)
    }
    return FileDigest.hex(hasher.finalize().prefix(12))
  }

  /// The whole message as it goes over SMTP: CRLF line ends, 7-bit clean.
  public func rendered() -> Data {
    let crlf = MIMEEncoding.crlf
    let digest = contentDigest
    // "=_" never occurs in base64 text, so no body line can be taken for a boundary.
    let mixed = "=_mixed_" + digest
    let alternative = "=_alt_" + digest
    var out = ""
    func header(_ name: String, _ value: String) { out += "\(name): \(value)\(crlf)" }
    header("From", from.headerValue)
    header("To", to.map(\.headerValue).joined(separator: "," + crlf + " "))
    header("Subject", MIMEEncoding.headerText(subject, used: "Subject: ".count))
    header("Date", MIMEEncoding.date(date))
    header("Message-ID", "<\(MIMEEncoding.singleLine(messageID))>")
    header("MIME-Version", "1.0")
    header("Content-Type", "multipart/mixed; boundary=\"\(mixed)\"")
    out += crlf + "This is a MIME message: the report is in the parts below." + crlf

    out += "--\(mixed)\(crlf)"
    out += "Content-Type: multipart/alternative; boundary=\"\(alternative)\"\(crlf)\(crlf)"
    for (type, text) in [("text/plain", plainText), ("text/html", html)] {
      out += "--\(alternative)\(crlf)"
      out += "Content-Type: \(type); charset=utf-8\(crlf)"
      out += "Content-Transfer-Encoding: base64\(crlf)\(crlf)"
      out += MIMEEncoding.base64Lines(Data(Self.canonicalLineEnds(text).utf8))
    }
    out += "--\(alternative)--\(crlf)"

    for attachment in attachments {
      out += "--\(mixed)\(crlf)"
      out += "Content-Type: \(MIMEEncoding.singleLine(attachment.contentType))\(crlf)"
      out += "Content-Disposition: attachment; \(Self.filenameParameter(attachment.filename))\(crlf)"
      out += "Content-Transfer-Encoding: base64\(crlf)\(crlf)"
      // The attachment's bytes travel as they are: the recipient gets the very file of the run folder.
      out += MIMEEncoding.base64Lines(attachment.data)
    }
    out += "--\(mixed)--\(crlf)"
    return Data(out.utf8)
  }

  /// Text with CRLF line ends, the canonical form of text parts (RFC 2045 section 6.4).
  static func canonicalLineEnds(_ text: String) -> String {
    text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
  }

  /// `filename="x.csv"`, or the RFC 2231 form for a name that is not plain ASCII.
  static func filenameParameter(_ name: String) -> String {
    let clean = MIMEEncoding.singleLine(name)
    if clean.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" }) {
      return "filename=\"\(clean)\""
    }
    let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
    let escaped = clean.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "attachment"
    return "filename*=UTF-8''\(escaped)"
  }
}
