/// The report of a run as a mail message: the Markdown as text, the same rendered as HTML, the
/// recommendations attached, and the lists of rows to act on when they hold any.
import Foundation
import Ink

/// Composes the mail message of a run folder.
public enum ReportMail {
  /// The subject when neither the settings nor the report give one.
  public static let defaultSubject = "Báo cáo khảo sát nhu cầu khuyến công"
  /// The largest row list attached: the report lists the first rows of each and says where the rest are, so a
  /// national run's long list stays on the server rather than filling mailboxes.
  public static let listAttachmentLimit = 2 << 20

  /// The message for the report in `runDirectory`, or nil when the run has no `report.md`.
  public static func compose(runDirectory: URL, settings: MailSettings, date: Date) throws -> MailMessage? {
    let reportURL = runDirectory.appendingPathComponent(ArtefactName.report)
    guard FileManager.default.fileExists(atPath: reportURL.path) else { return nil }
    guard let data = FileManager.default.contents(atPath: reportURL.path),
      let markdown = String(data: data, encoding: .utf8)
    else {
      throw PipelineError(.badInput, "\(reportURL.path): cannot be read as UTF-8 text")
    }
    let parsed = MarkdownParser().parse(markdown)
    // The report's title, with the run's day so that each night's mail can be told apart.
    let day = RunID.vietnamTime(runDirectory.lastPathComponent).map { " · " + $0.day } ?? ""
    let subject = settings.subject ?? parsed.title.flatMap { $0.isEmpty ? nil : $0 + day } ?? defaultSubject + day
    var attachments: [MailAttachment] = []
    /// Attaches the run's file `name` when it is there; a row list only when it holds rows and is not too large.
    func attach(_ name: String, rowList: Bool) throws {
      let url = runDirectory.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: url.path) else { return }
      // A list over the limit is passed over by its size, before it is read.
      if rowList, let size = try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int,
        size > listAttachmentLimit
      {
        return
      }
      guard let csv = FileManager.default.contents(atPath: url.path) else {
        throw PipelineError(.io, "\(url.path): cannot be read")
      }
      // The header line alone: nothing to act on.
      if rowList, !(csv.firstIndex(of: 0x0A).map { $0 + 1 < csv.endIndex } ?? false) { return }
      attachments.append(MailAttachment(filename: name, contentType: "text/csv; charset=utf-8", data: csv))
    }
    try attach(ArtefactName.recommendations, rowList: false)
    try attach(ArtefactName.rejects, rowList: true)
    try attach(ArtefactName.review, rowList: true)
    // What was merged, and the possible duplicates an analyst settles in corrections.csv by row and name.
    try attach(ArtefactName.duplicates, rowList: true)
    var message = MailMessage(
      from: settings.from, to: settings.to, subject: subject, date: date, messageID: "",
      plainText: markdown, html: htmlDocument(body: parsed.html, title: subject), attachments: attachments)
    let domain = settings.from.address.split(separator: "@").last.map(String.init) ?? "localhost"
    message.messageID = "\(runDirectory.lastPathComponent).\(message.contentDigest)@\(domain)"
    return message
  }

  /// A whole HTML document around Ink's rendering, with a little style so tables read in a mail client.
  public static func htmlDocument(body: String, title: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="vi">
    <head>
    <meta charset="utf-8">
    <title>\(escape(title))</title>
    <style>
    body { font-family: Arial, Helvetica, sans-serif; line-height: 1.4; max-width: 60em; }
    table { border-collapse: collapse; }
    th, td { border: 1px solid #999; padding: 2px 6px; text-align: left; }
    </style>
    </head>
    <body>
    \(body)
    </body>
    </html>

    """
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;")
  }
}
