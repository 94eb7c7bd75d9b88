/// Helpers for the aggregate, recommend and report tests: fixture folders, golden files, synthetic runs.
import Foundation
import Testing

@testable import SurveyCore

/// Fixtures of the report stages, under `Fixtures/report/`, read through `#filePath` so recording writes there.
enum ReportFixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/report", isDirectory: true)

  /// The reference tables the golden cases are recorded against (a copy, so editing the live ones breaks no test).
  static var reference: URL { root.appendingPathComponent("reference", isDirectory: true) }

  /// A fresh temporary folder.
  static func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("report-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A copy of `Fixtures/report/<case>/<folder>` in a temporary folder, to run stages in.
  static func copy(_ name: String, _ folder: String = "run") throws -> URL {
    let target = try temporaryFolder().appendingPathComponent(folder, isDirectory: true)
    try FileManager.default.copyItem(at: root.appendingPathComponent("\(name)/\(folder)"), to: target)
    return target
  }

  /// Compares `actual` with the golden file `Fixtures/report/<path>`; `RECORD_GOLDEN=1` (or a missing file)
  /// records it instead and fails the test, so a recording is always reviewed with `git diff`.
  static func expectGolden(_ actual: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = root.appendingPathComponent(path)
    if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] != nil || !FileManager.default.fileExists(atPath: url.path)
    {
      try Data(actual.utf8).write(to: url, options: .atomic)
      Issue.record("recorded \(path); review it with git diff", sourceLocation: sourceLocation)
      return
    }
    let expected = try text(url)
    #expect(actual == expected, "differs from \(path); RECORD_GOLDEN=1 re-records", sourceLocation: sourceLocation)
  }

  /// A file's text, byte-order mark included (Foundation's own decoding would drop it).
  static func text(_ url: URL) throws -> String { String(decoding: try Data(contentsOf: url), as: UTF8.self) }

  /// The header of `establishments.csv` as issue 3 defines it.
  static let establishmentsHeader =
    "source_file,source_line,tax_code,name,enterprise_type,district_code,district,commune,sector,employees,"
    + "revenue_mvnd,trainees,support_requested_mvnd,previously_supported,survey_date,needs"

  /// Writes a run folder with the given establishments and summaries that account for them.
  static func writeRun(_ establishments: [CountedEstablishment], to folder: URL) throws {
    var lines = [establishmentsHeader]
    for e in establishments {
      let supported = e.previouslySupported.map { $0 ? "yes" : "no" } ?? ""
      lines.append(
        String(
          CSVWriter.line([
            e.sourceFile, String(e.sourceLine), e.taxCode, e.name, e.enterpriseType, e.districtCode, e.district,
            e.commune, e.sector, String(e.employees), "", String(e.trainees), e.supportRequested.plainMillionVND,
            supported, e.surveyDate, e.needs.joined(separator: ";"),
          ]).dropLast()))
    }
    try (lines.joined(separator: "\n") + "\n").write(
      to: folder.appendingPathComponent(ArtefactName.establishments), atomically: true, encoding: .utf8)
    let files = Set(establishments.map(\.sourceFile)).sorted()
    let ingest = IngestSummary(
      files: files.map { file in
        var summary = IngestFileSummary(file: file, bytes: 100)
        summary.sha256 = String(repeating: "0", count: 64)
        summary.rowsRead = establishments.filter { $0.sourceFile == file }.count
        summary.rowsPassed = summary.rowsRead
        return summary
      })
    try StableJSON.write(ingest, to: folder.appendingPathComponent(ArtefactName.ingestSummary))
    let counts = files.map { file in
      var counts = NormaliseCounts()
      counts.rowsIn = establishments.filter { $0.sourceFile == file }.count
      counts.counted = counts.rowsIn
      return NormaliseFileSummary(file: file, counts: counts)
    }
    var totals = NormaliseCounts()
    totals.rowsIn = establishments.count
    totals.counted = establishments.count
    try StableJSON.write(
      NormaliseSummary(files: counts, totals: totals), to: folder.appendingPathComponent(ArtefactName.normaliseSummary))
  }

  /// A household business with one or more needs, for synthetic runs.
  static func establishment(
    _ line: Int, district: String = "338", needs: [String], employees: Int = 10, supported: Bool? = false,
    sector: String = "handicrafts", file: String = "a.csv", taxCode: String = ""
  ) -> CountedEstablishment {
    CountedEstablishment(
      sourceFile: file, sourceLine: line, taxCode: taxCode, name: "Cơ sở \(line)", enterpriseType: "household",
      districtCode: district, district: "Huyện \(district)", commune: "Xã \(line)", sector: sector,
      employees: employees, trainees: 2, supportRequested: Money(thousands: 100_000), previouslySupported: supported,
      needs: needs)
  }

  /// The report stages' reference tables as loaded from the fixture copy.
  static func recommender(minimum: Int = 1) throws -> Recommender {
    let needs = try NeedCatalogue.load(from: reference)
    return Recommender(
      needs: needs, labels: try DisplayLabels.load(from: reference), weights: try ScoringWeights.load(from: reference),
      plan: try PlanTargets.load(from: reference, needs: needs),
      units: try ActionUnits.load(from: reference, needs: needs), minimumEstablishments: minimum)
  }
}
