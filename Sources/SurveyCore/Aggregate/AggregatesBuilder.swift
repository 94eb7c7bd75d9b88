/// Adds establishments up one at a time: state per group and need, never per establishment.

/// Builds `Aggregates` from a stream of establishments, in any order; memory grows with the number of groups.
///
/// Sums are integers (money in thousands of đồng), so the result is the same whatever the order; the district
/// name is the spelling most rows use, ties broken by bytes, also whatever the order.
public struct AggregatesBuilder: Sendable {
  /// The figures of one group while it is being added up: per need by index into `needKeys`.
  struct Group: Sendable {
    var key: String
    var name: String
    var surveyed = NeedFigures()
    var byNeed: [NeedFigures] = []

    init(key: String, name: String) {
      self.key = key
      self.name = name
    }

    mutating func add(_ figures: NeedFigures, needs: [Int], needCount: Int) {
      surveyed.merge(figures)
      if byNeed.count < needCount { byNeed += Array(repeating: NeedFigures(), count: needCount - byNeed.count) }
      for need in needs { byNeed[need].merge(figures) }
    }

    func aggregateGroup(_ needKeys: [String]) -> AggregateGroup {
      var result = AggregateGroup(key: key, name: name, surveyed: surveyed)
      for (index, figures) in byNeed.enumerated() where figures.establishments > 0 {
        result.byNeed[needKeys[index]] = figures
      }
      return result
    }
  }

  let labels: DisplayLabels
  /// Need keys by index: the catalogue's first (so catalogue positions are indices), then any others met.
  private(set) var needKeys: [String]
  private var needIndex: [String: Int]
  private var province = Group(key: "", name: "Toàn tỉnh")
  private(set) var districts: [Group] = []
  private var districtIndex: [String: Int] = [:]
  private var districtSpellings: [[String: Int]] = []
  private var types: [Group] = []
  private var typeIndex: [String: Int] = [:]
  private(set) var sectors: [Group] = []
  private var sectorIndex: [String: Int] = [:]
  /// Sector as written → sector group index (spellings are few; capped like the reader's caches).
  private var sectorSpellings: [String: Int] = [:]

  /// - Parameter needs: need keys whose positions callers pass to `add(_:needs:)` (the catalogue's keys).
  public init(labels: DisplayLabels, needs: [String] = []) {
    self.labels = labels
    needKeys = needs
    needIndex = Dictionary(needs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The index of a need key, added if it is new.
  mutating func index(ofNeed key: String) -> Int {
    if let index = needIndex[key] { return index }
    needIndex[key] = needKeys.count
    needKeys.append(key)
    return needKeys.count - 1
  }

  /// Adds one establishment under its needs as it lists them.
  @discardableResult
  public mutating func add(_ establishment: CountedEstablishment) -> (district: Int, sector: Int) {
    var needs: [Int] = []
    needs.reserveCapacity(establishment.needs.count)
    for key in establishment.needs { needs.append(index(ofNeed: key)) }
    return add(establishment, needs: needs)
  }

  /// Adds one establishment whose needs are `needs` (indices of the keys given to `init`); returns the indices of
  /// its district and sector groups.
  @discardableResult
  public mutating func add(_ establishment: CountedEstablishment, needs: [Int]) -> (district: Int, sector: Int) {
    let figures = NeedFigures(of: establishment)
    let needCount = needKeys.count
    province.add(figures, needs: needs, needCount: needCount)

    let code = establishment.districtCode
    let district: Int
    if let known = districtIndex[code] {
      district = known
    } else {
      district = districts.count
      districtIndex[code] = district
      districts.append(Group(key: code, name: code))
      districtSpellings.append([:])
    }
    districts[district].add(figures, needs: needs, needCount: needCount)
    districtSpellings[district][establishment.district, default: 0] += 1

    let type = establishment.enterpriseType
    let typeGroup: Int
    if let known = typeIndex[type] {
      typeGroup = known
    } else {
      typeGroup = types.count
      typeIndex[type] = typeGroup
      types.append(Group(key: type, name: labels.label(.enterpriseType, type, .vi) ?? type))
    }
    types[typeGroup].add(figures, needs: needs, needCount: needCount)

    let sector = sectorGroup(establishment)
    sectors[sector].add(figures, needs: needs, needCount: needCount)
    return (district, sector)
  }

  /// The sector group of an establishment, created on first sight.
  private mutating func sectorGroup(_ establishment: CountedEstablishment) -> Int {
    if let known = sectorSpellings[establishment.sector] { return known }
    let key = Aggregates.sectorKey(establishment, labels)
    let group: Int
    if let known = sectorIndex[key] {
      group = known
    } else {
      group = sectors.count
      sectorIndex[key] = group
      sectors.append(Group(key: key, name: Aggregates.sectorName(key, labels, .vi)))
    }
    if sectorSpellings.count < 4096 { sectorSpellings[establishment.sector] = group }
    return group
  }

  /// The key of a sector group.
  func sectorKey(_ group: Int) -> String { sectors[group].key }

  /// The district's name: the spelling most rows use; on a tie the first in byte order, so the name never depends
  /// on row order; the label table's name (or the code) when the rows left it blank.
  func districtName(_ group: Int) -> String {
    let code = districts[group].key
    let best = districtSpellings[group].sorted { a, b in
      a.value != b.value ? a.value > b.value : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
    }.first!.key
    return best.isEmpty ? (labels.label(.district, code, .vi) ?? code) : best
  }

  /// The groups in their stable orders.
  public func aggregates() -> Aggregates {
    var districtGroups = districts.map { $0.aggregateGroup(needKeys) }
    for index in districtGroups.indices { districtGroups[index].name = districtName(index) }
    return Aggregates(
      province: province.aggregateGroup(needKeys),
      districts: districtGroups.sorted { byteOrder($0.key, $1.key) },
      enterpriseTypes: types.map { $0.aggregateGroup(needKeys) }.sorted { a, b in
        let x = Aggregates.typeOrder.firstIndex(of: a.key) ?? Aggregates.typeOrder.count
        let y = Aggregates.typeOrder.firstIndex(of: b.key) ?? Aggregates.typeOrder.count
        return x != y ? x < y : byteOrder(a.key, b.key)
      },
      sectors: sectors.map { $0.aggregateGroup(needKeys) }.sorted { a, b in
        if a.key.isEmpty != b.key.isEmpty { return !a.key.isEmpty }
        return byteOrder(a.key, b.key)
      })
  }

  private func byteOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
