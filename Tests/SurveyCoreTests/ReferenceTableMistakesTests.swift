/// Mistakes the department can make while editing a reference table by hand that no other suite made: each stops
/// the run with the table's file, its line and what to write instead, rather than scoring, reading or settling
/// anything with a table that says something else than the analyst meant.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct ReferenceTableMistakesTests {
  /// The message `load` stops with, as the stage prints it, after `edit` was applied to the shipped `table`;
  /// "no error" when it loads.
  func failure(_ table: String, _ edit: (String) -> String, _ load: (URL) throws -> Void) throws -> String {
    try referenceFailure(table, edit, load)
  }

  /// `text` with the line that starts with `prefix` taken out (it must be there).
  func without(_ prefix: String, _ text: String) -> String {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    precondition(lines.contains { $0.hasPrefix(prefix) }, "no line \(prefix)")
    return lines.filter { !$0.hasPrefix(prefix) }.joined(separator: "\n")
  }

  /// `text` with the `factor` row's weight replaced by `weight`.
  func weight(_ factor: String, _ weight: String, _ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      guard line.hasPrefix(factor + ",") else { return String(line) }
      return factor + "," + weight + "," + line.split(separator: ",", maxSplits: 2)[2]
    }.joined(separator: "\n")
  }

  @Test func theShippedTablesLoad() throws {
    func weights(_ url: URL) throws { _ = try ScoringWeights.load(from: url) }
    func schema(_ url: URL) throws { _ = try FormSchema.load(from: url) }
    #expect(try failure("scoring-weights.csv", { $0 }, weights) == "no error")
    #expect(try failure("needs.csv", { $0 }, schema) == "no error")
  }

  /// The report shows each weight as a percentage ("`reach`, trọng số 25%"), so an editor may write one so: "35%"
  /// is the weight 35, as the rows beside it are written, not 0.35, a hundredth of them.
  @Test func aScoringWeightWrittenAsTheReportShowsItIsThatWeight() throws {
    let shipped = try ScoringWeights.load(from: referenceFolder)
    let edit = { (text: String) in weight("demand", "35 %", weight("reach", "25%", text)) }
    let edited = try withEditedReference("scoring-weights.csv", edit, ScoringWeights.load(from:))
    #expect(shipped.weight(.demand) == 35 && shipped.weight(.reach) == 25)
    #expect(edited == shipped)
    #expect(
      ScoringWeights.weight("2,5%") == 2.5 && ScoringWeights.weight("%") == nil && ScoringWeights.weight("-5%") == nil)
  }

  /// The scoring weights are the department's to tune (README: the recommendation's score). A weight typed as a
  /// word or below 0, a factor pasted twice or deleted, every weight set to 0: each is said with its line.
  @Test func aScoringWeightThatIsNoNumberOrAFactorTwiceOrMissingStopsTheRun() throws {
    func load(_ url: URL) throws { _ = try ScoringWeights.load(from: url) }
    let advice =
      "write one such as 35 or 2,5 (the weights are relative; the report shows each as its share of their sum)"
    #expect(
      try failure("scoring-weights.csv", { weight("reach", "25 điểm", $0) }, load)
        == "scoring-weights.csv:3: weight '25 điểm' of reach is not a number ≥ 0: \(advice)")
    #expect(
      try failure("scoring-weights.csv", { weight("plan", "-10", $0) }, load)
        == "scoring-weights.csv:6: weight '-10' of plan is not a number ≥ 0: \(advice)")
    // The decimal comma of a Vietnamese Excel is a weight, not a mistake.
    #expect(try failure("scoring-weights.csv", { weight("plan", "\"0,5\"", $0) }, load) == "no error")
    #expect(
      try failure("scoring-weights.csv", { $0 + "demand,5,,\n" }, load)
        == "scoring-weights.csv:7: factor 'demand' is listed twice")
    #expect(
      try failure("scoring-weights.csv", { without("unsupported,", $0) }, load)
        == "scoring-weights.csv:1: factors unsupported are missing (write 0 to leave one out)")
    let zero = { (text: String) in
      ["demand", "reach", "unsupported", "intensity", "plan"].reduce(text) { weight($1, "0", $0) }
    }
    #expect(
      try failure("scoring-weights.csv", zero, load)
        == "scoring-weights.csv:1: all weights are 0: give at least one factor a weight")
  }

  /// The form asks all nine needs and has its columns: a row deleted from needs.csv or columns.csv (rather than a
  /// spelling added to a row's aliases) would leave a column of every survey unread.
  @Test func aNeedOrAColumnOfTheFormDeletedFromItsTableStopsTheRun() throws {
    func load(_ url: URL) throws { _ = try FormSchema.load(from: url) }
    #expect(
      try failure("needs.csv", { without("marketing,", $0) }, load)
        == "needs.csv:1: the form's need 'marketing' has no row: restore it (the form asks all nine; a new spelling "
        + "goes in an existing row's aliases)")
    #expect(
      try failure("columns.csv", { without("survey_date,", $0) }, load)
        == "columns.csv:1: the form's columns survey_date have no row: restore them (a new spelling goes in an "
        + "existing row's aliases)")
  }

  /// A corrections line whose column is none the corrections settle (a Vietnamese word, a typo) names the ones
  /// that are, rather than being passed over: the analyst's decision would never be applied.
  @Test func aCorrectionsLineWithAnUnknownColumnNamesTheColumnsThatAre() throws {
    let folder = try TemporaryFolder("corrections")
    defer { folder.cleanUp() }
    let url = folder.file("corrections.csv")
    try Data("column,written,means,source_file,note\ndistrict,Dong Hung cu,340,,\nHuyện,Vu Thu cu,344,,\n".utf8)
      .write(to: url)
    let message = (#expect(throws: PipelineError.self) { try Corrections.load(from: url) })?.description
    #expect(
      message
        == "corrections.csv:3: unknown column \"huyện\"; use one of commune, district, duplicate, enterprise_type, "
        + "need, sector")
  }
}
