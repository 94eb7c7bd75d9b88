/// scripts/install-cron against a stand-in crontab that keeps the table in a file.
import Foundation
import Testing

@Suite struct InstallCronTests {
  /// A folder with a fake `crontab` first on PATH: `-l` prints the table, `-` replaces it from stdin.
  struct FakeCron {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("cron-\(UUID().uuidString)")
    var table: URL { root.appendingPathComponent("table") }

    init(table existing: String?) throws {
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
      if let existing { try Data(existing.utf8).write(to: table) }
      let crontab = root.appendingPathComponent("crontab")
      try Data(
        """
        #!/bin/sh
        case "$1" in
          -l) [ -f "\(table.path)" ] || { echo "no crontab for $(id -un)" >&2; exit 1; }; cat "\(table.path)" ;;
          -) cat > "\(table.path)" ;;
          *) echo "fake crontab: unexpected $*" >&2; exit 2 ;;
        esac

        """.utf8
      ).write(to: crontab)
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: crontab.path)
    }

    func run(_ arguments: [String], script: URL = Paths.script("install-cron"), locale: String? = nil) throws
      -> Finished
    {
      var environment = ProcessInfo.processInfo.environment
      environment["PATH"] = root.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
      if let locale { environment.merge(["LANG": locale, "LC_ALL": locale]) { $1 } }
      return try Started(script, arguments, environment: environment, logs: root).wait()
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
  }

  @Test func dryRunPrintsTheLineAndChangesNothing() throws {
    let cron = try FakeCron(table: nil)
    defer { cron.remove() }
    let finished = try cron.run(["--dry-run", "--time", "30 1 * * *", "--", "--lang", "en"])
    #expect(finished.code == 0, "\(finished)")
    let line = finished.stdout.trimmingCharacters(in: .newlines)
    #expect(line.hasPrefix("30 1 * * * cd \(Paths.repository.path) && PATH="))
    #expect(line.hasSuffix("scripts/run-pipeline --lang en # survey-pipeline nightly (\(Paths.repository.path))"))
    #expect(!FileManager.default.fileExists(atPath: cron.table.path))
  }

  @Test func installingTwiceKeepsOneEntryAndTheOtherLines() throws {
    let other = "MAILTO=ops@sct.example.vn\n15 3 * * 0 /usr/local/bin/backup\n"
    let cron = try FakeCron(table: other)
    defer { cron.remove() }
    let first = try cron.run([])
    #expect(first.code == 0, "\(first)")
    let second = try cron.run(["--time", "0 3 * * *"])
    #expect(second.code == 0, "\(second)")
    let table = try String(contentsOf: cron.table, encoding: .utf8)
    let lines = table.split(separator: "\n").map(String.init)
    #expect(lines.count == 3, "\(table)")
    #expect(Array(lines.prefix(2)) == other.split(separator: "\n").map(String.init))
    #expect(lines[2] == second.stdout.trimmingCharacters(in: .newlines))
    #expect(lines[2].hasPrefix("0 3 * * * "))
  }

  /// A checkout under a Vietnamese folder name with a space and a %, installed under the C locale (as a root
  /// shell may have it): the line is one cron's /bin/sh can run, and installing again replaces it.
  @Test func aCheckoutPathWithVietnameseLettersSpacesAndPercentWorksUnderCron() throws {
    let cron = try FakeCron(table: nil)
    defer { cron.remove() }
    let scripts = cron.root.appendingPathComponent("khảo sát 100%/scripts")
    try FileManager.default.createDirectory(at: scripts, withIntermediateDirectories: true)
    let script = scripts.appendingPathComponent("install-cron")
    try FileManager.default.copyItem(at: Paths.script("install-cron"), to: script)
    let first = try cron.run(["--", "--input", "/srv/khảo sát/it's"], script: script, locale: "C")
    #expect(first.code == 0, "\(first)")
    #expect(try cron.run(["--time", "30 1 * * *"], script: script, locale: "C").code == 0)
    let lines = try String(contentsOf: cron.table, encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(lines.count == 1, "installing again replaces the entry: \(lines)")
    let line = try #require(lines.first)
    #expect(!line.contains("$'"), "no bash-only quoting: \(line)")
    // What cron runs of the first line (a \% is a %), the pipeline swapped for printf, through /bin/sh as cron would.
    let firstLine = try #require(first.stdout.split(separator: "\n").first)
    let command = String(firstLine.split(separator: " ", maxSplits: 5)[5]).replacingOccurrences(of: "\\%", with: "%")
      .replacingOccurrences(of: "scripts/run-pipeline", with: "printf '<%s>'")
    let ran = try Started(URL(fileURLWithPath: "/bin/sh"), ["-c", command], environment: [:], logs: cron.root).wait()
    #expect(ran.stdout == "<--input></srv/khảo sát/it's>", "\(ran)")
  }

  @Test func aFirstInstallOnAnEmptyTableAddsJustTheEntry() throws {
    let cron = try FakeCron(table: nil)
    defer { cron.remove() }
    #expect(try cron.run([]).code == 0)
    let table = try String(contentsOf: cron.table, encoding: .utf8)
    #expect(
      table.split(separator: "\n", omittingEmptySubsequences: false).count == 2, "one line and its newline: \(table)")
    #expect(table.hasPrefix("0 2 * * * cd "))
  }
}
