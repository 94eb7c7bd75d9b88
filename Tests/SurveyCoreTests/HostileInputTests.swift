import Foundation
import Testing

@testable import SurveyCore

/// Files anyone in twenty offices might drop: each gets a clear outcome within bounded memory and time.
@Suite(.serialized) struct HostileInputTests {
  static let header = "STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Số lao động,Nhu cầu hỗ trợ\n"
  static let goodRow = "1,Cơ sở A,HTX,Vũ Thư,5,SXSH\n"

  /// Ingests the named files (written by `make`) and returns each file's summary, with the rejects.
  func ingest(_ make: (TemporaryFolder) throws -> Void) throws -> ([IngestFileSummary], [[String]]) {
    try TemporaryFolder.withInputAndRun("hostile") { input, run in
      try make(input)
      let summary = try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema())
      return (summary.files, try readArtefact(run.file(ArtefactName.rejects)).rows)
    }
  }

  @Test func aFiftyMegabyteFieldIsSetAsideAtItsLine() throws {
    let (files, _) = try ingest { input in
      var bytes = Array((Self.header + Self.goodRow + "2,\"").utf8)
      bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 50 << 20)
      bytes += Array("\",HTX,Vũ Thư,5,SXSH\n".utf8)
      try Data(bytes).write(to: input.file("huge-field.csv"))
    }
    #expect(files[0].status == .setAside)
    #expect(files[0].problemLine == 3)
    #expect(files[0].problem?.contains("longer than") == true)
    #expect(files[0].problemDetail == .fieldTooLong(limit: CSVLimits().maxFieldBytes))
  }

  @Test func aLineOfAHundredThousandColumnsIsSetAside() throws {
    let (files, _) = try ingest { input in
      let wide = String(repeating: "x,", count: 100_000) + "\n"
      try Data((Self.header + Self.goodRow + wide).utf8).write(to: input.file("wide.csv"))
    }
    #expect(files[0].status == .setAside)
    #expect(files[0].problemLine == 3)
    #expect(files[0].problem?.contains("fields") == true)
    #expect(files[0].problemDetail == .tooManyFields(limit: CSVLimits().maxFields))
  }

  /// A record or field past a limit, with rows after it: the line named is its own, not where the parser stopped.
  @Test func aLimitIsNamedAtTheLineWhereItIsPassedWithRowsAfterIt() throws {
    let limits = CSVLimits()
    let (files, _) = try ingest { input in
      let after = String(repeating: Self.goodRow, count: 100)
      let wide = String(repeating: "x,", count: limits.maxFields + 10) + "\n"
      try Data((Self.header + Self.goodRow + wide + after).utf8).write(to: input.file("a-wide.csv"))
      // Unquoted and only just past the limit, ended well inside the parser's chunk.
      let long = "2," + String(repeating: "y", count: limits.maxFieldBytes + 10) + ",HTX,Vũ Thư,5,SXSH\n"
      try Data((Self.header + Self.goodRow + Self.goodRow + long + after).utf8).write(to: input.file("b-long.csv"))
    }
    #expect(files[0].status == .setAside)
    #expect(files[0].problemDetail == .tooManyFields(limit: limits.maxFields))
    #expect(files[0].problemLine == 3)
    #expect(files[1].status == .setAside)
    #expect(files[1].problemDetail == .fieldTooLong(limit: limits.maxFieldBytes))
    #expect(files[1].problemLine == 4)
  }

  @Test func nulBytesAtTheTopMarkABinaryFileAndLaterOnesRejectTheRow() throws {
    let (files, rejects) = try ingest { input in
      try Data(Array("\0\0\0".utf8) + Array((Self.header + Self.goodRow).utf8)).write(to: input.file("a-nul-top.csv"))
      var bytes = Array((Self.header + Self.goodRow).utf8)
      bytes += Array(String(repeating: Self.goodRow, count: 400).utf8)  // push past the 8 KB binary sniff
      bytes += Array("9,Cơ sở\0 B,HTX,Vũ Thư,5,SXSH\n".utf8)
      try Data(bytes).write(to: input.file("b-nul-late.csv"))
    }
    #expect(files[0].status == .setAside && files[0].problem?.contains("binary") == true)
    #expect(files[1].status == .ingested && files[1].rowsRejected == 1 && files[1].rowsPassed == 401)
    #expect(rejects.last?[3].contains("control characters") == true)
  }

  @Test func aUTF16FileWithAnOddByteCountLosesOnlyItsBrokenLastRow() throws {
    let (files, rejects) = try ingest { input in
      var bytes: [UInt8] = [0xFF, 0xFE]
      for unit in (Self.header + Self.goodRow + "2,Cơ sở B,HTX,Vũ Thư,5,SXSH").utf16 {
        bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
      }
      bytes.append(0x41)  // half a code unit
      try Data(bytes).write(to: input.file("odd.csv"))
    }
    #expect(files[0].encoding == "utf-16le")
    #expect((files[0].rowsPassed, files[0].rowsRejected) == (1, 1))
    #expect(rejects[0][1] == "3")
  }

  @Test func crOnlyLineEndsAreLines() throws {
    let (files, _) = try ingest { input in
      let text = (Self.header + Self.goodRow + "\n2,Cơ sở B,HTX,Vũ Thư,5,SXSH\n")
        .replacingOccurrences(of: "\n", with: "\r")
      try Data(text.utf8).write(to: input.file("mac.csv"))
    }
    #expect((files[0].rowsRead, files[0].rowsPassed, files[0].rowsSkippedBlank) == (3, 2, 1))
  }

  @Test func oddFileNamesAreReadAndReportedVerbatim() throws {
    let names = ["with space.csv", "quote\"d.csv", "-leading-dash.csv", "Thái Bình.csv", "new\nline.csv"]
    let (files, _) = try ingest { input in
      for name in names { try Data((Self.header + Self.goodRow).utf8).write(to: input.file(name)) }
    }
    #expect(Set(files.map(\.file)) == Set(names))
    #expect(files.allSatisfy { $0.status == .ingested && $0.rowsPassed == 1 })
  }

  @Test func aTwoGigabyteSparseFileIsSetAsideWithoutBeingRead() throws {
    let start = Date()
    let (files, _) = try ingest { input in
      let url = input.file("sparse.csv")
      #expect(FileManager.default.createFile(atPath: url.path, contents: Data(Self.header.utf8)))
      let handle = try FileHandle(forWritingTo: url)
      try handle.truncate(atOffset: 2 << 30)
      try handle.close()
    }
    #expect(files[0].status == .setAside)
    #expect(files[0].problem?.contains("over the limit") == true)
    #expect(files[0].problemDetail == .tooLarge(bytes: 2 << 30, limit: IngestLimits().maxFileBytes))
    #expect(Date().timeIntervalSince(start) < 30)
  }

  @Test func formulaAndMarkupCellsPassThroughIngestAsText() throws {
    let cells = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd", "@SUM(A1)", "\tlead", "A | B <b>x</b> [l](http://x)"]
    let run = try TemporaryFolder("run")
    let input = try TemporaryFolder("formula")
    defer {
      run.cleanUp()
      input.cleanUp()
    }
    let rows = cells.enumerated().map { "\($0.offset),\(CSVWriter.quoted($0.element)),HTX,Vũ Thư,5,SXSH\n" }
    try Data((Self.header + rows.joined()).utf8).write(to: input.file("formula.csv"))
    _ = try IngestStage.run(files: [input.file("formula.csv")], runDirectory: run.url, schema: try shippedSchema())
    let staged = try readArtefact(run.file(ArtefactName.ingested))
    // Ingest keeps the respondent's text (trimmed); outputs for people neutralise it.
    #expect(staged.rows.map { $0[3] } == cells.map(TextFolding.trim))
  }
}

