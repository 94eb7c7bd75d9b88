/// Hands a saved message to the mail system: curl speaking SMTP, or a sendmail-compatible command.
///
/// Both are programs the machine already has; the pipeline never speaks SMTP itself. The password, if any,
/// reaches curl on its standard input, not its command line, so it never shows in a process list.
import Foundation

/// Sends a message file through the configured transport.
public enum MailSender {
  /// Sends the message at `message` to `settings.to`; throws `DeliveryError(.unavailable)` with the mail
  /// system's own words when it refuses or fails.
  public static func send(message: URL, settings: MailSettings) throws {
    switch settings.transport {
    case .smtp(let url, let user, let password, let requireTLS):
      var arguments = [
        "curl", "--silent", "--show-error", "--url", url, "--mail-from", settings.from.address,
        "--upload-file", message.path, "--connect-timeout", "30", "--max-time", "300",
      ]
      for recipient in settings.to { arguments += ["--mail-rcpt", recipient.address] }
      if requireTLS { arguments.append("--ssl-reqd") }
      var configuration = ""
      if let user {
        arguments += ["--config", "-"]
        configuration = "user = \"\(curlQuoted(user)):\(curlQuoted(password ?? ""))\"\n"
      }
      try run(URL(fileURLWithPath: "/usr/bin/env"), arguments, stdin: .text(configuration), what: "curl")
    case .sendmail(let command):
      try run(URL(fileURLWithPath: "/bin/sh"), ["-c", command], stdin: .file(message), what: command)
    }
  }

  private enum Input {
    case text(String)
    case file(URL)
  }

  /// A value inside double quotes in a curl config file.
  static func curlQuoted(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
  }

  private static func run(_ executable: URL, _ arguments: [String], stdin: Input, what: String) throws {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = errors
    let input = Pipe()
    switch stdin {
    case .text(let text):
      // Written before the program starts, into the pipe's buffer: a program that dies at once then cannot
      // make this write fail with SIGPIPE.
      input.fileHandleForWriting.write(Data(text.utf8))
      process.standardInput = input
    case .file(let url):
      guard let handle = FileHandle(forReadingAtPath: url.path) else {
        throw DeliveryError(.unavailable, "cannot read \(url.path)")
      }
      process.standardInput = handle
    }
    do {
      try process.run()
    } catch {
      throw DeliveryError(.unavailable, "cannot start \(what): \(error.localizedDescription)")
    }
    // Stopped (SIGTERM) while the mail program runs: it is stopped too, rather than left sending on its own.
    deliveringProgram = process.processIdentifier
    signal(SIGTERM, stopDelivering)
    defer {
      signal(SIGTERM, SIG_DFL)
      deliveringProgram = 0
    }
    if case .text = stdin {
      do {
        try input.fileHandleForWriting.close()
      } catch {
        throw DeliveryError(.unavailable, "cannot finish the input of \(what): \(error.localizedDescription)")
      }
    }
    let output = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationReason == .exit, process.terminationStatus == 0 else {
      let said = String(decoding: output, as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " / ")
      throw DeliveryError(
        .unavailable,
        "\(what) failed (exit \(process.terminationStatus))" + (said.isEmpty ? "" : ": \(said)"))
    }
  }
}

/// The mail program running now, for `stopDelivering`; 0 when none runs.
nonisolated(unsafe) private var deliveringProgram: pid_t = 0

/// SIGTERM while a mail program runs: stops it, with whatever it started (`Process` makes the child the leader of a
/// process group of its own: a sendmail command runs under /bin/sh), then ends this process as the signal would
/// have. Only async-signal-safe calls (`kill`, `_exit`).
private func stopDelivering(_ signal: Int32) {
  if deliveringProgram > 0 {
    kill(-deliveringProgram, SIGTERM)
    kill(deliveringProgram, SIGTERM)
  }
  _exit(128 + signal)
}
