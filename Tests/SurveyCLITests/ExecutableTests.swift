import Foundation
import Testing

/// The folder the test bundle and the built executables live in.
let productsFolder: URL = {
  var url = Bundle.main.bundleURL
  while !FileManager.default.fileExists(atPath: url.appendingPathComponent("survey-ingest").path) {
    let parent = url.deletingLastPathComponent()
    if parent.path == url.path { break }
    url = parent
  }
  return url
}()

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

/// What a built executable did: its exit code and what it printed.
struct ToolResult {
  var status: Int32
  var stdout: String
  var stderr: String
}

/// Runs a built executable in `folder` (the repository by default) and waits for it.
func runTool(_ tool: String, _ arguments: [String], in folder: URL? = nil) throws -> ToolResult {
  let process = Process()
  process.executableURL = productsFolder.appendingPathComponent(tool)
  process.arguments = arguments
  process.currentDirectoryURL = folder ?? repositoryRoot
  let out = Pipe()
  let err = Pipe()
  process.standardOutput = out
  process.standardError = err
  try process.run()
  let output = out.fileHandleForReading.readDataToEndOfFile()
  let errors = err.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return ToolResult(
    status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
    stderr: String(decoding: errors, as: UTF8.self))
}

/// `runTool` as a tuple, for terse assertions.
@discardableResult
func execute(_ tool: String, _ arguments: [String], in folder: URL? = nil) throws -> (Int32, String, String) {
  let result = try runTool(tool, arguments, in: folder)
  return (result.status, result.stdout, result.stderr)
}

/// A fresh input folder and run folder for `body`, removed afterwards.
func withInputAndRun(_ label: String, _ body: (_ input: URL, _ run: URL) throws -> Void) throws {
  let input = try temporaryFolder(label)
  let run = try temporaryFolder("\(label)-run")
  defer {
    try? FileManager.default.removeItem(at: input)
    try? FileManager.default.removeItem(at: run)
  }
  try body(input, run)
}

