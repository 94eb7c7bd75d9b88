// One staged row (raw values as written) into canonical values, or the reason
// it cannot be counted. Holds the matchers and their per-distinct-value caches.

import Foundation

/// Canonical values of one countable row, in establishments.csv order.
public struct Establishment: Sendable {
  public static let header = [
    "source_file", "source_line", "tax_code", "name", "enterprise_type", "district_code", "district", "commune",
    "sector", "employees", "revenue_mvnd", "trainees", "support_requested_mvnd", "previously_supported",
    "survey_date", "needs",
    // Extras, after the contract's columns.
    "commune_code", "place_from", "place_match", "craft_village", "notes", "problems",
  ]
  public var cells: [String]
  public var dedup: DedupEntry
  public var fuzzy: Bool
  public var decisions: RowDecisions
  /// True when the row's only remark is the place note of an analyst's decision (an entry placed the row):
  /// kept in `problems`, but nothing is left to do about it.
  public var remarkSettled: Bool
  /// True when a corrections entry decided a value of the row.
  public var corrected: Bool { !decisions.applied.isEmpty }
}

/// The corrections entries found for one row's cells, as their places in `Corrections.all`. An entry is used
/// when the row is settled (counted, or decided to lie outside) with a value it decided; one found for a row
/// not counted for another reason waits for that row.
public struct RowDecisions: Sendable, Hashable {
  /// Those whose decisions are the row's: its place, type, sector or a need as an analyst decided it.
  public var applied: [Int] = []
  /// Those found for its cells that decided nothing of it (a commune entry where the district cell stands).
  public var passedOver: [Int] = []

  public init(applied: [Int] = [], passedOver: [Int] = []) {
    self.applied = applied
    self.passedOver = passedOver
  }

  public var isEmpty: Bool { applied.isEmpty && passedOver.isEmpty }

  /// Adds entries the row's values rest on, each once.
  mutating func apply(_ entries: [Int]) {
    for entry in entries where !applied.contains(entry) { applied.append(entry) }
  }

  mutating func apply(_ entry: Int?) {
    if let entry { apply([entry]) }
  }

  /// Every entry found for the row.
  public var all: [Int] { applied + passedOver.filter { !applied.contains($0) } }
}

/// What became of one row.
public enum RowOutcome: Sendable {
  case counted(Establishment)
  /// review.csv cells; `fuzzy` tells the summary how far matching went; `decisions`, the corrections entries
  /// found for the row (which wait for it).
  case review([String], fuzzy: Bool, decisions: RowDecisions)
  /// Reason, column, value as written; `settled` when an analyst decided the row lies outside the province.
  case rejected(reason: String, column: String, value: String, decisions: RowDecisions, settled: Bool)
}

/// The staged cells of one row that normalise reads, each trimmed once.
struct StagedRow {
  var taxCode = ""
  var name = ""
  var enterpriseType = ""
  var district = ""
  var commune = ""
  var craftVillage = ""
  var sector = ""
  var employees = ""
  var revenue = ""
  /// The need mark cells in the form's order (`NeedParser.order`).
  var needMarks: [String] = []
  var needs = ""
  var trainees = ""
  var supportRequested = ""
  var previouslySupported = ""
  var surveyDate = ""
  var notes = ""

  init() {}

  /// The cells `value(column)` gives, asked once each.
  init(needKeys: [String], _ value: (String) -> String) {
    taxCode = value("tax_code")
    name = value("name")
    enterpriseType = value("enterprise_type")
    district = value("district")
    commune = value("commune")
    craftVillage = value("craft_village")
    sector = value("sector")
    employees = value("employees")
    revenue = value("revenue")
    needMarks = needKeys.map { value("need_" + $0) }
    needs = value("needs")
    trainees = value("trainees")
    supportRequested = value("support_requested")
    previouslySupported = value("previously_supported")
    surveyDate = value("survey_date")
    notes = value("notes")
  }
}

