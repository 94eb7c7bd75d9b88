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
    let list = establishments.sorted(by: CountedEstablishment.canonicalOrder)
    var province = AggregateGroup(key: "", name: "Toàn tỉnh")
    var districts: [String: AggregateGroup] = [:]
    var types: [String: AggregateGroup] = [:]
    var sectors: [String: AggregateGroup] = [:]
    var districtSpellings: [String: [String: Int]] = [:]
    for establishment in list {
      province.add(establishment)
      let code = establishment.districtCode
      districts[code, default: AggregateGroup(key: code, name: code)].add(establishment)
      districtSpellings[code, default: [:]][establishment.district, default: 0] += 1
      let type = establishment.enterpriseType
      types[type, default: AggregateGroup(key: type, name: labels.label(.enterpriseType, type, .vi) ?? type)]
        .add(establishment)
      let sector = sectorKey(establishment, labels)
      sectors[sector, default: AggregateGroup(key: sector, name: sectorName(sector, labels, .vi))].add(establishment)
    }
    for (code, spellings) in districtSpellings {
      // The spelling most rows use; on a tie the first in byte order, so the name never depends on row order.
      let best = spellings.sorted { a, b in
        a.value != b.value ? a.value > b.value : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
      }.first!.key
      districts[code]!.name = best.isEmpty ? (labels.label(.district, code, .vi) ?? code) : best
    }
    return Aggregates(
      province: province,
      districts: districts.values.sorted { byteOrder($0.key, $1.key) },
      enterpriseTypes: types.values.sorted { a, b in
        let x = typeOrder.firstIndex(of: a.key) ?? typeOrder.count
        let y = typeOrder.firstIndex(of: b.key) ?? typeOrder.count
        return x != y ? x < y : byteOrder(a.key, b.key)
      },
      sectors: sectors.values.sorted { a, b in
        if a.key.isEmpty != b.key.isEmpty { return !a.key.isEmpty }
        return byteOrder(a.key, b.key)
      })
  }

  /// The sector key an establishment is grouped under: the label table's key for what it carries, or as written.
  public static func sectorKey(_ establishment: CountedEstablishment, _ labels: DisplayLabels) -> String {
    establishment.sector.isEmpty ? "" : labels.key(.sector, for: establishment.sector)
  }

  /// The display name of a sector key; "" means the form left the sector blank.
  public static func sectorName(_ key: String, _ labels: DisplayLabels, _ language: ReportLanguage) -> String {
    if key.isEmpty { return language == .vi ? "Chưa ghi ngành" : "Sector not given" }
    return labels.label(.sector, key, language) ?? key
  }

  private static func byteOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
