// District resolution: the district column first; if it is blank or not
// recognised, the commune column (a legacy commune gives its district, a new
// commune gives its old district when it covers only one). Within each column:
// corrections, then exact names, then diacritic-free names where they point
// to one district, then outside places, then a bounded fuzzy match that must be
// clearly best. Every tier, and the corrections, read a syllable's final i or
// y after a consonant as one letter ("Trà Lí" is Trà Lý: `MatchKey(place:)`),
// as the type, sector and need tables do. Every answer is cached per distinct
// input (and the whole answer per distinct district and commune pair), since a
// survey repeats the same few hundred spellings across many rows.

/// Resolves the written district and commune of rows to a legacy district.
public final class PlaceResolver {
  let index: PlaceIndex
  private let corrections: Corrections
  /// The words of reasons and remarks.
  private let wording: RowWording
  private var districtCache: [String: PlaceResolution?] = [:]
  /// Each answer with whether the survey date could change it (`lastAnswerReadTheDate`).
  private var communeCache: [CommuneKey: (answer: PlaceResolution?, readTheDate: Bool)] = [:]
  private var rowCache: [RowKey: (answer: PlaceResolution, readTheDate: Bool)] = [:]
  private var communeReadings: [ReadingKey: CommuneReading] = [:]
  /// Per commune cell, the districts of ours its parts name (`districtNamed`), in code order: asked on every
  /// new pair of cells, and a file has far fewer commune cells than pairs.
  private var communeCellDistricts: [ExactText: [String]] = [:]
  /// `MatchKey.readings(place:)` and `parts` of texts read before, by their exact text: a new commune cell's
  /// parts are read in turn by `parts`, `districtsNamed`, `districtNamed` and `communeReading`.
  private var readingsMemo: [ExactText: [MatchKey]] = [:]
  private var partsMemo: [ExactText: [String]] = [:]
  /// Whether corrections name districts or communes, so an answer depends on the row's file.
  private let districtScoped: Bool
  private let communeScoped: Bool
  /// The answers of single cells read for the row being resolved that rest on a corrections entry: whether each
  /// placed the row is known once the row's answer is (`resolve`).
  private var decisionsSeen: [(outcome: PlaceResolution.Outcome, district: String?, entries: [Int])] = []

  private struct CommuneKey: Hashable {
    var scope: String
    var written: String
    var legacyOnly: Bool
    var hint: String?
  }

  /// By exact bytes: an answer quotes what the row wrote ("commune X not recognised").
  private struct RowKey: Hashable {
    var scope: ExactText
    var district: ExactText
    var commune: ExactText
    var legacyOnly: Bool
  }
  /// The levels above a commune's: a part written with one of these names no commune.
  private static let aboveCommune: Set<PlacePrefix> = [.province, .district, .city, .town]
  /// The level words a district of ours may be written with.
  private static let districtLevels: Set<PlacePrefix> = [.district, .city, .town]
  /// A bracketed or separated part saying only old or new ("(cũ)", "(mới)"): no place.
  private static let eraWords: Set<String> = ["cu", "moi", "old", "new", "truoc day", "former"]
  /// Level words written alone after a name, that go before it ("Thái Bình (tỉnh)"), or after it in English: the
  /// words `MatchKey` reads as levels.
  private static let levelWordsBefore = MatchKey.prefixWords
  private static let levelWordsAfter = MatchKey.englishLevelWords

  public convenience init(
    reference: ReferenceData, corrections: Corrections = Corrections(), wording: RowWording = .english
  ) {
    self.init(
      index: PlaceIndex(reference, newCommuneTag: wording.newCommuneTag), corrections: corrections, wording: wording)
  }

  /// A resolver over an index already built (`PlaceIndex(_:newCommuneTag:)` with `wording.newCommuneTag`): its
  /// caches are its own, the index (a value, only read) is shared.
  init(index: PlaceIndex, corrections: Corrections, wording: RowWording) {
    self.index = index
    self.corrections = corrections
    self.wording = wording
    districtScoped = corrections.has(column: "district")
    communeScoped = corrections.has(column: "commune")
  }

  /// Whether an answer depends on the row's file: corrections.csv has district or commune entries, which may be
  /// limited to one file. Otherwise it depends only on the two cells and `legacyOnly`.
  var answersDependOnFile: Bool { districtScoped || communeScoped }

  /// How many rows' answers this resolver has made rather than found in its cache (for the tests).
  private(set) var answersMade = 0

  /// Whether the last row's answer (`resolve`) could be another for a row surveyed on the other side of the 2025
  /// reform: `legacyOnly` plays a part only where a cell's commune candidates include a commune made by the reform
  /// (`PlaceIndex.narrow` keeps the others for a row surveyed before it). When they never do, the same spellings
  /// give the same answer whatever the row's date.
  private(set) var lastAnswerReadTheDate = false
  /// Set while an answer is made, when it meets such candidates (`narrow`) or a commune answer that did.
  private var readTheDate = false

  /// The district of one row.
  /// - Parameter legacyOnly: the row was surveyed before 1 July 2025, so it cannot name a new commune.
  public func resolve(district: String, commune: String, file: String, legacyOnly: Bool) -> PlaceResolution {
    let key = RowKey(
      scope: ExactText(answersDependOnFile ? file : ""), district: ExactText(district),
      commune: ExactText(commune), legacyOnly: legacyOnly)
    if let cached = rowCache[key] {
      lastAnswerReadTheDate = cached.readTheDate
      return cached.answer
    }
    answersMade += 1
    decisionsSeen.removeAll(keepingCapacity: true)
    readTheDate = false
    var result = uncachedResolve(district: district, commune: commune, file: file, legacyOnly: legacyOnly)
    if !decisionsSeen.isEmpty { settleDecisions(&result) }
    lastAnswerReadTheDate = readTheDate
    if rowCache.count >= NormaliseCache.limit { rowCache.removeAll(keepingCapacity: true) }
    rowCache[key] = (result, readTheDate)
    return result
  }