/// Respondents' text through every stage: nothing they wrote may run in a spreadsheet or break the report.
@Suite struct HostileTextEndToEndTests {
  /// In order of size: the report names the first three of a shortlist, the CSV all of them.
  static let hostileNames = [
    "Cơ sở A | B <script>alert(1)</script>", "[Bấm](http://evil.example) **đậm**", "Dòng một\nDòng hai",
    "=HYPERLINK(\"http://evil.example\",\"Bấm vào đây\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "\tTab đầu dòng",
  ]

  @Test func formulaAndMarkupNamesAreNeutralisedInTheCSVsAndEscapedInTheReport() throws {
    try TemporaryFolder.withInputAndRun("hostile-e2e") { input, run in
      var text = "STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Số lao động,Nhu cầu hỗ trợ,Đã được hỗ trợ khuyến công\n"
      for (index, name) in Self.hostileNames.enumerated() {
        text += "\(index + 1),\(CSVWriter.quoted(name)),HTX,Vũ Thư,\(200 - index),CGCN,Không\n"
      }
      try Data(text.utf8).write(to: input.file("hostile.csv"))
      _ = try IngestStage.run(files: [input.file("hostile.csv")], runDirectory: run.url, schema: try shippedSchema())
      _ = try NormaliseStage.run(
        runDirectory: run.url, reference: try ReferenceData.load(from: referenceFolder), corrections: Corrections())
      _ = try AggregateStage.run(runDirectory: run.url, reference: referenceFolder)
      _ = try ReportStage.run(
        runDirectory: run.url, reference: referenceFolder,
        options: ReportOptions(shortlistSize: Self.hostileNames.count))

      // Every counted, so every one reaches the shortlist of the one recommendation.
      #expect(try readArtefact(run.file(ArtefactName.establishments)).rows.count == Self.hostileNames.count)
      let recommendations = try String(contentsOf: run.file(ArtefactName.recommendations), encoding: .utf8)
      for cell in try readArtefact(run.file(ArtefactName.recommendations)).rows.flatMap({ $0 }) {
        if let first = cell.unicodeScalars.first {
          #expect(!["=", "+", "@", "\t", "\r"].contains(first), "formula cell in recommendations.csv: \(cell)")
        }
      }
      #expect(recommendations.contains("HYPERLINK"), "the shortlist should name the establishments")

      let report = try String(contentsOf: run.file(ArtefactName.report), encoding: .utf8)
      #expect(report.contains("alert(1)") && report.contains("Dòng một"), "the report should name them, escaped")
      #expect(!report.contains("<script>"))
      #expect(!report.contains("[Bấm](http"), "an unescaped link")
      #expect(!report.contains("Dòng một\nDòng hai"))
      // Every table row still has as many cells as its header.
      for table in report.components(separatedBy: "\n\n") where table.hasPrefix("|") {
        let rows = table.split(separator: "\n").map { $0.replacingOccurrences(of: "\\|", with: "") }
        let widths = Set(rows.map { $0.filter { $0 == "|" }.count })
        #expect(widths.count == 1, "a table whose rows differ in width:\n\(table)")
      }
    }
  }

