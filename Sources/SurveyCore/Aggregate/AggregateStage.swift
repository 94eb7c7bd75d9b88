/// The aggregate stage: `establishments.csv` → `aggregates.csv`, `aggregates-by-type.csv`, `aggregates-by-sector.csv`.
import Foundation

/// Stage 3: adds up the counted establishments for analysts' spreadsheets.
///
/// Every file has one row per group × need, the nine needs in `needs.csv` order after an `all` row that counts
/// every surveyed establishment of the group. An establishment with several needs counts under each, so rows of
/// one group must not be added across needs: the `all` row is the group's total.
public enum AggregateStage {
  /// The figures columns shared by the three files.
  public static let figureColumns = [
    "need", "establishments", "employees", "trainees", "support_requested_mvnd", "share_of_surveyed_pct",
    "not_yet_supported", "need_name",
  ]

  /// The key of the row that counts every surveyed establishment of a group.
  public static let allNeeds = "all"

  /// Reads `establishments.csv` from `runDirectory` and writes the three aggregate files beside it.
  @discardableResult
  public static func run(runDirectory: URL, reference: URL) throws -> Aggregates {
    let needs = try NeedCatalogue.load(from: reference)
    let labels = try DisplayLabels.load(from: reference)
    var builder = AggregatesBuilder(labels: labels, needs: needs.keys)
    try EstablishmentsReader.forEachRow(
      runDirectory.appendingPathComponent(ArtefactName.establishments), needs: needs, detail: .groups
    ) { builder.add($0, needs: $1, spellings: $2) }
    let aggregates = builder.aggregates()
    try write(aggregates, needs: needs, to: runDirectory)
    return aggregates
  }

  /// Writes the three files (UTF-8 with BOM, formula cells neutralised) into `directory`.
  public static func write(_ aggregates: Aggregates, needs: NeedCatalogue, to directory: URL) throws {
    let byDistrict = try CSVWriter(
      directory.appendingPathComponent(ArtefactName.aggregates), header: ["district_code", "district"] + figureColumns,
      style: .spreadsheet)
    for group in aggregates.districts + [aggregates.province] {
      try write(group, needs: needs, to: byDistrict)
    }
    let byType = try CSVWriter(
      directory.appendingPathComponent(ArtefactName.aggregatesByType),
      header: ["enterprise_type", "enterprise_type_name"] + figureColumns, style: .spreadsheet)
    for group in aggregates.enterpriseTypes { try write(group, needs: needs, to: byType) }
    let bySector = try CSVWriter(
      directory.appendingPathComponent(ArtefactName.aggregatesBySector),
      header: ["sector", "sector_name"] + figureColumns, style: .spreadsheet)
    for group in aggregates.sectors { try write(group, needs: needs, to: bySector) }
    try byDistrict.commit()
    try byType.commit()
    try bySector.commit()
  }

  /// The `all` row, then one row per need of the catalogue (zeros included, so every table is complete).
  private static func write(_ group: AggregateGroup, needs: NeedCatalogue, to writer: CSVWriter) throws {
    let all = group.surveyed
    try writer.write(
      [group.key, group.name] + cells(allNeeds, all, shareTenths: all.establishments > 0 ? 1000 : 0, name: "Tất cả"))
    for need in needs.needs {
      try writer.write(
        [group.key, group.name]
          + cells(need.key, group.figures(need.key), shareTenths: group.shareTenths(need.key), name: need.nameVi))
    }
  }

  private static func cells(_ need: String, _ figures: NeedFigures, shareTenths: Int, name: String) -> [String] {
    [
      need, String(figures.establishments), String(figures.employees), String(figures.trainees),
      figures.supportRequested.plainMillionVND, NeedFigures.plainPercent(shareTenths),
      String(figures.notYetSupported), name,
    ]
  }
}