/// A countable row's canonical values and what deduplication needs of it.
struct CountedRow {
  /// establishments.csv cells.
  var cells: [String]
  /// The normalised tax code, empty when there is none.
  var taxCode: String
  var date: SurveyDate?
  var fuzzy: Bool
  var decisions: RowDecisions
  /// The row's only remark is the place note of an analyst's decision (`Establishment.remarkSettled`).
  var remarkSettled: Bool
  // The parts of the identity of a row without a tax code.
  var name: String
  var districtCode: String
  var communeCode: String?
  var communeWritten: String
  /// The survey date written was after the run's day, and taken as none (`RowNormaliser.today`).
  var dateAfterRun = false

  /// Folded name, district code and commune: what makes two rows without a tax code possibly one.
  var identity: String {
    [TextFolding.key(name), districtCode, communeCode ?? TextFolding.key(communeWritten)].joined(separator: "|")
  }

  /// `identity`, folded word by word from `folding`'s cache.
  func identity(_ folding: WordFolding) -> String {
    folding.key(name) + "|" + identityPlace(folding)
  }

  /// The district and commune of `identity`: what the scratch record of a row with a tax code keeps, for its
  /// name to be folded only when some row without one could match it.
  func identityPlace(_ folding: WordFolding) -> String {
    districtCode + "|" + (communeCode ?? folding.key(communeWritten))
  }
}

/// What became of one row, before it is packed for the caller.
enum NormalisedRow {
  case counted(CountedRow)
  case review([String], fuzzy: Bool, decisions: RowDecisions)
  case rejected(reason: String, column: String, value: String, decisions: RowDecisions, settled: Bool)
}

/// Normalises staged rows.
public final class RowNormaliser {
  /// Between the suggestions in review.csv's `suggestions` cell.
  public static let suggestionSeparator = " | "
  public static let reviewHeader = [
    "source_file", "source_line", "reason", "column", "written", "suggestions", "name", "district", "commune",
    "tax_code",
  ]
  let places: PlaceResolver
  let types: SpellingMatcher
  let sectors: SpellingMatcher
  let needs: NeedParser
  let districtNames: [String: String]
  /// Each district's number from 1, in the reference table's order, which the scratch file keeps of a row
  /// (`ScratchRecordHeader.district`); past a u16's count, a district has none.
  let districtOrdinals: [String: UInt16]
  /// The words of reasons and problems.
  let wording: RowWording
  // Per distinct cell: dates (with their ISO text and remark) and numbers (canonical text, nil when not read).
  private var dates: [ExactText: SurveyDateAnswer] = [:]
  private var counts: [ExactText: String?] = [:]
  private var amounts: [ExactText: String?] = [:]
  /// Folds names and communes for identities.
  let folding = WordFolding()
  /// The byte path's answers per distinct spelling (`RowNormaliser+Bytes`).
  let packedCaches = PackedCaches()
  /// The byte path's place answers, shared with the normaliser of the stage's other thread.
  let placeAnswers: SharedPlaceAnswers
  /// `ByteKeys.hash` of the district and commune (`CountedRow.identityPlace`) of each place where this thread saw a
  /// row without a tax code: the rows with one there hash their identity (`RowNormaliser+Bytes`).
  @exclusivity(unchecked) var uncodedPlaces: Set<UInt64> = []
  /// Changed with each place added to `uncodedPlaces` (`Place.uncodedMark`); 0 while there is none.
  @exclusivity(unchecked) var uncodedPlacesStamp: UInt8 = 0
  let uncodedPlacesSeed = ByteKeys.seed
  /// Whether corrections.csv has sector or need entries, which a row not counted still looks up.
  private let correctsSectors: Bool
  private let correctsNeeds: Bool
  /// The units of the money columns of the run's files whose headers state one other than the form's (ingest's
  /// `money_units`), by exact file name; the stage sets them before its rows. Empty in nearly every run.
  var moneyUnits: [ExactText: FileMoneyUnits] = [:] {
    didSet { (convertsMoney, unitsFileID, unitsOfFile) = (!moneyUnits.isEmpty, -1, nil) }
  }
  /// The day the run takes as today (`survey-normalise --today`): a survey date after it is a year typed wrong
  /// (20/11/2052 for 20/11/2025), which would win deduplication over the corrected re-survey and stretch the
  /// report's survey period, so it is taken as not written and remarked. Nil: no bound (tests, runs by hand).
  /// The stage sets it before its rows; the answers cached by a date's spelling are dropped when it changes.
  var today: SurveyDate? {
    didSet {
      guard today != oldValue else { return }
      dates.removeAll()
      packedCaches.dates.removeAll()
    }
  }
  /// `!moneyUnits.isEmpty`: the one test a row of the byte path makes when no file states a unit.
  private(set) var convertsMoney = false
  /// The byte path's number of the file `unitsOfFile` is of: rows come a file at a time, so the units are looked
  /// up once a file, not once a row.
  private var unitsFileID = -1
  private var unitsOfFile: FileMoneyUnits?

