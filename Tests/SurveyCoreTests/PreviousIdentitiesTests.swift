/// The previous run's identities, read on a second thread while this run's rows are compared with them (the report's
/// way on a night when no file waited) or read whole first: both answer as a set of tax codes and a count of each
/// other identity do, whatever the two runs' orders, across the reading thread's hand-overs.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct PreviousIdentitiesTests {
  /// More establishments than two of the reading thread's chunks hold: tax codes, and every seventh a household
  /// known by name and district, fifty names in two districts, so that most households have namesakes.
  static let previous: [CountedEstablishment] = (0..<(2 * IdentityFeed.chunkSize + 3_000)).map { index in
    var establishment = ReportFixtures.establishment(index + 2, district: index % 2 == 0 ? "338" : "339", needs: [])
    if index % 7 == 3 {
      establishment.name = "Hộ \(index % 50)"
    } else {
      establishment.taxCode = String(1_000_000_000 + index * 7919)
    }
    return establishment
  }

  /// This run's establishments: the previous ones the same, cut short, with new ones, two swapped across a
  /// chunk's end, one gone near the start, shuffled, or a household met more often than the previous run had it.
  static func current(shape: Int) -> [CountedEstablishment] {
    var after = previous
    var random = RecommenderTests.Generator(state: UInt64(11 + shape))
    switch shape {
    case 1: after.removeLast(3_000)
    case 2:
      after += (0..<500).map { index in
        var establishment = ReportFixtures.establishment(90_000 + index, needs: [])
        if index % 2 == 0 { establishment.taxCode = String(2_000_000_000 + index) }
        return establishment
      }
    case 3: after.swapAt(IdentityFeed.chunkSize - 1, IdentityFeed.chunkSize + 5)
    case 4: after.remove(at: 100)
    case 5:
      for index in after.indices.dropLast().reversed() { after.swapAt(index, index + random.next(after.count - index)) }
    case 6: after.insert(contentsOf: Array(repeating: previous[3], count: 400), at: 10)
    default: break
    }
    return after
  }

  /// The answers of a set of tax codes and a count of each other identity, and how many stay unseen at the end.
  static func oracle(before: [CountedEstablishment], after: [CountedEstablishment]) -> (answers: [Bool], unseen: Int) {
    let taxes = Set(before.filter { !$0.taxCode.isEmpty }.map(\.taxCode))
    var unseenTaxes = taxes
    var texts: [String: Int] = [:]
    for establishment in before where establishment.taxCode.isEmpty { texts[establishment.identity, default: 0] += 1 }
    let answers = after.map { establishment in
      if !establishment.taxCode.isEmpty {
        unseenTaxes.remove(establishment.taxCode)
        return taxes.contains(establishment.taxCode)
      }
      guard let left = texts[establishment.identity], left > 0 else { return false }
      texts[establishment.identity] = left - 1
      return true
    }
    return (answers, unseenTaxes.count + texts.values.reduce(0, +))
  }

  @Test(arguments: 0..<7) func readBesideOrFirstTheyAnswerAsASetDoes(shape: Int) throws {
    let folder = try ReportFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try ReportFixtures.writeRun(Self.previous, to: folder)
    let csv = folder.appendingPathComponent(ArtefactName.establishments)
    let after = Self.current(shape: shape)
    let expected = Self.oracle(before: Self.previous, after: after)
    for companion in [false, true] {
      if companion { try EstablishmentsReaderTests.writeCompanion(of: csv) }
      let ways = [
        ("beside", PreviousIdentities(reading: csv, leavingOut: [])), ("first", try RunComparison.identities(in: csv)),
      ]
      for (way, identities) in ways {
        let answers = after.map { identities.see($0) }
        let wrong = zip(answers, expected.answers).filter { $0 != $1 }.count
        #expect(wrong == 0, "shape \(shape), \(way), companion \(companion)")
        #expect(identities.unseen == expected.unseen, "shape \(shape), \(way), companion \(companion)")
        #expect(identities.finishReading() == nil)
      }
    }
  }

  /// A previous `establishments.csv` that breaks off after more than two chunks (a quote never closed): read
  /// beside this run's rows, it is said unreadable in its place among the artefacts left out, and no
  /// establishment is compared, as when it was read first.
  @Test(arguments: ["", ArtefactName.ingestSummary, ArtefactName.recommendations])
  func aPreviousFileThatBreaksOffIsSaidAndNothingCompared(alsoGone: String) throws {
    let after = Array(Self.previous.prefix(100)) + [ReportFixtures.establishment(99_999, needs: ["marketing"])]
    let (previous, _, ingest) = try RunComparisonTests.runs(before: Self.previous, after: after)
    let csv = previous.appendingPathComponent(ArtefactName.establishments)
    let handle = try FileHandle(forWritingTo: csv)
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("a.csv,99999,\"123,never closed\n".utf8))
    try handle.close()
    if !alsoGone.isEmpty { try FileManager.default.removeItem(at: previous.appendingPathComponent(alsoGone)) }
    let comparison = RunComparison.compare(previousRun: previous, ingest: ingest, establishments: after)
    let order = [ArtefactName.ingestSummary, ArtefactName.establishments, ArtefactName.recommendations]
    #expect(comparison.missing == order.filter { $0 == alsoGone || $0 == ArtefactName.establishments })
    let reason = try #require(comparison.unreadable[ArtefactName.establishments])
    #expect(reason.contains("\(Self.previous.count + 2)"), "names the line: \(reason)")
    #expect(comparison.addedCount == 0 && comparison.removedCount == 0 && comparison.added.isEmpty)
  }
}
