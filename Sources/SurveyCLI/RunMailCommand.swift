/// `survey-run mail`: composes a run's report as report.eml and sends it, when mail is configured.
import ArgumentParser
import Foundation
import SurveyCore

/// Mails the report of one run; also the command to resend it.
public struct RunMailCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "mail",
    abstract: "Mail the run's report (text and HTML, recommendations.csv attached), when mail is configured.",
    discussion: """
      Settings come from --config (KEY=VALUE lines) and then the environment, which wins: SURVEY_MAIL_TO, \
      SURVEY_MAIL_FROM, SURVEY_SMTP_URL (or SURVEY_SENDMAIL), SURVEY_SMTP_USER, SURVEY_SMTP_PASSWORD, \
      SURVEY_SMTP_STARTTLS, SURVEY_MAIL_SUBJECT. Without SURVEY_MAIL_TO nothing is sent and that is no error. \
      The message is saved as report.eml in the run folder before it is sent, so a failed send can be \
      retried with the same command. Exits 0 when sent or not configured, 69 when sending failed, 78 when \
      the settings are wrong.

      Example:
        survey-run mail --run-dir output/latest --config output/mail.env
      """)

  @Option(name: .customLong("run-dir"), help: "The run's folder, holding report.md.")
  public var runDirectory: String

  @Option(help: "A file of KEY=VALUE mail settings; a missing file means settings from the environment only.")
  public var config: String?

  @Flag(name: .customLong("dry-run"), help: "Compose and save report.eml, but do not send it.")
  public var dryRun = false

  @Flag(name: .shortAndLong, help: "Say what was done even when all is well.")
  public var verbose = false

  public init() {}

  public func run() throws {
    try runBookkeeping("survey-run") {
      let runURL = URL(fileURLWithPath: runDirectory, isDirectory: true)
      let configURL = config.map { URL(fileURLWithPath: $0) }
      guard
        let settings = try MailSettings.resolve(file: configURL, environment: ProcessInfo.processInfo.environment)
      else {
        if verbose { print("survey-run: mail is not configured (no SURVEY_MAIL_TO): nothing sent") }
        return
      }
      guard let message = try ReportMail.compose(runDirectory: runURL, settings: settings, date: Date()) else {
        if verbose { print("survey-run: \(runDirectory) has no \(ArtefactName.report): nothing to mail") }
        return
      }
      let saved = runURL.appendingPathComponent(ArtefactName.message)
      let writer = try AtomicFileWriter(saved)
      try writer.write(bytes: message.rendered())
      try writer.commit()
      guard !dryRun else {
        if verbose { print("survey-run: composed \(saved.path); not sent (--dry-run)") }
        return
      }
      do {
        try MailSender.send(message: saved, settings: settings)
      } catch let error as DeliveryError {
        throw DeliveryError(
          error.kind,
          "mail not sent: \(error.message); the message is kept in \(absolutePath(saved.path)); " + resendCommand())
      }
      if verbose {
        print("survey-run: mailed \(ArtefactName.report) to \(settings.to.map(\.address).joined(separator: ", "))")
      }
    }
  }

  /// "resend with: " and this very command with absolute paths, for an operator to paste once the mail server is
  /// back. Settings that came from the environment are named, as the pasted command needs them too (not their
  /// values: one may be a password); a --config file that does not exist is left out.
  private func resendCommand() -> String {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    var words = [executable, "mail", "--run-dir", absolutePath(runDirectory)]
    if let config, FileManager.default.fileExists(atPath: config) { words += ["--config", absolutePath(config)] }
    let command = words.map(shellQuoted).joined(separator: " ")
    let environment = ProcessInfo.processInfo.environment
    let fromEnvironment = MailSettings.keys.keys.filter { environment[$0] != nil }.sorted()
    guard !fromEnvironment.isEmpty else { return "resend with: " + command }
    return "resend (" + fromEnvironment.joined(separator: ", ") + " set as for this run) with: " + command
  }
}
