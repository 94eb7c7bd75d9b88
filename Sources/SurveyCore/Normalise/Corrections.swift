// The analysts' decisions (input/reference/corrections.csv): what was written
// in which column, and what it means. Entries win over automatic matching.

import Foundation

/// One analyst decision.
public struct Correction: Sendable, Hashable {
  /// district, commune, enterprise_type, sector, need or duplicate.
  public var column: String
  public var written: String
  public var means: String
  /// When set, the entry applies only to rows of this file.
  public var sourceFile: String?
  public var location: InputLocation
  /// `duplicate` only: the establishment's name, as duplicates.csv lists it. When set, the entry applies only
  /// while every row it names has that name, so that a decision does not move to another establishment when a
  /// re-sent file has its rows at other lines.
  public var name: String? = nil
}

/// Corrections indexed the way values are matched.
public struct Corrections: Sendable {
  static let columns: Set<String> = ["district", "commune", "enterprise_type", "sector", "need", "duplicate"]
  /// Entries by the keys they are found by, each as its place in `all` (a row's answers carry these numbers).
  private var entries: [String: [Int]] = [:]
  private var plainEntries: [String: [Int]] = [:]
  /// Every entry, in file order.
  public private(set) var all: [Correction] = []
  /// The columns some entry concerns, so `has(column:)` is one lookup (matchers ask once per row).
  private var columnsUsed: Set<String> = []
  /// What became of the entries in a run, shared by every copy (each normalising thread has one); `forRun`
  /// starts anew.
  private var use = CorrectionUse()

  public init(_ corrections: [Correction] = []) {
    for correction in corrections { add(correction) }
  }

  /// Reads a corrections file; a missing file, or an empty one (0 bytes or blank: the sheet cleared once every
  /// decision was applied), means no corrections, as a header alone does.
  public static func load(from url: URL) throws -> Corrections {
    guard FileManager.default.fileExists(atPath: url.path) else { return Corrections() }
    var result = Corrections()
    let name = url.lastPathComponent
    /// What each entry settles (its column, the written text as it is matched, its file), and how, by line: two
    /// lines settling one thing two ways would leave the later winning unseen.
    var settled: [String: (means: String, key: String, line: Int, written: String)] = [:]
    // Only a `duplicate` entry reads a name; another's extra cell (a note's unquoted comma) is dropped as before.
    let records = try ReferenceTable.records(
      of: url, requiring: ["column", "written", "means"], later: "name",
      laterApplies: { $0["column"]?.trimmingCharacters(in: .whitespaces).lowercased() == "duplicate" },
      // What quotes survey cells (a value, a row's name or file as duplicates.csv gives them) or is the analysts'
      // own text: a "?" there may be the survey's.
      asWritten: ["written", "name", "source_file", "note"], ifEmpty: .noRows)
    for (line, row) in records {
      let column = row["column"]!.trimmingCharacters(in: .whitespaces).lowercased()
      let location = InputLocation(file: name, line: line)
      guard columns.contains(column) else {
        throw PipelineError(
          .badInput, "unknown column \"\(column)\"; use one of \(columns.sorted().joined(separator: ", "))",
          at: location)
      }
      // Cells copied from the row lists may keep the `'` those put before a formula for spreadsheets.
      let scope = CSVWriter.unneutralised(row["source_file"]?.trimmingCharacters(in: .whitespaces) ?? "")
      let establishment = row["name"].map { TextFolding.nfc(TextFolding.trim(CSVWriter.unneutralised($0))) } ?? ""
      result.add(
        Correction(
          column: column, written: CSVWriter.unneutralised(row["written"]!),
          means: CSVWriter.unneutralised(row["means"]!.trimmingCharacters(in: .whitespaces)),
          sourceFile: scope.isEmpty ? nil : scope, location: location,
          name: establishment.isEmpty ? nil : establishment))
      let entry = result.all[result.all.count - 1]
      let (what, means) = decision(entry)
      if let earlier = settled[what], earlier.key != means {
        // "Trà Lý" on one line and "Trà Lí" on another: one place name to matching.
        let iy =
          keys(column, earlier.written, iyFolded: false).tone == keys(column, entry.written, iyFolded: false).tone
          ? ""
          : " (as \"\(earlier.written)\": a syllable's final i or y after a consonant is one letter in a place name)"
        throw PipelineError(
          .badInput,
          "\(column) \"\(entry.written)\" is settled on line \(earlier.line)\(iy) as \"\(earlier.means)\" and here as "
            + "\"\(entry.means)\": keep the one line that is right", at: location)
      }
      settled[what] = (entry.means, means, line, entry.written)
    }
    return result
  }