  /// Which of the entries found for the row's cells placed it: those of a cell whose answer is the row's (the
  /// district it is counted in, or the decision that it lies outside). The others were passed over: a commune
  /// decided to lie in another district than the district cell that stands decided nothing of the row.
  private func settleDecisions(_ result: inout PlaceResolution) {
    var placed: [Int] = []
    var passed: [Int] = []
    for seen in decisionsSeen {
      let places: Bool =
        switch result.outcome {
        case .resolved: seen.outcome == .resolved && seen.district == result.districtCode
        case .outside: result.tier == .correction && seen.outcome == .outside && seen.entries == result.decidedBy
        default: false
        }
      for entry in seen.entries where !placed.contains(entry) && !passed.contains(entry) {
        if places { placed.append(entry) } else { passed.append(entry) }
      }
    }
    // An entry seen twice (two readings of one cell) and placing the row once placed it.
    result.decidedBy = placed
    result.passedOver = passed.filter { !placed.contains($0) }
  }

  /// Notes an answer of a single cell that rests on a corrections entry, for `settleDecisions`.
  private func seen(_ answer: PlaceResolution?) -> PlaceResolution? {
    if let answer, !answer.decidedBy.isEmpty {
      decisionsSeen.append((answer.outcome, answer.districtCode, answer.decidedBy))
    }
    return answer
  }

  /// - Parameter split: the commune was split off the district cell, the commune cell being blank.
  private func uncachedResolve(
    district: String, commune: String, file: String, legacyOnly: Bool, split: Bool = false
  ) -> PlaceResolution {
    // "TP Thái Bình, Tân Phong" in the district cell, the commune cell blank: the later parts are the commune,
    // checked against the district as a commune cell would be.
    if commune.isEmpty, let (first, rest) = addressFromOurDistrict(parts(district)) {
      return uncachedResolve(
        district: first.trimmingCharacters(in: .whitespaces),
        commune: rest.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "), file: file,
        legacyOnly: legacyOnly, split: true)
    }
    let byDistrict = district.isEmpty ? nil : cachedDistrict(district, file: file)
    if let byDistrict, byDistrict.outcome == .resolved, let code = byDistrict.districtCode {
      let result = standing(byDistrict, code, commune: commune, file: file, legacyOnly: legacyOnly)
      // "Huyện Đông Hưng, Vu Phuc" beside Hưng Hà: whatever the commune gave, the other district is said.
      guard result.outcome == .resolved, !commune.isEmpty, !split,
        let other = districtsNamed(inCommuneCell: commune).first(where: { $0 != (result.districtCode ?? code) }),
        !result.reason.contains(index.districtLabel(other))
      else { return result }
      return result.noting(wording.communeCellNamesDistrict(index.districtLabel(other)))
    }
    return unstanding(byDistrict, district: district, commune: commune, file: file, legacyOnly: legacyOnly)
  }

  /// `MatchKey.readings(place:)`, read once per text.
  private func readings(_ text: String) -> [MatchKey] {
    Self.remembered(text, in: &readingsMemo) { MatchKey.readings(place: text) }
  }

  /// `Self.parts`, read once per text.
  private func parts(_ written: String) -> [String] {
    Self.remembered(written, in: &partsMemo) { Self.parts(written, province: index.provinceKeys, read: readings) }
  }

  /// What `memo` keeps for `text`, else what `make` makes, kept; the memo starts again empty when it holds
  /// `NormaliseCache.limit` answers, as the resolver's other caches do.
  private static func remembered<Value>(
    _ text: String, in memo: inout [ExactText: Value], _ make: () -> Value
  ) -> Value {
    let key = ExactText(text)
    if let known = memo[key] { return known }
    let found = make()
    if memo.count >= NormaliseCache.limit { memo.removeAll(keepingCapacity: true) }
    memo[key] = found
    return found
  }

  /// The districts of ours the parts of a commune cell name, each once, in code order.
  private func districtsNamed(inCommuneCell commune: String) -> [String] {
    Self.remembered(commune, in: &communeCellDistricts) { Set(parts(commune).compactMap(districtNamed)).sorted() }
  }

