/// `survey-ingest`: stage 1 of the pipeline.
import ArgumentParser
import Foundation
import SurveyCore

/// Reads every survey CSV in the input folder into the run's staged file.
public struct IngestCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "survey-ingest",
    abstract: "Read every survey CSV in the input folder into the run's staged file, accounting for every row.",
    discussion: """
      Reads each *.csv, *.txt and *.tsv directly in --input, in file-name order, whatever its encoding \
      (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1258), delimiter (comma, semicolon, tab) and \
      layout (title rows, two-row headers, totals rows). Writes ingested.csv, rejects.csv and \
      ingest-summary.json into --run-dir. A malformed file is set aside with the line where the trouble \
      starts, and any other file (an .xlsx dropped as it came) with what to do; the others are still read. \
      Hidden files and Excel's ~$ lock files are passed over; the files inside a folder are not read, and a \
      folder holding files is named in ingest-summary.json (folders_not_read), for an analyst to look at. \
      With --skip-unsettled, files still being written are left for the next run and listed in unsettled.json.

      Example:
        survey-ingest --input input --run-dir output/runs/20251130T020000Z
      """)

  @OptionGroup public var options: StageOptions

  @Option(help: "The folder analysts drop survey CSV files into.")
  public var input: String = "input"

  @Option(
    name: .customLong("skip-unsettled"),
    // The next word is the value whatever it looks like: `--skip-unsettled -1` read -1 as an option and said the
    // value was missing, where `validate()` says what the window takes.
    parsing: .unconditional,
    help: ArgumentHelp(
      "Leave out files changed in the last SECONDS or still growing, listing them in unsettled.json (0: none).",
      valueName: "seconds"))
  public var skipUnsettled: Int?

  @Option(help: "The language of the reasons in rejects.csv: vi (Vietnamese) or en (English).")
  public var lang: ReportLanguage = .vi

  @Option(
    name: .customLong("previous-run"),
    help: ArgumentHelp(
      "The last complete run's folder: of two files named alike but for case or accent encoding, the one it read "
        + "is read again.", valueName: "run-dir"))
  public var previousRun: String?

  public init() {}

  public func validate() throws {
    if let window = skipUnsettled, window < 0 {
      throw ValidationError("--skip-unsettled takes a number of seconds, 0 or more")
    }
  }

  public func run() throws {
    try runStage("survey-ingest", in: options.runURL) {
      let reference = try options.referenceURL
      let schema = try FormSchema.load(from: reference)
      let folder = URL(fileURLWithPath: input, isDirectory: true)
      let files = try IngestStage.inputFiles(in: folder)
      // An empty folder is most likely a share that is not mounted, or exports moved away: a report of nothing
      // would replace the last one and be mailed (every establishment "removed").
      guard !files.isEmpty else {
        // Only folders: a district's exports dropped in a folder of their own, not a share gone.
        let folders = IngestStage.foldersNotRead(in: folder, reference: reference)
        guard folders.isEmpty else {
          throw PipelineError(
            .missingInput,
            "the input folder \(folder.path) holds no file but the folders \(folders.joined(separator: ", ")), "
              + "and files inside folders are not read: move the survey exports up into \(folder.path); nothing "
              + "was read")
        }
        throw PipelineError(
          .missingInput,
          "the input folder \(folder.path) holds no file: is the share mounted, or were the exports moved? Put the "
            + "survey exports (.csv, .txt, .tsv) there; nothing was read")
      }
      let previousFolder = previousRun.map { URL(fileURLWithPath: $0, isDirectory: true) }
      let previousChoice = previousFolder.map(IngestStage.filesRead(byRun:))
      let previouslyRead = (previousChoice ?? []) ?? []
      let summary: IngestSummary
      if let window = skipUnsettled {
        // The change-time window catches a file being written; the short growth probe catches one on a share
        // whose clock lags. Its quarter second passes while the files are read (`settleWhileReading`), so it
        // costs a province-sized run only what is left of it once they are.
        let unsettled = options.runURL.appendingPathComponent(ArtefactName.unsettled)
        let settled = try IngestStage.settleWhileReading(
          files, with: SettleCheck(windowSeconds: window, probeSeconds: 0.25), previouslyRead: previouslyRead
        ) { taken, left, leaveChanged in
          // Written before the reading, so that a run stopped during it still names the files it left.
          try StableJSON.write(UnsettledList(windowSeconds: window, files: left), to: unsettled)
          return try IngestStage.run(
            files: taken, runDirectory: options.runURL, schema: schema, wording: .of(lang),
            previouslyRead: previouslyRead, waiting: left.map { folder.appendingPathComponent($0.file) },
            reference: reference, input: folder, leaveChanged: leaveChanged)
        }
        summary = settled.summary
        var list = UnsettledList(windowSeconds: window, files: settled.left)
        if !settled.changed.isEmpty {
          // With the files that changed while they were read, in the order they would have been read.
          list.files = (list.files + settled.changed).sorted { $0.file.utf8.lexicographicallyPrecedes($1.file.utf8) }
        }
        try StableJSON.write(list, to: unsettled)
        if options.verbose {
          for file in settled.left + settled.changed {
            print("survey-ingest: \(file.file): left for the next run: \(file.reason)")
          }
        }
      } else {
        summary = try IngestStage.run(
          files: files, runDirectory: options.runURL, schema: schema, wording: .of(lang),
          previouslyRead: previouslyRead, reference: reference, input: folder)
      }
      if let previousFolder, case .some(.none) = previousChoice {  // a previous run, its summary unreadable
        let unread = previousFolder.appendingPathComponent(ArtefactName.ingestSummary)
        for note in IngestStage.choiceNotKnown(in: summary, input: folder, unreadSummary: unread) {
          complain("survey-ingest", note)
        }
      }
      for name in summary.foldersNotRead ?? [] {
        complain(
          "survey-ingest",
          "\(folder.appendingPathComponent(name).path) is a folder: files inside folders are not read; move the "
            + "survey exports up into \(folder.path)")
      }
      for name in summary.referenceFilesNotRead ?? [] {
        complain(
          "survey-ingest",
          "\(reference.appendingPathComponent(name).path) is read by no stage: the tables are read only "
            + "as .csv under the names in the folder's README.md; save it as CSV UTF-8 under its table's name, or "
            + "move it out")
      }
      // A line for each file set aside; scans of paper forms by the dozen are one line.
      let (named, others) = IngestStage.countingOtherFiles(summary.files.filter { $0.status == .setAside }) { $0.file }
      for file in named {
        let location = file.problemLine.map { "\(file.file):\($0)" } ?? file.file
        complain("survey-ingest", "\(location): set aside: \(file.problem ?? "")")
      }
      if !others.isEmpty {
        let shown = IngestStage.otherFilesNamed
        let names = others.prefix(shown).map(\.file).joined(separator: ", ")
        complain(
          "survey-ingest",
          "\(others.count) files set aside that are not survey exports (\(IngestStage.endingCounts(others.map(\.file)))): "
            + "\(names) and \(others.count - shown) more: only .csv, .txt and .tsv files are read; move them out of "
            + "the input folder")
      }
      // A file read with a warning (counted with no needs, amounts in a unit not read) is read wrong unless someone
      // acts, and the report's data quality is easy to pass over: a line for each, as for a file set aside.
      for file in summary.files where file.status != .setAside {
        for warning in file.warnings { complain("survey-ingest", "\(file.file): \(warning)") }
      }
      if options.verbose {
        for file in summary.files where !file.unknownColumns.isEmpty {
          print("survey-ingest: \(file.file): columns not read: " + file.unknownColumns.joined(separator: ", "))
        }
        print(
          "survey-ingest: \(EnglishCount.of(summary.files.count, "file")), "
            + "\(EnglishCount.of(summary.rowsRead, "row")) read, \(summary.rowsPassed) passed on, "
            + "\(summary.rowsSkipped) skipped, \(summary.rowsRejected) rejected, "
            + "\(EnglishCount.of(summary.filesSetAside, "file")) set aside")
      }
    }
  }
}
