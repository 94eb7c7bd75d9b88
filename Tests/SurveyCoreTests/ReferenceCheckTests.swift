/// The check of every reference table at once (`ReferenceCheck`): each table's first mistake as the stage that
/// reads it says it, rather than one table a night; a table read against one with a mistake said to be unchecked.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct ReferenceCheckTests {
  /// The check's lines, as `survey-run check-reference` prints them after its name.
  func lines(_ check: ReferenceCheck) -> [String] { check.findings.map(\.line) }

  /// `text` with `old` replaced by `new` (it must be there).
  func replacing(_ old: String, _ new: String) -> (String) -> String? {
    { text in
      precondition(text.contains(old), "no \(old)")
      return text.replacingOccurrences(of: old, with: new)
    }
  }

  @Test func theShippedTablesHoldNoMistake() {
    let check = ReferenceCheck.run(reference: referenceFolder)
    #expect(lines(check) == [])
    #expect(check.exitCode == 0)
    #expect(
      ReferenceCheck.clean(reference: "input/reference") == "16 reference tables checked in input/reference: no mistake"
    )
  }

  /// An editor's three mistakes in three tables, one read first by each of ingest, normalise and report: the stages
  /// would stop three nights running, one table a night; the check lists all three with file and line, the first as
  /// tonight's stage says it, and the others as the next nights' stages would.
  @Test func threeMistakesInThreeTablesOfThreeStagesAreAllListed() throws {
    try withEditedReference([
      ("columns.csv", replacing("row_no,STT,No.,no,", "row_no,STT,No.,no,Tên cơ sở;")),  // ingest's
      ("district-aliases.csv", { $0 + "Huyện Mới,999\n" }),  // normalise's
      ("recommend-actions.csv", replacing("\ntraining,sector,", "\nđào tạo,sector,")),  // report's
    ]) { folder in
      let check = ReferenceCheck.run(reference: folder)
      #expect(
        lines(check) == [
          "columns.csv:4: header \"Tên cơ sở\" is written for name here and for row_no on columns.csv line 2: a "
            + "spelling may name one column only; keep it on the row of the column it means",
          "district-aliases.csv:132: alias \"Huyện Mới\" names district code 999, which districts.csv does not have",
          "recommend-actions.csv:2: need 'đào tạo' is not in needs.csv: write one of its keys (training, management, "
            + "demo_model, machinery, clean_production, marketing, product_dev, consulting, cluster)",
        ])
      #expect(check.exitCode == 65)
      #expect(
        check.summary(program: "survey-run", reference: "input/reference")
          == "3 reference tables hold a mistake (columns.csv, district-aliases.csv, recommend-actions.csv): fix them "
          + "all before the next run, then check again with survey-run check-reference --reference input/reference")
      // The first is the line tonight's stage stops with; the stages still stop at their first mistake.
      #expect(stageLine(folder) { _ = try FormSchema.load(from: $0) } == lines(check)[0])
      #expect(stageLine(folder) { _ = try ReferenceData.load(from: $0) } == lines(check)[1])
    }
  }

  /// A table read against another that holds a mistake is said to be unchecked rather than reported against it:
  /// with districts.csv saved with lost letters, the alias of code 999 is not blamed, nor is every commune.
  @Test func aTableReadAgainstOneWithAMistakeIsSaidUnchecked() throws {
    try withEditedReference([
      ("districts.csv", replacing("338,Huyện Quỳnh Phụ,", "338,Huyện Qu?nh Phụ,")),
      ("district-aliases.csv", { $0 + "Huyện Mới,999\n" }),
      ("needs.csv", { $0 + "training,Đào tạo nghề lần hai,,,\n" }),
    ]) { folder in
      let check = ReferenceCheck.run(reference: folder)
      #expect(check.tablesWithMistakes == ["districts.csv", "needs.csv"], "\(lines(check))")
      #expect(
        check.tablesNotChecked == [
          "district-aliases.csv", "communes-legacy.csv", "communes-2025.csv", "plan-targets.csv",
          "recommend-actions.csv",
        ])
      #expect(
        lines(check).contains(
          "district-aliases.csv: not checked: districts.csv holds a mistake, and this table names its districts by "
            + "their codes; check it again once districts.csv is fixed"))
      #expect(
        lines(check).contains(
          "plan-targets.csv: not checked: needs.csv holds a mistake, and this table names its needs by their keys; "
            + "check it again once needs.csv is fixed"))
      #expect(lines(check).allSatisfy { !$0.contains("999") })
      #expect(
        check.summary(program: "survey-run", reference: "ref")
          == "2 reference tables hold a mistake (districts.csv, needs.csv) and 5 could not be checked because of one "
          + "(district-aliases.csv, communes-legacy.csv, communes-2025.csv, plan-targets.csv, recommend-actions.csv): "
          + "fix them all before the next run, then check again with survey-run check-reference --reference ref")
    }
  }

  /// A missing table is a mistake too, said as the stage says it (exit 66 when nothing is malformed); with a
  /// malformed table beside it the check exits 65, the code of the mistakes to fix by hand.
  @Test func aMissingTableIsListed() throws {
    try withEditedReference([("sectors.csv", { _ in nil })]) { folder in
      let check = ReferenceCheck.run(reference: folder)
      #expect(
        lines(check) == [
          "reference table \(folder.path)/sectors.csv is missing: copy it back from the repository's input/reference/ "
            + "folder (git checkout -- input/reference/sectors.csv in the checkout; the tables are read from "
            + "INPUT/reference/ when that folder exists)"
        ])
      #expect(check.exitCode == 66)
      #expect(lines(check)[0] == stageLine(folder) { _ = try ReferenceData.load(from: $0) })
    }
    try withEditedReference([("sectors.csv", { _ in nil }), ("district-aliases.csv", { $0 + "Huyện Mới,999\n" })]) {
      let check = ReferenceCheck.run(reference: $0)
      #expect(check.tablesWithMistakes == ["district-aliases.csv", "sectors.csv"])
      #expect(check.exitCode == 65)
    }
  }

  /// Every table a stage reads is checked: each replaced in turn by a table without its columns is found.
  @Test func everyTableAStageReadsIsChecked() throws {
    #expect(ReferenceCheck.tables.count == 16)
    for table in ReferenceCheck.tables.sorted() {
      try withEditedReference([(table, { _ in "nothing\nat all\n" })]) { folder in
        let check = ReferenceCheck.run(reference: folder)
        #expect(check.tablesWithMistakes.first == table, "\(table): \(lines(check))")
      }
    }
  }
}
