/// Which recommendations are made and how the report presents them, from the editable `recommend-settings.csv`.
import Foundation

/// The department's settings of the recommendations: which groups are recommended at all, and which are marked.
public struct RecommendSettings: Sendable, Equatable {
  /// The table's name in the reference folder.
  public static let file = "recommend-settings.csv"

  /// The fewest establishments asking when the table has no `min_establishments` row (a reference folder kept from
  /// before the setting, or from before the table): the value the report stage always had.
  public static let defaultMinimumEstablishments = 2

  /// A recommendation resting on fewer establishments asking than this is marked "few establishments" in the
  /// report: with so few, the shares in its score (2 of 2 not yet supported) reach 1 easily. Nil when the reference
  /// folder has no `recommend-settings.csv`: nothing is marked, and the report's method says why.
  public var fewEstablishments: Int?

  /// A district × need (× sector) group with fewer establishments asking than this is not recommended at all
  /// (`min_establishments`; `--min-establishments` overrides it); `defaultMinimumEstablishments` without its row.
  public var minimumEstablishments: Int
  /// True when `minimumEstablishments` is the table's own row, for the report's method to say where it is set.
  public var minimumEstablishmentsIsInTable: Bool

  public init(
    fewEstablishments: Int? = nil, minimumEstablishments: Int = defaultMinimumEstablishments,
    minimumEstablishmentsIsInTable: Bool = false
  ) {
    self.fewEstablishments = fewEstablishments
    self.minimumEstablishments = minimumEstablishments
    self.minimumEstablishmentsIsInTable = minimumEstablishmentsIsInTable
  }

  /// True when the report marks `action` as resting on few establishments.
  public func restsOnFew(_ action: Recommendation) -> Bool {
    fewEstablishments.map { action.figures.establishments < $0 } ?? false
  }

  /// The settings the table holds, each once.
  enum Setting: String, CaseIterable {
    /// The fewest establishments a recommendation may rest on without the mark (`fewEstablishments`).
    case fewEstablishments = "few_establishments"
    /// The fewest establishments asking for a group to be recommended (`minimumEstablishments`).
    case minimumEstablishments = "min_establishments"

    /// What the value means, for the error that asks for it.
    var meaning: String {
      switch self {
      case .fewEstablishments:
        "the fewest establishments a recommendation rests on without being marked “few establishments”; 1 marks none"
      case .minimumEstablishments:
        "the fewest establishments asking for a need in one district (or sector) for it to be recommended at all; "
          + "the shipped table has \(RecommendSettings.defaultMinimumEstablishments)"
      }
    }

    /// Whether the table must have the setting's row: `min_establishments` came after the table, so a table
    /// without it is an older one, read with the default the report stage had then.
    var isRequired: Bool { self == .fewEstablishments }
  }

  /// The largest value a setting takes: past any district's survey, and far from an overflow.
  static let largest = 1_000_000

  /// Loads `recommend-settings.csv` (setting, value, note): every setting at most once, each a whole number from 1
  /// to a million; `few_establishments` is required, `min_establishments` without its row is the old default. A
  /// missing file gives the settings of before the table existed, nothing marked (a reference folder of its own,
  /// `INPUT/reference/`, kept from then).
  public static func load(from reference: URL) throws -> RecommendSettings {
    let url = reference.appendingPathComponent(file)
    guard FileManager.default.fileExists(atPath: url.path) else { return RecommendSettings() }
    let table = try ReferenceTable.read(url)
    let columns = try ["setting", "value"].map(table.index(of:))
    var values: [Setting: Int] = [:]
    var lines: [Setting: Int] = [:]
    for row in table.rows {
      let location = InputLocation(file: table.file, line: row.line)
      let setting: Setting = try table.named(row, columns[0], kind: "setting")
      let name = setting.rawValue
      if let earlier = lines[setting] {
        throw PipelineError(
          .badInput, "setting '\(name)' is already on line \(earlier): each setting once", at: location)
      }
      lines[setting] = row.line
      let text = table.value(row, columns[1])
      guard let value = Int(text), value >= 1, value <= largest else {
        throw PipelineError(
          .badInput, "value '\(text)' of \(name) is not a whole number from 1 to \(largest) (\(setting.meaning))",
          at: location)
      }
      values[setting] = value
    }
    let missing = Setting.allCases.filter { $0.isRequired && values[$0] == nil }
    guard missing.isEmpty else {
      throw PipelineError(
        .badInput,
        "setting \(missing.map(\.rawValue).joined(separator: ", ")) is missing: add its row ("
          + missing.map { "\($0.rawValue): \($0.meaning)" }.joined(separator: "; ") + ")",
        at: InputLocation(file: table.file, line: 1))
    }
    return RecommendSettings(
      fewEstablishments: values[.fewEstablishments],
      minimumEstablishments: values[.minimumEstablishments] ?? defaultMinimumEstablishments,
      minimumEstablishmentsIsInTable: values[.minimumEstablishments] != nil)
  }
}
