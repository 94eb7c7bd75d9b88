import Foundation
import Testing

@testable import SurveyCore

/// What the pipeline makes of 1,555 place cells chosen from the adversarial probe sets of the seventh session's
/// place rounds (Fixtures/places/README.md): a golden file of outcomes, so that a change to place resolution, or
/// to the place tables, shows as a diff of the cells it moves, to be read and re-recorded on purpose.
@Suite struct PlaceProbeTests {
  struct Probe {
    var set, family, district, commune: String
    /// Before the 2025 reorganisation (a survey date in 2024), so only legacy communes are read.
    var legacy: Bool
    /// What the probe set's generator expected: a district code (or several), CONFLICT, AMB or OUT.
    var truth: String
  }

  static func probes() throws -> [Probe] {
    let text = try String(contentsOf: fixturesRoot.appendingPathComponent("places/probes.tsv"), encoding: .utf8)
    return text.split(separator: "\n").dropFirst().map { line in
      let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      return Probe(
        set: cells[0], family: cells[1], district: cells[2], commune: cells[3], legacy: cells[4] == "L",
        truth: cells[5])
    }
  }

  @Test func everyProbeGivesTheRecordedOutcome() throws {
    let probes = try Self.probes()
    #expect(probes.count == 1_555)
    let input = try TemporaryFolder("place-probes-in")
    let run = try TemporaryFolder("place-probes-run")
    defer {
      input.cleanUp()
      run.cleanUp()
    }
    var rows = [
      [
        "STT", "Mã số thuế", "Tên cơ sở", "Loại hình", "Huyện/Thành phố", "Xã/Phường/Thị trấn", "Ngành nghề chính",
        "Số lao động", "Nhu cầu hỗ trợ", "Ngày khảo sát",
      ]
    ]
    for (index, probe) in probes.enumerated() {
      rows.append([
        String(index + 1), String(2_000_000_000 + index), "Cơ sở thử \(index + 1)", "Hộ kinh doanh", probe.district,
        probe.commune, "Mộc", "10", "Đào tạo nghề", probe.legacy ? "15/05/2024" : "15/10/2025",
      ])
    }
    try Data(rows.map { CSVWriter.line($0) }.joined().utf8).write(to: input.file("probes.csv"))
    try IngestStage.run(
      files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema())
    let summary = try NormaliseStage.run(
      runDirectory: run.url, reference: try shippedReference(), corrections: Corrections())
    #expect(summary.totals.rowsIn == probes.count)

    var outcomes: [Int: String] = [:]
    func each(_ name: String, _ body: ([String: String]) -> String) throws {
      let table = try readArtefact(run.file(name))
      for row in table.rows {
        let cells = Dictionary(uniqueKeysWithValues: zip(table.header, row))
        let line = Int(cells["source_line"]!)!
        if outcomes[line] == nil { outcomes[line] = body(cells) }
      }
    }
    try each(ArtefactName.establishments) {
      "resolved \($0["district_code"]!) commune \($0["commune_code"]!.isEmpty ? "-" : $0["commune_code"]!) "
        + "(\($0["place_from"]!), \($0["place_match"]!))" + ($0["problems"]!.isEmpty ? "" : "; \($0["problems"]!)")
    }
    try each(ArtefactName.review) { "review \($0["column"]!): \($0["reason"]!) [\($0["suggestions"]!)]" }
    try each(ArtefactName.rejects) { "rejected \($0["column"]!): \($0["reason"]!)" }
    let lines = probes.enumerated().map { index, probe in
      [probe.set, probe.family, probe.district, probe.commune, probe.legacy ? "L" : "", probe.truth].joined(
        separator: "\t") + "\t=> " + (outcomes[index + 2] ?? "MISSING")
    }
    #expect(!lines.contains { $0.hasSuffix("=> MISSING") })
    try expectGolden(lines.joined(separator: "\n") + "\n", "places/expected.txt")
  }
}
