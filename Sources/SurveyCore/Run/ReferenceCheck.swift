/// Every reference table checked at once: the first mistake of each, where a stage stops at the first it meets.
///
/// A stage that reads a table with a mistake stops the night with one line (file, line, what to do), and rightly:
/// but a department editor who made three mistakes in three tables then lost three nights, one a table, each found
/// by the next stage only once the one before was fixed. `survey-run check-reference` (run by `scripts/run-pipeline`
/// after a stage fails with 65 or 66, or by an editor who has just saved a table) lists them all.
///
/// It lives with the run's bookkeeping rather than in a stage's folder because it spans every stage: it runs the
/// stages' own loaders (`FormSchema`, `GroupHeadings`, `ReferenceData`, `Corrections`, `NeedCatalogue`,
/// `DisplayLabels`, the ranking's tables), a step at a time, never a second copy of their rules. The steps run in
/// the stages' order (ingest, normalise, aggregate and report), each stage's in the order it reads them, and the
/// findings are listed in the order they are met, which is the order the nights would meet them: the first line
/// is the one the failed stage printed. A table already found wrong is not read again by a later stage's step.
///
/// A table read against another (`district-aliases.csv` and the commune tables name `districts.csv`'s codes;
/// `plan-targets.csv` and `recommend-actions.csv` name `needs.csv`'s keys) is not checked when that one holds a
/// mistake, and is said so, rather than every one of its rows reported against a table that is wrong. Two checks
/// across tables run on what the tables that could be read hold: the form's header spellings (`columns.csv`
/// against `needs.csv`, only when both could be read) and the place names that are one name to matching (every
/// place table read).
import Foundation

public struct ReferenceCheck: Sendable {
  /// What the check found of one table.
  public struct Finding: Sendable {
    public enum What: Sendable {
      /// The table's first mistake, as the stage that reads it first stops with it.
      case mistake(PipelineError)
      /// The table was not read: `table` it is read against holds a mistake.
      case notChecked(because: String)
    }

    public var table: String
    public var what: What

    /// The finding as `file:line: message`, as the stages print a mistake (a missing table's message names its
    /// path, and has no line).
    public var line: String {
      switch what {
      case .mistake(let error): error.description
      case .notChecked(let other):
        "\(table): not checked: \(other) holds a mistake, and this table names its "
          + (other == "needs.csv" ? "needs by their keys" : "districts by their codes")
          + "; check it again once \(other) is fixed"
      }
    }
  }

  /// The findings in the order they were met (see above).
  public private(set) var findings: [Finding] = []

  /// The tables checked: every table a stage reads (`ReferenceTable.tables`).
  public static var tables: Set<String> { ReferenceTable.tables }

  /// The tables that hold a mistake, in the order they were met.
  public var tablesWithMistakes: [String] {
    findings.compactMap { if case .mistake = $0.what { $0.table } else { nil } }
  }

  /// The tables not checked because of another's mistake.
  public var tablesNotChecked: [String] {
    findings.compactMap { if case .notChecked = $0.what { $0.table } else { nil } }
  }

  /// 0 when no table holds a mistake; 65 when one is malformed, whatever else is missing (the mistakes to fix
  /// by hand come first); else the first mistake's code, as a stage would exit with it (66 for a table missing or
  /// unreadable, 74 for one that could not be read through).
  public var exitCode: Int32 {
    let errors = findings.compactMap { if case .mistake(let error) = $0.what { error } else { nil } }
    if errors.contains(where: { $0.kind == .badInput }) { return 65 }
    return errors.first?.exitCode ?? 0
  }

  /// The last line after the findings: how many tables to fix, all before the next run, and the command that checks
  /// them again (`program`, as it was run: the cron log's path to `survey-run`, which is on no PATH).
  public func summary(program: String, reference: String) -> String {
    let wrong = tablesWithMistakes
    let unchecked = tablesNotChecked
    var text =
      wrong.count == 1
      ? "1 reference table holds a mistake (\(wrong[0]))"
      : "\(wrong.count) reference tables hold a mistake (\(wrong.joined(separator: ", ")))"
    if !unchecked.isEmpty {
      text +=
        " and \(unchecked.count) could not be checked because of one (\(unchecked.joined(separator: ", ")))"
    }
    return text + ": fix \(wrong.count == 1 ? "it" : "them all") before the next run, then check again with "
      + "\(program) check-reference --reference \(reference)"
  }