  /// Checks that every entry means something the reference knows, so a typo in
  /// the corrections file stops the run with its line instead of being ignored.
  public func validate(against reference: ReferenceData) throws {
    let districts = Set(reference.districts.map(\.code))
    var communes: [String: Set<String>] = [:]
    for commune in reference.communes { communes[commune.code, default: []].formUnion(commune.districtCodes) }
    let types: Set<String> = Set(reference.enterpriseTypes.map(\.key))
    let sectors = Set(reference.sectors.map(\.key))
    let needs = Set(reference.needKeys + ["none"])
    for entry in all {
      let means = entry.means
      if entry.column == "duplicate" {
        guard Self.row(entry.written) != nil, means.lowercased() == "distinct" || Self.row(means) != nil else {
          throw PipelineError(
            .badInput,
            "duplicate \"\(entry.written)\" means \"\(means)\": write the row as file.csv:line (as in duplicates.csv, "
              + "e.g. hung-ha.csv:17), and in means either distinct or the row that stands, also as file.csv:line",
            at: entry.location)
        }
        continue
      }
      let known: Bool
      switch entry.column {
      case "district": known = districts.contains(means) || means.lowercased() == "outside"
      case "commune":
        known = districts.contains(means) || means.lowercased() == "outside" || communes[means]?.count == 1
      case "enterprise_type": known = types.contains(means)
      case "sector": known = sectors.contains(means)
      case "need": known = needs.contains(means)
      default: known = false  // `load` takes no other column
      }
      if !known {
        let choices: [String]
        switch entry.column {
        case "district": choices = districts.sorted() + ["outside"]
        case "enterprise_type": choices = types.sorted()
        case "sector": choices = sectors.sorted()
        case "need": choices = reference.needKeys + ["none"]
        default: choices = []
        }
        throw PipelineError(
          .badInput,
          "\(entry.column) \"\(entry.written)\" means \"\(means)\", which the reference tables do not know"
            + (entry.column == "commune"
              ? (communes[means] != nil
                ? " as one district (that commune spans two): give the district code"
                : ": give a district code, the code of a commune in one district, or outside")
              : ": use one of \(choices.joined(separator: ", "))"),
          at: entry.location)
      }
    }
  }

  /// A file name as entries compare it: "Đông Hưng.CSV", "đông hưng", "input/đông hưng.csv" and
  /// "C:\\input\\đông hưng.csv" are one file.
  static func fileKey(_ name: String) -> String {
    var key = name.trimmingCharacters(in: .whitespaces).precomposedStringWithCanonicalMapping.lowercased()
    if let slash = key.lastIndex(where: { $0 == "/" || $0 == "\\" }) { key = String(key[key.index(after: slash)...]) }
    if key.hasSuffix(".csv") { key.removeLast(4) }
    return key
  }

  /// A row `file.csv:17` as entries compare it (`fileKey` of the file); the text itself when it is no row.
  static func rowKey(_ text: String) -> String {
    guard let row = row(text), let file = file(ofRow: row) else { return text }
    return fileKey(file) + row[row.lastIndex(of: ":")!...]
  }

