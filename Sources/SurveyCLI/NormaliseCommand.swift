/// `survey-normalise`: stage 2 of the pipeline.
import ArgumentParser
import Foundation
import SurveyCore

/// `--today 2026-12-01`: the ISO form alone, so that a day and a month are never read the wrong way round.
extension SurveyDate: ExpressibleByArgument {
  public init?(argument: String) {
    let utf8 = Array(argument.utf8)
    let digits = [0, 1, 2, 3, 5, 6, 8, 9]
    guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
      digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(utf8[$0]) }),
      let date = SurveyDate.parse(argument)
    else { return nil }
    self = date
  }
}

/// Turns the staged rows into canonical values, one district per counted establishment.
public struct NormaliseCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "survey-normalise",
    abstract: "Resolve districts, enterprise types, needs, numbers, dates and duplicates in the run's staged rows.",
    discussion: """
      Reads ingested.csv and ingest-summary.json from --run-dir and the reference tables from --reference. \
      Writes establishments.csv (one row per counted establishment), review.csv (ambiguous or unknown places, \
      with suggestions), duplicates.csv (merged rows and possible duplicates), normalise-summary.json, and adds \
      its rejected rows to rejects.csv. It never guesses a district: a new commune spanning two old districts, \
      or a commune name found in two districts, goes to review. Decisions written into the corrections file \
      are applied on the next run.

      Example:
        survey-normalise --run-dir output/runs/20251130T020000Z --reference input/reference
      """)

  @OptionGroup public var options: StageOptions

  @Option(help: "The analysts' decisions (column,written,means); default: corrections.csv in the --reference folder.")
  public var corrections: String?

  @Option(help: "The language of the reasons in review.csv, rejects.csv and duplicates.csv: vi or en.")
  public var lang: ReportLanguage = .vi

  @Option(
    help: ArgumentHelp(
      "The day the run treats as today: survey dates after it are not believed (a year typed wrong, such as 2052 "
        + "for 2025) and are taken as not written, with a remark on the row. Without it no date is bounded. "
        + "scripts/run-pipeline gives the run's local date.", valueName: "yyyy-mm-dd"))
  public var today: SurveyDate?

  public init() {}

  public func run() throws {
    try runStage("survey-normalise", in: options.runURL) {
      let referenceURL = try options.referenceURL
      // Made while the reference tables load: at a million rows, 17 ms that would otherwise hold up the first row.
      let taxIndex = NormaliseStage.TaxIndexAhead(runDirectory: options.runURL)
      let reference = try ReferenceData.load(from: referenceURL)
      let correctionsURL =
        corrections.map { URL(fileURLWithPath: $0) } ?? referenceURL.appendingPathComponent("corrections.csv")
      let loaded = try Corrections.load(from: correctionsURL)
      let summary = try NormaliseStage.run(
        runDirectory: options.runURL, reference: reference, corrections: loaded, wording: .of(lang),
        taxIndex: taxIndex, today: today)
      // An entry that waits for a file still being written needs no one: the report says it waits, and the cron
      // log has the run's own line about the files left (the only line when every file waits).
      for entry in summary.unusedCorrections ?? [] where ![.fileWaiting, .filesWaiting].contains(entry.reason) {
        complain(
          "survey-normalise",
          "\(correctionsURL.lastPathComponent):\(entry.line): \(entry.column) \"\(entry.written)\" "
            + ReportStrings.english.unusedCorrection(entry, { $0 }))
      }
      // Rows counted twice need an analyst; an overlap merged by tax codes alone is in the report (and here with
      // -v), since a clean run prints nothing.
      for overlap in summary.fileOverlaps ?? [] where overlap.countedTwice > 0 || options.verbose {
        let line = ReportStrings.english.fileOverlap(overlap, { $0 }, { String($0) })
        if overlap.countedTwice > 0 { complain("survey-normalise", line) } else { print("survey-normalise: " + line) }
      }
      let total = summary.totals
      if options.verbose {
        // The amounts of a file whose header states đồng or nghìn đồng were converted: said as the report says it,
        // so that a header stating the wrong unit (a whole column off by a thousand) is seen in the log too.
        let ingested = try StableJSON.read(
          IngestSummary.self, from: options.runURL.appendingPathComponent(ArtefactName.ingestSummary))
        for file in ingested.files where !file.moneyConversions.isEmpty {
          let line = ReportStrings.english.moneyConverted(file.file, file.moneyConversions)
          print("survey-normalise: " + TextFolding.singleLine(line))
        }
        print(
          "survey-normalise: \(EnglishCount.of(total.rowsIn, "row")): \(total.counted) counted, "
            + "\(EnglishCount.of(total.duplicates, "duplicate")), \(total.review) for review, "
            + "\(total.rejected) rejected; \(EnglishCount.of(total.possibleDuplicates, "possible duplicate")), "
            + "\(EnglishCount.of(total.fuzzyMatches, "fuzzy match", plural: "fuzzy matches")), "
            + "\(EnglishCount.of(total.correctionsApplied, "correction")) applied"
            + (total.duplicatesAcrossDistricts.map { "; \(EnglishCount.of($0, "duplicate")) across districts" } ?? ""))
      }
    }
  }
}
