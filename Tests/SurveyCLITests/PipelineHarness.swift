/// Runs the built executables and the scripts the way cron and an operator do, in throwaway folders.
import Foundation
import Testing

/// Where things are: this checkout, and the executables `swift test` built.
enum Paths {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The folder of the built `survey-*` executables: the test bundle's own, as argument-parser's tests find it.
  static let products: URL = {
    var candidates: [URL] = []
    if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
    candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
    candidates.append(Bundle.main.bundleURL)
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
    for folder in candidates
    where FileManager.default.isExecutableFile(atPath: folder.appendingPathComponent("survey-run").path) {
      return folder
    }
    return candidates[0]
  }()

  static func script(_ name: String) -> URL {
    repository.appendingPathComponent("scripts").appendingPathComponent(name)
  }
}

/// What a finished process left: its exit code and what it printed.
struct Finished: CustomStringConvertible {
  var code: Int32
  var stdout: String
  var stderr: String
  var description: String { "exit \(code)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// A process started in the background, its output going to files so no pipe can fill and block it.
final class Started {
  let process = Process()
  private let out: URL
  private let err: URL

  init(_ executable: URL, _ arguments: [String], environment: [String: String], logs: URL) throws {
    out = logs.appendingPathComponent("out-\(UUID().uuidString)")
    err = logs.appendingPathComponent("err-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    process.executableURL = executable
    process.arguments = arguments
    process.environment = environment
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
  }

  func wait() throws -> Finished {
    process.waitUntilExit()
    let code = process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    return Finished(
      code: code, stdout: try String(contentsOf: out, encoding: .utf8),
      stderr: try String(contentsOf: err, encoding: .utf8))
  }
}

/// A throwaway place with an input folder of survey files, an output folder, and a bin folder of the
/// executables in which a stage can be wrapped to pause, so a test can act while a run is in progress.
struct Workdir {
  let root: URL
  var input: URL { root.appendingPathComponent("input") }
  var output: URL { root.appendingPathComponent("output") }
  var bin: URL { root.appendingPathComponent("bin") }
  var hooks: URL { root.appendingPathComponent("hooks") }
  var latest: URL { output.appendingPathComponent("latest") }

  static let header = "STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Xã/Phường/Thị trấn,Số lao động,Nhu cầu hỗ trợ\n"
  static let hungHa =
    header + """
      1,Công ty TNHH Mây tre đan Hưng Hà,Công ty TNHH,Huyện Hưng Hà,Xã Tân Lễ,45,Đào tạo nghề; Quảng bá sản phẩm
      2,HTX Dệt may Thái Phương,Hợp tác xã,Huyện Hưng Hà,Xã Thái Phương,120,Máy móc thiết bị
      3,Cơ sở chế biến gỗ Nguyễn Văn An,Hộ kinh doanh,Huyện Hưng Hà,Xã Canh Tân,8,Máy móc thiết bị; Đào tạo nghề

      """
  static let vuThu =
    header + """
      1,Công ty CP Thêu ren Minh Lãng,Công ty cổ phần,Huyện Vũ Thư,Xã Minh Lãng,60,Quảng bá sản phẩm
      2,Cơ sở gốm Nguyễn Thị Bình,Hộ kinh doanh,Huyện Vũ Thư,Xã Hồng Lý,6,Đào tạo nghề

      """

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("nightly-\(UUID().uuidString)")
    for folder in [input, bin, hooks] {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    try write("hung-ha.csv", Self.hungHa)
    for name in ["ingest", "normalise", "aggregate", "report", "run"] {
      try FileManager.default.createSymbolicLink(
        at: bin.appendingPathComponent("survey-\(name)"),
        withDestinationURL: Paths.products.appendingPathComponent("survey-\(name)"))
    }
  }

  func remove() { try? FileManager.default.removeItem(at: root) }

  /// Writes a survey file into the input folder, as an analyst drops one.
  func write(_ name: String, _ text: String) throws {
    try Data(text.utf8).write(to: input.appendingPathComponent(name))
  }

  /// Replaces `survey-STAGE` by a script that runs the real one, then runs `then` (sh) with $RUN_DIR set.
  func wrap(_ stage: String, then script: String) throws {
    try replace(
      stage,
      by: """
        #!/bin/sh
        "\(Paths.products.path)/survey-\(stage)" "$@" || exit $?
        RUN_DIR=; prev=; for a in "$@"; do [ "$prev" = --run-dir ] && RUN_DIR=$a; prev=$a; done
        \(script)
        """)
  }

  /// Puts the executable script `text` in place of `survey-STAGE` in the bin folder.
  private func replace(_ stage: String, by text: String) throws {
    let url = bin.appendingPathComponent("survey-\(stage)")
    try FileManager.default.removeItem(at: url)
    try Data(text.utf8).write(to: url)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
  }

  /// Replaces `survey-STAGE` by a script that runs the real one allowed to write files of at most `kib` KiB
  /// (`ulimit -f`), with SIGXFSZ ignored: past the limit a write is refused with EFBIG, as a full disk refuses
  /// one with ENOSPC, through the same calls. A test cannot fill a disk on a machine it does not own.
  func limitFileSize(of stage: String, toKiB kib: Int) throws {
    try replace(
      stage,
      by: """
        #!/bin/bash
        trap '' XFSZ
        ulimit -f \(kib)
        exec "\(Paths.products.path)/survey-\(stage)" "$@"
        """)
  }

  /// Makes `survey-STAGE` stop after its work until the test creates hooks/resume (at most a minute).
  func pause(after stage: String) throws {
    let hooks = self.hooks.path
    try wrap(
      stage,
      then: """
        echo $$ > "\(hooks)/stage.pid"; echo $PPID > "\(hooks)/pipeline.pid"; : > "\(hooks)/paused"
        i=0; while [ ! -e "\(hooks)/resume" ]; do i=$((i+1)); [ $i -le 1200 ] || exit 75; sleep 0.05; done
        """)
  }

  /// Waits until the paused stage has signalled, at most 60 seconds.
  func waitUntilPaused() throws {
    let deadline = Date().addingTimeInterval(60)
    while !FileManager.default.fileExists(atPath: hooks.appendingPathComponent("paused").path) {
      guard Date() < deadline else { throw HarnessError("the run never reached the paused stage") }
      Thread.sleep(forTimeInterval: 0.05)
    }
  }

  func resume() {
    _ = FileManager.default.createFile(atPath: hooks.appendingPathComponent("resume").path, contents: nil)
  }

  func hookPID(_ name: String) throws -> Int32 {
    let text = try String(contentsOf: hooks.appendingPathComponent("\(name).pid"), encoding: .utf8)
    guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      throw HarnessError("no pid in \(name)")
    }
    return pid
  }

  /// The environment of a run: this process's, without any SURVEY_* setting, and with the bin folder. Its
  /// TMPDIR is a folder of this one, so that what a run killed with SIGKILL leaves there (the stages' held
  /// output, which no trap can remove) goes with the folder rather than pile up in /tmp, run after run.
  func environment(_ extra: [String: String] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SURVEY_") }
    let scratch = root.appendingPathComponent("tmp")
    try? FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    environment["TMPDIR"] = scratch.path
    environment["SURVEY_BIN_DIR"] = bin.path
    environment.merge(extra) { _, new in new }
    return environment
  }

  /// Starts `scripts/run-pipeline` on this folder; `--settle 0` unless the arguments say otherwise.
  ///
  /// - Parameter signalsAsCron: start it with no signal blocked, as cron or a service manager would. The test
  ///   runner's threads block most signals, and `Process` hands that mask on, so a script started from here
  ///   would never see a SIGTERM; python3 clears the mask and then runs the script in its place.
  func start(
    _ arguments: [String] = [], environment extra: [String: String] = [:], signalsAsCron: Bool = false
  ) throws -> Started {
    var arguments = ["--input", input.path, "--output", output.path] + arguments
    if !arguments.contains("--settle") { arguments += ["--settle", "0"] }
    let script = Paths.script("run-pipeline")
    guard signalsAsCron else {
      return try Started(script, arguments, environment: environment(extra), logs: root)
    }
    let unblock =
      "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])"
    return try Started(
      URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", unblock, script.path] + arguments,
      environment: environment(extra), logs: root)
  }

  func run(_ arguments: [String] = [], environment extra: [String: String] = [:]) throws -> Finished {
    try start(arguments, environment: extra).wait()
  }

  /// The run folders, oldest first.
  func runs() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("runs").path).sorted()
  }

