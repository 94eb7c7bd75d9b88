/// Mail settings: who gets the report, from whom, and how it is sent.
///
/// Read from a `KEY=VALUE` file (by default `mail.env` beside the run folders) and then from the environment,
/// which wins. No recipients means no mail, and that is not an error; recipients without a sender or a way
/// to send is a configuration error, reported with the file and line where it can be fixed.
import Foundation

/// Why a message could not be composed or sent.
public struct DeliveryError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable {
    /// The settings are incomplete or wrong (EX_CONFIG, 78).
    case configuration
    /// The mail server or sendmail command refused or failed (EX_UNAVAILABLE, 69).
    case unavailable
  }

  public var kind: Kind
  public var message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }
  public var exitCode: Int32 { kind == .configuration ? 78 : 69 }
}

/// How a message leaves the machine.
public enum MailTransport: Sendable, Equatable {
  /// An SMTP server through curl: `smtp://host:25`, `smtp://host:587` (with `requireTLS`), `smtps://host:465`.
  case smtp(url: String, user: String?, password: String?, requireTLS: Bool)
  /// A sendmail-compatible command that reads the recipients from the message (`/usr/sbin/sendmail -t`).
  case sendmail(command: String)
}

/// The complete mail settings.
public struct MailSettings: Sendable, Equatable {
  public var to: [MailAddress]
  public var from: MailAddress
  public var transport: MailTransport
  /// A subject that replaces the report's title.
  public var subject: String?

  public init(to: [MailAddress], from: MailAddress, transport: MailTransport, subject: String? = nil) {
    self.to = to
    self.from = from
    self.transport = transport
    self.subject = subject
  }

  /// Every setting a file or the environment may give, with what it means (for messages and the docs).
  public static let keys: [String: String] = [
    "SURVEY_MAIL_TO": "recipients, comma-separated; without it no mail is sent",
    "SURVEY_MAIL_FROM": "the sender's address",
    "SURVEY_MAIL_SUBJECT": "a subject instead of the report's title",
    "SURVEY_SMTP_URL": "smtp://host:port or smtps://host:port",
    "SURVEY_SMTP_USER": "SMTP login, if the server wants one",
    "SURVEY_SMTP_PASSWORD": "SMTP password",
    "SURVEY_SMTP_STARTTLS": "yes to require STARTTLS on smtp://",
    "SURVEY_SENDMAIL": "a sendmail command used when there is no SMTP URL, e.g. /usr/sbin/sendmail -t",
  ]

  /// The settings from `file` (if it exists) overlaid with `environment`; nil when no recipients are set.
  public static func resolve(file: URL?, environment: [String: String]) throws -> MailSettings? {
    var values: [String: String] = [:]
    var origin: [String: String] = [:]
    if let file, FileManager.default.fileExists(atPath: file.path) {
      guard let data = FileManager.default.contents(atPath: file.path),
        let text = String(data: data, encoding: .utf8)
      else {
        throw DeliveryError(.configuration, "\(file.path): cannot be read as UTF-8 text")
      }
      for (key, (value, line)) in try parse(text, file: file.path) {
        values[key] = value
        origin[key] = "\(file.path):\(line)"
      }
    }
    for (key, value) in environment where keys[key] != nil {
      values[key] = value
      origin[key] = "environment variable \(key)"
    }
    func value(_ key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }
    func place(_ key: String) -> String { origin[key] ?? key }

    guard let toText = value("SURVEY_MAIL_TO") else { return nil }
    guard let to = MailAddress.list(toText) else {
      throw DeliveryError(.configuration, "\(place("SURVEY_MAIL_TO")): not a comma-separated list of addresses")
    }
    guard let fromText = value("SURVEY_MAIL_FROM") else {
      throw DeliveryError(.configuration, "\(place("SURVEY_MAIL_TO")): recipients are set but SURVEY_MAIL_FROM is not")
    }
    guard let from = MailAddress(parsing: fromText) else {
      throw DeliveryError(.configuration, "\(place("SURVEY_MAIL_FROM")): not an address: \(fromText)")
    }
    let transport: MailTransport
    if let url = value("SURVEY_SMTP_URL") {
      guard url.hasPrefix("smtp://") || url.hasPrefix("smtps://") else {
        throw DeliveryError(.configuration, "\(place("SURVEY_SMTP_URL")): must start smtp:// or smtps://")
      }
      let tls = ["yes", "true", "1"].contains((value("SURVEY_SMTP_STARTTLS") ?? "").lowercased())
      transport = .smtp(
        url: url, user: value("SURVEY_SMTP_USER"), password: value("SURVEY_SMTP_PASSWORD"), requireTLS: tls)
    } else if let command = value("SURVEY_SENDMAIL") {
      transport = .sendmail(command: command)
    } else {
      throw DeliveryError(
        .configuration, "\(place("SURVEY_MAIL_TO")): recipients are set but neither SURVEY_SMTP_URL nor SURVEY_SENDMAIL"
      )
    }
    return MailSettings(to: to, from: from, transport: transport, subject: value("SURVEY_MAIL_SUBJECT"))
  }

  /// `KEY=VALUE` lines with their line numbers; `#` comments, blank lines and a leading `export` are allowed,
  /// and a value may be in single or double quotes. Nothing is expanded. An unknown key is an error, so a
  /// misspelt setting is found the first night rather than never.
  static func parse(_ text: String, file: String) throws -> [String: (String, Int)] {
    var result: [String: (String, Int)] = [:]
    for (index, raw) in lines(of: text).enumerated() {
      var line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !line.isEmpty, !line.hasPrefix("#") else { continue }
      if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
      guard let equals = line.firstIndex(of: "=") else {
        throw DeliveryError(.configuration, "\(file):\(index + 1): expected KEY=VALUE")
      }
      let key = line[..<equals].trimmingCharacters(in: .whitespaces)
      var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      guard keys[key] != nil else {
        let known = keys.keys.sorted().joined(separator: ", ")
        throw DeliveryError(.configuration, "\(file):\(index + 1): unknown setting \(key) (known: \(known))")
      }
      if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
        value = String(value.dropFirst().dropLast())
      }
      result[key] = (value, index + 1)
    }
    return result
  }

  /// The lines of `text`, whatever ends them: LF, CRLF as Notepad saves, or a lone CR as old Mac editors did.
  ///
  /// Swift takes "\r\n" for one Character, so splitting on "\n" alone found a CRLF file to be one line: with a
  /// comment first the whole file was that comment, and no mail went out with no word said.
  static func lines(of text: String) -> [Substring] {
    text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
  }
}