  /// The row's place when its district cell resolved to `code`: the district stands, checked against the commune.
  private func standing(
    _ byDistrict: PlaceResolution, _ code: String, commune: String, file: String, legacyOnly: Bool
  ) -> PlaceResolution {
    let district = byDistrict.written
    guard !commune.isEmpty, let byCommune = cachedCommune(commune, file: file, legacyOnly: legacyOnly, hint: code)
    else { return byDistrict }
    if byCommune.outcome == .resolved, byCommune.districtCode == code {
      var result = byDistrict
      result.commune = byCommune.commune
      // What the commune cell said of itself ("… lies in …") stays said.
      return byCommune.reason.isEmpty ? result : result.noting(byCommune.reason)
    }
    // The commune cell puts the row elsewhere: in another district, or in one of several, none of them this one
    // ("Minh Tân" beside Thái Bình city: Minh Tân is in Hưng Hà, Đông Hưng and Kiến Xương).
    let elsewhere: [String] =
      if byCommune.outcome == .resolved, let other = byCommune.districtCode {
        [other]
      } else if byCommune.outcome == .ambiguous, !byCommune.candidateDistricts.contains(code) {
        byCommune.candidateDistricts
      } else {
        []
      }
    if !elsewhere.isEmpty {
      // A bare "Thái Bình" is the city only when nothing says otherwise; beside a commune of another district it
      // is the province, and the commune decides (or asks).
      if byDistrict.tier != .correction, Self.mayNameProvince(district) {
        return byCommune.outcome == .resolved ? byCommune.noting(wording.districtCellIsProvince(district)) : byCommune
      }
      // The two columns disagree. An exact district stands (the district
      // column comes first); a guessed one does not.
      if case .fuzzy = byDistrict.tier {
        return .failed(
          .ambiguous, column: "district", written: district,
          reason: wording.districtOnlyApproximate,
          suggestions: [index.districtLabel(code)]
            + (byCommune.commune.map { [index.communeLabel($0)] } ?? byCommune.suggestions))
      }
      return byDistrict.noting(wording.communeLiesIn(commune, wording.alternatives(elsewhere.map(index.districtLabel))))
    }
    if byCommune.outcome == .unknown { return byDistrict.noting(wording.communeNotRecognisedNote(commune)) }
    if byCommune.outcome == .outside {
      // An analyst's decision that the commune lies outside settles the row, unless one was made for the district
      // too: counted here with "outside (corrections …)" as its note, the row said the opposite of what it did.
      if byCommune.tier == .correction, byDistrict.tier != .correction { return byCommune }
      return byDistrict.noting(byCommune.reason)
    }
    if byCommune.outcome == .ambiguous, byCommune.reason == wording.twoDistrictsNamed {
      return byDistrict.noting("\(wording.twoDistrictsNamed): \(commune)")
    }
    return byDistrict
  }

  /// A row an analyst decided lies outside the province: rejected, and counted among the corrections applied (a
  /// helper's round: it was not, though the report said how many decisions had applied).
  private func decidedOutside(_ column: String, _ written: String, _ fix: Correction, _ id: Int) -> PlaceResolution {
    var decided = PlaceResolution.failed(
      .outside, column: column, written: written, reason: wording.outsideByCorrection(fix.location.description))
    decided.tier = .correction
    decided.decidedBy = [id]
    return decided
  }

  /// How a reason names a place outside, in the wording's language: outside-places.csv says "(before 2025)"
  /// after a unit of Hưng Yên as it was (`scripts/update-reference` writes it so).
  private func label(_ place: OutsidePlace) -> String {
    place.label.replacingOccurrences(of: "(before 2025)", with: "(\(wording.beforeReform))")
  }

  /// True for a district cell that is a bare "Thái Bình": the city's name, and the province's.
  /// The cell as written, not its `parts`: "Thái Bình, Thái Bình" and "Thái Bình - tỉnh Thái Bình" name the city
  /// and then the province, though `parts` keeps only the first.
  private static func mayNameProvince(_ written: String) -> Bool {
    let pieces = Self.pieces(written).filter { !MatchKey(text: String($0)).isEmpty }
    guard pieces.count == 1 else { return false }
    let key = MatchKey.readings(place: String(pieces[0]))[0]
    return key.prefixes.isEmpty && key.plain == "thai binh"
  }

