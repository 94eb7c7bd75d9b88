// The reference places of former Thái Bình, indexed for matching, and the
// rules that turn a set of candidates into one district or a question.

/// Districts, communes and outside places, indexed by `MatchKey`.
struct PlaceIndex: Sendable {
  let reference: ReferenceData
  private(set) var districts = NameIndex<String>()
  private(set) var communes = NameIndex<Int>()
  private(set) var outside = NameIndex<Int>()
  /// The places of Hưng Yên outside former Thái Bình, the neighbours a typo may mean, save those named like a
  /// place of ours (a typo of "Tây Ninh" is ours first): a fuzzy guess as near to one of them is no guess.
  private(set) var rivals = NameIndex<Int>()
  private let districtNames: [String: String]
  /// The province's names (`ReferenceData.provinceNames`) as place keys read them (`plain`), so that they are
  /// compared as a cell's are: "HY" is "hi" there, a final y after a consonant being read as i.
  let provinceKeys: Set<String>
  /// After a 2025 commune's name in labels (" [from 2025]").
  private let newCommuneTag: String

  init(_ reference: ReferenceData, newCommuneTag: String = RowWording.english.newCommuneTag) {
    self.reference = reference
    self.newCommuneTag = newCommuneTag
    var names: [String: String] = [:]
    for district in reference.districts { names[district.code] = district.name }
    districtNames = names
    provinceKeys = Set(reference.provinceNames.map { MatchKey(place: $0).plain })
    /// Whether an outside place's location is in Hưng Yên, by location: a few dozen locations for a thousand places.
    var inHungYen: [String: Bool] = [:]
    for name in Self.keyedNames(of: reference) {
      switch (name.place, name.source) {
      case (.district(let code), _): districts.add(reference.placeKey(name.written), code)
      case (.commune(let index), .former): communes.addCompact(name.written, index)
      case (.commune(let index), _): communes.add(reference.placeKey(name.written), index)
      case (.outside, .outside(let index)):
        let key = reference.placeKey(name.written)
        outside.add(key, index)
        let location = reference.outside[index].location
        let neighbour = inHungYen[location] ?? location.contains("Hưng Yên")
        inHungYen[location] = neighbour
        if neighbour, districts.lookup(key, compact: false) == nil,
          communes.lookup(key, compact: false) == nil
        {
          rivals.add(key, index)
        }
      case (.outside, _): break  // `keyedNames` gives an outside place only from outside-places.csv
      }
    }
  }

  /// One name the index keys a place by.
  struct KeyedName: Sendable, Hashable {
    /// The place a cell finding the name finds. Two outside places of one level and location are one to a cell
    /// (it is told "outside the province" and where), whatever their names.
    enum Place: Sendable, Hashable {
      case district(code: String)
      /// The commune at this position of `ReferenceData.communes` (legacy and 2025 communes apart: a few 2025
      /// communes keep a legacy commune's code).
      case commune(Int)
      case outside(level: String, location: String)
    }

    /// Where the name is written: a table, and the row's position among what `ReferenceData` holds of it.
    enum Source: Sendable, Hashable {
      case district(Int)
      case alias(Int)
      case commune(Int)
      case former(Int)
      case outside(Int)

      /// A name with its diacritics and spaces, keyed by `MatchKey(place:)`; not a former name (a compact key).
      var isNamed: Bool {
        if case .former = self { return false }
        return true
      }
    }

    var written: String
    var place: Place
    var source: Source
  }

  /// Every name the index keys a place by, in the order it adds them: districts' names and short names, district
  /// aliases, communes' names and short names, former names (`former_keys`, keyed only as written, without
  /// diacritics or spaces), and outside places' names and short names.
  static func keyedNames(of reference: ReferenceData) -> [KeyedName] {
    var result: [KeyedName] = []
    for (row, district) in reference.districts.enumerated() {
      for written in [district.name, district.shortName] {
        result.append(KeyedName(written: written, place: .district(code: district.code), source: .district(row)))
      }
    }
    for (row, alias) in reference.districtAliases.enumerated() {
      result.append(KeyedName(written: alias.alias, place: .district(code: alias.code), source: .alias(row)))
    }
    var communeByCode: [String: Int] = [:]
    for (index, commune) in reference.communes.enumerated() {
      for written in [commune.name, commune.shortName] {
        result.append(KeyedName(written: written, place: .commune(index), source: .commune(index)))
      }
      if commune.era == .legacy { communeByCode[commune.code] = index }
    }
    for (row, former) in reference.formerKeys.enumerated() {
      if let index = communeByCode[former.communeCode] {
        result.append(KeyedName(written: former.key, place: .commune(index), source: .former(row)))
      }
    }
    for (index, place) in reference.outside.enumerated() {
      result.append(
        KeyedName(
          written: place.name, place: .outside(level: place.level, location: place.location), source: .outside(index)))
    }
    return result
  }

  /// Two names of different places that one key of a tier finds.
  struct Collision: Sendable, Hashable {
    /// `exact`, `folded` or `compact`.
    var tier: MatchTier
    var first: KeyedName
    var second: KeyedName
  }

