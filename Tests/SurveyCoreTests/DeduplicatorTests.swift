import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  @Suite struct DeduplicatorTests {
    func entry(
      _ file: String, _ line: Int, tax: String? = nil, date: String? = nil, identity: String = "x", name: String = ""
    ) -> DedupEntry {
      DedupEntry(
        file: file, line: line, taxCode: tax, date: date.flatMap(SurveyDate.parse), identity: identity, name: name)
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

    /// A row without a tax code whose identity rows with one have: listed once, against the row that stands for
    /// the tax code of the first of them (here row 2, which a later survey of code 1000000001 supersedes).
    @Test func aRowWithoutATaxCodeIsListedBesideTheRowThatStandsForTheFirstCodeOfItsIdentity() {
      let links = Deduplicator.links([
        entry("a.csv", 4, tax: "1000000001", date: "2024-03-01", identity: "co so a|344|13213"),
        entry("b.csv", 2, tax: "1000000002", identity: "co so a|344|13213"),
        entry("c.csv", 3, identity: "co so a|344|13213"), entry("c.csv", 5, identity: "co so a|344|13213"),
        entry("d.csv", 2, tax: "1000000001", date: "2024-04-02", identity: "co so a moi|344|13213"),
      ])
      #expect(
        links.map { "\($0.row)>\($0.kept) \($0.kind.rawValue)" } == [
          "0>4 duplicate", "2>4 possible_duplicate", "3>4 possible_duplicate",
        ])
      #expect(links[1].reason.contains("tax code 1000000001") && !links[1].byCorrection)
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

    /// A decision that gives the establishment's name holds only while the rows it names have it: a re-sent file
    /// with its rows at other lines must not move a merge onto another establishment.
    @Test func aDecisionWithANameHoldsOnlyWhileItsRowsHaveThatName() {
      func decision(_ written: String, _ means: String, _ name: String, line: Int) -> Correction {
        var entry = correction("duplicate", written, means)
        entry.name = name
        entry.location = InputLocation(file: "corrections.csv", line: line)
        return entry
      }
      let rows = [
        entry("a.csv", 4, identity: "dao thi duyen|340|", name: "Đào Thị Duyên"),
        entry("a.csv", 7, identity: "dao thi duyen|340|", name: "Cơ sở Đào Thị Duyên"),
        entry("b.csv", 2, identity: "ho hong nhung|341|", name: "Hộ Hồng Nhung"),
        entry("b.csv", 3, identity: "co so may hong nhung|341|", name: "Cơ sở may Hồng Nhung"),
      ]
      // Written without diacritics or in capitals, and found inside a longer name: the decisions apply.
      let holding = Corrections([
        decision("a.csv:7", "a.csv:4", "DAO THI DUYEN", line: 2), decision("b.csv:3", "b.csv:2", "Hồng Nhung", line: 3),
      ])
      #expect(Deduplicator.links(rows, corrections: holding).map { [$0.row, $0.kept] } == [[1, 0], [3, 2]])
      #expect(holding.unused.isEmpty)
      // The row merged away, then the row that stands, is now another establishment: nothing is merged, and the
      // first row whose name differs is named with the name it has now.
      let moved = Corrections([
        decision("b.csv:3", "a.csv:4", "Hồng Nhung", line: 2), decision("a.csv:7", "b.csv:2", "Duyên", line: 3),
        decision("b.csv:2", "distinct", "Nhung Hồng", line: 4),
      ])
      #expect(Deduplicator.links(rows, corrections: moved).map(\.kind) == [.possibleDuplicate])
      #expect(
        moved.unused.map {
          "\($0.entry.location.line) \($0.reason.rawValue) \($0.found?.row ?? "") \($0.found?.name ?? "")"
        } == [
          "2 name_differs a.csv:4 Đào Thị Duyên", "3 name_differs b.csv:2 Hộ Hồng Nhung",
          "4 name_differs b.csv:2 Hộ Hồng Nhung",
        ])
      // Written with diacritics, a name means them: after a sort, Hùng's row is where Hưng's was. Without them, it
      // matches either.
      let sorted = [
        entry("qp.csv", 2, identity: "nguyen van hung|338|", name: "Cơ sở mộc Nguyễn Văn Hùng"),
        entry("qp.csv", 3, identity: "nguyen van hung|338|", name: "Cơ sở mộc Nguyễn Văn Hưng"),
      ]
      let tones = Corrections([decision("qp.csv:2", "qp.csv:3", "Nguyễn Văn Hưng", line: 2)])
      #expect(Deduplicator.links(sorted, corrections: tones).map(\.kind) == [.possibleDuplicate])
      #expect(tones.unused.map { $0.found?.name } == ["Cơ sở mộc Nguyễn Văn Hùng"])
      let plain = Corrections([decision("qp.csv:2", "qp.csv:3", "NGUYEN VAN HUNG", line: 2)])
      #expect(Deduplicator.links(sorted, corrections: plain).map(\.kind) == [.duplicate])
      // Without a name, as before: the decision applies to whatever row is at the line.
      #expect(
        Deduplicator.links(rows, corrections: Corrections([correction("duplicate", "b.csv:3", "a.csv:4")])).count == 2)
    }
  }
}
