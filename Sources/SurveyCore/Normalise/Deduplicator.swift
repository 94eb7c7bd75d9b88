// Duplicates among the rows that would be counted.
//
// Same normalised tax code: one establishment surveyed twice. The form's rule
// keeps the later survey date; on a tie (or no dates) the file later in name
// order, then the later row. A row with a date beats one without.
//
// No tax code, same folded name, district and commune: maybe the same
// household, maybe two households under one owner's name. Both are counted
// and listed for an analyst, who settles them in corrections.csv (`duplicate`,
// `file.csv:line`, `distinct` or the `file.csv:line` that stands). So is a row
// without a tax code whose name and place are those of a row with one (a
// second surveyor who did not ask for it): it is listed beside the row that
// stands for the tax code of the first such row, in output order.

/// What the deduplicator needs to know of one countable row.
public struct DedupEntry: Sendable {
  public var file: String
  public var line: Int
  public var taxCode: String?
  public var date: SurveyDate?
  /// Folded name, district code and commune: what makes a row without a tax code possibly another row.
  public var identity: String
  /// The name as written, which a `duplicate` decision with a name checks.
  public var name: String
  /// The district's name, empty for none: a merge by tax code across two districts is remarked.
  public var district: String
  /// The survey date written was after the run's day, and taken as none: a merge of this row says so.
  public var dateAfterRun: Bool

  public init(
    file: String, line: Int, taxCode: String?, date: SurveyDate?, identity: String, name: String = "",
    district: String = "", dateAfterRun: Bool = false
  ) {
    self.file = file
    self.line = line
    self.taxCode = taxCode
    self.date = date
    self.identity = identity
    self.name = name
    self.district = district
    self.dateAfterRun = dateAfterRun
  }

  var label: String { "\(file):\(line)" }
}

/// A row that is not counted because another stands for it, or one to look at.
public struct DuplicateLink: Sendable, Hashable {
  public enum Kind: String, Sendable {
    case duplicate
    case possibleDuplicate = "possible_duplicate"
  }
  /// Index of the superseded (or listed) row.
  public var row: Int
  /// Index of the row kept.
  public var kept: Int
  public var kind: Kind
  public var reason: String
  /// True when an analyst's correction made this link.
  public var byCorrection: Bool
  /// A merge by tax code into a row of another district (`DedupEntry.district`), which its reason remarks.
  public var acrossDistricts = false
}

/// Which of the form's rules chose the row that stands over a row of the same tax code, with the survey dates as
/// `dd/mm/yyyy`: what duplicates.csv says, so that an analyst can check the choice (a tie settled by file or row
/// order said "the later survey stands" too).
public enum StandingRule: Sendable, Hashable {
  /// The row that stands was surveyed later: its date, and this row's.
  case laterSurvey(kept: String, row: String)
  /// Only the row that stands has a survey date that could be read.
  case datedSurvey(kept: String)
  /// The same survey date (nil: neither has one), and the row that stands is in a file later by name.
  case laterFile(sameDate: String?)
  /// The same survey date (nil: neither has one), in one file, and the row that stands is the later.
  case laterRow(sameDate: String?)

  /// The rule that made the row of `kept` stand over the row of `row`: packed dates (`yyyymmdd`, 0 for none)
  /// and whether the two are in one file. `kept` must be the row the form's rule keeps.
  init(kept: UInt32, row: UInt32, sameFile: Bool) {
    func written(_ date: UInt32) -> String { SurveyDate(packed: date)?.dayMonthYear ?? String(date) }
    switch (kept, row) {
    case (0, 0): self = sameFile ? .laterRow(sameDate: nil) : .laterFile(sameDate: nil)
    case (_, 0): self = .datedSurvey(kept: written(kept))
    case _ where kept != row: self = .laterSurvey(kept: written(kept), row: written(row))
    default: self = sameFile ? .laterRow(sameDate: written(kept)) : .laterFile(sameDate: written(kept))
    }
  }
}

/// Finds duplicates and possible duplicates.
public enum Deduplicator {
  /// True when `a` stands over `b` by the form's rule.
  static func supersedes(_ a: DedupEntry, _ b: DedupEntry) -> Bool {
    switch (a.date, b.date) {
    case (let x?, let y?) where x != y: return x > y
    case (_?, nil): return true
    case (nil, _?): return false
    default: break
    }
    if a.file != b.file { return b.file.utf8.lexicographicallyPrecedes(a.file.utf8) }
    return a.line > b.line
  }

  /// The links for `entries`, in entry order of the superseded row.
  public static func links(
    _ entries: [DedupEntry], corrections: Corrections = Corrections(), wording: RowWording = .english
  ) -> [DuplicateLink] {
    settle(entries, corrections: corrections, wording: wording).links
  }