  /// The pairs of `names` of different places that share a key of some tier (`exact`: `tone`, `folded`: `plain`,
  /// `compact`) as `MatchKey(place:)` keys them, though they do not with a syllable's final i and y kept apart:
  /// a cell written with that key would find both, where it found one. Names that shared a key already (Minh Tân,
  /// a commune of three districts) are not the reading's doing: the resolver asks about them as it did. In the
  /// order of `names`.
  /// - Parameter keys: `MatchKey(place:)` of names already keyed (`ReferenceData.placeKeys`).
  static func iyCollisions(_ names: [KeyedName], keys: [ExactText: MatchKey] = [:]) -> [Collision] {
    // Keyed as the index keys them, and as written only where needed: for a pair of names of different places
    // sharing a key, of which the reading changed one (the loader runs this every night, and a place name's keys
    // are the costly part).
    let read: [MatchKey?] = names.map { name in
      if case .former = name.source { return nil }
      return keys[ExactText(name.written)] ?? MatchKey(place: name.written)
    }
    var written: [Int: MatchKey] = [:]
    func key(_ index: Int, _ tier: MatchTier, read asRead: Bool) -> String? {
      if case .former = names[index].source { return tier == .compact ? names[index].written : nil }
      guard var key = read[index], !key.isEmpty else { return nil }
      // A name the reading left as it was (no final y after a consonant) is keyed as written already.
      if !asRead, key.plain != key.spelledPlain {
        if written[index] == nil { written[index] = MatchKey(place: names[index].written, iyFolded: false) }
        key = written[index]!
      }
      switch tier {
      case .exact: return key.tone
      case .folded: return key.plain
      default: return key.compact
      }
    }
    var result: [Collision] = []
    for tier in [MatchTier.exact, .folded, .compact] {
      // By the keys' bytes, as `NameIndex` keys them.
      var groups: [ExactText: [Int]] = [:]
      for index in names.indices {
        if let read = key(index, tier, read: true) { groups[ExactText(read), default: []].append(index) }
      }
      for index in names.indices {
        guard let read = key(index, tier, read: true) else { continue }
        for other in groups[ExactText(read)]! where other > index && names[other].place != names[index].place {
          if key(other, tier, read: false) != key(index, tier, read: false) {
            result.append(Collision(tier: tier, first: names[index], second: names[other]))
          }
        }
      }
    }
    return result
  }

  /// True when one of the communes `earlier` was merged in 2025 into one of `later`.
  func merged(_ earlier: [Int], into later: [Int]) -> Bool {
    let codes = Set(earlier.map { reference.communes[$0].code })
    return later.contains { reference.communes[$0].legacyCodes.contains(where: codes.contains) }
  }

  /// "Huyện Đông Hưng (340)".
  func districtLabel(_ code: String) -> String { "\(districtNames[code] ?? "?") (\(code))" }

  /// Whether `code` is a district of the reference.
  func isDistrict(_ code: String) -> Bool { districtNames[code] != nil }

  /// "Xã Minh Tân, Huyện Đông Hưng (340)"; a new commune lists the old districts it covers.
  func communeLabel(_ commune: Commune) -> String {
    let districts = commune.districtCodes.map(districtLabel).joined(separator: " + ")
    let era = commune.era == .from2025 ? newCommuneTag : ""
    return "\(commune.name)\(era), \(districts)"
  }

  /// The commune with this code, legacy first (a few new communes keep a legacy code).
  func commune(code: String) -> Commune? {
    reference.communes.first { $0.code == code && $0.era == .legacy }
      ?? reference.communes.first { $0.code == code }
  }

  /// The outside place this key names, by exact or diacritic-free name;
  /// `districtOrProvince` skips communes (for "..., Huyện Ân Thi").
  func outsidePlace(_ key: MatchKey, districtOrProvince: Bool = false) -> OutsidePlace? {
    // Not by names run together: "Vũ ông" (Vũ Công with a letter lost) is not Vương.
    guard let (_, found) = outside.lookup(key, compact: false) else { return nil }
    return found.map { reference.outside[$0] }.first { !districtOrProvince || $0.level != "commune" }
  }

  /// The nearest districts, for a review row.
  func districtSuggestions(_ key: MatchKey) -> [String] {
    var seen: [String] = []
    for (code, _) in districts.near(key, maxDistance: 3) where !seen.contains(code) { seen.append(code) }
    return seen.prefix(3).map(districtLabel)
  }

  /// The nearest communes, for a review row.
  func communeSuggestions(_ key: MatchKey) -> [String] {
    var seen: [Int] = []
    for (index, _) in communes.near(key, maxDistance: 3) where !seen.contains(index) { seen.append(index) }
    return seen.prefix(3).map { communeLabel(reference.communes[$0]) }
  }

  /// Narrows commune candidates with what else the row says, never to nothing:
  /// a survey dated before 1 July 2025 cannot name a new commune; a written
  /// Xã/Phường/Thị trấn prefers units of that type; a known district prefers its communes.
  func narrow(_ candidates: [Int], key: MatchKey, legacyOnly: Bool, district: String?) -> [Int] {
    var result = candidates
    func keep(_ predicate: (Commune) -> Bool) {
      let kept = result.filter { predicate(reference.communes[$0]) }
      if !kept.isEmpty { result = kept }
    }
    if legacyOnly { keep { $0.era == .legacy } }
    if let writtenType = key.prefixes.last?.communeType { keep { $0.type == writtenType } }
    if let district { keep { $0.districtCodes.contains(district) } }
    return result
  }

  /// The districts a set of communes lies in, sorted.
  func districtsOf(_ candidates: [Int]) -> [String] {
    Array(Set(candidates.flatMap { reference.communes[$0].districtCodes })).sorted()
  }
}