  /// The `-v` line of a check that found nothing.
  public static func clean(reference: String) -> String {
    "\(tables.count) reference tables checked in \(reference): no mistake"
  }

  /// Checks every table of the `reference` folder with the stages' loaders, going on past each table's first
  /// mistake to the next table.
  public static func run(reference: URL) -> ReferenceCheck {
    var check = ReferenceCheck()
    func url(_ file: String) -> URL { reference.appendingPathComponent(file) }

    // survey-ingest: FormSchema.load, a step at a time.
    let columns = check.step("columns.csv") { try FormSchema.columnsTable(in: reference) }
    let needs = check.step("needs.csv") { try FormSchema.needsTable(in: reference) }
    if let columns, let needs {
      check.across { try FormSchema.checkNames(columns: columns, needs: needs) }
    }
    for table in GroupHeadings.Table.allCases {
      check.step(table.file) { _ = try GroupHeadings.names(in: reference, of: table) }
    }

    // survey-normalise: ReferenceData.load, then corrections.csv.
    var loading = ReferenceData.Loading(reference)
    for step in ReferenceData.Loading.Step.allCases {
      let saved = loading  // a table that stops midway leaves none of its rows for the check across tables
      let done: Void?
      if let file = step.file {
        done = check.step(file, readAgainst: step.needsDistrictCodes ? "districts.csv" : nil) {
          try loading.run(step)
        }
      } else {
        done = check.across { try loading.run(step) }
      }
      if done == nil { loading = saved }
    }
    check.step("corrections.csv") { _ = try Corrections.load(from: url("corrections.csv")) }

    // survey-aggregate and survey-report: ReportStage.prepare's tables (aggregate reads the first two of them;
    // columns.csv, which the report reads last, was read above as ingest reads it).
    let catalogue = check.step("needs.csv") { try NeedCatalogue.load(from: reference) }
    var labels = check.step("report-labels.csv") { try DisplayLabels.loadLabels(from: reference) } ?? DisplayLabels()
    for (kind, file) in DisplayLabels.namedTables {
      check.step(file) { try labels.addNames(kind, from: url(file)) }
    }
    check.step("scoring-weights.csv") { _ = try ScoringWeights.load(from: reference) }
    // The catalogue is nil only when needs.csv holds a mistake, and then these two are not checked: never read here.
    check.step("plan-targets.csv", readAgainst: "needs.csv") {
      _ = try PlanTargets.load(from: reference, needs: catalogue!)
    }
    check.step("recommend-actions.csv", readAgainst: "needs.csv") {
      _ = try ActionUnits.load(from: reference, needs: catalogue!)
    }
    check.step(RecommendSettings.file) { _ = try RecommendSettings.load(from: reference) }
    return check
  }

  /// Whether `table` holds a mistake or could not be checked already.
  private func found(_ table: String) -> Bool { findings.contains { $0.table == table } }

  /// Runs one step of a stage's loading of `table`, unless the table was found wrong already; when it reads the
  /// table against `readAgainst` and that table was found wrong, says so instead. Nil when the step did not run
  /// or stopped at a mistake.
  @discardableResult
  private mutating func step<Result>(
    _ table: String, readAgainst other: String? = nil, _ body: () throws -> Result
  ) -> Result? {
    guard !found(table) else { return nil }
    if let other, found(other) {
      findings.append(Finding(table: table, what: .notChecked(because: other)))
      return nil
    }
    do {
      return try body()
    } catch {
      findings.append(Finding(table: table, what: .mistake(Self.pipelineError(error))))
      return nil
    }
  }

  /// Runs a check across tables: its mistake is the table's its location names, unless that one was found wrong
  /// already.
  @discardableResult
  private mutating func across(_ body: () throws -> Void) -> Void? {
    do {
      return try body()
    } catch {
      let error = Self.pipelineError(error)
      guard let table = error.location?.file, !found(table) else { return nil }
      findings.append(Finding(table: table, what: .mistake(error)))
      return nil
    }
  }

  private static func pipelineError(_ error: any Error) -> PipelineError {
    error as? PipelineError ?? PipelineError(.io, "\(error)")
  }
}