  /// The row's place when its district cell did not resolve (or is blank).
  private func unstanding(
    _ byDistrict: PlaceResolution?, district: String, commune: String, file: String, legacyOnly: Bool
  ) -> PlaceResolution {
    // "Mê Linh | Đông Hưng", "Hòa An | Bắc Thái Ninh": a district outside the province by name (Hà Nội's, Cao
    // Bằng's) that is also a commune of ours, beside a commune cell of that commune's district: the columns were
    // swapped, or the commune written where the district goes (a helper's place round: rejected as outside).
    if let byDistrict, byDistrict.outcome == .outside, !commune.isEmpty,
      var asCommune = cachedCommune(district, file: file, legacyOnly: legacyOnly, hint: nil),
      asCommune.outcome == .resolved, let code = asCommune.districtCode,
      let byCommune = cachedCommune(commune, file: file, legacyOnly: legacyOnly, hint: code),
      byCommune.outcome == .resolved, byCommune.districtCode == code
    {
      // The row's commune is the commune cell's, unless that cell names the district (the columns swapped).
      guard cachedDistrict(commune, file: file)?.districtCode == code else {
        return byCommune.noting(wording.districtCellNamesCommune(district))
      }
      asCommune.column = "district"
      return asCommune.noting(wording.districtCellNamesCommune(district))
    }
    if let byDistrict, byDistrict.outcome == .outside || byDistrict.outcome == .ambiguous { return byDistrict }
    // A commune written in the district cell ("Phường Thái Bình", "Xã Thái Ninh"), the commune cell blank: read
    // the cell as a commune.
    if let byDistrict, byDistrict.outcome == .unknown, commune.isEmpty,
      var asCommune = cachedCommune(district, file: file, legacyOnly: legacyOnly, hint: nil),
      asCommune.outcome != .unknown
    {
      asCommune.column = "district"
      return asCommune.outcome == .resolved ? asCommune.noting(wording.districtCellNamesCommune(district)) : asCommune
    }
    // A commune of ours in the district cell ("Xã Tiên Hưng", as post-2025 addresses begin) beside a commune cell:
    // it gives the district, as a district would, and the commune cell is checked against it (a helper's place
    // round: the commune cell alone decided, and the note said the district cell was not recognised).
    if let byDistrict, byDistrict.outcome == .unknown, !commune.isEmpty,
      let asCommune = cachedCommune(district, file: file, legacyOnly: legacyOnly, hint: nil),
      asCommune.outcome == .resolved, let code = asCommune.districtCode,
      let byCommune = cachedCommune(commune, file: file, legacyOnly: legacyOnly, hint: code)
    {
      var named = asCommune.noting(wording.districtCellNamesCommune(district))
      named.column = "district"
      switch byCommune.outcome {
      // An analyst's decision for the commune cell settles it, whatever the district cell's commune says.
      case .resolved where byCommune.districtCode == code || byCommune.tier == .correction:
        return byCommune.noting(wording.districtCellNamesCommune(district))
      case .resolved, .outside:
        let elsewhere = byCommune.districtCode.map { wording.communeLiesIn(commune, index.districtLabel($0)) }
        return .failed(
          .ambiguous, column: "district", written: district,
          reason: wording.districtCellNamesCommune(district) + "; " + (elsewhere ?? byCommune.reason),
          suggestions: (asCommune.commune.map { [index.communeLabel($0)] } ?? [])
            + (byCommune.commune.map { [index.communeLabel($0)] } ?? []))
      case .ambiguous where !byCommune.candidateDistricts.isEmpty && !byCommune.candidateDistricts.contains(code):
        return .failed(
          .ambiguous, column: "district", written: district,
          reason: wording.districtCellNamesCommune(district) + "; "
            + wording.communeLiesIn(
              commune, wording.alternatives(byCommune.candidateDistricts.map(index.districtLabel))),
          suggestions: (asCommune.commune.map { [index.communeLabel($0)] } ?? []) + byCommune.suggestions)
      case .unknown:
        return named.noting(wording.communeNotRecognisedNote(commune))
      default:
        return named
      }
    }
    let byCommune = commune.isEmpty ? nil : cachedCommune(commune, file: file, legacyOnly: legacyOnly, hint: nil)
    if var byCommune {
      if byCommune.outcome == .resolved, byDistrict != nil {
        byCommune = byCommune.noting(wording.districtNotRecognisedNote(district))
      }
      if byCommune.outcome != .unknown || byDistrict == nil { return byCommune }
    }
    if let byDistrict { return byDistrict }
    // What was written names only the province ("Hưng Yên", "Tỉnh Thái Bình"), in either cell.
    if !district.isEmpty {
      return .failed(.missing, column: "district", written: district, reason: wording.onlyProvinceGiven)
    }
    if !commune.isEmpty {
      return .failed(.missing, column: "commune", written: commune, reason: wording.onlyProvinceGiven)
    }
    return .failed(.missing, column: "district", written: "", reason: wording.neitherDistrictNorCommune)
  }

  // MARK: district column

  private func cachedDistrict(_ written: String, file: String) -> PlaceResolution? {
    let cacheKey = districtScoped ? file + "\u{1}" + written : written
    if let cached = districtCache[cacheKey] { return seen(cached) }
    let result = resolveDistrict(written, file: file)
    if districtCache.count >= NormaliseCache.limit { districtCache.removeAll(keepingCapacity: true) }
    districtCache[cacheKey] = result
    return seen(result)
  }

  private func resolveDistrict(_ written: String, file: String) -> PlaceResolution? {
    if let id = corrections.find(column: "district", written: written, file: file) {
      let fix = corrections.all[id]
      if fix.means.lowercased() == "outside" { return decidedOutside("district", written, fix, id) }
      var decided = PlaceResolution.resolved(
        fix.means, commune: nil, column: "district", written: written, tier: .correction)
      decided.decidedBy = [id]
      return decided
    }
    let parts = self.parts(written)
    guard let first = parts.first else { return nil }  // only a province was written
    if Set(parts.compactMap(districtNamed)).count > 1 {
      return .failed(.ambiguous, column: "district", written: written, reason: wording.twoDistrictsNamed)
    }
    let readings = self.readings(first)
    let key = readings[0]
    // "Phường Thái Bình" names the ward, not the city: a commune's level word, or a commune's name, is no
    // district, nor one a letter away.
    // A township is named after its district ("Thị trấn Đông Hưng" lies in Đông Hưng).
    let districtReadings = readings.filter { !$0.prefixes.contains { [.commune, .ward].contains($0) } }
    if let (_, (tier, codes)) = Self.lookup(districtReadings, in: index.districts) {
      if codes.count == 1 { return .resolved(codes[0], commune: nil, column: "district", written: written, tier: tier) }
      return .failed(
        .ambiguous, column: "district", written: written, reason: wording.fitsSeveralDistricts,
        suggestions: codes.map(index.districtLabel))
    }
    // A district or province outside by that name is what the column asks for ("Đông Hòa", Phú Yên); a commune
    // of ours is read from the commune's side, even one a place outside shares ("Long Hưng", as Văn Giang had).
    if districtReadings.first == key, let place = index.outsidePlace(key, districtOrProvince: true) {
      return .failed(.outside, column: "district", written: written, reason: wording.outside(label(place)))
    }
    if districtReadings.first != key || Self.lookup(readings, in: index.communes) != nil {
      return .failed(
        .unknown, column: "district", written: written, reason: wording.districtNotRecognised,
        suggestions: index.districtSuggestions(key))
    }
    if let place = index.outsidePlace(key) {
      return .failed(.outside, column: "district", written: written, reason: wording.outside(label(place)))
    }
    if let (code, distance) = clearlyBest(
      index.districts.near(key, maxDistance: NameIndex<String>.fuzzyAllowance(for: key)).map {
        ([$0.value], $0.distance)
      }, key: key)
    {
      return .resolved(code, commune: nil, column: "district", written: written, tier: .fuzzy(distance: distance))
    }
    return .failed(
      .unknown, column: "district", written: written, reason: wording.districtNotRecognised,
      suggestions: index.districtSuggestions(key))
  }

