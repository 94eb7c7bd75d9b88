/// `survey-aggregate`: stage 3 of the pipeline.
import ArgumentParser
import Foundation
import SurveyCore

/// Adds up the counted establishments by district × need, for the province, by enterprise type and by sector.
public struct AggregateCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "survey-aggregate",
    abstract: "Add up the counted establishments by district × need, enterprise type and sector.",
    discussion: """
      Reads establishments.csv from --run-dir and writes, beside it, for analysts' spreadsheets (UTF-8 with \
      BOM, cells a spreadsheet would run as formulas neutralised):

        aggregates.csv            district × need, then province rows (no code)
        aggregates-by-type.csv    enterprise type × need
        aggregates-by-sector.csv  sector × need

      Each group starts with an `all` row counting every surveyed establishment of the group; an \
      establishment with several needs counts under each, so add rows across needs only through `all`. \
      Ranking the support actions and writing the report is survey-report's job.

      Example:
        survey-aggregate --run-dir output/runs/20251130T020000Z
      """)

  @OptionGroup public var options: StageOptions

  public init() {}

  public func run() throws {
    try runStage("survey-aggregate", in: options.runURL) {
      let aggregates = try AggregateStage.run(runDirectory: options.runURL, reference: options.referenceURL)
      if options.verbose {
        print(
          "survey-aggregate: \(EnglishCount.of(aggregates.province.surveyed.establishments, "establishment")) in "
            + "\(EnglishCount.of(aggregates.districts.count, "district")), "
            + "\(EnglishCount.of(aggregates.enterpriseTypes.count, "enterprise type")), "
            + "\(EnglishCount.of(aggregates.sectors.count, "sector"))")
      }
    }
  }
}
