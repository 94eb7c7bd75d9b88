import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  /// The stage's byte path (`RowNormaliser+Bytes`) against the String path it caches, row by row as the
  /// first stage did it (`NormaliseStreamingTests.runHoldingEveryRow`): the same bytes in every artefact, on
  /// real ingest output (the messy survey generator's spellings, numbers, dates and tax codes; the samples).
  @Suite struct NormaliseFastPathTests {
    /// Ingests `input` into two run folders, normalises one with the stage and one through the String path.
    func compare(input: URL, corrections: Corrections = Corrections()) throws -> Int {
      let work = try TemporaryFolder("fast-path")
      defer { work.cleanUp() }
      let expected = try work.folder("expected")
      let actual = try work.folder("actual")
      let blocks = try work.folder("blocks")
      let files = try IngestStage.inputFiles(in: input)
      for run in [expected, actual, blocks] {
        try IngestStage.run(files: files, runDirectory: run, schema: try shippedSchema())
      }
      // The stage reading ingested.csv, and reading many small blocks of staged rows on two threads.
      try? FileManager.default.removeItem(
        at: StagedRows.companion(of: actual.appendingPathComponent(ArtefactName.ingested)))
      try writeCompanion(of: blocks.appendingPathComponent(ArtefactName.ingested))
      let reference = try shippedReference()
      try NormaliseStreamingTests.runHoldingEveryRow(
        runDirectory: expected, reference: reference, corrections: corrections)
      try NormaliseStage.run(runDirectory: actual, reference: reference, corrections: corrections)
      try NormaliseStage.run(runDirectory: blocks, reference: reference, corrections: corrections)
      for artefact in [
        ArtefactName.establishments, ArtefactName.duplicates, ArtefactName.review, ArtefactName.rejects,
        ArtefactName.normaliseSummary,
      ] {
        let want = try Data(contentsOf: expected.appendingPathComponent(artefact))
        for run in [actual, blocks] {
          let got = try Data(contentsOf: run.appendingPathComponent(artefact))
          let same = got == want  // a Bool: Swift Testing would diff two large Data values for minutes
          #expect(same, "\(run.lastPathComponent): \(artefact) differs")
        }
      }
      return try readArtefact(actual.appendingPathComponent(ArtefactName.establishments)).rows.count
    }

    @Test(arguments: [2, 3])
    func messySurveyGivesTheStringPathsBytes(seed: Int) throws {
      let work = try TemporaryFolder("messy-fast")
      defer { work.cleanUp() }
      let input = try work.folder("input")
      let generator = Process()
      generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      generator.arguments = [
        "python3", repositoryRoot.appendingPathComponent("scripts/generate-messy-survey").path,
        "--out-dir", input.path, "--truth", work.file("truth.csv").path, "--rows", "3000", "--seed", String(seed),
      ]
      try generator.run()
      generator.waitUntilExit()
      try #require(generator.terminationStatus == 0, "the generator failed")
      #expect(try compare(input: input) > 2500)
    }

    /// A number no establishment could have (negative, an amount written in đồng, a tax code in the employees
    /// column) is left blank with a remark, on both paths: aggregate refused such a row, which failed the whole
    /// night, and two rows of 9×10¹⁸ workers overflowed its sums (a helper's report round).
    @Test func implausibleNumbersAreLeftOutAndTheLaterStagesRun() throws {
      let work = try TemporaryFolder("implausible")
      defer { work.cleanUp() }
      let input = try work.folder("input")
      let header =
        "STT,Tên cơ sở,Mã số thuế,Loại hình,Xã/Phường/Thị trấn,Huyện/Thành phố,Ngành nghề chính,Số lao động,"
        + "Doanh thu năm (triệu đồng),Đào tạo nghề,Số lao động cần đào tạo (người),Kinh phí đề nghị hỗ trợ (triệu đồng),"
        + "Ngày khảo sát"
      let rows = [
        "1,Cơ sở Một,,Hộ kinh doanh,Xã Phú Lương,Đông Hưng,Dệt may,9000000000000000000,100,x,5,-150,20/10/2025",
        "2,Cơ sở Hai,,Hộ kinh doanh,Xã Phú Lương,Đông Hưng,Dệt may,9000000000000000000,100,x,5,1000000000000,20/10/2025",
        "3,Cơ sở Ba,,Hộ kinh doanh,Xã Phú Lương,Đông Hưng,Dệt may,12,-5,x,-3,\"150.000.000\",20/10/2025",
        "4,Cơ sở Bốn,,Hộ kinh doanh,Xã Phú Lương,Đông Hưng,Dệt may,1.000.000,100,x,1000001,\"1.000.000\",20/10/2025",
      ]
      try (([header] + rows).joined(separator: "\n") + "\n").write(
        to: input.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
      #expect(try compare(input: input) == 4)

      let run = try work.folder("run")
      try IngestStage.run(files: try IngestStage.inputFiles(in: input), runDirectory: run, schema: try shippedSchema())
      try NormaliseStage.run(runDirectory: run, reference: try shippedReference(), corrections: Corrections())
      let table = try readArtefact(run.appendingPathComponent(ArtefactName.establishments))
      let cells = table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0)) }
      #expect(cells.map { $0["employees"]! } == ["", "", "12", "1000000"])
      #expect(cells.map { $0["support_requested_mvnd"]! } == ["", "", "", "1000000"])
      #expect(cells.map { $0["revenue_mvnd"]! } == ["100", "100", "", "100"])
      #expect(cells.map { $0["trainees"]! } == ["5", "5", "", ""])
      #expect(cells[2]["problems"]!.contains("trainees -3 left blank"), "\(cells[2])")
      #expect(cells[0]["problems"]!.contains("employees 9000000000000000000 left blank"), "\(cells[0])")
      #expect(cells[0]["problems"]!.contains("support_requested -150 left blank"))
      #expect(cells[2]["problems"]!.contains("support_requested 150.000.000 left blank"))
      let aggregates = try AggregateStage.run(runDirectory: run, reference: referenceFolder)
      #expect(aggregates.province.surveyed.establishments == 4)
      #expect(aggregates.province.surveyed.employees == 1_000_012)
      // The remarks reach the report, which analysts read, not only establishments.csv (a helper's round).
      let summary = try StableJSON.read(
        NormaliseSummary.self, from: run.appendingPathComponent(ArtefactName.normaliseSummary))
      #expect(summary.totals.remarked == 4)
      try ReportStage.run(runDirectory: run, reference: referenceFolder, options: ReportOptions())
      let report = try String(contentsOf: run.appendingPathComponent(ArtefactName.report), encoding: .utf8)
      #expect(report.contains("4 cơ sở được tính kèm lưu ý ở cột `problems` trong `establishments.csv`"))
    }

    /// Spellings read this round (i or y, a cell without diacritics) give both paths the same bytes, and the
    /// readings the String path gives (a helper's round on the survey's spellings).
    @Test func iAndYAndCellsWithoutDiacriticsGiveTheStringPathsBytes() throws {
      let work = try TemporaryFolder("iy-plain")
      defer { work.cleanUp() }
      let input = try work.folder("input")
      let rows = [
        "STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Ngành nghề chính,Số lao động,Nhu cầu hỗ trợ,Ngày khảo sát",
        "1,Cơ sở Một,Công ti TNHH,Đông Hưng,Thủ công mĩ nghệ,12,Dao tao - tap huan,20/10/2025",
        "2,Cơ sở Hai,Cong ty TNHH Hai,Đông Hưng,Co khi sua chua,8,Đào tạo - tập huấn; Nâng cao năng lực quản lí,20/10/2025",
        "3,Cơ sở Ba,Hộ kinh doanh,Đông Hưng,Máy,5,Quan ly - tap huan,20/10/2025",
      ]
      try (rows.joined(separator: "\n") + "\n").write(
        to: input.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
      #expect(try compare(input: input) == 3)

      let run = try work.folder("run")
      try IngestStage.run(files: try IngestStage.inputFiles(in: input), runDirectory: run, schema: try shippedSchema())
      try NormaliseStage.run(runDirectory: run, reference: try shippedReference(), corrections: Corrections())
      let table = try readArtefact(run.appendingPathComponent(ArtefactName.establishments))
      let cells = table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0)) }
      try #require(cells.count == 3, "\(cells)")
      #expect(cells.map { $0["enterprise_type"]! } == ["company", "company", "household"])
      #expect(cells.map { $0["sector"]! } == ["handicrafts", "mechanical", ""])
      #expect(cells.map { $0["needs"]! } == ["training", "training;management", "management"])
      #expect(cells[0]["problems"]! == "" && cells[1]["problems"]! == "", "\(cells)")
      #expect(cells[2]["problems"]!.contains("Máy") && !cells[2]["problems"]!.contains("tap huan"), "\(cells[2])")
    }

    /// Place names written with i for y (or y for i) give both paths the same bytes, each place read at the tier
    /// its table spelling is (a helper's round on the i/y spellings of places: "Kì Bá", "An Quí", "Mĩ Lộc" were
    /// sent to review, "Hồng Lí" found only by the near match).
    @Test func placesWrittenWithIForYGiveTheStringPathsBytes() throws {
      let work = try TemporaryFolder("iy-places")
      defer { work.cleanUp() }
      let input = try work.folder("input")
      let rows = [
        "STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Xã/Phường/Thị trấn,Ngành nghề chính,Số lao động,Ngày khảo sát",
        "1,Cơ sở Một,Hộ kinh doanh,,Phường Kì Bá,Mộc,5,20/05/2024",
        "2,Cơ sở Hai,Hộ kinh doanh,,Xã An Quí,Mộc,5,20/10/2025",
        "3,Cơ sở Ba,Hộ kinh doanh,Thái Thụy,Mĩ Lộc,Mộc,5,20/10/2025",
        "4,Cơ sở Bốn,Hộ kinh doanh,,Hồng Lí,Mộc,5,20/10/2025",
        "5,Cơ sở Năm,Hộ kinh doanh,Vũ Thư,Hong Li,Mộc,5,20/10/2025",
        "6,Cơ sở Sáu,Hộ kinh doanh,Đông Hưng,Trà Lí,Mộc,5,20/10/2025",
        "7,Cơ sở Bảy,Hộ kinh doanh,,Phường Trà Lí,Mộc,5,20/10/2025",
        "8,Cơ sở Tám,Hộ kinh doanh,TX Mĩ Hào,,Mộc,5,20/10/2025",
        "9,Cơ sở Chín,Hộ kinh doanh,,Đông Mỹ,Mộc,5,20/05/2024",
      ]
      try (rows.joined(separator: "\n") + "\n").write(
        to: input.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
      #expect(try compare(input: input) == 7)

      let run = try work.folder("run")
      try IngestStage.run(files: try IngestStage.inputFiles(in: input), runDirectory: run, schema: try shippedSchema())
      try NormaliseStage.run(runDirectory: run, reference: try shippedReference(), corrections: Corrections())
      let table = try readArtefact(run.appendingPathComponent(ArtefactName.establishments))
      let cells = table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0)) }
      #expect(
        cells.map { [$0["district_code"]!, $0["commune_code"]!, $0["place_match"]!, $0["problems"]!] } == [
          ["336", "12442", "exact", ""], ["338", "12538", "exact", ""], ["341", "12949", "exact", ""],
          ["344", "13195", "exact", ""], ["344", "13195", "exact", ""], ["340", "", "exact", ""],
          ["336", "12817", "exact", ""],
        ], "\(cells)")
      let review = try readArtefact(run.appendingPathComponent(ArtefactName.review))
      #expect(review.rows.count == 1 && review.rows[0].contains("Phường Trà Lí"), "\(review)")
      let rejects = try readArtefact(run.appendingPathComponent(ArtefactName.rejects))
      #expect(rejects.rows.count == 1 && rejects.rows[0].joined().contains("Mỹ Hào"), "\(rejects)")
    }

    @Test func shippedSamplesGiveTheStringPathsBytes() throws {
      let corrections = Corrections([
        correction("district", "Kien Xuong", "343", file: "2025-10-dong-hung.csv"),
        correction("enterprise_type", "Hộ SX", "household"),
        correction("sector", "Dệt", "textiles"),
      ])
      #expect(try compare(input: repositoryRoot.appendingPathComponent("input"), corrections: corrections) > 150)
    }
  }
}