  public convenience init(reference: ReferenceData, corrections: Corrections, wording: RowWording = .english) {
    self.init(
      reference: reference, corrections: corrections, wording: wording,
      places: PlaceIndex(reference, newCommuneTag: wording.newCommuneTag))
  }

  /// A normaliser whose place resolver reads `places`, an index built from `reference` with `wording`'s tag:
  /// normalise's second thread shares its stage's rather than build its own (two thirds of a normaliser's making),
  /// and the place answers made so far (`answers`, another normaliser's `placeAnswers`: one made from the same
  /// reference, corrections and wording).
  init(
    reference: ReferenceData, corrections: Corrections, wording: RowWording, places: PlaceIndex,
    answers: SharedPlaceAnswers = SharedPlaceAnswers()
  ) {
    self.wording = wording
    self.places = PlaceResolver(index: places, corrections: corrections, wording: wording)
    placeAnswers = answers
    types = SpellingMatcher(reference.enterpriseTypes, column: "enterprise_type", corrections: corrections)
    sectors = SpellingMatcher(reference.sectors, column: "sector", corrections: corrections)
    needs = NeedParser(reference: reference, corrections: corrections)
    correctsSectors = corrections.has(column: "sector")
    correctsNeeds = corrections.has(column: "need")
    districtNames = Dictionary(reference.districts.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    districtOrdinals = Dictionary(
      zip(reference.districts.map(\.code), (1...UInt16.max).lazy), uniquingKeysWith: { a, _ in a })
  }

  /// The number `districtOrdinals` gives the district `code`, 0 for none.
  func districtOrdinal(_ code: String?) -> UInt16 { code.flatMap { districtOrdinals[$0] } ?? 0 }

  /// The name of the district numbered `ordinal` (`districtOrdinals`), nil for 0.
  static func districtName(_ ordinal: UInt16, in reference: ReferenceData) -> String? {
    ordinal == 0 ? nil : reference.districts[Int(ordinal) - 1].name
  }

  /// Normalises one row; `value(key)` gives the staged cell of a form column.
  public func normalise(file: String, line: Int, _ value: (String) -> String) -> RowOutcome {
    switch normalise(file: file, line: line, row: StagedRow(needKeys: needs.order, value)) {
    case .counted(let row):
      return .counted(
        Establishment(
          cells: row.cells,
          dedup: DedupEntry(
            file: file, line: line, taxCode: row.taxCode.isEmpty ? nil : row.taxCode, date: row.date,
            identity: row.identity, name: row.name, district: districtNames[row.districtCode] ?? "",
            dateAfterRun: row.dateAfterRun),
          fuzzy: row.fuzzy, decisions: row.decisions, remarkSettled: row.remarkSettled))
    case .review(let cells, let fuzzy, let decisions): return .review(cells, fuzzy: fuzzy, decisions: decisions)
    case .rejected(let reason, let column, let value, let decisions, let settled):
      return .rejected(reason: reason, column: column, value: value, decisions: decisions, settled: settled)
    }
  }

  /// True when a name cell holds no letter or digit: blank, or a placeholder such as "-" or "...".
  static func namesNothing(_ name: String) -> Bool {
    !name.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
  }

  /// Normalises one row of trimmed staged cells.
  func normalise(file: String, line: Int, row: StagedRow) -> NormalisedRow {
    let name = row.name
    let dateText = row.surveyDate
    let surveyed = surveyDate(dateText)
    let date = surveyed.date
    let place = places.resolve(
      district: row.district, commune: row.commune, file: file,
      legacyOnly: date.map { $0 < SurveyDate.reform } ?? false)
    let type = row.enterpriseType.isEmpty ? nil : types.match(row.enterpriseType, file: file)
    var decisions = RowDecisions(applied: place.decidedBy, passedOver: place.passedOver)
    decisions.apply(type?.entry)
    let fuzzy: Bool = if case .fuzzy = place.tier { true } else { false }

    var reasons: [(reason: String, column: String, value: String)] = []
    if Self.namesNothing(name) { reasons.append((wording.noName, "name", name)) }
    switch place.outcome {
    case .missing, .outside: reasons.append((place.reason, place.column, place.written))
    default: break
    }
    if row.enterpriseType.isEmpty {
      reasons.append((wording.noType, "enterprise_type", ""))
    } else if type == nil {
      reasons.append((wording.typeMatchesNone, "enterprise_type", row.enterpriseType))
    }
    if !reasons.isEmpty || place.outcome != .resolved || place.districtCode == nil {
      // Not counted this run: the row's sector and needs are not read, but an entry in corrections.csv for their
      // spelling is not unused for that: it waits for the row (in review.csv or rejects.csv), so it is looked up.
      if correctsSectors && !row.sector.isEmpty { decisions.apply(sectors.match(row.sector, file: file)?.entry) }
      if correctsNeeds {
        decisions.apply(needs.readJoined(markCells: row.needMarks, list: row.needs, file: file).entries)
      }
    }
    if let first = reasons.first {
      // A row an analyst decided lies outside is settled, whatever else it lacks: it is not counted either way,
      // and that decision is the one of its entries that holds.
      let settled = place.outcome == .outside && place.tier == .correction
      if settled {
        decisions = RowDecisions(
          applied: place.decidedBy, passedOver: decisions.all.filter { !place.decidedBy.contains($0) })
      }
      return .rejected(
        reason: reasons.map(\.reason).joined(separator: "; "), column: first.column, value: first.value,
        decisions: decisions, settled: settled)
    }
    guard place.outcome == .resolved, let code = place.districtCode, let type else {
      return .review(
        [
          file, String(line), place.reason, place.column, place.written,
          place.suggestions.joined(separator: Self.suggestionSeparator), name, row.district, row.commune, row.taxCode,
        ], fuzzy: fuzzy, decisions: decisions)
    }

    var problems: [String] = []
    if !place.reason.isEmpty { problems.append(place.reason) }
    var taxCode = ""
    switch TaxCode.read(row.taxCode) {
    case .blank: break
    case .valid(let code): taxCode = code
    case .invalid(let written): problems.append(wording.notRead(.taxCode, written))
    case .placeholder(let written): problems.append(wording.placeholderTaxCode(written))
    }
    if !surveyed.problem.isEmpty { problems.append(surveyed.problem) }
    let units = convertsMoney ? moneyUnits[ExactText(file)] : nil
    func number(_ field: UnreadField, _ written: String, whole: Bool) -> String {
      guard !written.isEmpty else { return "" }
      if let unit = units?.unit(of: field) {
        let (text, remark) = amount(field, written, unit: unit)
        if let remark { problems.append(remark) }
        return text
      }
      let parsed = numberText(written, whole: whole)
      if let remark = numberRemark(field, written: written, read: parsed) {
        problems.append(remark)
        return ""
      }
      return parsed!
    }
    let employees = number(.employees, row.employees, whole: true)
    // Required: blank, or "-" (read as blank), the row is counted without workers and said so.
    if employees.isEmpty && (row.employees.isEmpty || StagedText.isPlaceholder(row.employees)) {
      problems.append(wording.noEmployees)
    }
    let revenue = number(.revenue, row.revenue, whole: false)
    let trainees = number(.trainees, row.trainees, whole: true)
    if let remark = traineesRemark(trainees: UInt64(trainees), employees: UInt64(employees)) { problems.append(remark) }
    let support = number(.supportRequested, row.supportRequested, whole: false)
    var sector = ""
    if !row.sector.isEmpty {
      if let match = sectors.match(row.sector, file: file) {
        sector = match.key
        decisions.apply(match.entry)
      } else {
        problems.append(wording.sectorNotRecognised(row.sector))
      }
    }
    let previously: String
    switch needs.mark(row.previouslySupported) {
    case true?: previously = "yes"
    case false?: previously = row.previouslySupported.isEmpty ? "" : "no"
    case nil:
      previously = ""
      problems.append(wording.notRead(.previouslySupported, row.previouslySupported))
    }
    let reading = needs.readJoined(markCells: row.needMarks, list: row.needs, file: file)
    problems += reading.counted.map(wording.needMarkCounted) + reading.unmatched.map(wording.needNotRecognised)
    decisions.apply(reading.entries)

    let commune = place.commune
    let cells = [
      file, String(line), taxCode, name, type.key, code, districtNames[code] ?? "", commune?.name ?? row.commune,
      sector, employees, revenue, trainees, support, previously, surveyed.iso,
      reading.keys,
      commune?.code ?? "", place.column, place.tier?.description ?? "", row.craftVillage, row.notes,
      problems.joined(separator: "; "),
    ]
    return .counted(
      CountedRow(
        cells: cells, taxCode: taxCode, date: date, fuzzy: fuzzy, decisions: decisions,
        remarkSettled: Self.remarkSettled(problems, place), name: name,
        districtCode: code, communeCode: commune?.code, communeWritten: row.commune, dateAfterRun: surveyed.afterRun))
  }

  /// True when a counted row's only remark (`problems`) is its place's note and an analyst's decision placed
  /// it: what the note says ("district X not recognised" beside a commune decided, "commune X lies in Y" beside
  /// a district decided) was in the review row the analyst settled.
  static func remarkSettled(_ problems: [String], _ place: PlaceResolution) -> Bool {
    problems.count == 1 && placeNoteSettled(place)
  }

  /// True when the place leaves a note and an analyst's decision placed the row (`remarkSettled`). The byte path
  /// asks this once per cached place, and `problems.count == 1` per row.
  static func placeNoteSettled(_ place: PlaceResolution) -> Bool {
    !place.reason.isEmpty && !place.decidedBy.isEmpty
  }

  /// What a survey-date cell says, decided once per distinct cell (`surveyDate(_:)`).
  struct SurveyDateAnswer {
    /// The date, or nil when the cell is blank, not read, or after `today`.
    var date: SurveyDate?
    /// The date as ISO text for `establishments.csv`; "" without a date.
    var iso = ""
    /// The row's remark on the cell; "" for none.
    var problem = ""
    /// True when the cell was a date after `today`: such a date is none, as one not read is, and says so.
    var afterRun = false

    static let blank = SurveyDateAnswer()
  }

  /// What a survey-date cell says, once per distinct cell: a date after `today` is none, as one not read is, and
  /// says so (and duplicates.csv says it of a row merged away, whose remark goes with it). Both paths ask here.
  func surveyDate(_ written: String) -> SurveyDateAnswer {
    if written.isEmpty { return .blank }
    if let cached = dates[ExactText(written)] { return cached }
    let result: SurveyDateAnswer
    if StagedText.isPlaceholder(written) {
      result = .blank
    } else if let date = SurveyDate.parse(written) {
      if let today, today < date {
        result = SurveyDateAnswer(
          problem: wording.surveyDateAfterRun(date.dayMonthYear, today.dayMonthYear, date.year > today.year),
          afterRun: true)
      } else {
        result = SurveyDateAnswer(date: date, iso: date.description)
      }
    } else {
      result = SurveyDateAnswer(problem: wording.notRead(.surveyDate, written))
    }
    if dates.count >= NormaliseCache.limit { dates.removeAll(keepingCapacity: true) }
    dates[ExactText(written)] = result
    return result
  }

  /// The most a row may give for a number field. Past it the figure is a slip (an amount written in đồng in a
  /// column of million VND, a tax code in the employees column) that would swamp every sum it enters, or make
  /// a later stage refuse the whole run; the row is still counted, with the value left blank and said why.
  static func largest(_ field: UnreadField) -> Int {
    switch field {
    case .employees, .trainees: 1_000_000
    case .supportRequested: 1_000_000  // million VND: a thousand tỷ, a hundred years of the province's budget
    default: 1_000_000_000  // revenue, million VND: under what the sums can hold at any survey size
    }
  }

  /// The remark for more workers to train than employees, both as read, or nil. Both paths ask here.
  func traineesRemark(trainees: UInt64?, employees: UInt64?) -> String? {
    guard let trainees, let employees, trainees > employees else { return nil }
    return wording.traineesExceedEmployees(String(trainees), String(employees))
  }

  /// Why a number cell is left blank, or nil when `read` (its `numberText`) stands: not read, or read but
  /// negative or past `largest` ("-5", which no count reads, is said as a negative amount is). Both paths ask here.
  func numberRemark(_ field: UnreadField, written: String, read: String?) -> String? {
    if let read {
      return ReadNumber(read).plausible(for: field) ? nil : wording.notPlausible(field, written)
    }
    return Self.isNegative(written) ? wording.notPlausible(field, written) : wording.notRead(field, written)
  }

  /// "-5": a count read as no count, said as the negative amounts are.
  static func isNegative(_ written: String) -> Bool {
    let utf8 = written.utf8
    guard utf8.count >= 2, utf8.first == UInt8(ascii: "-") else { return false }
    return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(utf8[utf8.index(after: utf8.startIndex)])
  }

  /// The money units of the byte path's file `fileID` (named `file`), or nil for a file whose money columns are in
  /// the form's unit: then, in nearly every run, a row pays one test of a Bool for them.
  @inline(__always)
  func moneyUnits(_ fileID: Int, _ file: String) -> FileMoneyUnits? {
    guard convertsMoney else { return nil }
    if fileID != unitsFileID { (unitsFileID, unitsOfFile) = (fileID, moneyUnits[ExactText(file)]) }
    return unitsOfFile
  }

  /// An amount in a column whose header states `unit`: its canonical text in million VND, or "" and the remark
  /// that says why it is left blank. Read afresh, not through the caches of amounts, which hold the form's unit:
  /// few files state another. Both paths ask here.
  ///
  /// A bare number under a unit of money that is not read ("(USD)") is left blank rather than read as million
  /// VND: the header says it is not that, and a figure off by a factor no one knows would go into the requested
  /// funds unsaid, the very slip that reading the header's unit is for. Blank, it is remarked on its row and the
  /// file is warned about in the report, and once the header is corrected the file is read whole.
  func amount(_ field: UnreadField, _ written: String, unit: MoneyUnit) -> (text: String, remark: String?) {
    guard !written.isEmpty, !StagedText.isPlaceholder(written) else { return ("", nil) }
    let read = VietnameseNumber.millionVND(written, headerUnit: unit)?.text
    if read == nil, unit == .unknown, VietnameseNumber.split(written)?.1.isEmpty == true {
      return ("", wording.amountUnitNotRead(field, written))
    }
    if let remark = numberRemark(field, written: written, read: read) { return ("", remark) }
    return (read!, nil)
  }

  /// The canonical text of a count (`whole`) or an amount in million VND; nil when the cell is not read, "" for a
  /// placeholder ("-"), which is read as a blank cell.
  func numberText(_ written: String, whole: Bool) -> String? {
    if let plain = StagedText.plainWholeNumber(written) { return plain }
    let key = ExactText(written)
    if let cached = whole ? counts[key] : amounts[key] { return cached }
    let text =
      StagedText.isPlaceholder(written)
      ? "" : whole ? VietnameseNumber.count(written)?.text : VietnameseNumber.millionVND(written)?.text
    if whole {
      if counts.count >= NormaliseCache.limit { counts.removeAll(keepingCapacity: true) }
      counts[key] = text
    } else {
      if amounts.count >= NormaliseCache.limit { amounts.removeAll(keepingCapacity: true) }
      amounts[key] = text
    }
    return text
  }
}

/// A canonical number (`RowNormaliser.numberText`) with what `plausible(for:)` asks of it, worked out once: the
/// byte path keeps one for each spelling of a number that is not plain digits ("1.517" for 1517), which a
/// national survey writes on a row in three.
struct ReadNumber {
  let text: String
  /// `UInt64(text)`: the value of a whole number.
  let value: UInt64?
  /// The number before any decimal point, when the text is not negative and that part has at most 12 digits.
  private let wholePart: Int?
  private let fractional: Bool

