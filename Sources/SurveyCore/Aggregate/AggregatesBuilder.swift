/// Adds establishments up one at a time: state per group and need, never per establishment.

/// Builds `Aggregates` from a stream of establishments, in any order; memory grows with the number of groups.
///
/// Sums are integers (money in thousands of đồng), so the result is the same whatever the order; the district
/// name is the spelling most rows use, ties broken by bytes, also whatever the order.
///
/// The groups are found by String (Dictionary keys, so canonically equal spellings are one key), but each exact
/// spelling's answer is then kept by its bytes: a row costs a byte hash per group rather than a String hash, which
/// normalises non-ASCII text to NFC first. Those caches are bounded (`cacheLimit`); past them a row takes the String
/// path, which gives the same group.
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

    mutating func add(_ figures: NeedFigures, needs: UnsafeBufferPointer<Int>, needCount: Int) {
      surveyed.merge(figures)
      if byNeed.count < needCount { byNeed += Array(repeating: NeedFigures(), count: needCount - byNeed.count) }
      for need in needs { byNeed[need].merge(figures) }
    }

    /// Adds the figures of `other`, another group's rows.
    mutating func merge(_ other: Group) {
      surveyed.merge(other.surveyed)
      if byNeed.count < other.byNeed.count {
        byNeed += Array(repeating: NeedFigures(), count: other.byNeed.count - byNeed.count)
      }
      for (need, figures) in other.byNeed.enumerated() { byNeed[need].merge(figures) }
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
  private var districtGroups: [Group] = []
  private var districtIndex: [String: Int] = [:]
  private var districtSpellings: [Spellings] = []
  /// The district names the reader gave on the first row of each spelling, by that spelling, for the rows read
  /// without them in a group that has not met the spelling yet.
  private var districtTexts = SpellingMemo<String>()
  private var types: [Group] = []
  private var typeIndex: [String: Int] = [:]
  private var sectorGroups: [Group] = []
  private var sectorIndex: [String: Int] = [:]
  /// District code, enterprise type and sector as written → group index.
  private var districtsByBytes = ByteKeyedCache<Int>(limit: cacheLimit)
  private var typesByBytes = ByteKeyedCache<Int>(limit: cacheLimit)
  private var sectorsByBytes = ByteKeyedCache<Int>(limit: cacheLimit)
  /// The same, by the reader's spellings (`add(_:needs:spellings:)`): a number compared, not bytes hashed again.
  private var districtsBySpelling = SpellingMemo<Int>()
  private var typesBySpelling = SpellingMemo<Int>()
  private var sectorsBySpelling = SpellingMemo<Int>()
  static let cacheLimit = 4096
  /// Rows added and not yet summed into their groups (`settled()`).
  private var pending = PendingRows()

  /// The district groups, by index; only once every row is in them (`settled()`).
  var districts: [Group] {
    precondition(pending.isEmpty, "the builder has rows not yet in their groups: read a settled() copy")
    return districtGroups
  }

  /// How many rows spell a district's name each way: as a `[String: Int]` would count them (canonically equal
  /// spellings are one, written as the first row wrote it), with the slot of each exact spelling kept by its bytes.
  ///
  /// Nearly every row of a district spells it as the row before did (normalise writes the district's name), so the
  /// last spelling's slot is tried first: `==` answers at once for the same String, which the reader's cache hands
  /// out for the same bytes, and equal Strings are one slot here anyway. The lookup by bytes that it saves was 5%
  /// of the report stage.
  struct Spellings: Sendable {
    private var slots: [String: Int] = [:]
    private(set) var names: [String] = []
    private(set) var counts: [Int] = []
    private var byBytes = ByteKeyedCache<Int>(limit: 64)
    private var last: (name: String, slot: Int)?

    /// The slots of the reader's spellings (`EstablishmentsReader.RowSpellings.district`) this group has met.
    private var bySpelling = SpellingMemo<Int>()

    /// Counts a row whose district the reader read as `spelling`, when this group has met that spelling; false
    /// when it has not (the row is then counted by `count(_:spelling:)`).
    mutating func count(spelling: CellSpelling) -> Bool {
      guard let slot = bySpelling.answer(spelling) else { return false }
      counts[slot] += 1
      return true
    }

    /// Counts a row spelling the district `name`, which the reader read as `spelling`.
    mutating func count(_ name: String, spelling: CellSpelling) {
      bySpelling.keep(count(name), for: spelling)
    }

    @discardableResult
    mutating func count(_ name: String) -> Int {
      if let last, last.name == name {
        counts[last.slot] += 1
        return last.slot
      }
      if let slot = byBytes.value(forUTF8: name) {
        last = (name, slot)
        counts[slot] += 1
        return slot
      }
      let slot: Int
      if let known = slots[name] {
        slot = known
      } else {
        slot = names.count
        slots[name] = slot
        names.append(name)
        counts.append(0)
      }
      counts[slot] += 1
      byBytes.keep(slot, forUTF8: name)
      last = (name, slot)
      return slot
    }
  }

  /// - Parameter needs: need keys whose positions callers pass to `add(_:needs:)` (the catalogue's keys).
  public init(labels: DisplayLabels, needs: [String] = []) {
    self.init(labels: labels, needs: needs, pendingLimit: PendingRows.limit)
  }

  /// A builder keeping at most `pendingLimit` combinations of groups pending (tests try small ones).
  init(labels: DisplayLabels, needs: [String], pendingLimit: Int) {
    self.labels = labels
    pending = PendingRows(limit: pendingLimit)
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
    needs.withUnsafeBufferPointer { add(establishment, needs: $0, spellings: EstablishmentsReader.RowSpellings()) }
  }

  /// `add(_:needs:)` of a row `EstablishmentsReader` read, told the spellings of its cells: a spelling met before
  /// gives its group without looking its bytes up again (that lookup, three a row, was a tenth of the aggregate
  /// stage).
  @discardableResult
  mutating func add(
    _ establishment: some EstablishmentRow, needs: UnsafeBufferPointer<Int>,
    spellings: EstablishmentsReader.RowSpellings
  ) -> (district: Int, sector: Int) {
    let figures = NeedFigures(of: establishment)
    let district: Int
    if let known = districtsBySpelling.answer(spellings.districtCode) {
      district = known
    } else {
      let code = establishment.districtCode
      if let known = districtsByBytes.value(forUTF8: code) {
        district = known
      } else {
        district = districtGroup(code)
        districtsByBytes.keep(district, forUTF8: code)
      }
      districtsBySpelling.keep(district, for: spellings.districtCode)
    }
    if !districtSpellings[district].count(spelling: spellings.district) {
      let name: String
      if spellings.districtGiven {
        name = establishment.district
        districtTexts.keep(name, for: spellings.district)
      } else if let known = districtTexts.answer(spellings.district) {
        name = known
      } else {
        preconditionFailure("a row came without its district's name, and its spelling was not met before")
      }
      districtSpellings[district].count(name, spelling: spellings.district)
    }

    let typeGroup: Int
    if let known = typesBySpelling.answer(spellings.enterpriseType) {
      typeGroup = known
    } else {
      let type = establishment.enterpriseType
      if let known = typesByBytes.value(forUTF8: type) {
        typeGroup = known
      } else {
        typeGroup = self.typeGroup(type)
        typesByBytes.keep(typeGroup, forUTF8: type)
      }
      typesBySpelling.keep(typeGroup, for: spellings.enterpriseType)
    }

    let sector: Int
    if let known = sectorsBySpelling.answer(spellings.sector) {
      sector = known
    } else {
      sector = sectorGroup(establishment.sector)
      sectorsBySpelling.keep(sector, for: spellings.sector)
    }
    let groups = PendingRows.Groups(district: district, type: typeGroup, sector: sector)
    if !pending.add(figures, groups, needs: needs, needCount: needKeys.count) {
      var sum = Group(key: "", name: "")
      sum.add(figures, needs: needs, needCount: needKeys.count)
      addToGroups(sum, groups)
    }
    return (district, sector)
  }

  /// Adds the sums of some rows to the province and to their groups.
  private mutating func addToGroups(_ sum: Group, _ groups: PendingRows.Groups) {
    province.merge(sum)
    districtGroups[groups.district].merge(sum)
    types[groups.type].merge(sum)
    sectorGroups[groups.sector].merge(sum)
  }

  /// The builder with every row added summed into its groups.
  func settled() -> AggregatesBuilder {
    var settled = self
    settled.pending = PendingRows(limit: pending.limit)
    for (groups, sum) in zip(pending.keys, pending.sums) { settled.addToGroups(sum, groups) }
    return settled
  }

  /// The group of a district code, created on first sight.
  private mutating func districtGroup(_ code: String) -> Int {
    if let known = districtIndex[code] { return known }
    districtIndex[code] = districtGroups.count
    districtGroups.append(Group(key: code, name: code))
    districtSpellings.append(Spellings())
    return districtGroups.count - 1
  }

  /// The group of an enterprise type, created on first sight.
  private mutating func typeGroup(_ type: String) -> Int {
    if let known = typeIndex[type] { return known }
    typeIndex[type] = types.count
    types.append(Group(key: type, name: labels.label(.enterpriseType, type, .vi) ?? type))
    return types.count - 1
  }

  /// The sector group of an establishment's sector as written, created on first sight.
  private mutating func sectorGroup(_ sector: String) -> Int {
    if let known = sectorsByBytes.value(forUTF8: sector) { return known }
    let key = Aggregates.sectorKey(sector, labels)
    let group: Int
    if let known = sectorIndex[key] {
      group = known
    } else {
      group = sectorGroups.count
      sectorIndex[key] = group
      sectorGroups.append(Group(key: key, name: Aggregates.sectorName(key, labels, .vi)))
    }
    sectorsByBytes.keep(group, forUTF8: sector)
    return group
  }

  /// The key of a sector group.
  func sectorKey(_ group: Int) -> String { sectorGroups[group].key }

  /// The district's name: the spelling most rows use; on a tie the first in byte order, so the name never depends
  /// on row order; the label table's name (or the code) when the rows left it blank.
  func districtName(_ group: Int) -> String {
    let code = districtGroups[group].key
    let spellings = districtSpellings[group]
    let best = zip(spellings.names, spellings.counts).sorted { a, b in
      a.1 != b.1 ? a.1 > b.1 : a.0.utf8.lexicographicallyPrecedes(b.0.utf8)
    }.first!.0
    return best.isEmpty ? (labels.label(.district, code, .vi) ?? code) : best
  }

  /// The groups in their stable orders.
  public func aggregates() -> Aggregates {
    guard pending.isEmpty else { return settled().aggregates() }
    var districtGroups = self.districtGroups.map { $0.aggregateGroup(needKeys) }
    for index in districtGroups.indices { districtGroups[index].name = districtName(index) }
    return Aggregates(
      province: province.aggregateGroup(needKeys),
      districts: districtGroups.sorted { byteOrder($0.key, $1.key) },
      enterpriseTypes: types.map { $0.aggregateGroup(needKeys) }.sorted { a, b in
        let x = Aggregates.typeOrder.firstIndex(of: a.key) ?? Aggregates.typeOrder.count
        let y = Aggregates.typeOrder.firstIndex(of: b.key) ?? Aggregates.typeOrder.count
        return x != y ? x < y : byteOrder(a.key, b.key)
      },
      sectors: sectorGroups.map { $0.aggregateGroup(needKeys) }.sorted { a, b in
        if a.key.isEmpty != b.key.isEmpty { return !a.key.isEmpty }
        return byteOrder(a.key, b.key)
      })
  }

  private func byteOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}

