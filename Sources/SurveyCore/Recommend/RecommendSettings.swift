/// How the report presents the recommendations, from the editable `recommend-settings.csv`.
import Foundation

/// The department's settings for presenting recommendations; they change no score and no rank.
public struct RecommendSettings: Sendable, Equatable {
  /// The table's name in the reference folder.
  public static let file = "recommend-settings.csv"

  /// A recommendation resting on fewer establishments asking than this is marked "few establishments" in the
  /// report: with so few, the shares in its score (2 of 2 not yet supported) reach 1 easily. Nil when the reference
  /// folder has no `recommend-settings.csv`: nothing is marked, and the report's method says why.
  public var fewEstablishments: Int?

  public init(fewEstablishments: Int? = nil) { self.fewEstablishments = fewEstablishments }

  /// True when the report marks `action` as resting on few establishments.
  public func restsOnFew(_ action: Recommendation) -> Bool {
    fewEstablishments.map { action.figures.establishments < $0 } ?? false
  }

  /// The settings the table holds, each once.
  enum Setting: String, CaseIterable {
    /// The fewest establishments a recommendation may rest on without the mark (`fewEstablishments`).
    case fewEstablishments = "few_establishments"
  }

  /// The largest value a setting takes: past any district's survey, and far from an overflow.
  static let largest = 1_000_000

  /// Loads `recommend-settings.csv` (setting, value, note): every setting once, each a whole number from 1 to
  /// a million. A missing file gives no settings, as before the table existed (a reference folder of its own,
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
          .badInput,
          "value '\(text)' of \(name) is not a whole number from 1 to \(largest) (the fewest establishments a "
            + "recommendation rests on without being marked “few establishments”; 1 marks none)", at: location)
      }
      values[setting] = value
    }
    let missing = Setting.allCases.filter { values[$0] == nil }.map(\.rawValue)
    guard missing.isEmpty else {
      throw PipelineError(
        .badInput,
        "setting \(missing.joined(separator: ", ")) is missing: add its row (few_establishments: the fewest "
          + "establishments a recommendation rests on without being marked; 1 marks none)",
        at: InputLocation(file: table.file, line: 1))
    }
    return RecommendSettings(fewEstablishments: values[.fewEstablishments])
  }
}