  /// The links, and the rows a `distinct` correction keeps off the possible duplicates (each a correction
  /// applied); tells `corrections` which `duplicate` entries settled a row and why the others did not.
  static func settle(
    _ entries: [DedupEntry], corrections: Corrections, wording: RowWording = .english
  ) -> (links: [DuplicateLink], distinct: Set<Int>) {
    var links: [Int: DuplicateLink] = [:]
    var byLabel: [String: Int] = [:]
    for (index, entry) in entries.enumerated() { byLabel[Corrections.rowKey(entry.label)] = index }

    var byTax: [String: [Int]] = [:]
    for (index, entry) in entries.enumerated() { if let tax = entry.taxCode { byTax[tax, default: []].append(index) } }
    for (_, group) in byTax where group.count > 1 {
      let kept = group.dropFirst().reduce(group[0]) { supersedes(entries[$1], entries[$0]) ? $1 : $0 }
      for row in group where row != kept {
        // Worded once the row that stands is known (below): a decision may merge this one's further.
        links[row] = DuplicateLink(row: row, kept: kept, kind: .duplicate, reason: "", byCorrection: false)
      }
    }

    /// True when the decisions so far merge `row`, through any chain, into `target`.
    func merges(_ row: Int, into target: Int) -> Bool {
      var at = row
      while let next = links[at] {
        if next.kept == target { return true }
        at = next.kept
      }
      return false
    }
    // Analysts' decisions on listed rows.
    var distinct = Set<Int>()
    var distinctRows: [(row: Int, correction: Correction)] = []
    for correction in corrections.all where correction.column == "duplicate" {
      guard let row = byLabel[Corrections.rowKey(correction.written.trimmingCharacters(in: .whitespaces))] else {
        continue
      }
      let kept = correction.means.lowercased() == "distinct" ? nil : byLabel[Corrections.rowKey(correction.means)]
      // A decision with a name holds only while the rows it names have that name.
      if let moved = [row, kept].compactMap({ $0 }).first(where: {
        !Corrections.nameMatches(correction, entries[$0].name)
      }) {
        corrections.markUnused(
          correction, .nameDiffers, found: FoundRow(row: entries[moved].label, name: entries[moved].name))
      } else if let link = links[row] {
        corrections.markUnused(correction, link.byCorrection ? .settledEarlier : .mergedByTaxCode)
      } else if distinct.contains(row) {
        corrections.markUnused(correction, .settledEarlier)
      } else if correction.means.lowercased() == "distinct" {
        if entries[row].taxCode != nil {
          corrections.markUnused(correction, .hasTaxCode)
        } else {
          distinct.insert(row)
          distinctRows.append((row, correction))
        }
      } else if let kept, kept != row, links[kept]?.byCorrection ?? true, !merges(kept, into: row) {
        links[row] = DuplicateLink(
          row: row, kept: kept, kind: .duplicate, reason: wording.sameByCorrection(correction.location.description),
          byCorrection: true)
        corrections.markUsed(correction)
      } else {
        corrections.markUnused(correction, .standingRowNotCounted)
      }
    }
    // Every link ends at the row that stands: a merge into a row merged later, or a tax code whose row was merged.
    // A tax code's link says the rule that chose that row over this one, as the streaming stage says it.
    for (row, link) in links {
      var kept = link.kept
      while let next = links[kept] { kept = next.kept }
      links[row]!.kept = kept
      if !link.byCorrection {
        let rule = StandingRule(
          kept: entries[kept].date?.packed ?? 0, row: entries[row].date?.packed ?? 0,
          sameFile: entries[kept].file == entries[row].file)
        let (keptDistrict, rowDistrict) = (entries[kept].district, entries[row].district)
        let across = keptDistrict != rowDistrict && !keptDistrict.isEmpty && !rowDistrict.isEmpty
        links[row]!.reason = wording.mergedByTaxCode(
          entries[row].taxCode!, rule, dateAfterRun: entries[row].dateAfterRun,
          districts: across ? (keptDistrict, rowDistrict) : nil)
        links[row]!.acrossDistricts = across
      }
    }

    var byIdentity: [String: [Int]] = [:]
    for (index, entry) in entries.enumerated() where entry.taxCode == nil && links[index] == nil {
      byIdentity[entry.identity, default: []].append(index)
    }
    // The first row with a tax code of each identity that a row without one has, in entry order.
    var coded: [String: Int] = [:]
    for (index, entry) in entries.enumerated()
    where entry.taxCode != nil && !entry.identity.isEmpty && coded[entry.identity] == nil
      && byIdentity[entry.identity] != nil
    {
      coded[entry.identity] = index
    }
    // A `distinct` decision settles a row only when another row shares its identity (it would be listed).
    var applied = Set<Int>()
    for (row, correction) in distinctRows {
      if byIdentity[entries[row].identity]!.count > 1 || coded[entries[row].identity] != nil {
        applied.insert(row)
        corrections.markUsed(correction)
      } else {
        corrections.markUnused(correction, .notListed)
      }
    }
    for (identity, group) in byIdentity {
      let listed = group.filter { !distinct.contains($0) }
      byIdentity[identity] = listed.isEmpty ? nil : listed
    }
    for (identity, group) in byIdentity {
      if let first = coded[identity] {
        // Each row without a tax code is listed beside the row that stands for that code (a decision may have
        // merged it into another), unless that is the row itself.
        let kept = links[first]?.kept ?? first
        for row in group where row != kept {
          links[row] = DuplicateLink(
            row: row, kept: kept, kind: .possibleDuplicate,
            reason: wording.possibleDuplicateOfTaxCode(
              entries[first].taxCode!, first == kept ? nil : "\(entries[first].file):\(entries[first].line)"),
            byCorrection: false)
        }
        continue
      }
      guard group.count > 1 else { continue }
      for row in group.dropFirst() {
        links[row] = DuplicateLink(
          row: row, kept: group[0], kind: .possibleDuplicate, reason: wording.possibleDuplicate, byCorrection: false)
      }
    }
    return (links.keys.sorted().map { links[$0]! }, applied)
  }
}
