/// Short display names for districts, enterprise types, sectors and needs, from `report-labels.csv`.
import Foundation

/// The report's own label table: what to call a code or key in a chart, a table or a sentence.
///
/// The file is `kind,key,vi,en`; kind is `district`, `enterprise_type`, `sector` or `need`. A key with no label
/// is shown as `establishments.csv` carries it, so a new sector never breaks the report.
public struct DisplayLabels: Sendable {
  /// The kinds of label the file may hold.
  public enum Kind: String, Sendable, CaseIterable {
    case district
    case enterpriseType = "enterprise_type"
    case sector
    case need
  }

  private var labels: [Kind: [String: (vi: String, en: String)]] = [:]
  /// Folded Vietnamese label → key, so a sector written by name finds its key.
  private var keysByName: [Kind: [String: String]] = [:]

  public init() {}

  /// Adds a label; the first label for a key wins.
  public mutating func add(_ kind: Kind, key: String, vi: String, en: String) {
    if labels[kind, default: [:]][key] == nil { labels[kind, default: [:]][key] = (vi, en) }
    let folded = TextFolding.key(vi)
    if !folded.isEmpty && keysByName[kind, default: [:]][folded] == nil { keysByName[kind, default: [:]][folded] = key }
  }

  /// The key a value stands for: the value itself when it is a key, else the key whose Vietnamese label it is.
  public func key(_ kind: Kind, for value: String) -> String {
    if labels[kind]?[value] != nil { return value }
    return keysByName[kind]?[TextFolding.key(value)] ?? value
  }

  /// The label of `value` (a key or a Vietnamese name) in `language`, or nil when the table has none.
  public func label(_ kind: Kind, _ value: String, _ language: ReportLanguage) -> String? {
    guard let entry = labels[kind]?[key(kind, for: value)] else { return nil }
    let text = language == .vi ? entry.vi : entry.en
    return text.isEmpty ? (entry.vi.isEmpty ? nil : entry.vi) : text
  }

  /// The keys of one kind that the table lists, sorted.
  public func keys(_ kind: Kind) -> [String] {
    (labels[kind] ?? [:]).keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  /// Loads `report-labels.csv` from the reference folder; a missing file gives an empty table. A sector or an
  /// enterprise type the file does not label takes the names `sectors.csv` or `enterprise-types.csv` give it, so
  /// a sector the department adds there is not shown by its key (a helper's round: "wood" in the Vietnamese
  /// report).
  public static func load(from reference: URL) throws -> DisplayLabels {
    var result = try loadLabels(from: reference)
    for (kind, file) in namedTables { try result.addNames(kind, from: reference.appendingPathComponent(file)) }
    return result
  }

  /// The tables whose names stand in for a label `report-labels.csv` does not give, in the order `load` reads them.
  static let namedTables: [(kind: Kind, file: String)] = [
    (.sector, "sectors.csv"), (.enterpriseType, "enterprise-types.csv"),
  ]

  /// Adds the names of a `namedTables` table for the keys not labelled yet: a step of `load`, which
  /// `ReferenceCheck` runs on its own.
  mutating func addNames(_ kind: Kind, from url: URL) throws {
    guard FileManager.default.fileExists(atPath: url.path) else { return }
    let table = try ReferenceTable.read(url)
    let columns = try ["key", "name_vi", "name_en"].map(table.index(of:))
    for row in table.rows {
      let key = table.value(row, columns[0])
      guard !key.isEmpty, labels[kind]?[key] == nil else { continue }
      add(kind, key: key, vi: table.value(row, columns[1]), en: table.value(row, columns[2]))
    }
  }

  /// `report-labels.csv` alone: the first step of `load`.
  static func loadLabels(from reference: URL) throws -> DisplayLabels {
    let url = reference.appendingPathComponent("report-labels.csv")
    var result = DisplayLabels()
    guard FileManager.default.fileExists(atPath: url.path) else { return result }
    let table = try ReferenceTable.read(url)
    let columns = try ["kind", "key", "vi", "en"].map(table.index(of:))
    var lines: [String: Int] = [:]
    for row in table.rows {
      let kindText = table.value(row, columns[0])
      guard let kind = Kind(rawValue: kindText) else {
        throw PipelineError(
          .badInput, "kind '\(kindText)' is not one of district, enterprise_type, sector, need",
          at: InputLocation(file: table.file, line: row.line))
      }
      // A second row for a key was ignored unsaid (the first wins): an edit made by adding a row, not changing one.
      let key = table.value(row, columns[1])
      if let earlier = lines.updateValue(row.line, forKey: kindText + "\u{1}" + key) {
        throw PipelineError(
          .badInput, "\(kindText) '\(key)' already has a label on line \(earlier): change that row instead",
          at: InputLocation(file: table.file, line: row.line))
      }
      result.add(kind, key: key, vi: table.value(row, columns[2]), en: table.value(row, columns[3]))
    }
    return result
  }
}
