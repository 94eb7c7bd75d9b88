/// The report stage's streaming against the plain code it replaces: the bounded shortlist, the ranking's figures
/// and the comparison with the previous run.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct StreamingReportTests {
  /// Many ties on support and workforce, names that fold alike, the same file and line twice.
  static func crowd(seed: UInt64, size: Int) -> [CountedEstablishment] {
    var random = RecommenderTests.Generator(state: seed)
    let names = ["Cơ sở A", "co so a", "Cơ sở Ă", "HTX Đông", "htx dong", "Hộ Lê", "Công ty B", "B"]
    return (0..<size).map { index in
      var establishment = ReportFixtures.establishment(
        2 + random.next(size), needs: ["marketing"], employees: random.next(4),
        supported: [true, false, nil][random.next(3)], file: ["a.csv", "b.csv", "ä.csv"][random.next(3)])
      establishment.name = names[random.next(names.count)]
      establishment.taxCode = String(index)  // tells apart establishments on the same file and line
      return establishment
    }
  }

  @Test(arguments: 0..<30)
  func theBoundedShortlistIsTheSortedPrefix(seed: Int) {
    let list = Self.crowd(seed: UInt64(seed), size: 1 + seed * 3)
    for size in [0, 1, 3, 5, 8, 200] {
      var shortlist = Shortlist(size: size)
      for (index, establishment) in list.enumerated() {
        var fold: String?
        shortlist.offer(establishment, sequence: index, fold: &fold)
      }
      let expected = Array(list.sorted(by: Recommender.approachFirst).prefix(size))
      #expect(shortlist.sorted() == expected, "seed \(seed), size \(size)")
    }
  }

  @Test func theRecommendersShortlistsAreTheSortedPrefixes() throws {
    let list = Self.crowd(seed: 99, size: 400)
    let recommender = try ReportFixtures.recommender()
    for action in recommender.rank(list) {
      let members = list.filter { $0.districtCode == action.districtCode && $0.has(action.need) }
      #expect(action.shortlist == Array(members.sorted(by: Recommender.approachFirst).prefix(5)))
      #expect(action.figures == NeedFigures.of(members))
    }
  }

  @Test func theComparisonCountsEveryAddedEstablishmentAndNamesTheFirst() throws {
    let previous = try ReportFixtures.temporaryFolder()
    let before = (1...6).map { ReportFixtures.establishment($0, needs: ["marketing"]) }
    try ReportFixtures.writeRun(before, to: previous)
    var after = Self.crowd(seed: 5, size: 40)
    after += before.dropFirst(2)
    let comparison = RunComparison.compare(
      previousRun: previous, ingest: IngestSummary(files: []), establishments: after)
    let added = after.filter { !before.map(\.identity).contains($0.identity) }
    #expect(comparison.addedCount == added.count)
    #expect(comparison.added == Array(added.sorted(by: Recommender.approachFirst).prefix(RunComparison.examplesKept)))
    #expect(comparison.removedCount == 2)
  }

  /// The report stage makes a row's name, tax code and commune only for the rows it keeps or must compare by
  /// name (`EstablishmentsReader.Row`): its ranking, shortlists and comparison with the previous run are those of the plain
  /// code over the same rows read whole.
  @Test(arguments: [3, 8])
  func theReportReadsNamesOnlyWhereNeededAndAnswersAsBefore(seed: Int) throws {
    var list = Self.crowd(seed: UInt64(seed), size: 300)
    for index in list.indices where index % 4 == 0 { list[index].taxCode = "" }  // compared by name and district
    let before = list.enumerated().filter { $0.offset % 3 != 1 }.map(\.element) + Self.crowd(seed: 77, size: 20)
    let previous = try ReportFixtures.temporaryFolder()
    let current = try ReportFixtures.temporaryFolder()
    try ReportFixtures.writeRun(before, to: previous)
    try ReportFixtures.writeRun(list, to: current)
    try ReportStage.run(
      runDirectory: previous, reference: ReportFixtures.reference,
      options: ReportOptions(language: .en, minimumEstablishments: 1))

    let input = try ReportStage.prepare(
      runDirectory: current, reference: ReportFixtures.reference,
      options: ReportOptions(language: .en, previousRun: previous, minimumEstablishments: 1))
    var whole: [CountedEstablishment] = []
    let needs = try NeedCatalogue.load(from: ReportFixtures.reference)
    try EstablishmentsReader.forEach(current.appendingPathComponent(ArtefactName.establishments), needs: needs) {
      establishment, _ in whole.append(establishment)
    }
    #expect(whole.count == list.count)
    let ranked = try ReportFixtures.recommender().rank(whole)
    #expect(input.recommendations == ranked)
    let kept = input.recommendations.flatMap(\.shortlist)
    #expect(!kept.isEmpty && kept.allSatisfy { !$0.name.isEmpty && !$0.commune.isEmpty })
    let expected = RunComparison.compare(previousRun: previous, ingest: input.ingest, establishments: whole)
    #expect(input.comparison == expected)
    #expect(expected.addedCount > 0 && expected.removedCount > 0 && !expected.added.isEmpty)
  }
}
