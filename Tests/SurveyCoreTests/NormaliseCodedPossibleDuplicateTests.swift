import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests.NormaliseStageTests {
  /// One household surveyed twice: once with its tax code, once by a surveyor who did not ask for it.
  static let withCode = ",1000123456,Cơ sở mây tre đan Hoà Bình,Hộ KD,Vũ Thư,Xã Song Lãng,Mây tre đan,5,,,01/03/2024\n"
  static let withoutCode = ",,CƠ SỞ MÂY TRE ĐAN HÒA BÌNH,Hộ KD,H. Vũ Thư,Song Lãng,Mây tre đan,6,,,15/03/2024\n"

  /// duplicates.csv as `file:line>kept_file:kept_line kind tax_code`.
  func listed(_ run: TemporaryFolder) throws -> [String] {
    try rows(run, ArtefactName.duplicates).map {
      "\($0["source_file"]!):\($0["source_line"]!)>\($0["kept_file"]!):\($0["kept_line"]!) \($0["kind"]!) "
        + $0["tax_code"]!
    }
  }

  /// Every artefact of the streaming stage is the one of the stage that held every row (`Deduplicator`).
  func expectSameAsHoldingEveryRow(
    _ run: TemporaryFolder, corrections: [Correction] = [], sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let (reference, _) = try throughTheStringPath(run, corrections: corrections)
    defer { reference.cleanUp() }
    for name in [ArtefactName.duplicates, ArtefactName.establishments, ArtefactName.normaliseSummary] {
      #expect(
        try Data(contentsOf: run.file(name)) == Data(contentsOf: reference.file(name)), "\(name)",
        sourceLocation: sourceLocation)
    }
  }

  @Test func aRowWithoutATaxCodeIsListedBesideTheRowWithOneOfItsNameAndPlace() throws {
    let (twoFiles, summary) = try run(
      [
        "a.csv": "1,1000000001,Cơ sở Khác,HTX,Vũ Thư,Xã Song Lãng,,5,,,\n2" + Self.withCode,
        "b.csv": "1,,Hộ Trần Văn Bình,Hộ KD,Vũ Thư,Vũ Hội,,3,,,\n2" + Self.withoutCode,
      ], wording: .vietnamese)
    defer { twoFiles.cleanUp() }
    // Both counted; the row without a tax code listed once, against the one with it (file a.csv, line 3).
    #expect(try listed(twoFiles) == ["b.csv:3>a.csv:3 possible_duplicate "])
    #expect(summary.totals.counted == 4 && summary.totals.possibleDuplicates == 1 && summary.totals.duplicates == 0)
    #expect(
      try rows(twoFiles, ArtefactName.duplicates)[0]["reason"]
        == "không có mã số thuế; cùng tên, huyện và xã/phường với cơ sở có mã số thuế 1000123456: vẫn tính cả hai "
        + "cho đến khi xác minh")
    #expect(summary.files.first { $0.file == "b.csv" }?.counts.possibleDuplicates == 1)

    // In one file, the row without a tax code first: listed against the one with it all the same.
    let (one, oneSummary) = try run(["a.csv": "1" + Self.withoutCode + "2" + Self.withCode])
    defer { one.cleanUp() }
    #expect(try listed(one) == ["a.csv:2>a.csv:3 possible_duplicate "])
    #expect(
      try rows(one, ArtefactName.duplicates)[0]["reason"]
        == "no tax code; same name, district and commune as the establishment with tax code 1000123456: both "
        + "counted until settled")
    #expect(oneSummary.totals.counted == 2 && oneSummary.totals.possibleDuplicates == 1)
    try expectSameAsHoldingEveryRow(one)
  }

  /// Several rows with a tax code share the identity: the row without one is listed once, against the row that
  /// stands for the tax code of the first of them in output order (file name, then line), even when a later
  /// survey of that code, under another name, stands for it; two rows without one are both listed against it.
  @Test func aRowWithoutATaxCodeIsListedOnceAgainstTheFirstCodedRowsStandingRow() throws {
    let (later, summary) = try run([
      "a.csv": "1" + Self.withCode,
      "b.csv": "1" + Self.withCode.replacingOccurrences(of: "1000123456", with: "1000999999"),
      "c.csv": "1" + Self.withoutCode + "2" + Self.withoutCode,
      // Tax code 1000123456 surveyed again later, its name written otherwise: this row stands for it.
      "d.csv": "1,1000123456,Cơ sở mây tre Hoà Bình (Song Lãng),Hộ KD,Vũ Thư,Xã Song Lãng,Mây tre đan,5,,,02/04/2024\n",
    ])
    defer { later.cleanUp() }
    #expect(
      try listed(later) == [
        "a.csv:2>d.csv:2 duplicate 1000123456", "c.csv:2>d.csv:2 possible_duplicate ",
        "c.csv:3>d.csv:2 possible_duplicate ",
      ])
    #expect(summary.totals.counted == 4 && summary.totals.possibleDuplicates == 2 && summary.totals.duplicates == 1)
    // The reason names the row whose name and place matched, since the row listed beside it is written
    // otherwise: an analyst opening d.csv:2 alone would not see why.
    let reasons = try rows(later, ArtefactName.duplicates).map { $0["reason"]! }
    #expect(
      reasons[1]
        == "no tax code; same name, district and commune as a.csv:2, a row of the establishment with tax code "
        + "1000123456: both counted until settled")
    #expect(reasons[2] == reasons[1])
    try expectSameAsHoldingEveryRow(later)

    // Without the later survey, the first row with a tax code stands for it: b.csv's code is never named.
    let (first, _) = try run([
      "a.csv": "1" + Self.withCode,
      "b.csv": "1" + Self.withCode.replacingOccurrences(of: "1000123456", with: "1000999999"),
      "c.csv": "1" + Self.withoutCode,
    ])
    defer { first.cleanUp() }
    #expect(try listed(first) == ["c.csv:2>a.csv:2 possible_duplicate "])
    #expect(
      try rows(first, ArtefactName.duplicates)[0]["reason"]
        == "no tax code; same name, district and commune as the establishment with tax code 1000123456: both "
        + "counted until settled")
    try expectSameAsHoldingEveryRow(first)
  }

  /// An analyst's decision settles the pair either way: `distinct` on the row without a tax code, or that row
  /// merged into the one with it. Either is a correction that applied.
  @Test func aDecisionSettlesARowWithoutATaxCodeListedBesideOneWithIt() throws {
    let files = ["a.csv": "1" + Self.withCode, "b.csv": "1" + Self.withoutCode]
    func decision(_ means: String) -> Correction {
      Correction(
        column: "duplicate", written: "b.csv:2", means: means, sourceFile: nil,
        location: InputLocation(file: "corrections.csv", line: 2))
    }
    let (distinct, distinctSummary) = try run(files, corrections: [decision("distinct")])
    defer { distinct.cleanUp() }
    #expect(try listed(distinct).isEmpty)
    #expect(distinctSummary.unusedCorrections == nil && distinctSummary.totals.correctionsApplied == 1)
    #expect(distinctSummary.totals.counted == 2 && distinctSummary.totals.possibleDuplicates == 0)
    try expectSameAsHoldingEveryRow(distinct, corrections: [decision("distinct")])

    let (merged, mergedSummary) = try run(files, corrections: [decision("a.csv:2")])
    defer { merged.cleanUp() }
    #expect(try listed(merged) == ["b.csv:2>a.csv:2 duplicate "])
    #expect(mergedSummary.unusedCorrections == nil && mergedSummary.totals.correctionsApplied == 1)
    #expect(mergedSummary.totals.counted == 1 && mergedSummary.totals.duplicates == 1)
    #expect(mergedSummary.totals.possibleDuplicates == 0)
    try expectSameAsHoldingEveryRow(merged, corrections: [decision("a.csv:2")])
  }

  /// A survey sent again with its tax codes left out is a copy counted twice, said as such; its rows are listed
  /// beside the rows that stand for those codes, which a later survey of the same codes supersedes the first ones
  /// by: two groups headed by one row, one merged and one counted twice.
  @Test func aSurveySentAgainWithoutItsTaxCodesIsSaidToBeCountedTwice() throws {
    func rows(code: Bool, date: String) -> String {
      (1...3).map { "\($0),\(code ? "100000000\($0)" : ""),Cơ sở \($0),HTX,Vũ Thư,Vũ Hội,,5,,,\(date)\n" }.joined()
    }
    let (run, summary) = try run([
      "a.csv": rows(code: true, date: "01/03/2024"), "b.csv": rows(code: true, date: "02/03/2024"),
      "c.csv": rows(code: false, date: "03/03/2024").uppercased(),
    ])
    defer { run.cleanUp() }
    #expect(
      summary.fileOverlaps == [
        FileOverlap(file: "b.csv", other: "a.csv", rows: 3, of: 3, countedTwice: 0),
        FileOverlap(file: "c.csv", other: "b.csv", rows: 3, of: 3, countedTwice: 3),
      ])
    #expect(summary.totals.counted == 6 && summary.totals.duplicates == 3 && summary.totals.possibleDuplicates == 3)
    try expectSameAsHoldingEveryRow(run)
  }

  /// Once a row without a tax code was seen at a place's spelling, the rows with one there carry their identity's
  /// hash from the row worker, and only a row whose hash a row without a tax code has too is compared when every
  /// row is known (the others are not folded again). A row of the same name is found that way, one of another
  /// name is not, and the rows without a tax code before and after it are both listed against it.
  @Test func aRowWithATaxCodeAfterOneWithoutIsFoundByItsIdentitysHash() throws {
    let (run, summary) = try run([
      "a.csv": """
      1,,Hộ Lê Văn Tám,Hộ KD,Vũ Thư,Vũ Hội,,3,,,
      2,1000000011,Cơ sở Khác,HTX,Vũ Thư,Vũ Hội,,5,,,
      3,1000000012,HỘ LÊ VĂN TÁM,Hộ KD,Vũ Thư,Vũ Hội,,4,,,
      4,,Hộ Lê Văn Tám,Hộ KD,Vũ Thư,Vũ Hội,,3,,,

      """
    ])
    defer { run.cleanUp() }
    #expect(try listed(run) == ["a.csv:2>a.csv:4 possible_duplicate ", "a.csv:5>a.csv:4 possible_duplicate "])
    #expect(summary.totals.counted == 4 && summary.totals.possibleDuplicates == 2)
    try expectSameAsHoldingEveryRow(run)
  }
}
