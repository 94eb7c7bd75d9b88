/// `survey-report`: stage 4 of the pipeline (recommend, then report).
import ArgumentParser
import Foundation
import SurveyCore

extension ReportLanguage: ExpressibleByArgument {}

/// Ranks the support actions and writes the Markdown report that goes round by email.
public struct ReportCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "survey-report",
    abstract: "Rank the support actions (recommendations.csv) and write the report (report.md).",
    discussion: """
      Reads establishments.csv, ingest-summary.json and normalise-summary.json from --run-dir, and from \
      --reference needs.csv, scoring-weights.csv, plan-targets.csv, recommend-actions.csv, \
      recommend-settings.csv and report-labels.csv. This command does the recommending: it scores every district × need (per sector for \
      the needs recommend-actions.csv says) and writes recommendations.csv (UTF-8 with BOM, reasons in \
      Vietnamese), then report.md: the key findings, what changed since --previous-run, the top \
      recommendations, the plan's targets, the needs across the province, a section per district, the \
      enterprise types and sectors, data quality and the method.

      The output depends only on its inputs: no clock, no locale; pass --run-label to show a run id or date.

      Example:
        survey-report --run-dir output/runs/20251201T020000Z \\
          --previous-run output/runs/20251130T020000Z --run-label 20251201T020000Z
      """)

  @OptionGroup public var options: StageOptions

  @Option(help: "The report's language: vi (Vietnamese) or en (English).")
  public var lang: ReportLanguage = .vi

  @Option(
    name: .customLong("previous-run"),
    help: ArgumentHelp(
      "The previous complete run's folder, for the report to say what changed since then; "
        + "without it the report says this is the first run.", valueName: "dir"))
  public var previousRun: String?

  @Option(name: .customLong("run-label"), help: "Text shown under the title, such as the run id or date.")
  public var runLabel: String?

  // Each number takes the next word whatever it looks like (`parsing: .unconditional`), so that `--top -1` is
  // refused by `validate()` with what the option takes, not as a value missing (ArgumentParser reads -1 as an
  // option).
  @Option(parsing: .unconditional, help: "How many recommendations the top table shows.")
  public var top: Int = 10

  @Option(
    name: .customLong("per-district"), parsing: .unconditional,
    help: "How many recommendations each district section lists.")
  public var perDistrict: Int = 3

  @Option(
    name: .customLong("min-establishments"), parsing: .unconditional,
    help: """
      The fewest establishments asking for a need in one district (or sector) for it to be ranked. Given, it \
      overrides min_establishments in recommend-settings.csv; not given, the table's value is used (2 when the \
      table has no such row).
      """)
  public var minEstablishments: Int?

  @Option(parsing: .unconditional, help: "How many establishments each recommendation names to approach first.")
  public var shortlist: Int = 5

  public init() {}

  public mutating func validate() throws {
    if let previousRun {
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: previousRun, isDirectory: &isDirectory), isDirectory.boolValue
      else { throw ValidationError("--previous-run \(previousRun) is not an existing run folder") }
    }
    guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    guard perDistrict >= 0, shortlist >= 0 else { throw ValidationError("--per-district and --shortlist must be ≥ 0") }
    if let minEstablishments, minEstablishments < 1 {
      throw ValidationError("--min-establishments must be at least 1")
    }
  }

  public func run() throws {
    try runStage("survey-report", in: options.runURL) {
      let input = try ReportStage.run(
        runDirectory: options.runURL, reference: options.referenceURL,
        options: ReportOptions(
          language: lang, previousRun: previousRun.map { URL(fileURLWithPath: $0, isDirectory: true) },
          runLabel: runLabel, top: top, perDistrict: perDistrict, minimumEstablishments: minEstablishments,
          shortlistSize: shortlist))
      // The report says a comparison was left out, in its language; the cron log keeps why, for the operator.
      for (file, why) in (input.comparison?.unreadable ?? [:]).sorted(by: { $0.key < $1.key }) {
        let what = input.comparison?.changedAfterRun.contains(file) == true ? "was not read" : "could not be read"
        complain("survey-report", "the previous run's \(file) \(what), its comparison left out: \(why)")
      }
      if options.verbose {
        print(
          "survey-report: \(EnglishCount.of(input.aggregates.province.surveyed.establishments, "establishment")), "
            + "\(EnglishCount.of(input.recommendations.count, "recommendation")), report in \(lang.rawValue)")
      }
    }
  }
}
