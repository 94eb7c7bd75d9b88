import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  @Suite struct NormaliseStageTests {
    static let header =
      "STT,Mã số thuế,Tên cơ sở,Loại hình,Huyện/Thành phố,Xã/Phường/Thị trấn,Ngành nghề chính,Số lao động,"
      + "Doanh thu năm (triệu đồng),Nhu cầu hỗ trợ,Ngày khảo sát\n"

    /// Ingests `files` (name → body after `header`) and normalises them with `corrections`; without ingest's
    /// companion (`fromCompanion` false), normalise parses `ingested.csv`, as after a companion that was lost.
    func run(
      _ files: [String: String], header: String = Self.header, corrections: [Correction] = [],
      wording: RowWording = .english, today: SurveyDate? = nil, fromCompanion: Bool = true
    ) throws -> (TemporaryFolder, NormaliseSummary) {
      let input = try TemporaryFolder("normalise-in")
      defer { input.cleanUp() }
      let run = try TemporaryFolder("normalise-run")
      for (name, body) in files { try Data((header + body).utf8).write(to: input.file(name)) }
      try IngestStage.run(
        files: try IngestStage.inputFiles(in: input.url), runDirectory: run.url, schema: try shippedSchema(),
        wording: wording)
      if !fromCompanion { try FileManager.default.removeItem(at: run.file("ingested.rows")) }
      let summary = try NormaliseStage.run(
        runDirectory: run.url, reference: try shippedReference(), corrections: Corrections(corrections),
        wording: wording, today: today)
      return (run, summary)
    }

    /// Normalises the rows `run` staged once more, in a folder of its own, with every row through the String
    /// path (`NormaliseStreamingTests.runHoldingEveryRow`): that folder, and its summary.
    func throughTheStringPath(_ run: TemporaryFolder, corrections: [Correction], today: SurveyDate? = nil) throws -> (
      TemporaryFolder, NormaliseSummary
    ) {
      let folder = try TemporaryFolder("normalise-string-path")
      for name in [ArtefactName.ingested, ArtefactName.ingestSummary, ArtefactName.rejects] {
        try FileManager.default.copyItem(at: run.file(name), to: folder.file(name))
      }
      try NormaliseStreamingTests.runHoldingEveryRow(
        runDirectory: folder.url, reference: try shippedReference(), corrections: Corrections(corrections),
        today: today)
      return (folder, try StableJSON.read(NormaliseSummary.self, from: folder.file(ArtefactName.normaliseSummary)))
    }

    func rows(_ run: TemporaryFolder, _ name: String) throws -> [[String: String]] {
      let table = try readArtefact(run.file(name))
      return table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0)) }
    }

    /// Forty countable rows in one file: enough for several small companion blocks.
    static let fortyRows = (1...40).map { "\($0),,Cơ sở \($0),HTX,Vũ Thư,,,5,,,\n" }.joined()

    /// Normalises `run` again, expecting it to stop with `message`: the first run's establishments stay as they
    /// were (nothing half-written replaced them) and no temporary file is left.
    func expectStops(_ run: TemporaryFolder, with message: String, sourceLocation: SourceLocation = #_sourceLocation)
      throws
    {
      let before = try Data(contentsOf: run.file(ArtefactName.establishments))
      let error = try #require(throws: PipelineError.self, sourceLocation: sourceLocation) {
        try NormaliseStage.run(runDirectory: run.url, reference: try shippedReference(), corrections: Corrections())
      }
      #expect(error.description == message, "\(error)", sourceLocation: sourceLocation)
      let after = try Data(contentsOf: run.file(ArtefactName.establishments))
      #expect(after == before, sourceLocation: sourceLocation)
      let left = try FileManager.default.contentsOfDirectory(atPath: run.url.path).filter { $0.hasPrefix(".") }
      #expect(left.isEmpty, "temporary files left: \(left)", sourceLocation: sourceLocation)
    }

    @Test func canonicalValuesInTheContractsColumns() throws {
      let (run, summary) = try run([
        "a.csv": """
        1,1000 123.456,Cơ sở Mây tre Hà,Cty TNHH,H. Vũ Thư,Xã Vũ Hội,Mây tre đan,1.250,"2,5","SXSH, XTTM; ĐT nghề",15/03/2024
        2,,Hộ ông Ba,Hộ KD,,Vũ Tiên,Bún,15 người,120 tr,CCN,45366

        """
      ])
      defer { run.cleanUp() }
      let table = try readArtefact(run.file(ArtefactName.establishments))
      #expect(
        Array(table.header.prefix(16)) == [
          "source_file", "source_line", "tax_code", "name", "enterprise_type", "district_code", "district", "commune",
          "sector", "employees", "revenue_mvnd", "trainees", "support_requested_mvnd", "previously_supported",
          "survey_date", "needs",
        ])
      let out = try rows(run, ArtefactName.establishments)
      #expect(out.count == 2)
      #expect(out[0]["tax_code"] == "1000123456" && out[0]["enterprise_type"] == "company")
      #expect(
        out[0]["district_code"] == "344" && out[0]["district"] == "Huyện Vũ Thư" && out[0]["commune"] == "Xã Vũ Hội")
      #expect(out[0]["employees"] == "1250" && out[0]["revenue_mvnd"] == "2.5" && out[0]["sector"] == "handicrafts")
      #expect(out[0]["needs"] == "training;clean_production;marketing" && out[0]["survey_date"] == "2024-03-15")
      #expect(
        out[1]["district_code"] == "344" && out[1]["place_from"] == "commune" && out[1]["commune_code"] == "13279")
      #expect(out[1]["employees"] == "15" && out[1]["revenue_mvnd"] == "120" && out[1]["survey_date"] == "2024-03-15")
      #expect(summary.totals.counted == 2)
    }

    @Test func duplicatesInsideOneFileAndAcrossFiles() throws {
      let (run, summary) = try run([
        "a.csv": """
        1,1000000001,Cơ sở A,HTX,Đông Hưng,,,5,,,01/03/2024
        2,1000000001,Cơ sở A (sửa),HTX,Đông Hưng,,,6,,,02/03/2024
        3,1000000002,Cơ sở B,HTX,Tiền Hải,,,5,,,01/03/2024
        4,,Hộ Nguyễn Văn Nam,Hộ KD,Vũ Thư,Vũ Hội,,3,,,
        5,,Hộ Nguyễn Văn Nam,Hộ KD,Vũ Thư,Vũ Hội,,4,,,

        """,
        "b.csv": "1,1000000002,Cơ sở B,HTX,Tiền Hải,,,7,,,01/03/2024\n",
      ])
      defer { run.cleanUp() }
      let out = try rows(run, ArtefactName.establishments)
      #expect(
        out.map { "\($0["source_file"]!):\($0["source_line"]!)" } == ["a.csv:3", "a.csv:5", "a.csv:6", "b.csv:2"])
      let duplicates = try rows(run, ArtefactName.duplicates)
      let pairs = duplicates.map {
        "\($0["source_file"]!):\($0["source_line"]!)>\($0["kept_file"]!):\($0["kept_line"]!) \($0["kind"]!)"
      }
      #expect(
        pairs == ["a.csv:2>a.csv:3 duplicate", "a.csv:4>b.csv:2 duplicate", "a.csv:6>a.csv:5 possible_duplicate"])
      #expect(summary.totals.duplicates == 2 && summary.totals.possibleDuplicates == 1 && summary.totals.counted == 4)
      let a = summary.files.first { $0.file == "a.csv" }!.counts
      #expect(a.rowsIn == a.counted + a.duplicates + a.review + a.rejected)
    }

    @Test func reviewRejectsAndTheAccounting() throws {
      let (run, summary) = try run([
        "a.csv": """
        1,,Cơ sở A,HTX,,Phường Trà Lý,,5,,,01/08/2025
        2,,Cơ sở B,HTX,,Minh Tân,,5,,,
        3,,Cơ sở C,HTX,Huyện Kim Động,,,5,,,
        4,,,HTX,Vũ Thư,,,5,,,
        5,,Cơ sở E,Làng nghề,Vũ Thư,,,5,,,
        6,,Cơ sở F,HTX,,,,5,,,
        7,,Cơ sở G,HTX,Kien Xuonh,,,5,,,

        """
      ])
      defer { run.cleanUp() }
      let review = try rows(run, ArtefactName.review)
      #expect(review.map { $0["source_line"]! } == ["2", "3"])
      #expect(review[0]["reason"] == "new commune spans two old districts")
      #expect(review[0]["suggestions"]!.contains("Huyện Đông Hưng (340)"))
      let rejects = try rows(run, ArtefactName.rejects)
      #expect(rejects.map { $0["source_line"]! } == ["4", "5", "6", "7"])
      #expect(rejects.allSatisfy { $0["stage"] == "normalise" })
      #expect(rejects[0]["reason"]!.contains("outside the province"))
      #expect(rejects[1]["reason"] == "no establishment name")
      #expect(rejects[2]["column"] == "enterprise_type" && rejects[2]["value"] == "Làng nghề")
      let counted = try rows(run, ArtefactName.establishments)
      #expect(counted.count == 1 && counted[0]["place_match"] == "fuzzy:1")
      let totals = summary.totals
      #expect(totals.rowsIn == 7 && totals.counted == 1 && totals.review == 2 && totals.rejected == 4)
      #expect(totals.fuzzyMatches == 1)
    }

    /// The communes were merged on 1 July 2025, so a survey made that day names the new ones. Phường Trần Lãm was a
    /// ward of the city until then and spans the city and Kiến Xương since: surveyed the day before, the name is the
    /// old ward's and the row is counted in the city; surveyed on the day, it may be the new ward's too, and an analyst
    /// is asked which old district it lies in. On either path.
    @Test(arguments: [false, true])
    func aSurveyOnTheDayTheCommunesMergedNamesTheNewOnes(fromCompanion: Bool) throws {
      let text =
        "1,,Cơ sở thêu ren Kỳ Bá,Hộ KD,,Phường Trần Lãm,,6,,Đào tạo nghề,30/06/2025\n"
        + "2,,Cơ sở mộc Vũ Chính,Hộ KD,,Phường Trần Lãm,,9,,Đào tạo nghề,01/07/2025\n"
        + "3,,Cơ sở may Tây Sơn,Hộ KD,,Phường Trần Lãm,,4,,Đào tạo nghề,2025-07-01\n"
      let (run, _) = try run(["tp-thai-binh.csv": text], fromCompanion: fromCompanion)
      defer { run.cleanUp() }
      let counted = try rows(run, ArtefactName.establishments)
      #expect(counted.map { "\($0["source_line"]!) \($0["district_code"]!)" } == ["2 336"])
      let review = try rows(run, ArtefactName.review)
      #expect(review.map(\.["source_line"]) == ["3", "4"])
      #expect(review.map(\.["reason"]) == Array(repeating: RowWording.english.communeInSeveralDistricts, count: 2))
    }

    @Test func placeholderNamesAProvinceForADistrictAndBlankEmployeesAreSaidAsWhatTheyAre() throws {
      let (run, summary) = try run([
        "a.csv": """
        1,,-,HTX,Vũ Thư,,,5,,,
        2,,...,HTX,Vũ Thư,,,5,,,
        3,,"\"\"",HTX,Vũ Thư,,,5,,,
        4,,Cơ sở D,HTX,Hưng Yên,,,5,,,
        5,,Cơ sở E,HTX,Thai Binh city,,,5,,,
        6,,X,HTX,Vũ Thư,,,5,,,
        7,,Cơ sở G,HTX,Vũ Thư,,,,,,
        8,,Cơ sở H,HTX,Vũ Thư,,, ,,,

        """
      ])
      defer { run.cleanUp() }
      let rejects = try rows(run, ArtefactName.rejects)
      #expect(rejects.map { $0["source_line"]! } == ["2", "3", "4", "5"])
      #expect(rejects.prefix(3).allSatisfy { $0["reason"] == "no establishment name" && $0["column"] == "name" })
      #expect(rejects.prefix(3).map { $0["value"]! } == ["-", "...", "\""])
      #expect(rejects[3]["reason"] == RowWording.english.onlyProvinceGiven)
      #expect(rejects[3]["column"] == "district" && rejects[3]["value"] == "Hưng Yên")
      let counted = try rows(run, ArtefactName.establishments)
      #expect(counted.map { $0["name"]! } == ["Cơ sở E", "X", "Cơ sở G", "Cơ sở H"])
      #expect(counted[0]["district_code"] == "336")
      // A blank employees cell (required by the form) is counted and said.
      let noEmployees = RowWording.english.noEmployees
      #expect(counted.map { $0["problems"]! } == ["", "", noEmployees, noEmployees])
      #expect(summary.totals.rowsIn == 8 && summary.totals.counted == 4 && summary.totals.rejected == 4)
    }

    /// The nightly run's lists in Vietnamese: every reason an analyst reads, from both stages, with the values
    /// quoted as written; the rows and counts are the English run's.
    @Test func theRowListsSpeakVietnameseWhenAsked() throws {
      let body = """
        1,,Cơ sở A,HTX,,Phường Trà Lý,,5,,,01/08/2025
        2,,Cơ sở B,HTX,Nam Định,,,5,,,
        3,,,HTX,Vũ Thư,,,5,,,
        4,1042828485,Cơ sở D,HTX,Vũ Thư,,,5,,,
        5,1042828485,Cơ sở D,HTX,Vũ Thư,,Xyz,năm,,,
        6,,Cơ sở F,Làng nghề,Vũ Thư,,,5,,,
        7,,Cơ sở G\u{7},HTX,Vũ Thư,,,5,,,

        """
      let files = ["a.csv": body, "b.csv": "8,\"unclosed,HTX\n"]
      let (vi, viSummary) = try run(files, wording: .vietnamese)
      let (en, enSummary) = try run(files)
      defer {
        vi.cleanUp()
        en.cleanUp()
      }
      #expect(viSummary.totals == enSummary.totals)
      let w = RowWording.vietnamese
      let review = try rows(vi, ArtefactName.review)
      #expect(review.map { $0["reason"] } == [w.newCommuneSpansDistricts])
      #expect(review.first?["suggestions"]?.contains("Phường Trà Lý [từ 2025]") == true)
      let rejects = try rows(vi, ArtefactName.rejects).map {
        "\($0["source_file"]!):\($0["source_line"]!) \($0["reason"]!)"
      }
      #expect(
        rejects == [
          "a.csv:8 \(w.controlCharacters)",
          "b.csv:2 \(w.fileSetAside(.unterminatedQuote))",
          "a.csv:3 \(w.outside("Thành phố Nam Định (Tỉnh Nam Định)"))",
          "a.csv:4 \(w.noName)",
          "a.csv:7 \(w.typeMatchesNone)",
        ])
      #expect(rejects.contains { $0.hasPrefix("b.csv:2 tệp bị để riêng: một ô mở dấu ngoặc kép") })
      let duplicates = try rows(vi, ArtefactName.duplicates)
      #expect(duplicates.map { $0["reason"] } == [w.sameTaxCode("1042828485", .laterRow(sameDate: nil))])
      let counted = try rows(vi, ArtefactName.establishments)
      #expect(counted.map { $0["problems"] } == [w.notRead(.employees, "năm") + "; " + w.sectorNotRecognised("Xyz")])
      #expect(counted.first?["problems"] == "không đọc được số lao động: năm; không nhận ra ngành nghề: Xyz")
      let english = try rows(en, ArtefactName.duplicates)
      #expect(
        english.map { $0["reason"] } == ["same tax code 1042828485, no survey date on either; the later row stands"])
    }

    /// duplicates.csv says which of the form's rules chose the row that stands: it said "the later survey stands"
    /// for a tie settled by file or row order, and for a row whose date could not be read, which an analyst could
    /// not check.
    @Test func duplicatesSayWhichRuleChoseTheRowThatStands() throws {
      let a = """
        1,1000000001,Cơ sở A,HTX,Vũ Thư,,,5,,,10/11/2025
        2,1000000001,Cơ sở A,HTX,Vũ Thư,,,5,,,20/11/2025
        3,1000000002,Cơ sở B,HTX,Vũ Thư,,,5,,,
        4,1000000002,Cơ sở B,HTX,Vũ Thư,,,5,,,15/11/2025
        5,1000000003,Cơ sở C,HTX,Vũ Thư,,,5,,,15/11/2025
        6,1000000003,Cơ sở C,HTX,Vũ Thư,,,5,,,15/11/2025
        7,1000000004,Cơ sở D,HTX,Vũ Thư,,,5,,,
        8,1000000005,Cơ sở E,HTX,Vũ Thư,,,5,,,12/11/2025

        """
      let b = """
        1,1000000004,Cơ sở D,HTX,Vũ Thư,,,5,,,
        2,1000000005,Cơ sở E,HTX,Vũ Thư,,,5,,,31/02/2025

        """
      let (run, summary) = try run(["a.csv": a, "b.csv": b])
      defer { run.cleanUp() }
      let duplicates = try rows(run, ArtefactName.duplicates).map {
        "\($0["source_file"]!):\($0["source_line"]!) \($0["kept_file"]!):\($0["kept_line"]!) \($0["reason"]!)"
      }
      #expect(
        duplicates == [
          "a.csv:2 a.csv:3 same tax code 1000000001; the later survey stands (20/11/2025; this one 10/11/2025)",
          "a.csv:4 a.csv:5 same tax code 1000000002; the survey with a date stands (15/11/2025; this one has none)",
          "a.csv:6 a.csv:7 same tax code 1000000003, same survey date (15/11/2025); the later row stands",
          "a.csv:8 b.csv:2 same tax code 1000000004, no survey date on either; the file later by name stands",
          "b.csv:3 a.csv:9 same tax code 1000000005; the survey with a date stands (12/11/2025; this one has none)",
        ])
      #expect(summary.totals.duplicates == 5)
      // The reference (every row held, then `Deduplicator`) words each reason alike.
      let (held, _) = try throughTheStringPath(run, corrections: [])
      defer { held.cleanUp() }
      #expect(
        try Data(contentsOf: held.file(ArtefactName.duplicates)) == Data(contentsOf: run.file(ArtefactName.duplicates)))
      let vi = RowWording.vietnamese.sameTaxCode("1000000003", .laterFile(sameDate: "15/11/2025"))
      #expect(vi == "trùng mã số thuế 1000000003, cùng ngày khảo sát (15/11/2025); lấy tệp xếp sau theo tên")
    }

    /// One tax code under two districts may be a mistyped code joining two establishments: the merge stands, as the
    /// form says, but duplicates.csv names both districts and the summary counts it. Before, its reason read as any
    /// merge, and the establishment of the row merged away vanished from its district unsaid.
    @Test func aMergeByTaxCodeAcrossDistrictsSaysSo() throws {
      let a = """
        1,1000000001,Cơ sở May Hồng,HTX,Vũ Thư,,,5,,,10/11/2025
        2,1000000002,Cơ sở Gạch Minh,HTX,Vũ Thư,,,5,,,10/11/2025
        3,1000000003,Cơ sở Mây Hoa,HTX,,Xã Lô Giang,,5,,,10/11/2025

        """
      let b = """
        1,1000000001,Công ty Cơ khí Thắng,HTX,Kiến Xương,,,5,,,20/11/2025
        2,1000000002,Cơ sở Gạch Minh,HTX,vu thu,,,5,,,20/11/2025
        3,1000000003,Cơ sở Mây Hoa,HTX,Đông Hưng,,,5,,,20/11/2025

        """
      for (language, wording, expected, sentence) in [
        (
          ReportLanguage.en, RowWording.english,
          [
            "a.csv:2 same tax code 1000000001; the later survey stands (20/11/2025; this one 10/11/2025); the row that "
              + "stands is in Huyện Kiến Xương, this one in Huyện Vũ Thư: if they are two establishments, correct the "
              + "tax code in the survey file",
            "a.csv:3 same tax code 1000000002; the later survey stands (20/11/2025; this one 10/11/2025)",
            // Lô Giang's district, which the commune gives, is the other file's: no remark.
            "a.csv:4 same tax code 1000000003; the later survey stands (20/11/2025; this one 10/11/2025)",
          ],
          "1 row merged by tax code into a row of another district: the code may be mistyped"
        ),
        (
          .vi, RowWording.vietnamese,
          [
            "a.csv:2 trùng mã số thuế 1000000001; lấy phiếu khảo sát sau (20/11/2025; phiếu này 10/11/2025); phiếu "
              + "được lấy ở Huyện Kiến Xương, phiếu này ở Huyện Vũ Thư: nếu là hai cơ sở khác nhau, sửa mã số thuế "
              + "trong tệp khảo sát",
            "a.csv:3 trùng mã số thuế 1000000002; lấy phiếu khảo sát sau (20/11/2025; phiếu này 10/11/2025)",
            "a.csv:4 trùng mã số thuế 1000000003; lấy phiếu khảo sát sau (20/11/2025; phiếu này 10/11/2025)",
          ],
          "1 dòng trùng mã số thuế được gộp vào phiếu ở một huyện khác: mã số thuế có thể bị ghi nhầm"
        ),
      ] {
        let (run, summary) = try run(["a.csv": a, "b.csv": b], wording: wording)
        defer { run.cleanUp() }
        let duplicates = try rows(run, ArtefactName.duplicates).map {
          "\($0["source_file"]!):\($0["source_line"]!) \($0["reason"]!)"
        }
        #expect(duplicates == expected)
        #expect(summary.totals.duplicates == 3)
        #expect(summary.totals.duplicatesAcrossDistricts == 1)
        #expect(summary.files.map(\.counts.duplicatesAcrossDistricts) == [1, nil])
        // The report's data quality counts them, and says where to look.
        try AggregateStage.run(runDirectory: run.url, reference: referenceFolder)
        try ReportStage.run(
          runDirectory: run.url, reference: referenceFolder, options: ReportOptions(language: language))
        let report = try String(contentsOf: run.file(ArtefactName.report), encoding: .utf8)
        #expect(report.contains(sentence), "\(language)")
      }
    }

    /// Surveyors fill a tax code cell that must not stay blank with one digit ten times. Taken for a code, it merged
    /// every establishment so written into one, and the run asked no one to look.
    @Test func placeholderTaxCodesMergeNoSurveys() throws {
      let body = """
        1,0000000000,Cơ sở mây tre Lan,Hộ KD,Vũ Thư,Xã Hồng Lý,,5,,,10/11/2025
        2,0000000000,Cơ sở chiếu cói Hải,Hộ KD,Vũ Thư,Xã Việt Hùng,,6,,,12/11/2025
        3,1111111111-001,Cơ sở gốm Hạnh,Hộ KD,Kiến Xương,,,4,,,
        4,11111 11111-001,Cơ sở gốm Hạnh,Hộ KD,Kiến Xương,,,4,,,

        """
      for wording in [RowWording.english, .vietnamese] {
        let (run, summary) = try run(["a.csv": body], wording: wording)
        defer { run.cleanUp() }
        let counted = try rows(run, ArtefactName.establishments)
        #expect(counted.map { $0["source_line"] } == ["2", "3", "4", "5"])
        #expect(counted.map { $0["tax_code"] } == ["", "", "", ""])
        #expect(
          counted.map { $0["problems"] } == [
            wording.placeholderTaxCode("0000000000"), wording.placeholderTaxCode("0000000000"),
            wording.placeholderTaxCode("1111111111-001"), wording.placeholderTaxCode("11111 11111-001"),
          ])
        // The two rows named alike, at one place, are listed for an analyst, as rows without a code are.
        let duplicates = try rows(run, ArtefactName.duplicates)
        #expect(
          duplicates.map { "\($0["source_line"]!) \($0["kept_line"]!) \($0["kind"]!)" } == ["5 4 possible_duplicate"])
        #expect(summary.totals.counted == 4 && summary.totals.duplicates == 0)
      }
      #expect(RowWording.english.placeholderTaxCode("0000000000").hasPrefix("tax code 0000000000 is a placeholder"))
      #expect(RowWording.vietnamese.placeholderTaxCode("0000000000").hasPrefix("mã số thuế 0000000000 là số điền tạm"))
    }

    @Test func rejectsOfOtherStagesAreKeptAndOursReplacedOnARerun() throws {
      let (run, _) = try run([
        "a.csv": "1,,,HTX,Vũ Thư,,,5,,,\n2,,Cơ sở B,HTX,Vũ Thư,,,5,,,,thừa\n"
      ])
      defer { run.cleanUp() }
      let before = try rows(run, ArtefactName.rejects)
      #expect(before.map { $0["stage"]! }.sorted() == ["ingest", "normalise"])
      try NormaliseStage.run(runDirectory: run.url, reference: try shippedReference(), corrections: Corrections())
      #expect(try rows(run, ArtefactName.rejects) == before)
    }

    @Test func correctionsSettleReviewRowsOnTheNextRun() throws {
      let (run, summary) = try run(
        ["a.csv": "1,,Cơ sở A,HTX,,Minh Tân,,5,,,\n2,,Cơ sở B,Làng nghề,Dong Hung cu,,,5,,,\n"],
        corrections: [
          correction("commune", "Minh Tân", "12721"), correction("enterprise_type", "Làng nghề", "household"),
          correction("district", "Dong Hung cu", "340"),
        ])
      defer { run.cleanUp() }
      let out = try rows(run, ArtefactName.establishments)
      #expect(out.map { $0["district_code"]! } == ["340", "340"])
      #expect(out[0]["commune"] == "Xã Minh Tân" && out[0]["place_match"] == "correction")
      #expect(out[1]["enterprise_type"] == "household")
      #expect(summary.totals.correctionsApplied == 2)
    }

    /// The row lists go to analysts' spreadsheets: a cell anyone typed into the form that a spreadsheet would run
    /// as a formula ("+ Đông Hưng" shows #NAME?, "=HYPERLINK(…)" a live link) is written with a `'` before it. An
    /// entry copied from the list with that `'` still means the cell as the survey has it.
    @Test func formulaCellsInTheListsAreNeutralisedAndAnEntryCopiedFromThemApplies() throws {
      let files = ["a.csv": "1,,\"=HYPERLINK(\"\"http://x\"\")\",HTX,+ Khu Pho Moi,,,5,,,\n2,,-,HTX,Vũ Thư,,,5,,,\n"]
      let (first, summary) = try run(files)
      defer { first.cleanUp() }
      #expect(summary.totals.review == 1 && summary.totals.rejected == 1)
      let review = try rows(first, ArtefactName.review)
      #expect(review.map { $0["district"]! } == ["'+ Khu Pho Moi"])
      #expect(review.map { $0["name"]! } == ["'=HYPERLINK(\"http://x\")"])
      #expect(try rows(first, ArtefactName.rejects).map { $0["value"]! } == ["-"])  // the form's "nothing" as it is
      // The report quotes the cell as the survey has it.
      let listed = try ListedRows.read(first.file(ArtefactName.review), value: "written", leavingOut: [])
      #expect(listed.rows.map(\.value) == ["+ Khu Pho Moi"])

      let folder = try TemporaryFolder("corrections-copied")
      defer { folder.cleanUp() }
      try Data("column,written,means\ndistrict,'+ Khu Pho Moi,340\n".utf8).write(to: folder.file("corrections.csv"))
      let corrections = try Corrections.load(from: folder.file("corrections.csv"))
      #expect(corrections.all.map(\.written) == ["+ Khu Pho Moi"])
      let (again, settled) = try run(files, corrections: corrections.all)
      defer { again.cleanUp() }
      #expect(settled.totals.review == 0 && settled.totals.counted == 1)
    }

    /// A row an analyst decided lies outside the province is settled: still in rejects.csv, every row accounted
    /// for, but counted apart, so the night asks nothing of anyone for it: the run is complete with exit 0, no
    /// line for cron, and the report leaves it out of the rows to fix (in either language of the lists).
    @Test(arguments: [RowWording.english, RowWording.vietnamese])
    func rowsDecidedOutsideAreSettled(wording: RowWording) throws {
      let (decided, summary) = try run(
        ["a.csv": "1,,Cơ sở A,HTX,Khu Pho Moi,,,5,,,\n2,,Cơ sở B,HTX,Vũ Thư,,,5,,,\n3,,,HTX,Khu Pho Moi,,,5,,,\n"],
        corrections: [correction("district", "Khu Pho Moi", "outside")], wording: wording)
      defer { decided.cleanUp() }
      #expect(summary.totals.counted == 1 && summary.totals.rejected == 2 && summary.totals.decidedOutside == 2)
      #expect(try rows(decided, ArtefactName.rejects).map { $0["source_line"]! } == ["2", "4"])
      let listed = try ListedRows.read(
        decided.file(ArtefactName.rejects), value: "value", leavingOut: [], settled: RowWording.decidedOutside)
      #expect(listed.total == 0 && listed.rows.isEmpty)
      let manifest = try ManifestBuilder.build(
        RunFacts(
          runDirectory: decided.url, startedAt: Date(timeIntervalSince1970: 0),
          finishedAt: Date(timeIntervalSince1970: 1),
          stages: ["ingest:0:1", "normalise:0:1"].compactMap(StageRecord.init(argument:)), revision: "test",
          inputFolder: "/srv/input", previousRun: nil))
      #expect(manifest.status == .complete && manifest.exitCode == 0 && ManifestBuilder.attention(manifest) == nil)
      #expect(manifest.totals.rejected == 2 && manifest.totals.decidedOutside == 2)

      // A row decided outside beside one that waits: the one that waits is still said, and counted alone.
      let (mixed, _) = try run(
        ["a.csv": "1,,Cơ sở A,HTX,Khu Pho Moi,,,5,,,\n2,,,HTX,Vũ Thư,,,5,,,\n"],
        corrections: [correction("district", "Khu Pho Moi", "outside")], wording: wording)
      defer { mixed.cleanUp() }
      let waiting = try ListedRows.read(
        mixed.file(ArtefactName.rejects), value: "value", leavingOut: [], settled: RowWording.decidedOutside)
      #expect(waiting.rows.map(\.line) == ["3"])
    }

    /// More workers to train than the establishment employs is kept but said, on either path: one such row made
    /// the plan's training figure 190% (an analyst's reading of the report).
    @Test(arguments: [false, true])
    func moreTraineesThanEmployeesIsSaid(fromCompanion: Bool) throws {
      let header =
        "STT,Tên cơ sở,Loại hình,Huyện/Thành phố,Số lao động,Số lao động cần đào tạo (người),Nhu cầu hỗ trợ\n"
      let text =
        "1,Cơ sở A,HTX,Vũ Thư,1.250,2.000,Đào tạo nghề\n2,Cơ sở B,HTX,Vũ Thư,12,12,Đào tạo nghề\n"
        + "3,Cơ sở C,HTX,Vũ Thư,,5,Đào tạo nghề\n"
      let (run, _) = try run(["a.csv": text], header: header, fromCompanion: fromCompanion)
      defer { run.cleanUp() }
      let counted = try rows(run, ArtefactName.establishments)
      #expect(counted.map { $0["trainees"]! } == ["2000", "12", "5"])
      #expect(
        counted.map { $0["problems"]! } == [
          RowWording.english.traineesExceedEmployees("2000", "1250"), "", RowWording.english.noEmployees,
        ])
    }

    /// A need read by a corrections entry counts among the rows a correction applied to, on either path.
    @Test(arguments: [false, true])
    func aNeedReadByACorrectionCounts(fromCompanion: Bool) throws {
      let (run, summary) = try run(
        ["a.csv": "1,,Cơ sở A,HTX,Vũ Thư,,,5,,\"Vay vốn, Đào tạo nghề\",\n2,,Cơ sở B,HTX,Vũ Thư,,,5,,Đào tạo nghề,\n"],
        corrections: [correction("need", "Vay vốn", "none")])
      defer { run.cleanUp() }
      if fromCompanion {
        #expect(summary.totals.correctionsApplied == 1)
      } else {
        try FileManager.default.removeItem(at: run.file("ingested.rows"))
        let again = try NormaliseStage.run(
          runDirectory: run.url, reference: try shippedReference(),
          corrections: Corrections([correction("need", "Vay vốn", "none")]))
        #expect(again.totals.correctionsApplied == 1)
      }
      #expect(try rows(run, ArtefactName.establishments).map { $0["problems"]! } == ["", ""])
    }

    /// An entry for the sector or a need of a row that waits in review.csv (or was rejected) settled nothing, but
    /// is not said to match no row either (which would be wrong advice: its spelling occurs): it waits for its row.
    @Test func anEntryWhoseOnlyRowWaitsInReviewIsSaidToWaitForIt() throws {
      let (run, summary) = try run(
        [
          "a.csv": "1,,Cơ sở thêu A,HTX,,Phường Trà Lý,Thêu tay lạ,5,,Vay vốn ưu đãi,\n"
            + "2,,,HTX,Vũ Thư,,Đan cói lạ,5,,,\n"
        ],
        corrections: [
          correction("sector", "Thêu tay lạ", "textiles"), correction("need", "Vay vốn ưu đãi", "none"),
          correction("sector", "Đan cói lạ", "handicrafts"), correction("sector", "Gốm lạ", "handicrafts"),
        ])
      defer { run.cleanUp() }
      #expect(summary.totals.review == 1 && summary.totals.rejected == 1)
      #expect(
        summary.unusedCorrections?.map { "\($0.written) \($0.reason.rawValue)" } == [
          "Thêu tay lạ rows_not_counted", "Vay vốn ưu đãi rows_not_counted", "Đan cói lạ rows_not_counted",
          "Gốm lạ no_match",
        ])
    }

    /// A duplicate decision whose row, or row to stand, waits in review.csv waits for it too: it applies once
    /// that row's place is settled.
    @Test func aDuplicateDecisionWhoseRowWaitsInReviewWaitsForIt() throws {
      let (run, summary) = try run(
        [
          "f.csv": "1,,Hộ Lan,Hộ KD,,Phường Trà Lý,,5,,,\n2,,Hộ Lan,Hộ KD,Đông Hưng,,,5,,,\n"
            + "3,,Hộ Mai,Hộ KD,Đông Hưng,,,5,,,\n"
        ],
        corrections: [
          correction("duplicate", "f.csv:3", "f.csv:2"),  // row 2 is in review: waits for it
          correction("duplicate", "f.csv:2", "distinct"),  // row 2 is in review
          correction("duplicate", "f.csv:9", "distinct"),  // no such row
          correction("duplicate", "f.csv:2", "f.csv:99"),  // row 2 is in review, but no row 99 stands anywhere
        ].enumerated().map { index, entry in
          var entry = entry
          entry.location = InputLocation(file: "corrections.csv", line: index + 2)
          return entry
        })
      defer { run.cleanUp() }
      #expect(summary.totals.review == 1)
      #expect(
        summary.unusedCorrections?.map { "\($0.line) \($0.reason.rawValue)" } == [
          "2 rows_not_counted", "3 rows_not_counted", "4 no_row", "5 no_row",
        ])
    }

    /// An entry is used when a row the run settles (counts, or decides to lie outside) has a value it decided; not
    /// when a matcher finds it. One found only for rows not counted for another reason waits for them; one whose
    /// rows another cell placed decided nothing; neither is a row where a correction applied. Matchers find a
    /// spelling once, whatever rows write it, on the byte path as on the String path: a spelling first found
    /// for a row in review and then on a counted row is used.
    @Test func anEntryIsUsedOnlyWhenARowItDecidedIsSettled() throws {
      let body =
        "1,,Cơ sở A,Làng nghề,,Xã Không Tên,,5,,,\n"  // in review for its commune
        + "2,,,Hộ KD,Vũ Thư,,Thêu tay lạ,5,,Vay vốn ưu đãi,\n"  // rejected: no name
        + "3,,Cơ sở C,Hộ KD,Đông Hưng,Phường Trà Lý,,7,,,\n"  // the district cell stands over the commune entry
        + "4,,Cơ sở D,Hộ KD,Vũ Thư,,Mây tre đan lạ,8,,,\n"
        + "5,,Cơ sở E,Tổ SX,,Xã Không Tên,,5,,,\n"  // in review; the same type on the next row is counted
        + "6,,Cơ sở F,Tổ SX,Vũ Thư,,,5,,,\n"
      let entries = [
        correction("enterprise_type", "Làng nghề", "household"), correction("sector", "Thêu tay lạ", "textiles"),
        correction("need", "Vay vốn ưu đãi", "none"), correction("commune", "Phường Trà Lý", "336"),
        correction("sector", "Mây tre đan lạ", "handicrafts"), correction("enterprise_type", "Tổ SX", "coop_group"),
        correction("sector", "Gốm lạ", "handicrafts"),
      ].enumerated().map { index, entry in
        var entry = entry
        entry.location = InputLocation(file: "corrections.csv", line: index + 2)
        return entry
      }
      let (run, summary) = try run(["a.csv": body], corrections: entries)
      defer { run.cleanUp() }
      #expect(summary.totals.counted == 3 && summary.totals.review == 2 && summary.totals.rejected == 1)
      #expect(try rows(run, ArtefactName.establishments).map { $0["district_code"]! } == ["340", "344", "344"])
      #expect(
        summary.unusedCorrections?.map { "\($0.line) \($0.reason.rawValue)" } == [
          "2 rows_not_counted", "3 rows_not_counted", "4 rows_not_counted", "5 passed_over", "8 no_match",
        ])
      // Rows 5 (Mây tre đan lạ) and 7 (Tổ SX); not the rows in review nor the one rejected.
      #expect(summary.totals.correctionsApplied == 2)

      // The String path, every row through it, says the same.
      let (reference, stringPath) = try throughTheStringPath(run, corrections: entries)
      defer { reference.cleanUp() }
      #expect(stringPath == summary)
    }

    /// A row an analyst's decision placed keeps the place note its cells leave ("district X not recognised"
    /// beside a commune decided), but asks for no attention: the remarked count, which the report gives as rows
    /// to complete, falls to what is left to do once every review row is settled. A note on a row no decision
    /// placed, and another remark on a decided row, still count, on the byte path as on the String path.
    @Test func aPlaceNoteLeftByAnAnalystsDecisionAsksForNoAttention() throws {
      let body =
        "1,,Cơ sở A,Hộ KD,Xã Tiên Hưng,Vũ Hội,,5,,,\n"  // the district cell names a commune of another district
        + "2,,Cơ sở B,Hộ KD,Huyện ABC,Phường Trà Lý,,5,,,\n"  // a district not recognised, a commune spanning two
        + "3,,Cơ sở C,Hộ KD,Thái Bình,Minh Tân,,5,,,\n"  // a commune of three other districts
        + "4,,Cơ sở D,Hộ KD,Đông Hưng,Xã Lê Lợi,,5,,,\n"  // no decision: Lê Lợi lies in Kiến Xương
        + "5,,Cơ sở E,Hộ KD,Huyện ABC,Phường Trà Lý,,năm,,,\n"  // decided, but its employees are not read
      let (before, waiting) = try run(["a.csv": body])
      defer { before.cleanUp() }
      #expect(waiting.totals.review == 4 && waiting.totals.counted == 1 && waiting.totals.remarked == 1)
      let decisions = [
        correction("commune", "Vũ Hội", "344"), correction("commune", "Phường Trà Lý", "336"),
        correction("district", "Thái Bình", "336"),
      ]
      let (run, summary) = try run(["a.csv": body], corrections: decisions)
      defer { run.cleanUp() }
      let counted = try rows(run, ArtefactName.establishments)
      #expect(counted.map { $0["district_code"]! } == ["344", "336", "336", "340", "336"])
      #expect(
        counted.map { $0["problems"]! } == [
          "the district cell names a commune: Xã Tiên Hưng", "district Huyện ABC not recognised",
          "commune Minh Tân lies in Huyện Hưng Hà (339), Huyện Đông Hưng (340) or Huyện Kiến Xương (343)",
          "commune Xã Lê Lợi lies in Huyện Kiến Xương (343)",
          "district Huyện ABC not recognised; employees not read: năm",
        ])
      #expect(summary.totals.review == 0 && summary.totals.remarked == 2)

      // The String path, every row through it, says the same.
      let (reference, stringPath) = try throughTheStringPath(run, corrections: decisions)
      defer { reference.cleanUp() }
      #expect(stringPath == summary)
      // Rows staged out of order, which the stage sorts before it writes them, are told apart the same way.
      let staged = try String(contentsOf: reference.file(ArtefactName.ingested), encoding: .utf8)
        .split(separator: "\n", omittingEmptySubsequences: true)
      try ([staged[0]] + staged.dropFirst().reversed()).joined(separator: "\n").appending("\n")
        .write(to: reference.file(ArtefactName.ingested), atomically: true, encoding: .utf8)
      let shuffled = try NormaliseStage.run(
        runDirectory: reference.url, reference: try shippedReference(), corrections: Corrections(decisions))
      #expect(shuffled.totals.remarked == 2 && shuffled.totals.counted == 5)

      // The report, in either language, asks about the two rows left.
      try AggregateStage.run(runDirectory: run.url, reference: referenceFolder)
      for (language, sentence) in [
        (ReportLanguage.en, "2 establishments counted with a remark in the `problems` column"),
        (.vi, "2 cơ sở được tính kèm lưu ý ở cột `problems`"),
      ] {
        try ReportStage.run(
          runDirectory: run.url, reference: referenceFolder, options: ReportOptions(language: language))
        let report = try String(contentsOf: run.file(ArtefactName.report), encoding: .utf8)
        #expect(report.contains(sentence), "\(language)")
      }
    }

    @Test func correctionsThatSettledNoRowAreListedAndDistinctCountsAsApplied() throws {
      func at(_ line: Int, _ entry: Correction) -> Correction {
        var entry = entry
        entry.location = InputLocation(file: "corrections.csv", line: line)
        return entry
      }
      let (run, summary) = try run(
        [
          // Rows 2 and 3: one household written twice, no tax code; the analyst says they are two.
          "a.csv": "1,,Hộ Nguyễn Văn An,Hộ KD,Vũ Thư,Vũ Hội,,5,,,\n2,,Hộ Nguyễn Văn An,Hộ KD,Vũ Thư,Vũ Hội,,3,,,\n"
            + "3,,Cơ sở B,HTX,Dong Hung cu,,,5,,,\n"
        ],
        corrections: [
          at(2, correction("district", "Dong Hung cu", "340")),
          at(3, correction("district", "Kien Xuong cu", "342")),  // no row writes it
          at(4, correction("duplicate", "a.csv:3", "distinct")),
          at(5, correction("duplicate", "nosuch.csv:999", "distinct")),  // no such row
          at(6, correction("sector", "Mây tre", "handicrafts", file: "b.csv")),  // no such file
          at(7, correction("district", "Dong Hung cu", "340")),  // line 2 again, word for word
        ])
      defer { run.cleanUp() }
      #expect(summary.unusedCorrections?.map(\.line) == [3, 5, 6])
      #expect(summary.unusedCorrections?.last?.sourceFile == "b.csv")
      // The district correction on row 4, and the distinct one on row 3 (no longer a possible duplicate).
      #expect(summary.totals.correctionsApplied == 2)
      #expect(summary.totals.possibleDuplicates == 0 && summary.totals.counted == 3)
      let written = try StableJSON.read(NormaliseSummary.self, from: run.file(ArtefactName.normaliseSummary))
      #expect(written == summary)
    }

    /// Duplicate decisions that cannot apply say why; merges in a chain end at the row that stands.
    @Test func duplicateDecisionsThatCannotApplySayWhyAndChainsEndAtTheRowThatStands() throws {
      let household = ",Hộ KD,Vũ Thư,Vũ Hội,,5,,,\n"
      let (run, summary) = try run(
        [
          "a.csv": "1,,Hộ Nguyễn Văn An" + household + "2,,Hộ Nguyễn Văn An" + household
            + "3,1000000001,Cơ sở B,HTX,Vũ Thư,,,5,,,01/03/2024\n4,1000000001,Cơ sở B,HTX,Vũ Thư,,,5,,,02/03/2024\n"
            + "5,,Hộ Lê Thị Hoa" + household + "6,,Hộ Trần Văn C" + household
            + "7,,Hộ Phạm Thị D,Hộ KD,Vu Thu cu,Vũ Hội,,5,,,\n"
            + "8,1000000009,Cơ sở X,HTX,Vũ Thư,,,5,,,\n"
        ],
        corrections: [
          (2, "a.csv:4", "distinct"),  // row 4 is merged by its tax code into row 5
          (3, "a.csv:6", "distinct"),  // Hộ Lê Thị Hoa shares her name and place with no one
          (4, "a.csv:9", "distinct"),  // a row with a tax code is never a possible duplicate
          (5, "a.csv:8", "a.csv:6"), (6, "a.csv:7", "a.csv:8"),  // 8 into 6, and 7 into 8: 7 stands at 6
          (7, "a.csv:2", "a.csv:4"),  // row 4 is not counted
          (8, "A.CSV:3", "distinct"),  // rows 2 and 3 are listed together: applies (the file typed in capitals)
          (9, "a.csv:5", "a:9"),  // the row that stands for tax code 1000000001 is merged into row 9
        ].map { line, written, means in
          Correction(
            column: "duplicate", written: written, means: means, sourceFile: nil,
            location: InputLocation(file: "corrections.csv", line: line))
        } + [correction("district", "Vu Thu cu", "344")])  // row 8, merged too: it counts once
      defer { run.cleanUp() }
      #expect(
        summary.unusedCorrections?.map { "\($0.line) \($0.reason.rawValue)" } == [
          "2 merged_by_tax_code", "3 not_listed", "4 has_tax_code", "7 standing_row_not_counted",
        ])
      let duplicates = try rows(run, ArtefactName.duplicates).map {
        "\($0["source_line"]!)→\($0["kept_line"]!) \($0["kind"]!)"
      }
      #expect(duplicates == ["4→9 duplicate", "5→9 duplicate", "7→6 duplicate", "8→6 duplicate"])
      // The merges of rows 5, 7 and 8, and the distinct row 3.
      #expect(summary.totals.correctionsApplied == 4)
      #expect(summary.totals.counted == 4 && summary.totals.duplicates == 4 && summary.totals.possibleDuplicates == 0)
    }

    /// A file re-sent with a row inserted above: a merge decision that gives the name stops applying, and says
    /// which row is there now; the one without a name still applies to whatever row is at its line.
    @Test func aMergeWithANameDoesNotFollowItsLineToAnotherEstablishment() throws {
      let household = ",Hộ KD,Vũ Thư,Vũ Hội,,5,,,\n"
      // Written for rows 2 (Đào Thị Duyên) and 3 (Cơ sở Đào Thị Duyên); a new row now sits at line 2.
      let (run, summary) = try run(
        [
          "a.csv": "1,,Hộ Lê Văn Tâm" + household + "2,,Đào Thị Duyên" + household + "3,,Cơ sở Đào Thị Duyên"
            + household
        ],
        corrections: [
          Correction(
            column: "duplicate", written: "a.csv:3", means: "a.csv:2", sourceFile: nil,
            location: InputLocation(file: "corrections.csv", line: 2), name: "Đào Thị Duyên")
        ])
      defer { run.cleanUp() }
      let unused = try #require(summary.unusedCorrections?.first)
      #expect(unused.reason == .nameDiffers && unused.foundRow == "a.csv:2" && unused.foundName == "Hộ Lê Văn Tâm")
      #expect(summary.totals.counted == 3 && summary.totals.duplicates == 0 && summary.totals.correctionsApplied == 0)
      let written = try StableJSON.read(NormaliseSummary.self, from: run.file(ArtefactName.normaliseSummary))
      #expect(written == summary)
      let sentence = ReportStrings.english.unusedCorrection(unused, { $0 })
      #expect(sentence.contains("a.csv:2 is “Hộ Lê Văn Tâm”, not “Đào Thị Duyên”"))
    }

    /// A survey sent again under a new name while the old file stays, and a sheet pasted twice into one file, are
    /// said of the file, with how many rows without a tax code are counted twice; two shared rows are not.
    @Test func aFileSentAgainOrPastedTwiceIsSaidWithWhatItCounts() throws {
      let rows =
        "1,1000000001,Cơ sở A,HTX,Vũ Thư,,,5,,,\n2,1000000002,Cơ sở B,HTX,Vũ Thư,,,5,,,\n"
        + "3,,Hộ Nguyễn Văn An,Hộ KD,Vũ Thư,Vũ Hội,,5,,,\n4,,Hộ Lê Thị Hoa,Hộ KD,Vũ Thư,Vũ Hội,,5,,,\n"
      let pasted =
        "1,,Hộ Trần C,Hộ KD,Kiến Xương,,,5,,,\n2,,Hộ Phạm D,Hộ KD,Kiến Xương,,,5,,,\n"
        + "3,,Hộ Vũ E,Hộ KD,Kiến Xương,,,5,,,\n"
      let (run, summary) = try run([
        "a-dong-hung.csv": rows, "b-dong-hung-gui-lai.csv": rows + "5,,Hộ Đỗ Văn Mới,Hộ KD,Vũ Thư,,,5,,,\n",
        "c-kien-xuong.csv": pasted + pasted,
        "e.csv": "1,,Hộ Trần C,Hộ KD,Kiến Xương,,,5,,,\n2,,Hộ Phạm D,Hộ KD,Kiến Xương,,,5,,,\n"
          + (1...6).map { "\($0 + 2),,Hộ \($0),Hộ KD,Kiến Xương,,,5,,,\n" }.joined(),
      ])
      defer { run.cleanUp() }
      #expect(
        summary.fileOverlaps == [
          FileOverlap(file: "a-dong-hung.csv", other: "b-dong-hung-gui-lai.csv", rows: 4, of: 4, countedTwice: 2),
          FileOverlap(file: "c-kien-xuong.csv", other: "c-kien-xuong.csv", rows: 3, of: 6, countedTwice: 3),
        ])
      let written = try StableJSON.read(NormaliseSummary.self, from: run.file(ArtefactName.normaliseSummary))
      #expect(written == summary)
      let sentence = ReportStrings.vietnamese.fileOverlap(summary.fileOverlaps![0], { "`\($0)`" }, { String($0) })
      #expect(
        sentence.hasPrefix(
          "`a-dong-hung.csv`: 4 trong 4 dòng trùng với dòng của `b-dong-hung-gui-lai.csv` (cùng mã số thuế, hoặc "
            + "cùng tên và địa bàn); 2 cơ sở trong đó không có mã số thuế nên được tính ở cả hai tệp"))
    }

    /// A copy is found though its tax codes stand in a third file (a compilation later in name order), and the
    /// compilation, which holds few of the file's rows, is not blamed.
    @Test func aCopyIsFoundWhenItsTaxCodesStandInAThirdFile() throws {
      let taxed = (1...3).map { "\($0),100000000\($0),Cơ sở \($0),HTX,Quỳnh Phụ,,,5,,,\n" }.joined()
      let households = (4...7).map { "\($0),,Hộ \($0),Hộ KD,Quỳnh Phụ,An Ninh,,5,,,\n" }.joined()
      let others = (10...19).map { "\($0),20000000\($0),Cơ sở \($0),HTX,Tiền Hải,,,5,,,\n" }.joined()
      let (run, summary) = try run([
        "a-quynh-phu.csv": taxed + households, "b-quynh-phu-gui-lai.csv": taxed + households,
        "p-so-cong-thuong.csv": taxed + others,
      ])
      defer { run.cleanUp() }
      #expect(
        summary.fileOverlaps == [
          FileOverlap(file: "b-quynh-phu-gui-lai.csv", other: "a-quynh-phu.csv", rows: 7, of: 7, countedTwice: 4)
        ])
      #expect(summary.filesCountedTwice == 1)
    }

    @Test func aCorrectionThatMeansNothingKnownStopsTheRunWithItsLine() throws {
      for bad in [
        correction("district", "Dong Hung cu", "34"), correction("commune", "Thái Bình", "13225"),
        correction("enterprise_type", "Làng nghề", "village"),
        // A row of duplicates.csv not written as file.csv:line, on either side.
        correction("duplicate", "hung-ha.csv 17", "distinct"), correction("duplicate", "foo", "distinct"),
        correction("duplicate", "hung-ha.csv:17", "keep"), correction("duplicate", "hung-ha.csv:0", "distinct"),
        correction("duplicate", "hung-ha.csv:17", "b.csv:x"),
      ] {
        #expect(throws: PipelineError.self) {
          try Corrections([bad]).validate(against: try shippedReference())
        }
      }
      try Corrections([
        correction("commune", "Trà Lý", "340"), correction("need", "Vay vốn", "none"),
        correction("duplicate", "hung-ha.csv:17", "Distinct"), correction("duplicate", "a b.csv:3", "c.csv:9"),
      ]).validate(against: try shippedReference())
    }

    /// A hand-edited ingested.csv whose source_line is not a number stops the stage with that row's line, read
    /// by libcsv (one thread) or from a companion: in small blocks (two threads, the row in the second block), or
    /// in one block, where the row is in the middle of a group of rows normalised together.
    @Test(arguments: [nil, 512, 1 << 20])
    func anUnreadableSourceLineStopsTheStageWithItsLine(companionBlockBytes: Int?) throws {
      let (run, _) = try run(["a.csv": Self.fortyRows])
      defer { run.cleanUp() }
      let ingested = run.file(ArtefactName.ingested)
      var lines = try String(contentsOf: ingested, encoding: .utf8).split(
        separator: "\n", omittingEmptySubsequences: false)
      let header = lines[0].split(separator: ",").map(String.init)
      let column = try #require(header.firstIndex(of: "source_line"))
      var cells = lines[30].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      cells[column] = "x"
      lines[30] = Substring(cells.joined(separator: ","))
      try lines.joined(separator: "\n").write(to: ingested, atomically: false, encoding: .utf8)
      if let companionBlockBytes { try writeCompanion(of: ingested, blockBytes: companionBlockBytes) }
      #expect((StagedRowsReader(companionOf: ingested) != nil) == (companionBlockBytes != nil))
      try expectStops(run, with: "ingested.csv:31: source_line is not a number")
    }

    /// Bytes that are not UTF-8 in a hand-edited ingested.csv (ingest never writes them, so its companion vouches
    /// for its cells) are read as U+FFFD in the establishment's name, as the String path reads them.
    @Test func aNameThatIsNoUTF8InAnEditedIngestedCSVIsRepaired() throws {
      let (run, _) = try run(["a.csv": Self.fortyRows])
      defer { run.cleanUp() }
      let ingested = run.file(ArtefactName.ingested)
      var bytes = [UInt8](try Data(contentsOf: ingested))
      let name = Array("Cơ sở 33,".utf8)
      let at = try #require(
        (0...(bytes.count - name.count)).first { bytes[$0..<($0 + name.count)].elementsEqual(name) })
      bytes.replaceSubrange(at..<(at + 3), with: [0x43, 0xFF])  // "Cơ" as "C" and a byte no UTF-8 text holds
      try Data(bytes).write(to: ingested)
      #expect(StagedRowsReader(companionOf: ingested) == nil)  // edited after it: the CSV is parsed
      try NormaliseStage.run(runDirectory: run.url, reference: try shippedReference(), corrections: Corrections())
      // As bytes: reading the CSV back as text would repair them too.
      let written = [UInt8](try Data(contentsOf: run.file(ArtefactName.establishments)))
      #expect(written.withUnsafeBytes { UTF8Bytes.isValid($0) })
      let names = try readArtefact(run.file(ArtefactName.establishments)).rows.map { $0[3] }
      #expect(names.contains("C\u{FFFD} sở 33"))
      #expect(names.count == 40)
    }

    /// An ingested.csv changed under its companion without its date moving: the worker thread that reads the
    /// block with the change stops the stage with an error that names the companion and says what to do.
    @Test func aCompanionThatNoLongerFitsItsCSVStopsTheStageWithWhatToDo() throws {
      let (run, _) = try run(["a.csv": Self.fortyRows])
      defer { run.cleanUp() }
      let ingested = run.file(ArtefactName.ingested)
      try writeCompanion(of: ingested, blockBytes: 512)
      let text = try String(contentsOf: ingested, encoding: .utf8)
      let changed = text.replacingOccurrences(of: "Cơ sở 33,", with: "Cơ sở 33;")
      #expect(changed != text)
      try changed.write(to: ingested, atomically: false, encoding: .utf8)
      let old = Date(timeIntervalSinceNow: -60)
      try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: ingested.path)
      #expect(StagedRowsReader(companionOf: ingested) != nil)
      try expectStops(
        run,
        with: "ingested.rows is damaged (its fields do not fit the CSV's bytes): delete it and the stage reads "
          + "ingested.csv instead")
      // As the error says: without the companion, the stage reads the CSV as it now is.
      try FileManager.default.removeItem(at: StagedRows.companion(of: ingested))
      let summary = try NormaliseStage.run(
        runDirectory: run.url, reference: try shippedReference(), corrections: Corrections())
      #expect(summary.totals.rowsIn == 40)
    }

    /// A companion damaged after its first blocks (a block's length runs past its end): the blocks before it
    /// are normalised on two threads and accounted for, then the stage stops with the companion named, and the
    /// earlier output stays as it was.
    @Test func aDamagedCompanionBlockStopsTheStageWithWhatToDo() throws {
      let (run, _) = try run(["a.csv": Self.fortyRows])
      defer { run.cleanUp() }
      let ingested = run.file(ArtefactName.ingested)
      try writeCompanion(of: ingested, blockBytes: 512)
      let companion = StagedRows.companion(of: ingested)
      var bytes = [UInt8](try Data(contentsOf: companion))
      func word(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) } }
      func blockEnd(_ at: Int) -> Int { at + StagedRows.blockHeaderSize + word(at) * 8 + word(at + 8) }
      let third = blockEnd(blockEnd(blockEnd(StagedRows.magic.count)))
      #expect(word(third) > 0 && word(third) < 40)
      for index in 0..<4 { bytes[third + 8 + index] = 0x7F }
      try Data(bytes).write(to: companion)
      try expectStops(
        run,
        with: "ingested.rows is damaged (a block runs past the end): delete it and the stage reads ingested.csv "
          + "instead")
    }

    @Test func theSummaryIsWrittenInTheSharedShape() throws {
      let (run, summary) = try run(["a.csv": "1,,Cơ sở A,HTX,Vũ Thư,,,5,,,\n"])
      defer { run.cleanUp() }
      let read = try StableJSON.read(NormaliseSummary.self, from: run.file(ArtefactName.normaliseSummary))
      #expect(read == summary)
      #expect(read.files.map(\.file) == ["a.csv"])
    }
  }
}