  /// The run folder `latest` points to, by name; nil when there is none.
  func latestRun() -> String? {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: latest.path)).map {
      URL(fileURLWithPath: $0).lastPathComponent
    }
  }

  func runFolder(_ name: String) -> URL { output.appendingPathComponent("runs").appendingPathComponent(name) }

  /// The report of the run `latest` points to.
  func latestReport() throws -> String {
    try String(contentsOf: runFolder(try #require(latestRun())).appendingPathComponent("report.md"), encoding: .utf8)
  }

  func manifest(_ run: String) throws -> [String: Any] {
    let data = try Data(contentsOf: runFolder(run).appendingPathComponent("manifest.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// Checks that a run folder holds every artefact its manifest lists, with the listed digest.
  func expectWhole(_ run: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let manifest = try self.manifest(run)
    let artefacts = try #require(manifest["artefacts"] as? [[String: Any]], sourceLocation: sourceLocation)
    #expect(!artefacts.isEmpty, sourceLocation: sourceLocation)
    for artefact in artefacts {
      let name = try #require(artefact["file"] as? String, sourceLocation: sourceLocation)
      let url = runFolder(run).appendingPathComponent(name)
      #expect(sha256(url) == artefact["sha256"] as? String, "\(run)/\(name)", sourceLocation: sourceLocation)
    }
    let names = try FileManager.default.contentsOfDirectory(atPath: runFolder(run).path)
    #expect(
      !names.contains { $0.hasPrefix(".") }, "temporary files left in \(run): \(names)", sourceLocation: sourceLocation)
  }
}

/// Checks a run that finished: 0 and silent on stderr, or 1 (rows for an analyst), where stderr may hold
/// the stages' one-line problems (`survey-normalise: file.csv:12: ...`) and nothing else. With
/// `problems`, such lines are expected whatever the code (a mail that could not be sent, say).
func expectComplete(_ finished: Finished, problems: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(finished.code == 0 || finished.code == 1, "\(finished)", sourceLocation: sourceLocation)
  let lines = finished.stderr.split(separator: "\n")
  if finished.code == 0 && !problems {
    #expect(lines.isEmpty, "\(finished)", sourceLocation: sourceLocation)
  } else {
    #expect(lines.allSatisfy { $0.hasPrefix("survey-") }, "\(finished)", sourceLocation: sourceLocation)
  }
}

struct HarnessError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// The SHA-256 of a file, by the system's own tool (the code under test has its own).
func sha256(_ url: URL) -> String? {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["sha256sum", url.path]
  let pipe = Pipe()
  process.standardOutput = pipe
  guard (try? process.run()) != nil else { return nil }
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init)
}

/// A run id: `20261130T020000Z`, or `20261130T020000Z-01` for a second run in the same second.
var runIDPattern: Regex<(Substring, Substring?)> { /\d{8}T\d{6}Z(-\d{2})?/ }
