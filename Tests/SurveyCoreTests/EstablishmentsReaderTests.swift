/// Reading establishments.csv fast: money from bytes and trimming without Foundation, against the code they replace.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct EstablishmentsReaderTests {
  /// The money parser as it was written on Characters, kept here as the reference.
  static func referenceMoney(_ text: String) -> Money? {
    func isDigit(_ c: Character) -> Bool { c.isASCII && c.isWholeNumber }
    var digits = Substring(text)
    let negative = digits.first == "-"
    if negative { digits = digits.dropFirst() }
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty, whole.allSatisfy(isDigit),
      whole.count <= 12
    else { return nil }
    var fraction = parts.count == 2 ? parts[1] : ""
    guard fraction.allSatisfy(isDigit), parts.count == 1 || !fraction.isEmpty else { return nil }
    var roundUp = false
    if fraction.count > 3 {
      roundUp = fraction[fraction.index(fraction.startIndex, offsetBy: 3)] >= "5"
      fraction = fraction.prefix(3)
    }
    let padded = fraction + String(repeating: "0", count: 3 - fraction.count)
    let value = Int(whole)! * 1000 + Int(padded)! + (roundUp ? 1 : 0)
    return Money(thousands: negative ? -value : value)
  }

  @Test func moneyFromBytesReadsAsTheCharacterParserDid() {
    var random = RecommenderTests.Generator(state: 7)
    let pieces = ["0", "1", "5", "9", "12", "4", ".", "-", " ", "٣", "5\u{301}", "e", "+", "00", "999999"]
    var cases = [
      "", "-", ".", "5.", ".5", "1.2.3", "--5", "-0", "1250", "2.5", "0.125", "0.1234", "0.1235", "0.12349",
      "999999999999", "9999999999999", "999999999999.9995", "1,5", "1.", "-2.5", "1.-5",
    ]
    for _ in 0..<5000 {
      cases.append((0..<(1 + random.next(6))).map { _ in pieces[random.next(pieces.count)] }.joined())
    }
    for text in cases { #expect(Money(millionVND: text) == Self.referenceMoney(text), "'\(text)'") }
  }

  @Test func trimmingSpacesIsFoundationsTrimming() {
    var random = RecommenderTests.Generator(state: 11)
    let pieces = [
      " ", "\t", "\u{A0}", "\u{3000}", "\u{200B}", "\u{2009}", "\n", "\r", "a", "Đ", "ư", "\u{301}", "x y", "",
      "\u{FEFF}", "1",
    ]
    var cases = ["", " ", "a", " a ", "\u{A0}Thư\u{A0}", " \u{301}a \u{301}"]
    for _ in 0..<5000 {
      cases.append((0..<random.next(6)).map { _ in pieces[random.next(pieces.count)] }.joined())
    }
    for text in cases {
      let fast = CellText.trimmingSpaces(text)
      let slow = text.trimmingCharacters(in: .whitespaces)
      #expect(Array(fast.unicodeScalars) == Array(slow.unicodeScalars), "'\(text.debugDescription)'")
    }
  }

  @Test func streamingGivesTheSameAggregatesAsReadingEverything() throws {
    let run = try ReportFixtures.copy("sample")
    let url = run.appendingPathComponent(ArtefactName.establishments)
    let needs = try NeedCatalogue.load(from: ReportFixtures.reference)
    let labels = try DisplayLabels.load(from: ReportFixtures.reference)
    var builder = AggregatesBuilder(labels: labels, needs: needs.keys)
    var streamed: [CountedEstablishment] = []
    try EstablishmentsReader.forEach(url, needs: needs) { establishment, positions in
      #expect(positions.map { needs.keys[$0] } == establishment.needs)
      builder.add(establishment, needs: positions)
      streamed.append(establishment)
    }
    let all = try EstablishmentsReader.read(url, needs: needs)
    #expect(streamed.sorted(by: CountedEstablishment.canonicalOrder) == all)
    #expect(builder.aggregates() == Aggregates.compute(all.reversed(), labels: labels))
  }
}
