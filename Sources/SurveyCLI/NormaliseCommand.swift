/// `survey-normalise`: stage 2 of the pipeline.
import ArgumentParser
import Foundation
import SurveyCore

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

  public init() {}

  /// What the cron log says of a corrections entry that settled no row, and what to do.
  static func why(_ entry: UnusedCorrection) -> String {
    switch entry.reason {
    case .noMatch:
      return "settled no row\(entry.sourceFile.map { " in \($0)" } ?? "") in this run: check its spelling and "
        + "source_file, or delete the line if that file is no longer sent"
    case .fileSetAside:
      return "waits for its file, which was set aside this run: it applies once the file is read"
    case .noRow:
      return "names no row counted in this run (none there, or it is rejected or in review): check the file name "
        + "and line against duplicates.csv"
    case .mergedByTaxCode:
      return "names a row merged by its tax code, which a decision does not undo: correct the tax code in the "
        + "survey file if the two are different establishments"
    case .notListed:
      return "names a row that shares its name and place with no other row, so there is nothing to decide: "
        + "delete the line"
    case .hasTaxCode:
      return "names a row with a tax code, which is merged by its tax code alone and never listed as a possible "
        + "duplicate: delete the line"
    case .standingRowNotCounted:
      return "means \(entry.means), which is not counted (none there, rejected, in review, merged itself, or "
        + "the same row): name the row duplicates.csv keeps"
    case .settledEarlier:
      return "names a row an earlier line already settles: keep the one line that is right"
    }
  }

  public func run() throws {
    try runStage("survey-normalise") {
      let referenceURL = try options.referenceURL
      let reference = try ReferenceData.load(from: referenceURL)
      let correctionsURL =
        corrections.map { URL(fileURLWithPath: $0) } ?? referenceURL.appendingPathComponent("corrections.csv")
      let loaded = try Corrections.load(from: correctionsURL)
      let summary = try NormaliseStage.run(
        runDirectory: options.runURL, reference: reference, corrections: loaded, wording: .of(lang))
      for entry in summary.unusedCorrections ?? [] {
        complain(
          "survey-normalise",
          "\(correctionsURL.lastPathComponent):\(entry.line): \(entry.column) \"\(entry.written)\" "
            + Self.why(entry))
      }
      let total = summary.totals
      if options.verbose {
        print(
          "survey-normalise: \(total.rowsIn) rows: \(total.counted) counted, \(total.duplicates) duplicates, "
            + "\(total.review) for review, \(total.rejected) rejected; \(total.possibleDuplicates) possible duplicates, "
            + "\(total.fuzzyMatches) fuzzy matches, \(total.correctionsApplied) corrections applied")
      }
    }
  }
}
