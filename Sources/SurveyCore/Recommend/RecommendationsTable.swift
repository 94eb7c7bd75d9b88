/// `recommendations.csv`: the ranked actions with the figures behind each score, for analysts' spreadsheets.
import Foundation

/// Writes and reads `recommendations.csv`.
public enum RecommendationsTable {
  /// The header; the first six columns are the ones every reader relies on.
  public static let header = [
    "rank", "district_code", "district", "need", "score", "establishments", "need_name", "unit", "sector",
    "sector_name", "employees", "trainees", "support_requested_mvnd", "not_yet_supported", "surveyed",
    "share_of_surveyed_pct", "points_demand", "points_reach", "points_unsupported", "points_intensity",
    "points_plan", "rationale", "shortlist",
  ]

  /// Writes the ranking to `url` (UTF-8 with BOM, formula cells neutralised).
  ///
  /// - Parameters:
  ///   - rationale: the one-line reason for an action (Vietnamese, whatever the report's language).
  ///   - shortlistEntry: how one establishment to approach is named.
  public static func write(
    _ recommendations: [Recommendation], to url: URL, needs: NeedCatalogue, labels: DisplayLabels,
    rationale: (Recommendation) -> String, shortlistEntry: (CountedEstablishment) -> String
  ) throws {
    let writer = try CSVWriter(url, header: header, style: .spreadsheet)
    for action in recommendations {
      let figures = action.figures
      let points = action.pointsTenths.map(NeedFigures.plainPercent)
      let row: [String] =
        [
          String(action.rank), action.districtCode, action.district, action.need, action.plainScore,
          String(figures.establishments), needs.need(action.need)?.nameVi ?? action.need,
          action.sector == nil ? "district" : "sector", action.sector ?? "",
          action.sector.map { Aggregates.sectorName($0, labels, .vi) } ?? "",
          String(figures.employees), String(figures.trainees), figures.supportRequested.plainMillionVND,
          String(figures.notYetSupported), String(action.surveyed), NeedFigures.plainPercent(action.shareTenths),
        ] + points + [rationale(action), action.shortlist.map(shortlistEntry).joined(separator: "; ")]
      try writer.write(row)
    }
    try writer.commit()
  }

  /// Reads the ranks and keys of a `recommendations.csv` (a previous run's), enough to compare rankings.
  public static func read(_ url: URL) throws -> [Recommendation] {
    let table = try CSVFile.readTable(url)
    let columns = try ["rank", "district_code", "district", "need", "establishments", "unit", "sector"].map(
      table.index(of:))
    return try table.rows.map { row in
      let cell = { (index: Int) in table.value(row, columns[index]) }
      guard let rank = Int(cell(0)) else {
        throw PipelineError(
          .badInput, "rank '\(cell(0))' is not a number", at: InputLocation(file: table.file, line: row.line))
      }
      var figures = NeedFigures()
      figures.establishments = Int(cell(4)) ?? 0
      return Recommendation(
        rank: rank, districtCode: cell(1), district: cell(2), need: cell(3),
        sector: cell(5) == "sector" ? cell(6) : nil, figures: figures, surveyed: 0)
    }
  }
}
