import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  /// The place answers normalise's two threads share (`SharedPlaceAnswers`): a thread takes up an answer the other
  /// made, for the same spellings in any file, unless corrections limited to a file decide it, and at any survey
  /// date, unless a commune the 2025 reform made could be meant; the row it writes is the one it would have made
  /// itself.
  @Suite struct NormaliseSharedPlaceTests {
    static let header = ["source_file", "source_line", "name", "enterprise_type", "district", "commune", "survey_date"]

    /// The stage's normaliser and its second thread's, as `NormaliseStage` makes them.
    func twoThreads(_ corrections: [Correction] = []) throws -> (RowNormaliser, RowNormaliser) {
      let (reference, corrections) = (try shippedReference(), Corrections(corrections))
      let first = RowNormaliser(reference: reference, corrections: corrections)
      let second = RowNormaliser(
        reference: reference, corrections: corrections, wording: first.wording, places: first.places.index,
        answers: first.placeAnswers)
      return (first, second)
    }

    /// The packed cells of a counted row (name, type, district, commune, survey date) of `file`, which the thread
    /// numbers `fileID`; nil when the byte path does not count it.
    func packed(_ normaliser: RowNormaliser, file: String, fileID: Int, _ cells: [String]) -> [UInt8]? {
      let columns = StagedColumns(
        Dictionary(uniqueKeysWithValues: Self.header.enumerated().map { ($1, $0) }), needKeys: normaliser.needs.order)
      let fields = ([file, "2"] + cells).map { Array($0.utf8) }
      let bytes = fields.flatMap { $0 }
      var ends: [Int] = []
      for field in fields { ends.append((ends.last ?? 0) + field.count) }
      var packed = ByteBuffer(capacity: 256)
      defer { packed.deallocate() }
      let outcome = bytes.withUnsafeBytes { bytes in
        ends.withUnsafeBufferPointer { ends in
          normaliser.normalise(
            fileID: fileID, file: file, line: 2,
            record: CSVRawRecord(line: 2, bytes: bytes, fieldEnds: ends, firstField: 0, count: fields.count),
            columns: columns, packed: &packed)
        }
      }
      guard case .counted = outcome else { return nil }
      return Array(packed.bytes)
    }

    @Test func aThreadTakesUpThePlaceAnswerTheOtherMade() throws {
      let (first, second) = try twoThreads()
      let row = ["Cơ sở Một", "Hộ kinh doanh", "Hưng Hà", "Xã Tân Lễ", "20/10/2024"]
      let made = try #require(packed(first, file: "a.csv", fileID: 0, row))
      #expect(first.places.answersMade == 1)
      // The second thread numbers the file otherwise, and writes the same row without resolving the place.
      #expect(packed(second, file: "a.csv", fileID: 3, row) == made)
      #expect(second.places.answersMade == 0)
      // Nor in another file: no correction names a file.
      #expect(packed(second, file: "b.csv", fileID: 4, row) != nil)
      #expect(second.places.answersMade == 0)
      // Nor for a row surveyed after the reform: no commune the reform made is named Tân Lễ.
      #expect(packed(second, file: "a.csv", fileID: 3, ["Cơ sở Hai"] + row[1...3] + ["20/10/2025"]) != nil)
      #expect(second.places.answersMade == 0)
      #expect(first.places.answersMade == 1)
    }

    @Test func aCommuneNameTheReformGaveAgainIsReadAgainForARowOnTheOtherSideOfIt() throws {
      let (first, second) = try twoThreads()
      // Xã Tân Tiến of Hưng Hà before the reform, and a commune of that name made by it: a row surveyed before it
      // names only the first, a row surveyed after it may name either.
      let before = ["Cơ sở Một", "Hộ kinh doanh", "Hưng Hà", "Xã Tân Tiến", "20/10/2024"]
      let after = ["Cơ sở Một", "Hộ kinh doanh", "Hưng Hà", "Xã Tân Tiến", "20/10/2025"]
      #expect(packed(first, file: "a.csv", fileID: 0, before) != nil)
      #expect(packed(second, file: "a.csv", fileID: 0, after) != nil)
      #expect(second.places.answersMade == 1)
      // Another row of either side takes the answer made for its side.
      #expect(packed(first, file: "b.csv", fileID: 1, after) != nil)
      #expect(packed(second, file: "b.csv", fileID: 1, before) != nil)
      #expect(first.places.answersMade == 1 && second.places.answersMade == 1)
      // The district spelled otherwise: the first thread's answer rests on the commune's it read before, which
      // still tells that the date played a part, so a row after the reform is read again.
      let spelled = ["Cơ sở Ba", "Hộ kinh doanh", "H. Hưng Hà", "Xã Tân Tiến"]
      #expect(packed(first, file: "a.csv", fileID: 0, spelled + ["20/10/2024"]) != nil)
      #expect(first.places.answersMade == 2)
      #expect(packed(second, file: "a.csv", fileID: 0, spelled + ["20/10/2025"]) != nil)
      #expect(second.places.answersMade == 2)
    }

    @Test func anAnswerACorrectionForOneFileDecidedIsNotTakenForAnother() throws {
      let (first, second) = try twoThreads([correction("district", "KX", "343", file: "a.csv")])
      let row = ["Cơ sở Một", "Hộ kinh doanh", "KX", "", "20/10/2024"]
      let made = try #require(packed(first, file: "a.csv", fileID: 0, row))
      #expect(String(decoding: made, as: UTF8.self).contains("Kiến Xương"))
      // In another file the spelling names no district: the row is not counted there.
      #expect(packed(second, file: "b.csv", fileID: 0, row) == nil)
      #expect(second.places.answersMade == 1)
      // In the file the correction names, the other thread's answer stands.
      #expect(packed(second, file: "a.csv", fileID: 1, row) == made)
      #expect(second.places.answersMade == 1)
    }
  }
}