  // MARK: commune column

  /// `PlaceIndex.narrow`, noting when the candidates include a commune the 2025 reform made (`readTheDate`).
  private func narrow(_ candidates: [Int], key: MatchKey, legacyOnly: Bool, district: String?) -> [Int] {
    if !readTheDate && candidates.contains(where: { index.reference.communes[$0].era != .legacy }) {
      readTheDate = true
    }
    return index.narrow(candidates, key: key, legacyOnly: legacyOnly, district: district)
  }

  private func cachedCommune(_ written: String, file: String, legacyOnly: Bool, hint: String?) -> PlaceResolution? {
    let cacheKey = CommuneKey(scope: communeScoped ? file : "", written: written, legacyOnly: legacyOnly, hint: hint)
    if let cached = communeCache[cacheKey] {
      if cached.readTheDate { readTheDate = true }
      return seen(cached.answer)
    }
    let before = readTheDate
    readTheDate = false
    let result = resolveCommune(written, file: file, legacyOnly: legacyOnly, hint: hint)
    if communeCache.count >= NormaliseCache.limit { communeCache.removeAll(keepingCapacity: true) }
    communeCache[cacheKey] = (result, readTheDate)
    readTheDate = readTheDate || before
    return seen(result)
  }

  private func resolveCommune(_ written: String, file: String, legacyOnly: Bool, hint: String?) -> PlaceResolution? {
    let reading = communeReading(written, file: file)
    if let id = reading.fix {
      let fix = corrections.all[id]
      var decided: PlaceResolution?
      if index.isDistrict(fix.means) {
        decided = .resolved(fix.means, commune: nil, column: "commune", written: written, tier: .correction)
      } else if let commune = index.commune(code: fix.means), commune.districtCodes.count == 1 {
        decided = .resolved(
          commune.districtCodes[0], commune: commune, column: "commune", written: written, tier: .correction)
      } else if fix.means.lowercased() == "outside" {
        return decidedOutside("commune", written, fix, id)
      }
      if var decided {
        decided.decidedBy = [id]
        return decided
      }
    }
    guard let key = reading.key else { return nil }
    if reading.namesTwoDistricts {
      return .failed(.ambiguous, column: "commune", written: written, reason: wording.twoDistrictsNamed)
    }
    if let (code, tier) = reading.namesDistrict {
      return .resolved(code, commune: nil, column: "commune", written: written, tier: tier)
    }
    // Two communes of ours in the cell: their one district if they share it; else a question, unless the
    // district cell answers it (the first commune is then checked against it, as always).
    if hint == nil, let later = reading.laterPartCommune, let (tier, found) = reading.found {
      let districts = index.districtsOf(found + later)
      // Not when the later name is also a district or province elsewhere ("Độc Lập, Bắc Sơn"), nor silently
      // when the cell names another district of ours.
      if districts.count == 1, !reading.laterCommuneNamesOutside {
        let result = PlaceResolution.resolved(
          districts[0], commune: nil, column: "commune", written: written, tier: tier)
        guard let own = reading.laterPartDistrict, own != districts[0] else { return result }
        return result.noting(wording.communeLiesIn(written, index.districtLabel(districts[0])))
      }
      return .failed(
        .ambiguous, column: "commune", written: written, reason: wording.twoCommunesNamed,
        suggestions: (found + later).map { index.communeLabel(index.reference.communes[$0]) })
    }
    if let place = reading.namesOutside ?? reading.laterPartOutside {
      return .failed(.outside, column: "commune", written: written, reason: wording.outside(label(place)))
    }
    // "Phường Trà Lý (Đông Hưng)": a district the commune cell names itself settles a commune spanning two, and
    // says which commune of its name the cell means ("Minh Tân (Kiến Xương)"), over the district column's: when
    // the two columns then disagree, the row says so.
    let ownDistrict = reading.laterPartDistrict
    let hint = ownDistrict ?? hint
    /// "Vũ Hội (Kiến Xương)": a commune that lies elsewhere than the district its cell names is said to.
    func checked(_ result: PlaceResolution) -> PlaceResolution {
      guard let ownDistrict, result.outcome == .resolved, let code = result.districtCode, code != ownDistrict else {
        return result
      }
      return result.noting(wording.communeLiesIn(result.commune?.name ?? written, index.districtLabel(code)))
    }
    if let (tier, found) = reading.found {
      let narrowed = narrow(found, key: key, legacyOnly: legacyOnly, district: hint)
      // A former (pre-2020) name or a name run together is weaker than a place
      // of that name today outside the province: ask rather than guess.
      if tier == .compact, hint == nil, let place = reading.outside {
        return .failed(
          .ambiguous, column: "commune", written: written,
          reason: wording.oldNameNowOutside,
          suggestions: narrowed.map { index.communeLabel(index.reference.communes[$0]) } + [label(place)])
      }
      // "Xã Việt Hưng" is Văn Lâm's, letter for letter; ours is Việt Hùng. "Phường Lê Lợi" is Hưng Yên city's;
      // ours is Xã Lê Lợi. A name that fits a place outside exactly, and ours only without its diacritics or
      // with another level word, is asked about, unless the district column says it is ours.
      // Typed without diacritics ("Phuong Le Loi"), the level word alone tells the place outside from ours.
      if hint == nil, let place = reading.outsideExact ?? reading.outsideFolded,
        (reading.outsideExact != nil && tier == .folded) || levelFitsOnly(place, reading.writtenLevel, notOurs: found)
      {
        return .failed(
          .ambiguous, column: "commune", written: written, reason: wording.nameFitsOutsideExactly,
          suggestions: narrowed.map { index.communeLabel(index.reference.communes[$0]) } + [label(place)])
      }
      return checked(decide(narrowed, tier: tier, written: written, settling: ownDistrict))
    }
    if let place = reading.outside {
      return .failed(.outside, column: "commune", written: written, reason: wording.outside(label(place)))
    }
    let near = reading.near(index)
    var byDistance: [Int: [Int]] = [:]
    for (candidate, distance) in near { byDistance[distance, default: []].append(candidate) }
    let grouped = byDistance.keys.sorted().map { distance in
      (
        index.districtsOf(narrow(byDistance[distance]!, key: key, legacyOnly: legacyOnly, district: hint)),
        distance
      )
    }
    if let (_, distance) = clearlyBest(grouped, key: key) {
      let narrowed = narrow(byDistance[distance]!, key: key, legacyOnly: legacyOnly, district: hint)
      return checked(decide(narrowed, tier: .fuzzy(distance: distance), written: written, settling: ownDistrict))
    }
    return .failed(
      .unknown, column: "commune", written: written, reason: wording.communeNotRecognised,
      suggestions: reading.suggestions(index))
  }