  /// An input path that is no folder says what it is: "check that it exists" misled for a file, and for a folder
  /// the run's account may enter but not list (mode 711), which exists.
  @Test func anInputPathThatCannotBeListedSaysWhy() throws {
    let folder = try TemporaryFolder("not-listed")
    defer { folder.cleanUp() }
    func reason(_ url: URL) -> String? {
      (#expect(throws: PipelineError.self) { try IngestStage.inputFiles(in: url) })?.description
    }
    let gone = reason(folder.file("gone"))
    #expect(gone?.contains("gone does not exist: check the path, and that its share is mounted") == true, "\(gone!)")
    try Data("1,2\n".utf8).write(to: folder.file("survey.csv"))
    let file = reason(folder.file("survey.csv"))
    #expect(file?.contains("survey.csv is a file, not a folder") == true, "\(file!)")
    let unlisted = try folder.folder("unlisted")
    try FileManager.default.setAttributes([.posixPermissions: 0o311], ofItemAtPath: unlisted.path)
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: unlisted.path) }
    // Root lists a folder of mode 311 all the same: the permissions are checked where the tests run as another user
    // (and by hand, with runuser -u nobody).
    guard (try? FileManager.default.contentsOfDirectory(atPath: unlisted.path)) == nil else { return }
    let denied = reason(unlisted)
    #expect(denied?.contains("unlisted: check its permissions") == true, "\(denied!)")
  }
}
