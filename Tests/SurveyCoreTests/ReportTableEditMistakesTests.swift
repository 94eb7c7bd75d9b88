/// Mistakes a department editor makes in the tables only the aggregate and report stages read (needs.csv as the
/// catalogue, report-labels.csv, plan-targets.csv, recommend-actions.csv), and an analyst's edit of a previous
/// run's recommendations.csv: each stops the stage, or leaves the comparison out, with the file, its line and
/// the cell that is wrong, rather than labelling, scoring or ranking with a table that says something else.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct ReportTableEditMistakesTests {
  /// The message `load` stops with, as the stage prints it, after `edit` was applied to the shipped `table`;
  /// "no error" when it loads.
  func failure(_ table: String, _ edit: (String) -> String, _ load: (URL) throws -> Void) throws -> String {
    try referenceFailure(table, edit, load)
  }

  /// `text` with the first line that starts with `prefix` rewritten by `edit` (the line must be there).
  func line(_ prefix: String, _ text: String, _ edit: (String) -> String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let index = lines.firstIndex { $0.hasPrefix(prefix) }!
    lines[index] = edit(lines[index])
    return lines.joined(separator: "\n")
  }

  /// `row` with its cell `column` (from 0) replaced by `value`; the row's cells before it hold no comma.
  func cell(_ column: Int, _ value: String, _ row: String) -> String {
    var cells = row.split(separator: ",", maxSplits: column + 1, omittingEmptySubsequences: false).map(String.init)
    cells[column] = value
    return cells.joined(separator: ",")
  }

  func catalogue(_ url: URL) throws { _ = try NeedCatalogue.load(from: url) }
  func labels(_ url: URL) throws { _ = try DisplayLabels.load(from: url) }
  func plan(_ url: URL) throws { _ = try PlanTargets.load(from: url, needs: try NeedCatalogue.load(from: url)) }
  func units(_ url: URL) throws { _ = try ActionUnits.load(from: url, needs: try NeedCatalogue.load(from: url)) }

  @Test func theShippedTablesLoad() throws {
    for (table, load) in [
      ("needs.csv", catalogue), ("report-labels.csv", labels), ("plan-targets.csv", plan),
      ("recommend-actions.csv", units),
    ] as [(String, (URL) throws -> Void)] {
      #expect(try failure(table, { $0 }, load) == "no error", "\(table)")
    }
  }

  /// The keys of the shipped needs.csv, as the messages list them for an editor who wrote a need's name.
  static let keys =
    "training, management, demo_model, machinery, clean_production, marketing, product_dev, consulting, cluster"

  /// A need added with its key cell left empty, or a row pasted a second time: the aggregate stage (run alone
  /// after an edit) stops at the row, rather than counting a need no establishment can have, or one twice.
  @Test func aNeedWithoutAKeyOrListedTwiceStopsTheCatalogue() throws {
    #expect(
      try failure(
        "needs.csv", { $0 + ",Chuyển đổi số,Digital transformation,Chuyển đổi số,Chuyển đổi số\n" }, catalogue)
        == "needs.csv:11: a need without a key: write one in the key column, a short English word as on the other "
        + "rows (the run's CSV files name the need by it)")
    let pastedAgain = { (text: String) in
      text + text.split(separator: "\n").first { $0.hasPrefix("training,") }! + "\n"
    }
    #expect(
      try failure("needs.csv", pastedAgain, catalogue)
        == "needs.csv:11: need 'training' is already on line 2: keep one row for it")
  }

  /// A label row whose kind is misspelt would label nothing: the report would show the key instead, unsaid.
  @Test func aLabelOfAnUnknownKindStopsTheReportWithTheKindsThereAre() throws {
    #expect(
      try failure("report-labels.csv", { $0 + "sectors,wood,Đồ gỗ - mộc,Woodwork\n" }, labels)
        == "report-labels.csv:29: kind 'sectors' is not one of district, enterprise_type, sector, need")
  }

  /// The plan table as an editor gets it wrong: a measure in the singular, the need written by its Vietnamese name
  /// rather than its key, a target with the Vietnamese thousands dot. Each names its line and the cell.
  @Test func aPlanTargetWithAnUnknownMeasureOrNeedStopsTheReport() throws {
    #expect(
      try failure("plan-targets.csv", { line("trainees,", $0) { cell(2, "trainee", $0) } }, plan)
        == "plan-targets.csv:2: measure 'trainee' is not trainees, establishments or support_requested_mvnd")
    #expect(
      try failure("plan-targets.csv", { line("machinery,", $0) { cell(1, "Máy móc thiết bị", $0) } }, plan)
        == "plan-targets.csv:4: need 'Máy móc thiết bị' is not in needs.csv: write one of its keys (\(Self.keys))")
    #expect(
      try failure("plan-targets.csv", { line("trainees,", $0) { cell(3, "2.000", $0) } }, plan)
        == "plan-targets.csv:2: target '2.000' is not a whole number from 1 to 1000000000000 (no thousands "
        + "separators)")
  }

  /// recommend-actions.csv: a need by its name, or a unit in Vietnamese, stops the report at its row; a need set
  /// back to `district` is recommended per district again, the others still per sector.
  @Test func anActionUnitForAnUnknownNeedOrUnitStopsTheReport() throws {
    #expect(
      try failure("recommend-actions.csv", { line("demo_model,", $0) { cell(0, "Mô hình trình diễn", $0) } }, units)
        == "recommend-actions.csv:3: need 'Mô hình trình diễn' is not in needs.csv: write one of its keys "
        + "(\(Self.keys))")
    // A second row for a need won over the first without a word.
    #expect(
      try failure("recommend-actions.csv", { $0 + "training,district,,\n" }, units)
        == "recommend-actions.csv:4: need 'training' is already on line 2: keep one row for it (unit district or "
        + "sector)")
    #expect(
      try failure("recommend-actions.csv", { line("training,", $0) { cell(1, "ngành", $0) } }, units)
        == "recommend-actions.csv:2: unit 'ngành' is neither district nor sector")

    let folder = try TemporaryFolder("reference")
    defer { folder.cleanUp() }
    for name in ["needs.csv", "recommend-actions.csv"] {
      try FileManager.default.copyItem(at: referenceFolder.appendingPathComponent(name), to: folder.file(name))
    }
    let url = folder.file("recommend-actions.csv")
    let text = try String(contentsOf: url, encoding: .utf8)
    try Data(line("training,", text) { _ in "training,district,," }.utf8).write(to: url)
    let loaded = try ActionUnits.load(from: folder.url, needs: try NeedCatalogue.load(from: folder.url))
    #expect(!loaded.groupsBySector("training"))
    #expect(loaded.groupsBySector("demo_model"))
  }

  /// A previous run's recommendations.csv that an analyst opened and saved with a totals row under the ranking
  /// (a run its manifest does not record, so no digest catches the edit): the ranks are not compared, and the
  /// English report says why with the file and line, rather than marking every action "new".
  @Test func aPreviousRankingWithATotalsRowIsLeftOutWithItsLine() throws {
    let establishments = (1...6).map { ReportFixtures.establishment($0, needs: ["marketing"]) }
    let previous = try ReportFixtures.temporaryFolder()
    let current = try ReportFixtures.temporaryFolder()
    defer {
      try? FileManager.default.removeItem(at: previous)
      try? FileManager.default.removeItem(at: current)
    }
    try ReportFixtures.writeRun(establishments, to: previous)
    try ReportFixtures.writeRun(establishments, to: current)
    let options = ReportOptions(language: .en, minimumEstablishments: 1)
    try ReportStage.run(runDirectory: previous, reference: ReportFixtures.reference, options: options)
    let ranking = previous.appendingPathComponent(ArtefactName.recommendations)
    let written = try String(contentsOf: ranking, encoding: .utf8)
    let lines = written.split(separator: "\n").count
    #expect(lines >= 2, "\(written)")
    try Data((written + "Tổng cộng,,,,,6\n").utf8).write(to: ranking)

    var compared = options
    compared.previousRun = previous
    try ReportStage.run(runDirectory: current, reference: ReportFixtures.reference, options: compared)
    let report = try String(contentsOf: current.appendingPathComponent(ArtefactName.report), encoding: .utf8)
    #expect(
      report.contains(
        "The previous run's `recommendations.csv` could not be read (recommendations.csv:\(lines + 1): rank "
          + "'Tổng cộng' is not a number): this comparison is left out."), "\(report)")
  }
}
