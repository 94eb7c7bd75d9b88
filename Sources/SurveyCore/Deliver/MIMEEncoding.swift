/// The encodings a mail message needs: base64 bodies, RFC 2047 headers, RFC 5322 dates and addresses.
///
/// Everything here writes CRLF line ends and keeps header lines within 78 characters, so the message passes
/// unchanged through any SMTP server and decodes the same in every mail reader.
import Foundation

/// Header and body encodings for MIME messages.
public enum MIMEEncoding {
  static let crlf = "\r\n"

  /// `data` in base64, in lines of 76 characters, each ended by CRLF.
  public static func base64Lines(_ data: Data) -> String {
    let encoded = Array(data.base64EncodedString().utf8)
    var result = ""
    result.reserveCapacity(encoded.count + encoded.count / 38 + 2)
    var start = 0
    while start < encoded.count {
      let end = min(start + 76, encoded.count)
      result += String(decoding: encoded[start..<end], as: UTF8.self) + crlf
      start = end
    }
    return result
  }

  /// A header value safe to write: CR, LF and other control characters become spaces (no header injection
  /// through a report title or a configuration value).
  public static func singleLine(_ text: String) -> String {
    String(
      String.UnicodeScalarView(
        text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
  }

  /// `text` as a header value: as it is when plain printable ASCII that fits, otherwise as RFC 2047 UTF-8
  /// base64 encoded words, folded onto continuation lines. `used` is how much of the first line the header's
  /// name already takes (`"Subject: "` is 9).
  public static func headerText(_ text: String, used: Int) -> String {
    let clean = singleLine(text)
    let printable = clean.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
    if printable && !clean.contains("=?") && used + clean.utf8.count <= 78 { return clean }
    return encodedWords(clean)
  }

  /// RFC 2047 `=?UTF-8?B?...?=` words, each whole characters only, folded with CRLF and a space.
  static func encodedWords(_ text: String) -> String {
    // An encoded word is at most 75 characters; 39 bytes make 52 base64 characters and a 64-character word,
    // which leaves room on the first line for a header name of up to 12 characters ("Subject: " is 9).
    let maxBytes = 39
    var words: [String] = []
    var chunk: [UInt8] = []
    for character in text {
      let bytes = Array(String(character).utf8)
      if !chunk.isEmpty && chunk.count + bytes.count > maxBytes {
        words.append(word(chunk))
        chunk = []
      }
      chunk += bytes
    }
    if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
    return words.joined(separator: crlf + " ")
  }

  private static func word(_ bytes: [UInt8]) -> String { "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?=" }

  /// An RFC 5322 date: `Mon, 30 Nov 2026 02:00:00 +0000`.
  public static func date(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
    return formatter.string(from: date)
  }
}

/// A mailbox: an address and an optional display name, as in `Phòng Kế hoạch <kehoach@example.vn>`.
public struct MailAddress: Sendable, Equatable, CustomStringConvertible {
  public var name: String?
  public var address: String

  public init(name: String? = nil, address: String) {
    self.name = name
    self.address = address
  }

  /// Parses `addr@host` or `Display Name <addr@host>`; nil when there is no plausible address.
  public init?(parsing text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    var name: String?
    var address = trimmed
    if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
      address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
      let display = trimmed[..<open].trimmingCharacters(in: CharacterSet.whitespaces.union(["\""]))
      name = display.isEmpty ? nil : display
    }
    let parts = address.split(separator: "@", omittingEmptySubsequences: false)
    let allowed = address.unicodeScalars.allSatisfy {
      $0.value > 0x20 && $0.value < 0x7F && !"<>,;\"()[]\\".unicodeScalars.contains($0)
    }
    guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), allowed else { return nil }
    self.init(name: name, address: address)
  }

  /// Parses a comma-separated list; nil when any entry is not an address.
  public static func list(_ text: String) -> [MailAddress]? {
    let entries = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    let addresses = entries.compactMap(MailAddress.init(parsing:))
    return addresses.count == entries.count && !addresses.isEmpty ? addresses : nil
  }

  /// The mailbox as a header writes it, the display name encoded when it is not plain ASCII.
  public var headerValue: String {
    guard let name, !name.isEmpty else { return address }
    let plain = name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" }
    let display = plain ? "\"\(name)\"" : MIMEEncoding.encodedWords(MIMEEncoding.singleLine(name))
    return "\(display) <\(address)>"
  }

  public var description: String { headerValue }
}
