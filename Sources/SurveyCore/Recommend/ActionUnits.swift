/// Which needs are best met per trade rather than per district, from the editable `recommend-actions.csv`.
import Foundation

/// For each need, whether a recommended action covers a district or one sector in a district.
///
/// A vocational-training course teaches one trade, so a training action for "textiles in Quỳnh Phụ" is one
/// the department can run; "training in Quỳnh Phụ" across five trades is not. Needs the file does not list are
/// recommended per district.
public struct ActionUnits: Sendable, Equatable {
  /// Need key → why it is grouped by sector, per language.
  public var bySector: [String: Reason]

  /// Why a need is recommended per sector.
  public struct Reason: Sendable, Equatable {
    public var vi: String
    public var en: String
  }

  public init(bySector: [String: Reason] = [:]) { self.bySector = bySector }

  /// True when actions for `need` are one per district and sector.
  public func groupsBySector(_ need: String) -> Bool { bySector[need] != nil }

  /// Loads `recommend-actions.csv` (need, unit, why_vi, why_en; unit is `district` or `sector`).
  /// A missing file means every need is recommended per district.
  public static func load(from reference: URL, needs: NeedCatalogue) throws -> ActionUnits {
    let url = reference.appendingPathComponent("recommend-actions.csv")
    guard FileManager.default.fileExists(atPath: url.path) else { return ActionUnits() }
    let table = try ReferenceTable.read(url)
    let columns = try ["need", "unit", "why_vi", "why_en"].map(table.index(of:))
    var result = ActionUnits()
    var lines: [String: Int] = [:]
    for row in table.rows {
      let location = InputLocation(file: table.file, line: row.line)
      let need = table.value(row, columns[0])
      guard needs.contains(need) else { throw PipelineError(.badInput, needs.notANeed(need), at: location) }
      // A second row for a need silently won over the first (plan-targets.csv and needs.csv refuse one).
      if let first = lines[need] {
        throw PipelineError(
          .badInput, "need '\(need)' is already on line \(first): keep one row for it (unit district or sector)",
          at: location)
      }
      lines[need] = row.line
      switch table.value(row, columns[1]) {
      case "sector": result.bySector[need] = Reason(vi: table.value(row, columns[2]), en: table.value(row, columns[3]))
      case "district": result.bySector[need] = nil
      case let other: throw PipelineError(.badInput, "unit '\(other)' is neither district nor sector", at: location)
      }
    }
    return result
  }
}