  /// The file of a row `file.csv:17`; nil when the text is no row.
  static func file(ofRow text: String) -> String? { row(text).map { String($0[..<$0.lastIndex(of: ":")!]) } }

  /// What an entry settles (its column, the written text as it is matched, its file) and how: two entries with
  /// one `what` settle one thing, the same way when their `means` agree.
  private static func decision(_ entry: Correction) -> (what: String, means: String) {
    let what = [entry.column, keys(entry.column, entry.written).tone, fileKey(entry.sourceFile ?? "")]
    let means = entry.column == "duplicate" ? rowKey(entry.means) : entry.means.lowercased()
    return (what.joined(separator: "\u{1}"), means)
  }

  /// A row as duplicates.csv names it, `file.csv:17`, from what an analyst typed ("file.csv : 017"); nil when it
  /// is no row.
  static func row(_ text: String) -> String? {
    guard let colon = text.lastIndex(of: ":") else { return nil }
    let file = text[..<colon].trimmingCharacters(in: .whitespaces)
    let line = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    guard !file.isEmpty, !line.isEmpty, line.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(line),
      number >= 1
    else { return nil }
    return "\(file):\(number)"
  }

  /// Adds an entry; a later entry for the same text and scope wins. A `duplicate` entry's rows are written the
  /// way duplicates.csv writes them, so "file.csv: 17" finds the row "file.csv:17".
  public mutating func add(_ correction: Correction) {
    var correction = correction
    if correction.column == "duplicate" {
      correction.written = Self.row(correction.written) ?? correction.written
      correction.means =
        correction.means.lowercased() == "distinct" ? "distinct" : Self.row(correction.means) ?? correction.means
    }
    let id = all.count
    all.append(correction)
    columnsUsed.insert(correction.column)
    let (tone, plain) = Self.keys(correction.column, correction.written)
    entries[tone, default: []].insert(id, at: 0)
    // Written without diacritics, an entry stands for every spelling that reads the same without them. Written
    // with them, it means that spelling only: "Mây" (rattan) must not take "May" (garments) with it.
    if tone == plain { plainEntries[plain, default: []].insert(id, at: 0) }
  }

  /// The entry for `written` in `column`: one scoped to `file` (compared as `fileKey` compares) before one for
  /// every file, and within each, one written with the same diacritics before one written without any.
  ///
  /// A place entry written with its Xã, Phường or Thị trấn means a cell of that level only ("Phường Lê Lợi",
  /// Hưng Yên city's, decided `outside`, must not take our Xã Lê Lợi with it); one written without a level word
  /// means the name at any level.
  public func lookup(column: String, written: String, file: String) -> Correction? {
    find(column: column, written: written, file: file).map { all[$0] }
  }

  /// `lookup`'s entry, as its place in `all`. Finding an entry is not using it: the row it was found for may
  /// not be counted, or another cell may decide it; the stage says which rows an entry settled (`markApplied`).
  func find(column: String, written: String, file: String) -> Int? {
    // No entry for the column (none at all, most nights): the keys, a place reading each, need not be made.
    guard has(column: column) else { return nil }
    let (tone, plain) = Self.keys(column, written)
    let (bareTone, barePlain) = Self.keys(column, written, level: false)
    var found = [entries[tone] ?? [], tone == plain ? [] : plainEntries[plain] ?? []]
    if bareTone != tone {
      found += [entries[bareTone] ?? [], bareTone == barePlain ? [] : plainEntries[barePlain] ?? []]
    }
    for scope in [Self.fileKey(file), nil] as [String?] {
      for entries in found {
        if let hit = entries.first(where: { all[$0].sourceFile.map(Self.fileKey) == scope }) {
          use.found(all[hit])
          return hit
        }
      }
    }
    return nil
  }

  /// These entries, with none used yet: the copy a run's matchers share, so that `unused` speaks of that run.
  public func forRun() -> Corrections {
    var copy = self
    copy.use = CorrectionUse()
    return copy
  }