  /// What a written commune says whatever the row's district and date, read once per distinct value: the
  /// costly part (keys, the province and later parts, lookups, the fuzzy scan), which `resolveCommune` then
  /// narrows by the row's district hint and date.
  private final class CommuneReading {
    /// The corrections entry for the cell, as its place in `Corrections.all`.
    var fix: Int?
    /// The first part's keys; nil when only the province was written.
    var key: MatchKey?
    /// "Minh Tân, Đông Hưng": the district of the first later part that names exactly one.
    var laterPartDistrict: String?
    /// "Lê Lợi, TP Hưng Yên": the first later part that is no district and lies outside the province.
    var laterPartOutside: OutsidePlace?
    /// "TP Thái Bình", "Tỉnh Thái Nguyên": the cell names a district, town, city or province by its level word:
    /// the district it names, when it is one of ours (and its tier), else the place outside it names.
    var namesDistrict: (code: String, tier: MatchTier)?
    var namesOutside: OutsidePlace?
    /// "Vũ Hội (Tân Tiến)": a later part naming a commune of ours that is neither the first nor merged with it.
    var laterPartCommune: [Int]?
    /// "Độc Lập, Bắc Sơn": that later commune is also named like a district or province elsewhere.
    var laterCommuneNamesOutside = false
    /// "Quỳnh Phụ, An Đồng, Huyện Đông Hưng": two parts name different districts of ours.
    var namesTwoDistricts = false
    var found: (tier: MatchTier, values: [Int])?
    var outside: OutsidePlace?
    /// A place outside the province named by the first part as written, diacritics and all, and the level word
    /// written before it (Xã, Phường, Thị trấn), if any.
    var outsideExact: OutsidePlace?
    /// The same without diacritics: enough when the level word written fits only the place outside.
    var outsideFolded: OutsidePlace?
    var writtenLevel: PlacePrefix?
    private var nearby: [(value: Int, distance: Int)]?
    private var suggested: [String]?

    func near(_ index: PlaceIndex) -> [(value: Int, distance: Int)] {
      if let nearby { return nearby }
      let found = index.communes.near(key!, maxDistance: NameIndex<Int>.fuzzyAllowance(for: key!))
      nearby = found
      return found
    }

    func suggestions(_ index: PlaceIndex) -> [String] {
      if let suggested { return suggested }
      let found = index.communeSuggestions(key!)
      suggested = found
      return found
    }
  }

  private struct ReadingKey: Hashable {
    var scope: String
    var written: String
  }

