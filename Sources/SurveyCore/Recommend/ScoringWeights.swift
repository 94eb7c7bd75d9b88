/// The weights of the recommendation score, from the editable `scoring-weights.csv`.
import Foundation

/// How much each factor counts in the score. Weights are relative: they need not add up to 1 or 100.
public struct ScoringWeights: Sendable, Equatable {
  /// The factors of the score, in the order the report explains them.
  public enum Factor: String, Sendable, CaseIterable {
    /// Establishments asking for the support, relative to the action with the most.
    case demand
    /// Their workers, relative to the action with the most.
    case reach
    /// The share of them not known to have had khuyến công support before.
    case unsupported
    /// The share of the district's surveyed establishments (of that sector, for a per-sector action) asking for it.
    case intensity
    /// 1 when the plan 2021–2025 sets a target for the need (plan-targets.csv), else 0.
    case plan
  }

  public var weights: [Factor: Double]
  /// What each factor means, in each language, as the file explains it.
  public var meanings: [Factor: (vi: String, en: String)]

  public init(_ weights: [Factor: Double], meanings: [Factor: (vi: String, en: String)] = [:]) {
    self.weights = weights
    self.meanings = meanings
  }

  public static func == (lhs: ScoringWeights, rhs: ScoringWeights) -> Bool { lhs.weights == rhs.weights }

  /// The weight of a factor (0 when absent).
  public func weight(_ factor: Factor) -> Double { weights[factor] ?? 0 }

  /// The sum of the weights: the score divides by it, so the score runs from 0 to 100.
  public var total: Double { Factor.allCases.reduce(0) { $0 + weight($1) } }

  /// Loads `scoring-weights.csv` (factor, weight, meaning_vi, meaning_en): every factor once, weights ≥ 0.
  public static func load(from reference: URL) throws -> ScoringWeights {
    let table = try ReferenceTable.read(reference.appendingPathComponent("scoring-weights.csv"))
    let columns = try ["factor", "weight", "meaning_vi", "meaning_en"].map(table.index(of:))
    var weights: [Factor: Double] = [:]
    var meanings: [Factor: (vi: String, en: String)] = [:]
    for row in table.rows {
      let location = InputLocation(file: table.file, line: row.line)
      let factor: Factor = try table.named(row, columns[0], kind: "factor")
      let name = factor.rawValue
      guard weights[factor] == nil else {
        throw PipelineError(.badInput, "factor '\(name)' is listed twice", at: location)
      }
      let text = table.value(row, columns[1])
      guard let weight = weight(text) else {
        throw PipelineError(
          .badInput,
          "weight '\(text)' of \(name) is not a number ≥ 0: write one such as 35 or 2,5 (the weights are relative; "
            + "the report shows each as its share of their sum)", at: location)
      }
      weights[factor] = weight
      meanings[factor] = (table.value(row, columns[2]), table.value(row, columns[3]))
    }
    let missing = Factor.allCases.filter { weights[$0] == nil }.map(\.rawValue)
    guard missing.isEmpty else {
      throw PipelineError(
        .badInput, "factors \(missing.joined(separator: ", ")) are missing (write 0 to leave one out)",
        at: InputLocation(file: table.file, line: 1))
    }
    let result = ScoringWeights(weights, meanings: meanings)
    guard result.total > 0 else {
      throw PipelineError(
        .badInput, "all weights are 0: give at least one factor a weight", at: InputLocation(file: table.file, line: 1))
    }
    return result
  }

  /// A weight as an editor writes it: "0,35" with the decimal comma of a Vietnamese Excel, and "35%" as the report
  /// shows a weight (its share of the sum, which is the weight itself while the weights add up to 100, as shipped).
  /// Reading "35%" as 0.35 would make it a hundredth of the rows written 25 and 20 beside it.
  static func weight(_ text: String) -> Double? {
    var number = text.trimmingCharacters(in: .whitespaces)
    if number.hasSuffix("%") { number = number.dropLast().trimmingCharacters(in: .whitespaces) }
    let decimal = number.contains(".") ? number : number.replacingOccurrences(of: ",", with: ".")
    guard let weight = Double(decimal), weight >= 0, weight.isFinite else { return nil }
    return weight
  }
}