  init(_ text: String) {
    self.text = text
    value = UInt64(text)
    let utf8 = text.utf8
    let whole = utf8.prefix { $0 != UInt8(ascii: ".") }
    fractional = whole.count != utf8.count
    if utf8.first == UInt8(ascii: "-") || whole.count > 12 {
      wholePart = nil
    } else {
      wholePart = whole.reduce(0) { $0 * 10 + Int($1 &- UInt8(ascii: "0")) }
    }
  }

  /// Whether the number may stand for `field`: not negative, and not past `RowNormaliser.largest`. An empty text
  /// (a blank cell) stands.
  func plausible(for field: UnreadField) -> Bool {
    if text.isEmpty { return true }
    guard let wholePart else { return false }
    let largest = RowNormaliser.largest(field)
    return wholePart < largest || (wholePart == largest && !fractional)
  }
}

/// The units the headers of one file's money columns state; nil for a column in the form's million VND.
struct FileMoneyUnits: Sendable, Equatable {
  var revenue: MoneyUnit?
  var supportRequested: MoneyUnit?

  /// From a file's `money_units` in the ingest summary; nil when it records none. A unit this version does not
  /// know (written by a newer one) is not read, as a unit the header states but no version reads.
  init?(_ recorded: [String: String]?) {
    guard let recorded, !recorded.isEmpty else { return nil }
    func unit(_ column: String) -> MoneyUnit? {
      recorded[column].map { MoneyUnit(rawValue: $0) ?? .unknown }.flatMap { $0 == .millionVND ? nil : $0 }
    }
    (revenue, supportRequested) = (unit("revenue"), unit("support_requested"))
    if revenue == nil && supportRequested == nil { return nil }
  }

  /// The unit of an amount field; nil for the form's, and for a field that is no amount.
  @inline(__always)
  func unit(of field: UnreadField) -> MoneyUnit? {
    switch field {
    case .revenue: revenue
    case .supportRequested: supportRequested
    default: nil
    }
  }

  /// The units of each file of an ingest summary that records some, by exact file name.
  static func byFile(_ summary: IngestSummary) -> [ExactText: FileMoneyUnits] {
    var units: [ExactText: FileMoneyUnits] = [:]
    for file in summary.files {
      if let recorded = FileMoneyUnits(file.moneyUnits) { units[ExactText(file.file)] = recorded }
    }
    return units
  }
}