  private func communeReading(_ written: String, file: String) -> CommuneReading {
    let cacheKey = ReadingKey(scope: communeScoped ? file : "", written: written)
    if let cached = communeReadings[cacheKey] { return cached }
    let reading = CommuneReading()
    reading.fix = corrections.find(column: "commune", written: written, file: file)
    var parts = self.parts(written)
    // "TP Thái Bình, Tân Phong": an address from the district down. Read the commune first and the district
    // after it, as in "Tân Phong, TP Thái Bình", so that the two are checked against each other.
    if let (district, rest) = addressFromOurDistrict(parts) { parts = rest + [district] }
    reading.namesTwoDistricts = Set(parts.compactMap(districtNamed)).count > 1
    if let first = parts.first {
      let readings = self.readings(first)
      var key = readings[0]
      let firstFound = Self.lookup(readings, in: index.communes)
      for part in parts.dropFirst() {
        let partReadings = self.readings(part)
        if let (_, (_, codes)) = Self.lookup(partReadings, in: index.districts) {
          if codes.count == 1, reading.laterPartDistrict == nil { reading.laterPartDistrict = codes[0] }
        } else if partReadings[0].prefixes.contains(where: Self.aboveCommune.contains),
          let place = index.outsidePlace(partReadings[0], districtOrProvince: true)
        {
          // "Xã Tân Lập, Tỉnh Thái Nguyên": a level word says the part is a place outside, not our commune.
          reading.laterPartOutside = place
          break
        } else if index.outside.lookup(partReadings[0], compact: false)?.tier == .exact,
          Self.lookup(partReadings, in: index.communes)?.found.tier != .exact,
          let place = index.outsidePlace(partReadings[0], districtOrProvince: true)
        {
          // "Bình Minh, Quảng Bình": the province as written, over our Quang Bình without its diacritics.
          reading.laterPartOutside = place
          break
        } else if let firstFound, let (_, (_, later)) = Self.lookup(partReadings, in: index.communes) {
          // "Hồng Tiến (Bình Định)", "Trần Hưng Đạo (Phú Xuân)": a commune and the one it became or took in,
          // not the province Bình Định; two communes of ours otherwise, to ask about.
          if unrelated(firstFound.found.values, later), reading.laterPartCommune == nil {
            reading.laterPartCommune = later
            reading.laterCommuneNamesOutside = index.outsidePlace(partReadings[0], districtOrProvince: true) != nil
          }
          continue
        } else if let place = partReadings.lazy.compactMap({ self.index.outsidePlace($0, districtOrProvince: true) })
          .first
        {
          reading.laterPartOutside = place
          break
        }
      }
      // A province is no district of ours: "Tỉnh Thái Bình" is not the city.
      for level in readings where level.prefixes.contains(where: Self.aboveCommune.contains) {
        if !level.prefixes.contains(.province), let (tier, codes) = index.districts.lookup(level) {
          if codes.count == 1 { reading.namesDistrict = (codes[0], tier) }
          break
        }
        if let place = index.outsidePlace(level, districtOrProvince: true) {
          reading.namesOutside = place
          break
        }
      }
      if let (reading: used, found) = firstFound {
        key = used
        reading.found = found
      }
      reading.key = key
      // "Hung Yen thanh pho": a place outside by any reading, the one matched first.
      reading.outside = index.outsidePlace(key) ?? readings.lazy.compactMap { self.index.outsidePlace($0) }.first
      if let (tier, values) = index.outside.lookup(readings[0], compact: false) {
        let places = values.map { index.reference.outside[$0] }
        let place = places.first { $0.level == "commune" } ?? places.first
        if tier == .exact { reading.outsideExact = place } else { reading.outsideFolded = place }
      }
      reading.writtenLevel = readings[0].prefixes.last
    }
    if communeReadings.count >= NormaliseCache.limit { communeReadings.removeAll(keepingCapacity: true) }
    communeReadings[cacheKey] = reading
    return reading
  }

  /// `parts` as an address from one of our districts down ("TP Thái Bình, Thôn 3, Phường Lê Hồng Phong"): the
  /// district part, and the parts from the first that names a commune of ours on (parts before it, a village or
  /// a street, are passed over). Nil when the first part names no district of ours, with a district, city or
  /// town level word or bare; when no later part names a commune of ours (no level word above a commune's);
  /// when another part names a district of ours too; and for a bare name that is also a commune of ours ("Vũ
  /// Thư") when the commune that follows is it or merged with it.
  private func addressFromOurDistrict(_ parts: [String]) -> (district: String, rest: [String])? {
    guard parts.count > 1 else { return nil }
    func districtReading(_ part: String) -> MatchKey? {
      readings(part).first {
        $0.prefixes.allSatisfy(Self.districtLevels.contains) && index.districts.lookup($0) != nil
      }
    }
    func communes(_ part: String) -> [Int]? {
      let readings = self.readings(part).filter { !$0.prefixes.contains(where: Self.aboveCommune.contains) }
      return Self.lookup(readings, in: index.communes)?.found.values
    }
    guard let first = districtReading(parts[0]) else { return nil }
    let later = parts.dropFirst()
    guard let at = later.firstIndex(where: { communes($0) != nil }),
      !later.contains(where: { districtReading($0) != nil && communes($0) == nil })
    else { return nil }
    if first.prefixes.isEmpty, let asCommune = index.communes.lookup(first)?.values,
      !unrelated(asCommune, communes(parts[at])!)
    {
      return nil
    }
    return (parts[0], Array(parts[at...]))
  }

  /// The district of ours one part of a cell names, with a district, city or town level word or bare (a bare
  /// name that is also a commune of ours counts: "Quỳnh Phụ" beside another district is two districts).
  private func districtNamed(_ part: String) -> String? {
    let readings = self.readings(part)
    // A bare "Thái Bình" among other parts is the province as often as the city.
    if index.provinceKeys.contains(readings[0].plain), readings[0].prefixes.isEmpty { return nil }
    for reading in readings where reading.prefixes.allSatisfy(Self.districtLevels.contains) {
      if let (_, codes) = index.districts.lookup(reading), codes.count == 1 { return codes[0] }
    }
    return nil
  }

  /// True when `level` (Xã, Phường or Thị trấn, as written) is the level of the place outside, and of none of
  /// `communes` of ours.
  private func levelFitsOnly(_ place: OutsidePlace, _ level: PlacePrefix?, notOurs communes: [Int]) -> Bool {
    guard let type = level?.communeType, MatchKey(place: place.name).prefixes.last == level else { return false }
    return !communes.contains { index.reference.communes[$0].type == type }
  }

  /// True when no commune of `a` is one of `b`, or was merged into one of them, or the other way round.
  private func unrelated(_ a: [Int], _ b: [Int]) -> Bool {
    Set(a).isDisjoint(with: b) && !index.merged(a, into: b) && !index.merged(b, into: a)
  }