/// Rows added to an `AggregatesBuilder` and not yet summed into its groups, by their combination of district,
/// type and sector groups: a row is summed once here, for itself and each of its needs, rather than into four
/// groups (that was a tenth of the report stage), and each combination is summed into its four groups once, by
/// `AggregatesBuilder.settled()`. The sums are integers, so the order they are made in changes nothing.
///
/// At most `limit` combinations: a row past those is summed into its groups at once, as before.
struct PendingRows: Sendable {
  struct Groups: Equatable, Sendable {
    var district: Int
    var type: Int
    var sector: Int
  }

  private var index = TripleIndex()
  /// The sums side by side, `stride` of them a combination: its rows', then its rows' under each need. One array
  /// of plain values, where an array of `Group`s, each with an array of its own, checked both arrays' uniqueness
  /// and bounds for every need of every row.
  private var figures: [NeedFigures] = []
  /// 1 + the needs each combination has room for; made larger (every combination moved) when a row comes with
  /// more needs to count than that (a need not in the catalogue, met by `AggregatesBuilder.index(ofNeed:)`).
  private var stride = 1
  let limit: Int
  static let limit = 1 << 16

  init(limit: Int = Self.limit) { self.limit = limit }

  var isEmpty: Bool { figures.isEmpty }

  /// The combinations, in the order they came.
  var keys: [Groups] { index.keys.map { Groups(district: $0.0, type: $0.1, sector: $0.2) } }

