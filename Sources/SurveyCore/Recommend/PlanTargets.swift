/// The plan 2021–2025's targets and budget, from the editable `plan-targets.csv`, held against the survey.
import Foundation

/// One target of the plan and what the survey found for it.
public struct PlanTarget: Sendable, Equatable {
  /// What the survey adds up to compare with the target.
  public enum Measure: String, Sendable {
    /// Workers to train, at the establishments with the need.
    case trainees
    /// Establishments with the need.
    case establishments
    /// Support requested, in million VND (by the establishments with the need, or by all when no need is named).
    case supportRequestedMVND = "support_requested_mvnd"
  }

  public var key: String
  /// The need the target is about, or "" for the whole budget.
  public var need: String
  public var measure: Measure
  /// The target in its own unit (million VND for money).
  public var target: Int
  /// The target's unit, per language (`lao động`, `mô hình`, `triệu đồng/năm`).
  public var unitVi: String
  public var unitEn: String
  /// What the target is, per language.
  public var labelVi: String
  public var labelEn: String
  public var period: String
  /// Where the figure comes from.
  public var source: String
  /// Whether the survey's figure is a share of the target: not when the two count different things (5
  /// demonstration models against the establishments asking for one) or over different times (a budget a year
  /// against what the establishments ask in all). The report then gives the two side by side, without a percent.
  public var comparable = true

  /// The figures a target is measured on: the province's, or those of its need's establishments.
  public func figures(in province: AggregateGroup) -> NeedFigures {
    need.isEmpty ? province.surveyed : province.figures(need)
  }

  /// The survey's figure for this target (a count, or thousands of đồng for money).
  public func found(in province: AggregateGroup) -> Int {
    let figures = figures(in: province)
    switch measure {
    case .trainees: return figures.trainees
    case .establishments: return figures.establishments
    case .supportRequestedMVND: return figures.supportRequested.thousands
    }
  }

  /// How many of the establishments `found` counts over wrote the figure it sums (the rest left the cell blank);
  /// nil when `found` is a count of establishments.
  public func stated(in province: AggregateGroup) -> Int? {
    let figures = figures(in: province)
    switch measure {
    case .trainees: return figures.traineesStated
    case .establishments: return nil
    case .supportRequestedMVND: return figures.supportStated
    }
  }

  /// The target in the same unit as `found` (thousands of đồng for money).
  public var targetInFoundUnits: Int { measure == .supportRequestedMVND ? target * 1000 : target }
}

/// Loads the plan's targets.
public enum PlanTargets {
  public static let columns = [
    "key", "need", "measure", "target", "unit_vi", "unit_en", "label_vi", "label_en", "period", "source",
  ]

  /// Reads `plan-targets.csv` from the reference folder; needs must be in the catalogue.
  public static func load(from reference: URL, needs: NeedCatalogue) throws -> [PlanTarget] {
    // The source may quote a web address, a title with a question.
    let table = try ReferenceTable.read(
      reference.appendingPathComponent("plan-targets.csv"), keepingAsWritten: ["source"])
    let index = try columns.map(table.index(of:))
    /// `percent`, added later: a table without it compares every target.
    let percent = table.columns.firstIndex(of: "percent")
    var keys: [String: Int] = [:]
    return try table.rows.map { row in
      let location = InputLocation(file: table.file, line: row.line)
      let cell = { (column: Int) in table.value(row, index[column]) }
      guard let measure = PlanTarget.Measure(rawValue: cell(2)) else {
        throw PipelineError(
          .badInput, "measure '\(cell(2))' is not trainees, establishments or support_requested_mvnd", at: location)
      }
      // Bounded, so the report's comparisons cannot overflow: a trillion is past any target the plan sets.
      guard let target = Int(cell(3)), target > 0, target <= 1_000_000_000_000 else {
        throw PipelineError(
          .badInput, "target '\(cell(3))' is not a whole number from 1 to 1000000000000 (no thousands separators)",
          at: location)
      }
      if let earlier = keys[cell(0)] {
        throw PipelineError(
          .badInput, "key '\(cell(0))' is already on line \(earlier): each target once", at: location)
      }
      keys[cell(0)] = row.line
      guard cell(1).isEmpty || needs.contains(cell(1)) else {
        throw PipelineError(.badInput, needs.notANeed(cell(1)), at: location)
      }
      // Trainees and establishments are counted at the establishments with a need: without one the target
      // compared with nothing, and the need lost its plan points unsaid (a helper's round).
      if cell(1).isEmpty && measure != .supportRequestedMVND {
        throw PipelineError(
          .badInput, "measure '\(measure.rawValue)' needs the need it counts (a key of needs.csv) in column need",
          at: location)
      }
      var comparable = true
      if let percent {
        switch table.value(row, percent).lowercased() {
        case "", "yes": comparable = true
        case "no": comparable = false
        case let other:
          throw PipelineError(.badInput, "percent '\(other)' is not yes or no", at: location)
        }
      }
      return PlanTarget(
        key: cell(0), need: cell(1), measure: measure, target: target, unitVi: cell(4), unitEn: cell(5),
        labelVi: cell(6), labelEn: cell(7), period: cell(8), source: cell(9), comparable: comparable)
    }
  }
}
