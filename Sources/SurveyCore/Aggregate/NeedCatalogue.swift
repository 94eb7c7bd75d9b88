/// The nine support contents as the report stages use them: their order, names and short names.
import Foundation

/// The needs of `needs.csv`, in the file's order, which is the order every table and chart uses.
public struct NeedCatalogue: Sendable {
  public var needs: [NeedDefinition]
  private var positions: [String: Int]

  public init(_ needs: [NeedDefinition]) {
    self.needs = needs
    positions = Dictionary(needs.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The need keys in catalogue order.
  public var keys: [String] { needs.map(\.key) }

  /// The position of a need in the catalogue, for sorting; unknown keys sort last.
  public func position(_ key: String) -> Int { positions[key] ?? Int.max }

  /// The reason a need cell of another table (`plan-targets.csv`, `recommend-actions.csv`) that names no need of
  /// the catalogue is refused: with the keys to write instead, as an editor who wrote a need's name needs them.
  public func notANeed(_ written: String) -> String {
    "need '\(written)' is not in needs.csv: write one of its keys (\(keys.joined(separator: ", ")))"
  }

  /// True when `key` is one of the catalogue's needs.
  public func contains(_ key: String) -> Bool { positions[key] != nil }

  /// The definition of a need.
  public func need(_ key: String) -> NeedDefinition? { positions[key].map { needs[$0] } }

  /// Loads `needs.csv` (key, name_vi, name_en, short_vi) from the reference folder.
  public static func load(from reference: URL) throws -> NeedCatalogue {
    let table = try ReferenceTable.read(reference.appendingPathComponent("needs.csv"))
    let columns = try ["key", "name_vi", "name_en", "short_vi"].map(table.index(of:))
    var needs: [NeedDefinition] = []
    var lines: [String: Int] = [:]
    for row in table.rows {
      let key = table.value(row, columns[0])
      guard !key.isEmpty else {
        throw PipelineError(
          .badInput,
          "a need without a key: write one in the key column, a short English word as on the other rows (the "
            + "run's CSV files name the need by it)", at: InputLocation(file: table.file, line: row.line))
      }
      if let first = lines[key] {
        throw PipelineError(
          .badInput, "need '\(key)' is already on line \(first): keep one row for it",
          at: InputLocation(file: table.file, line: row.line))
      }
      lines[key] = row.line
      let nameVi = table.value(row, columns[1])
      let shortVi = table.value(row, columns[3])
      needs.append(
        NeedDefinition(
          key: key, nameVi: nameVi, nameEn: table.value(row, columns[2]),
          shortVi: shortVi.isEmpty ? nameVi : shortVi, aliases: []))
    }
    return NeedCatalogue(needs)
  }
}