  /// The sums of each combination (as `keys` lists them), as groups without key or name.
  var sums: [AggregatesBuilder.Group] {
    (0..<index.keys.count).map { number in
      var group = AggregatesBuilder.Group(key: "", name: "")
      group.surveyed = figures[number * stride]
      group.byNeed = Array(figures[(number * stride + 1)..<((number + 1) * stride)])
      return group
    }
  }

  /// Adds `figures` to the combination `groups`, under each of `needs` (each below `needCount`); false, adding
  /// nothing, once `limit` combinations are kept and this is another.
  mutating func add(
    _ figures: NeedFigures, _ groups: Groups, needs: UnsafeBufferPointer<Int>, needCount: Int
  ) -> Bool {
    let count = index.keys.count
    guard let number = index.number(of: (groups.district, groups.type, groups.sector), adding: count < limit) else {
      return false
    }
    if needCount + 1 > stride { widen(to: needCount + 1) }
    if number == count { self.figures.append(contentsOf: repeatElement(NeedFigures(), count: stride)) }
    let stride = self.stride
    self.figures.withUnsafeMutableBufferPointer { sums in
      let start = number * stride
      sums[start].merge(figures)
      for need in needs {
        precondition(need >= 0 && need < stride - 1, "a need past the ones counted")
        sums[start + 1 + need].merge(figures)
      }
    }
    return true
  }

  /// Gives every combination room for `stride - 1` needs.
  private mutating func widen(to stride: Int) {
    let combinations = figures.count / self.stride
    var widened: [NeedFigures] = []
    widened.reserveCapacity((combinations + 1) * stride)
    for number in 0..<combinations {
      widened.append(contentsOf: figures[(number * self.stride)..<((number + 1) * self.stride)])
      widened.append(contentsOf: repeatElement(NeedFigures(), count: stride - self.stride))
    }
    figures = widened
    self.stride = stride
  }
}