func temporaryFolder(_ label: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite struct IngestExecutableTests {
  @Test func helpNamesTheOptions() throws {
    let (status, output, _) = try execute("survey-ingest", ["--help"])
    #expect(status == 0)
    for option in ["--input", "--run-dir", "--reference", "Example"] { #expect(output.contains(option)) }
  }

  @Test func ingestsTheShippedSamplesQuietlyAndSaysWhatItDidWhenAsked() throws {
    let run = try temporaryFolder("cli-ingest")
    defer { try? FileManager.default.removeItem(at: run) }
    let (status, output, errors) = try execute("survey-ingest", ["--input", "input", "--run-dir", run.path, "-v"])
    #expect(status == 0, "\(errors)")
    #expect(output.contains("6 files, 212 rows read"))
    for name in ["ingested.csv", "rejects.csv", "ingest-summary.json"] {
      #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent(name).path))
    }
  }

  /// Scans of paper forms by the dozen in input/ are one line of the cron log, after a line for each survey file
  /// or workbook set aside, however the names sort.
  @Test func manyScansAreOneLineAndTheFilesThatMatterKeepTheirs() throws {
    try withInputAndRun("cli-scans") { input, run in
      try manyScansAreOneLineAndTheFilesThatMatterKeepTheirs(input, run)
    }
  }

  private func manyScansAreOneLineAndTheFilesThatMatterKeepTheirs(_ input: URL, _ run: URL) throws {
    try FileManager.default.copyItem(
      at: repositoryRoot.appendingPathComponent("input/2025-10-thai-thuy.csv"),
      to: input.appendingPathComponent("2025-10-thai-thuy.csv"))
    try Data("STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Số lao động\n1,\"Cơ sở B,Hộ KD,Quỳnh Phụ,5\n".utf8)
      .write(to: input.appendingPathComponent("quynh-phu.csv"))
    try Data("PK".utf8).write(to: input.appendingPathComponent("vu-thu.xlsx"))
    for number in 1...25 {
      try Data("JFIF".utf8).write(to: input.appendingPathComponent("IMG_00\(number < 10 ? "0" : "")\(number).jpg"))
    }
    try Data("%PDF".utf8).write(to: input.appendingPathComponent("cong-van.pdf"))
    // Misnamed survey exports are named, not counted among the scans.
    for name in ["Kiến Xương.cvs", "Thái Thụy.csv.bak"] {
      try FileManager.default.copyItem(
        at: repositoryRoot.appendingPathComponent("input/2025-10-thai-thuy.csv"),
        to: input.appendingPathComponent(name))
    }
    let (status, _, errors) = try execute("survey-ingest", ["--input", input.path, "--run-dir", run.path])
    #expect(status == 0, "\(errors)")
    let lines = errors.split(separator: "\n").map(String.init)
    #expect(lines.count == 5, "\(errors)")
    #expect(lines[0].hasPrefix("survey-ingest: Kiến Xương.cvs: set aside: not a survey export (.cvs)"))
    #expect(lines[1].hasPrefix("survey-ingest: Thái Thụy.csv.bak: set aside: not a survey export (.bak)"))
    #expect(lines[2].hasPrefix("survey-ingest: quynh-phu.csv:2: set aside: a quoted field opened here is never closed"))
    #expect(lines[3].hasPrefix("survey-ingest: vu-thu.xlsx: set aside: a spreadsheet workbook (.xlsx)"))
    #expect(
      lines[4]
        == "survey-ingest: 26 files set aside that are not survey exports (.jpg: 25, .pdf: 1): IMG_0001.jpg, "
        + "IMG_0002.jpg, IMG_0003.jpg and 23 more: only .csv, .txt and .tsv files are read; move them out of the "
        + "input folder")
  }

  /// An input folder with no file in it (a share not mounted) is no input: a report of nothing would replace the
  /// last one and be mailed.
  @Test func anEmptyInputFolderIsNoInput() throws {
    try withInputAndRun("cli-empty") { input, run in
      try FileManager.default.createDirectory(
        at: input.appendingPathComponent("reference"), withIntermediateDirectories: true)
      try Data().write(to: input.appendingPathComponent(".DS_Store"))
      let (status, _, errors) = try execute("survey-ingest", ["--input", input.path, "--run-dir", run.path])
      #expect(status == 66)
      #expect(errors.contains("holds no file: is the share mounted, or were the exports moved?"), "\(errors)")
    }
  }

  /// An input folder holding only a folder of exports is no share gone: the line names the folder and says to
  /// move the files up (it asked whether the share was mounted).
  @Test func anInputFolderOfFoldersOnlyNamesThem() throws {
    try withInputAndRun("cli-folders") { input, run in
      let district = input.appendingPathComponent("Vũ Thư")
      try FileManager.default.createDirectory(at: district, withIntermediateDirectories: true)
      try Data("STT,Tên cơ sở\n1,A\n".utf8).write(to: district.appendingPathComponent("vu-thu.csv"))
      let (status, _, errors) = try execute("survey-ingest", ["--input", input.path, "--run-dir", run.path])
      #expect(status == 66)
      let said = errors.contains("holds no file but the folders Vũ Thư, and files inside folders are not read")
      #expect(said, "\(errors)")
    }
  }

  @Test func aMissingRunFolderIsAUsageErrorThatSaysWhatToDo() throws {
    let (status, _, errors) = try execute("survey-ingest", ["--run-dir", "/nonexistent/run"])
    #expect(status == 64)
    #expect(errors.contains("--run-dir /nonexistent/run is not an existing folder"))
  }

  @Test func aMissingReferenceFolderIsAMissingInputSaidOnOneLine() throws {
    let run = try temporaryFolder("no-reference")
    defer { try? FileManager.default.removeItem(at: run) }
    for tool in ["survey-ingest", "survey-normalise", "survey-aggregate", "survey-report"] {
      let (status, _, errors) = try execute(tool, ["--run-dir", run.path, "--reference", "/nonexistent/reference"])
      #expect(status == 66, "\(tool): \(errors)")
      let expected =
        "\(tool): --reference /nonexistent/reference is not an existing folder of reference tables: "
        + "check the path (the shipped tables are in the repository's input/reference)\n"
      #expect(errors == expected)
    }
  }

  @Test func theFuzzTargetReplaysTheSeedCorpusAndEveryKeptFinding() throws {
    let fixtures = repositoryRoot.appendingPathComponent("Tests/SurveyCoreTests/Fixtures")
    let (status, output, errors) = try execute(
      "survey-fuzz",
      [fixtures.appendingPathComponent("ingest").path, fixtures.appendingPathComponent("fuzz-regressions").path])
    #expect(status == 0, "\(errors)")
    #expect(output.contains("without a finding"))
  }
}

@Suite struct NormaliseExecutableTests {
  /// `--today` takes the ISO form only: 01/12/2026 could be read either way round.
  @Test func theRunsDayIsAnISODateSaidInTheHelp() throws {
    let (status, output, _) = try execute("survey-normalise", ["--help"])
    #expect(status == 0)
    #expect(output.contains("--today <yyyy-mm-dd>"), "\(output)")
    // The help wraps its lines.
    let help = output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(help.contains("The day the run treats as today: survey dates after it are not believed"), "\(output)")
    try withInputAndRun("cli-today") { _, run in
      for written in ["01/12/2026", "2026-02-30", "2026-1-5", "today"] {
        let (status, _, errors) = try execute("survey-normalise", ["--run-dir", run.path, "--today", written])
        #expect(status == 64, "\(written): \(errors)")
      }
    }
  }

  /// The amounts of a file whose header states nghìn đồng or đồng are converted to triệu đồng: with -v the stage
  /// says so, one line a file converted, as the report does.
  @Test func aFileWhoseAmountsWereConvertedIsALineOfTheLog() throws {
    try withInputAndRun("cli-money") { input, run in
      let header =
        "STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Xã/Phường/Thị trấn,Số lao động,Nhu cầu hỗ trợ,"
      try Data(
        (header + "Doanh thu năm (nghìn đồng),Kinh phí đề nghị hỗ trợ (đồng)\n"
          + "1,HTX Mây tre Hồng Lý,Hợp tác xã,Huyện Vũ Thư,Xã Hồng Lý,12,Đào tạo nghề,2.500.000,150.000.000\n").utf8
      ).write(to: input.appendingPathComponent("vu-thu.csv"))
      try Data(
        (header + "Doanh thu năm (triệu đồng),Kinh phí đề nghị hỗ trợ (triệu đồng)\n"
          + "1,Cơ sở gốm Bình,Hộ kinh doanh,Huyện Hưng Hà,Xã Tân Lễ,6,Đào tạo nghề,800,20\n").utf8
      ).write(to: input.appendingPathComponent("hung-ha.csv"))
      #expect(try execute("survey-ingest", ["--input", input.path, "--run-dir", run.path]).0 == 0)
      let quiet = try execute("survey-normalise", ["--run-dir", run.path])
      #expect(quiet.0 == 0 && quiet.1.isEmpty, "\(quiet)")
      let (status, output, errors) = try execute("survey-normalise", ["--run-dir", run.path, "-v"])
      #expect(status == 0, "\(errors)")
      let lines = output.split(separator: "\n").filter { $0.contains("converted") }
      #expect(
        lines == [
          "survey-normalise: vu-thu.csv: amounts converted to million VND from the unit their column's header "
            + "states, “Doanh thu năm (nghìn đồng)” from thousand VND, “Kinh phí đề nghị hỗ trợ (đồng)” from VND (a "
            + "cell that writes its own unit keeps it); if a header states the wrong unit, correct it in the source file"
        ], "\(output)")
    }
  }

  /// The cron log names a corrections line that settled no row, and the stage still succeeds.
  @Test func aCorrectionThatSettledNoRowIsNamedOnStandardError() throws {
    let run = try temporaryFolder("cli-normalise")
    defer { try? FileManager.default.removeItem(at: run) }
    let corrections = run.appendingPathComponent("my-corrections.csv")
    try Data(
      """
      column,written,means,source_file,note
      district,Kien Xuong cu,342,,no sample writes this
      duplicate,nosuch.csv:999,distinct,,

      """.utf8
    ).write(to: corrections)
    #expect(try execute("survey-ingest", ["--input", "input", "--run-dir", run.path]).0 == 0)
    let (status, _, errors) = try execute(
      "survey-normalise", ["--run-dir", run.path, "--corrections", corrections.path])
    #expect(status == 0, "\(errors)")
    #expect(
      errors.components(separatedBy: "\n").filter { !$0.isEmpty } == [
        "survey-normalise: my-corrections.csv:2: district \"Kien Xuong cu\" settled no row in this run: "
          + "check its spelling and source_file, or delete the line if that file is no longer sent",
        "survey-normalise: my-corrections.csv:3: duplicate \"nosuch.csv:999\" names no row counted in this run "
          + "(none there, or it is rejected or in review): check the file name and line against duplicates.csv",
      ])
  }
}
