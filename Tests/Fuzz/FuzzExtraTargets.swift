/// The normaliser under fuzzing: the whole stage over what ingest passed on, and its parsers on raw text.
import Foundation
import SurveyCore

enum FuzzExtraTargets {
  /// The shipped reference data, loaded once.
  static let reference: ReferenceData = {
    do {
      return try ReferenceData.load(from: referenceFolder)
    } catch {
      fatalError("survey-fuzz: cannot load the reference data: \(error)")
    }
  }()
  nonisolated(unsafe) static let places = PlaceResolver(reference: reference)  // libFuzzer runs one thread
  nonisolated(unsafe) static let needs = NeedParser(reference: reference)

  /// Runs the normalise stage on the run folder ingest just wrote, and checks its accounting.
  static func normalise(_ runFolder: URL, rowsPassed: Int) {
    do {
      let summary = try NormaliseStage.run(runDirectory: runFolder, reference: reference, corrections: Corrections())
      let t = summary.totals
      precondition(t.rowsIn == rowsPassed, "normalise saw \(t.rowsIn) rows, ingest passed \(rowsPassed)")
      precondition(t.rowsIn == t.counted + t.duplicates + t.review + t.rejected, "normalise accounting broken: \(t)")
    } catch {
      fatalError("normalise threw on ingest's own output: \(error)")
    }
  }

  /// The parsers on arbitrary text: none may crash, whatever it is.
  static func run(_ text: String) {
    _ = VietnameseNumber.parse(text)
    _ = VietnameseNumber.millionVND(text)
    _ = VietnameseNumber.count(text)
    _ = SurveyDate.parse(text)
    _ = TaxCode.read(text)
    _ = places.resolve(district: text, commune: text, file: "fuzz.csv", legacyOnly: false)
    _ = places.resolve(district: "", commune: text, file: "fuzz.csv", legacyOnly: true)
    _ = needs.mark(text)
    _ = needs.read(marks: [:], list: text, file: "fuzz.csv")
  }
}
