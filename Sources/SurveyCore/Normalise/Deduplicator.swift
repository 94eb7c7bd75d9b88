// Duplicates among the rows that would be counted.
//
// Same normalised tax code: one establishment surveyed twice. The form's rule
// keeps the later survey date; on a tie (or no dates) the file later in name
// order, then the later row. A row with a date beats one without.
//
// No tax code, same folded name, district and commune: maybe the same
// household, maybe two households under one owner's name. Both are counted
// and listed for an analyst, who settles them in corrections.csv (`duplicate`,
// `file.csv:line`, `distinct` or the `file.csv:line` that stands).

/// What the deduplicator needs to know of one countable row.
public struct DedupEntry: Sendable {
  public var file: String
  public var line: Int
  public var taxCode: String?
  public var date: SurveyDate?
  /// Folded name, district code and commune, for rows without a tax code.
  public var identity: String

  public init(file: String, line: Int, taxCode: String?, date: SurveyDate?, identity: String) {
    self.file = file
    self.line = line
    self.taxCode = taxCode
    self.date = date
    self.identity = identity
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
  /// applied); marks the `duplicate` corrections that settled a row as used.
  static func settle(
    _ entries: [DedupEntry], corrections: Corrections, wording: RowWording = .english
  ) -> (links: [DuplicateLink], distinct: Set<Int>) {
    var links: [Int: DuplicateLink] = [:]
    var byLabel: [String: Int] = [:]
    for (index, entry) in entries.enumerated() { byLabel[entry.label] = index }

    var byTax: [String: [Int]] = [:]
    for (index, entry) in entries.enumerated() { if let tax = entry.taxCode { byTax[tax, default: []].append(index) } }
    for (tax, group) in byTax where group.count > 1 {
      let kept = group.dropFirst().reduce(group[0]) { supersedes(entries[$1], entries[$0]) ? $1 : $0 }
      for row in group where row != kept {
        links[row] = DuplicateLink(
          row: row, kept: kept, kind: .duplicate, reason: wording.sameTaxCode(tax), byCorrection: false)
      }
    }

    // Analysts' decisions on listed rows.
    var distinct = Set<Int>()
    for correction in corrections.all where correction.column == "duplicate" {
      guard let row = byLabel[correction.written.trimmingCharacters(in: .whitespaces)], links[row] == nil else {
        continue
      }
      if correction.means.lowercased() == "distinct" {
        distinct.insert(row)
        corrections.markUsed(correction)
      } else if let kept = byLabel[correction.means], kept != row, links[kept] == nil {
        links[row] = DuplicateLink(
          row: row, kept: kept, kind: .duplicate, reason: wording.sameByCorrection(correction.location.description),
          byCorrection: true)
        corrections.markUsed(correction)
      }
    }

    var byIdentity: [String: [Int]] = [:]
    for (index, entry) in entries.enumerated()
    where entry.taxCode == nil && links[index] == nil && !distinct.contains(index) {
      byIdentity[entry.identity, default: []].append(index)
    }
    for (_, group) in byIdentity where group.count > 1 {
      for row in group.dropFirst() {
        links[row] = DuplicateLink(
          row: row, kept: group[0], kind: .possibleDuplicate, reason: wording.possibleDuplicate, byCorrection: false)
      }
    }
    return (links.keys.sorted().map { links[$0]! }, distinct.filter { links[$0] == nil })
  }
}