  /// Records that `correction` settled a row (a `duplicate` entry, which `lookup` does not find).
  func markUsed(_ correction: Correction) { use.apply([correction]) }

  /// Records that the entries `ids` (places in `all`) decided values of rows the run settled: counted (merged as
  /// duplicates included), or decided to lie outside the province.
  func markApplied<IDs: Sequence<Int>>(_ ids: IDs) { use.apply(ids.map { all[$0] }) }

  /// Records that the entries `ids` were found for rows the run did not count for another reason (in review, or
  /// rejected, their file set aside included): they take effect once those rows are settled.
  func markWaiting<IDs: Sequence<Int>>(_ ids: IDs) { use.wait(ids.map { all[$0] }) }

  /// Records why a `duplicate` entry settled nothing, when it names a row that is there; for `nameDiffers`,
  /// `found` is the row whose name differs, as `file.csv:line`, and that name.
  func markUnused(_ correction: Correction, _ reason: UnusedReason, found: FoundRow? = nil) {
    use.explain(correction, reason, found: found)
  }

  /// True when a row named `rowName` is the establishment a `duplicate` entry's `name` means: its words
  /// (compared without case or punctuation) occur in the row's name, in order and whole, so `Đào Thị Duyên` is
  /// also `Cơ sở Đào Thị Duyên`, and `Hồng Nhung` names both `Hộ Hồng Nhung` and `Cơ sở may Hồng Nhung`. As for
  /// `written`, a name with diacritics means them (`Hưng` is not `Hùng`: rows listed as possible duplicates
  /// already read alike without them), and one without matches either. An entry without a name matches every row.
  static func nameMatches(_ correction: Correction, _ rowName: String) -> Bool {
    guard let expected = correction.name else { return true }
    let plain = TextFolding.key(expected)
    guard !plain.isEmpty else { return true }
    let tone = TextFolding.keyWithDiacritics(expected)
    if tone != plain { return (" " + TextFolding.keyWithDiacritics(rowName) + " ").contains(" " + tone + " ") }
    return (" " + TextFolding.key(rowName) + " ").contains(" " + plain + " ")
  }

  /// The entries that settled no row so far, in file order, each with why: an entry is used when a value it
  /// decides is one of a row the run settled (`markApplied`, `markUsed`), not when a matcher found it. This holds
  /// once the stage has told which rows were settled. An entry repeated word for word on a later line counts as
  /// used when the later one is.
  public var unused: [(entry: Correction, reason: UnusedReason, found: FoundRow?)] {
    let state = use.state
    func decided(_ entry: Correction) -> String {
      let (what, means) = Self.decision(entry)
      return what + "\u{1}" + means
    }
    let (applied, waiting, found) = (
      Set(state.applied.map(decided)), Set(state.waiting.map(decided)), Set(state.found.map(decided))
    )
    return all.filter { !applied.contains(decided($0)) }.map { entry in
      let reason: UnusedReason
      if let given = state.reasons[entry] {
        reason = given
      } else if waiting.contains(decided(entry)) {
        reason = .rowsNotCounted
      } else if found.contains(decided(entry)) {
        reason = .passedOver
      } else {
        reason = entry.column == "duplicate" ? .noRow : .noMatch
      }
      return (entry, reason, state.foundRows[entry])
    }
  }

  /// True when any entry concerns `column`, so callers can skip lookups.
  public func has(column: String) -> Bool { columnsUsed.contains(column) }