  /// One district from the candidates, or the question; `settling`, a district the cell itself names, answers it
  /// when every candidate lies (partly) in it.
  private func decide(
    _ candidates: [Int], tier: MatchTier, written: String, settling: String? = nil
  ) -> PlaceResolution {
    let districts = index.districtsOf(candidates)
    let communes = candidates.map { index.reference.communes[$0] }
    if districts.count == 1 {
      return .resolved(
        districts[0], commune: communes.count == 1 ? communes[0] : nil, column: "commune", written: written, tier: tier)
    }
    if let settling, communes.allSatisfy({ $0.districtCodes.contains(settling) }) {
      return .resolved(
        settling, commune: communes.count == 1 ? communes[0] : nil, column: "commune", written: written, tier: tier)
    }
    let spans = communes.count == 1 && communes[0].era == .from2025
    var question = PlaceResolution.failed(
      .ambiguous, column: "commune", written: written,
      reason: spans ? wording.newCommuneSpansDistricts : wording.communeInSeveralDistricts,
      suggestions: communes.map(index.communeLabel))
    question.candidateDistricts = districts
    return question
  }

  /// The first of `readings` (`MatchKey.readings(place:)`) that `index` knows, and what it found.
  private static func lookup<Value>(_ readings: [MatchKey], in index: NameIndex<Value>) -> (
    reading: MatchKey, found: (tier: MatchTier, values: [Value])
  )? {
    for reading in readings {
      if let found = index.lookup(reading) { return (reading, found) }
    }
    return nil
  }

  /// The district of the nearest group when it is clearly best: one district
  /// at the best distance, no other district one edit further, and no place of
  /// Hưng Yên outside former Thái Bình as near as it (`PlaceIndex.rivals`: "Duong
  /// Quaang" is Dương Quang of Mỹ Hào as much as Đông Quang).
  private func clearlyBest(_ groups: [([String], Int)], key: MatchKey) -> (String, Int)? {
    var byDistance: [Int: Set<String>] = [:]
    for (codes, distance) in groups { byDistance[distance, default: []].formUnion(codes) }
    guard let best = byDistance.keys.min(), let codes = byDistance[best], codes.count == 1, let code = codes.first,
      index.rivals.near(key, maxDistance: best).isEmpty
    else { return nil }
    let rivals = byDistance[best + 1, default: []].subtracting([code])
    return rivals.isEmpty ? (code, best) : nil
  }

  /// The written value split at commas, semicolons, slashes, dashes and brackets, as it is.
  private static func pieces(_ written: String) -> [Substring] {
    written.split(whereSeparator: isSeparator)
  }

  /// Where `pieces` splits. Searching a String of them for each character was most of reading a place.
  private static func isSeparator(_ character: Character) -> Bool {
    if let ascii = character.asciiValue {
      switch ascii {
      case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "/"), UInt8(ascii: "-"), UInt8(ascii: "("),
        UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"):
        return true
      default: return false
      }
    }
    return character == "–" || character == "—"
  }

  /// `Character.isWhitespace`, without its property lookup for ASCII.
  private static func isWhiteSpace(_ character: Character) -> Bool {
    if let ascii = character.asciiValue { return TextFolding.isSpaceByte(ascii) }
    return character.isWhitespace
  }

  /// The written value split at commas, semicolons, slashes, dashes and brackets, with parts that only name the
  /// province at either end ("..., tỉnh Thái Bình", "Tỉnh Hưng Yên, ...") removed. A part that only says old or new ("Đông Hưng (cũ)") is
  /// dropped; a part that is only a level word belongs to the part before it ("Thái Bình (tỉnh)" is "tỉnh Thái
  /// Bình", "Thai Binh (province)" is "Thai Binh province"). Empty when nothing but the province was written.
  /// - Parameters:
  ///   - province: the province's names as `PlaceIndex.provinceKeys` keys them (`province-names.csv`).
  ///   - read: `MatchKey.readings(place:)`, or a resolver's memo of it.
  static func parts(
    _ written: String, province provinceNames: Set<String>,
    read: (String) -> [MatchKey] = { MatchKey.readings(place: $0) }
  ) -> [String] {
    var parts: [String] = []
    for var piece in pieces(written).map(String.init) {
      // "huyện Đông Hưng cũ": "cũ" (former) after a name, without brackets, as post-2025 addresses write it. Only
      // with its diacritic: "Phù Cừ", "Trà Cú" are places; a bare "cu" may be a name's last word.
      let words = piece.split(whereSeparator: isWhiteSpace)
      if words.count > 1, words.last!.count == 2,
        words.last!.precomposedStringWithCanonicalMapping.lowercased() == "cũ"
      {
        piece = words.dropLast().joined(separator: " ")
      }
      let key = MatchKey(text: piece)
      if key.isEmpty || eraWords.contains(key.plain) { continue }
      if let last = parts.last, levelWordsBefore.contains(key.plain) {
        parts[parts.count - 1] = piece + " " + last
      } else if let last = parts.last, levelWordsAfter.contains(key.plain) {
        parts[parts.count - 1] = last + " " + piece
      } else {
        parts.append(piece)
      }
    }
    func namesProvince(_ part: String, alone: Bool) -> Bool {
      let readings = read(part)
      // "Thai Binh tinh": the province, whichever side its level word is written on.
      if readings.contains(where: { $0.prefixes == [.province] && provinceNames.contains($0.plain) }) { return true }
      let key = readings[0]
      guard provinceNames.contains(key.plain) else { return false }
      if key.prefixes == [.province] { return true }
      // A bare "Thái Bình" is the city when it stands alone; after a comma it is the province.
      return key.prefixes.isEmpty && (!alone || key.plain != "thai binh")
    }
    while parts.count > 1, namesProvince(parts[parts.count - 1], alone: false) { parts.removeLast() }
    // "Tỉnh Thái Bình, Vũ Thư, Tân Lập": an address may begin with the province too.
    while parts.count > 1, namesProvince(parts[0], alone: false) { parts.removeFirst() }
    if parts.count == 1, namesProvince(parts[0], alone: true) { return [] }
    return parts
  }
}
