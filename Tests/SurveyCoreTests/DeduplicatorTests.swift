import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  @Suite struct DeduplicatorTests {
    func entry(_ file: String, _ line: Int, tax: String? = nil, date: String? = nil, identity: String = "x")
      -> DedupEntry
    {
      DedupEntry(file: file, line: line, taxCode: tax, date: date.flatMap(SurveyDate.parse), identity: identity)
    }

    @Test func theLaterSurveyDateStands() {
      let links = Deduplicator.links([
        entry("b.csv", 5, tax: "1000000001", date: "2024-05-01"),
        entry("a.csv", 9, tax: "1000000001", date: "2024-06-01"),
      ])
      #expect(links.map { [$0.row, $0.kept] } == [[0, 1]])
      #expect(links[0].kind == .duplicate)
    }

    @Test func onATieTheFileLaterInNameOrderThenTheLaterRowStands() {
      let acrossFiles = Deduplicator.links([
        entry("b.csv", 5, tax: "1000000001", date: "2024-05-01"),
        entry("a.csv", 9, tax: "1000000001", date: "2024-05-01"),
      ])
      #expect(acrossFiles.map(\.row) == [1])
      let inOneFile = Deduplicator.links([
        entry("a.csv", 9, tax: "1000000001"), entry("a.csv", 4, tax: "1000000001"),
        entry("a.csv", 12, tax: "1000000001"),
      ])
      #expect(inOneFile.map { [$0.row, $0.kept] } == [[0, 2], [1, 2]])
    }

    @Test func aDatedAnswerStandsOverAnUndatedOne() {
      let links = Deduplicator.links([
        entry("a.csv", 4, tax: "1000000001", date: "2024-05-01"), entry("b.csv", 9, tax: "1000000001"),
      ])
      #expect(links.map(\.row) == [1])
    }

    @Test func branchesAreNotTheirHeadOffice() {
      #expect(
        Deduplicator.links([entry("a.csv", 4, tax: "1000000001"), entry("a.csv", 5, tax: "1000000001-001")]).isEmpty)
    }

    @Test func rowsWithoutTaxCodeAreListedNotMerged() {
      let links = Deduplicator.links([
        entry("a.csv", 4, identity: "co so a|340|12721"), entry("b.csv", 2, identity: "co so a|340|12721"),
        entry("b.csv", 3, identity: "co so a|341|"),
      ])
      #expect(links.count == 1)
      #expect(links[0].kind == .possibleDuplicate && links[0].row == 1 && links[0].kept == 0)
    }

    @Test func analystsSettlePossibleDuplicates() {
      let rows = [entry("a.csv", 4), entry("b.csv", 2), entry("c.csv", 7)]
      let distinct = Deduplicator.links(
        rows, corrections: Corrections([correction("duplicate", "b.csv:2", "distinct")]))
      #expect(distinct.map(\.row) == [2])
      let merged = Deduplicator.links(
        rows,
        corrections: Corrections([
          correction("duplicate", "b.csv:2", "a.csv:4"), correction("duplicate", "c.csv:7", "distinct"),
        ]))
      #expect(merged.count == 1)
      #expect(merged[0].kind == .duplicate && merged[0].row == 1 && merged[0].kept == 0 && merged[0].byCorrection)
      // Rows typed with spaces around the colon or a leading zero name the same rows.
      let typed = Deduplicator.links(
        rows,
        corrections: Corrections([
          correction("duplicate", "b.csv : 02", "a.csv: 4"), correction("duplicate", "c.csv :7", "Distinct"),
        ]))
      #expect(typed == merged)
    }
  }
}