  /// The keys an entry is found by; for a place, with the commune level written, unless `level` is false. A place
  /// is keyed as the resolver keys it (`MatchKey(place:)`: "Trà Lí" is "Trà Lý"), unless `iyFolded` is false.
  private static func keys(
    _ column: String, _ written: String, level: Bool = true, iyFolded: Bool = true
  ) -> (tone: String, plain: String) {
    if column == "duplicate" {
      let row = "duplicate|" + rowKey(written.trimmingCharacters(in: .whitespaces))
      return (row, row)
    }
    let place = column == "district" || column == "commune"
    let key = place ? MatchKey(place: written, iyFolded: iyFolded) : MatchKey(text: written)
    let communeLevel = key.prefixes.last { $0.communeType != nil }
    let suffix = level && place ? communeLevel.map { "|" + $0.rawValue } ?? "" : ""
    return (column + "|" + key.tone + suffix, column + "|" + key.plain + suffix)
  }
}

/// Why a corrections entry settled no row in a run.
public enum UnusedReason: String, Codable, Sendable {
  /// No row wrote that spelling (in its `source_file`, when it has one).
  case noMatch = "no_match"
  /// The file it is limited to, or the file of the row it names, was set aside by ingest this run.
  case fileSetAside = "file_set_aside"
  /// The file it is limited to, or the file of the row it names, was still being written when the run began: it
  /// was left for the next run (`unsettled.json`).
  case fileWaiting = "file_waiting"
  /// Limited to no file, it found no row in the files read, while other files were left for the next run: it may
  /// be for them.
  case filesWaiting = "files_waiting"
  /// `duplicate`: no counted row is at that `file.csv:line` (none there, or it is rejected or in review).
  case noRow = "no_row"
  /// `duplicate`: the row is merged by its tax code, which the form's rule decides.
  case mergedByTaxCode = "merged_by_tax_code"
  /// `duplicate … distinct`: the row shares its identity with no other row, so it is not listed.
  case notListed = "not_listed"
  /// `duplicate … distinct`: the row has a tax code, so it is merged by its tax code alone, never listed.
  case hasTaxCode = "has_tax_code"
  /// `duplicate` merge: the row named to stand is not counted (not there, rejected, in review, merged itself,
  /// or the row being merged).
  case standingRowNotCounted = "standing_row_not_counted"
  /// `duplicate`: an earlier line already settles this row.
  case settledEarlier = "settled_earlier"
  /// `duplicate` with a `name`: a row it names has another name now (its file was re-sent with rows at other
  /// lines, most likely).
  case nameDiffers = "name_differs"
  /// Its rows are not counted this run for another reason (in review, or rejected): it applies once they are.
  case rowsNotCounted = "rows_not_counted"
  /// Rows write its spelling, but another cell or decision placed each of them (the district cell stands over a
  /// commune cell that disagrees).
  case passedOver = "passed_over"
}

/// The row a `duplicate` entry found at a line it names, when its name is not the entry's.
public struct FoundRow: Sendable, Hashable {
  /// `file.csv:line`.
  public var row: String
  public var name: String
}

/// What became of the corrections entries in a run: found by a matcher, settling a row, waiting for rows not
/// counted; and why some `duplicate` entries settled nothing.
private final class CorrectionUse: @unchecked Sendable {
  struct State {
    var found: Set<Correction> = []
    var applied: Set<Correction> = []
    var waiting: Set<Correction> = []
    var reasons: [Correction: UnusedReason] = [:]
    var foundRows: [Correction: FoundRow] = [:]
  }
  private let lock = NSLock()
  private var current = State()

  func found(_ correction: Correction) {
    lock.lock()
    current.found.insert(correction)
    lock.unlock()
  }

  func apply(_ corrections: [Correction]) {
    lock.lock()
    current.applied.formUnion(corrections)
    lock.unlock()
  }

  func wait(_ corrections: [Correction]) {
    lock.lock()
    current.waiting.formUnion(corrections)
    lock.unlock()
  }

  func explain(_ correction: Correction, _ reason: UnusedReason, found row: FoundRow?) {
    lock.lock()
    current.reasons[correction] = reason
    current.foundRows[correction] = row
    lock.unlock()
  }

  var state: State {
    lock.lock()
    defer { lock.unlock() }
    return current
  }
}
