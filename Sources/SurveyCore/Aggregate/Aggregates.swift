/// Needs added up by district, for the province, by enterprise type and by sector.

/// Every group the aggregate stage reports, each in a stable order.
public struct Aggregates: Sendable, Equatable {
  /// All counted establishments.
  public var province: AggregateGroup
  /// One group per district code present, in code order.
  public var districts: [AggregateGroup]
  /// One group per enterprise type present: company, cooperative, coop_group, household, then others by key.
  public var enterpriseTypes: [AggregateGroup]
  /// One group per sector present, by key; establishments without a sector last, under the key "".
  public var sectors: [AggregateGroup]

  /// The enterprise types in the form's order.
  public static let typeOrder = ["company", "cooperative", "coop_group", "household"]

  /// The group of a district code.
  public func district(_ code: String) -> AggregateGroup? { districts.first { $0.key == code } }

  /// Adds up `establishments`; the result does not depend on their order.
  public static func compute(_ establishments: [CountedEstablishment], labels: DisplayLabels) -> Aggregates {
    var builder = AggregatesBuilder(labels: labels)
    for establishment in establishments { builder.add(establishment) }
    return builder.aggregates()
  }

  /// The sector key a sector cell as written is grouped under: the label table's key for it, or the cell itself.
  static func sectorKey(_ sector: String, _ labels: DisplayLabels) -> String {
    sector.isEmpty ? "" : labels.key(.sector, for: sector)
  }

  /// The display name of a sector key; "" means the form left the sector blank.
  public static func sectorName(_ key: String, _ labels: DisplayLabels, _ language: ReportLanguage) -> String {
    if key.isEmpty { return language == .vi ? "Chưa ghi ngành" : "Sector not given" }
    return labels.label(.sector, key, language) ?? key
  }

}
