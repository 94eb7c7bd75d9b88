/// The report in both languages against golden files, and the pieces a reader relies on.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct ReportRendererTests {
  /// The cases under Fixtures/report: `sample` is a first run; `changed` has a previous run beside it.
  static let cases = ["sample", "changed"]

  static func input(_ name: String, _ language: ReportLanguage = .vi) throws -> (ReportInput, URL) {
    let run = try ReportFixtures.copy(name)
    let previous = ReportFixtures.root.appendingPathComponent("\(name)/previous")
    let options = ReportOptions(
      language: language,
      previousRun: FileManager.default.fileExists(atPath: previous.path) ? previous : nil,
      runLabel: name == "changed" ? "20251201T020000Z" : nil)
    return (try ReportStage.prepare(runDirectory: run, reference: ReportFixtures.reference, options: options), run)
  }

  @Test(arguments: cases, ReportLanguage.allCases)
  func reportMatchesTheGoldenFile(name: String, language: ReportLanguage) throws {
    let (input, _) = try Self.input(name, language)
    try ReportFixtures.expectGolden(
      ReportRenderer(input, language: language).render(), "\(name)/expected-report.\(language.rawValue).md")
  }

  @Test(arguments: cases)
  func recommendationsMatchTheGoldenFile(name: String) throws {
    let (input, run) = try Self.input(name)
    let url = run.appendingPathComponent(ArtefactName.recommendations)
    try ReportStage.writeRecommendations(input, to: url)
    try ReportFixtures.expectGolden(try ReportFixtures.text(url), "\(name)/expected-recommendations.csv")
  }

  @Test func theFirstRunSaysSo() throws {
    let (input, _) = try Self.input("sample")
    #expect(ReportRenderer(input, language: .vi).render().contains("Đây là lần chạy đầu tiên"))
    #expect(ReportRenderer(input, language: .en).render().contains("This is the first run"))
  }

  /// The key points come first, right under the title, and what changed since the previous run right after
  /// them: an analyst opening the mail reads the key points before the files and ranks that moved.
  @Test(arguments: cases, ReportLanguage.allCases)
  func keyPointsComeFirstThenWhatChangedThenTheDetails(name: String, language: ReportLanguage) throws {
    let (input, _) = try Self.input(name, language)
    let report = ReportRenderer(input, language: language).render()
    let headings =
      language == .vi
      ? [
        "## Điểm chính", "## Thay đổi so với lần chạy trước", "## Đề xuất ưu tiên", "## So với kế hoạch",
        "## Nhu cầu toàn tỉnh", "## Theo huyện", "## Theo loại hình", "## Chất lượng dữ liệu", "## Cách tính",
      ]
      : [
        "## Key findings", "## What changed since the previous run", "## Top recommendations",
        "## Against the 2021–2025 plan", "## Needs across the province", "## By district",
        "## By enterprise type", "## Data quality", "## Method",
      ]
    // Every section heading of the report, in the order it has them.
    let found = report.split(separator: "\n").filter { $0.hasPrefix("## ") }
    #expect(found.count == headings.count, "\(found)")
    for (heading, expected) in zip(found, headings) { #expect(heading.hasPrefix(expected), "\(found)") }
  }

  @Test func respondentTextCannotBreakTheMarkdown() throws {
    let (input, _) = try Self.input("sample")
    let report = ReportRenderer(input, language: .vi).render()
    #expect(!report.contains("<script>"))
    #expect(!report.contains("[Bấm vào đây](http"))
    #expect(report.contains("Hòa \\| Bình"))
    #expect(!report.contains("bánh cáy\nHòa"))
    for line in report.split(separator: "\n") where line.hasPrefix("|") {
      // Every table row keeps its column count: unescaped pipes only between cells.
      let unescaped = line.split(separator: "|", omittingEmptySubsequences: false).count
      let escaped = line.components(separatedBy: "\\|").count - 1
      #expect([6, 7, 8, 9, 10].contains(unescaped - escaped) || line.hasPrefix("|---"), "\(line)")
    }
  }

  /// The rows to act on: the first ones of a long list with how many there are, none from a set-aside file,
  /// and no table at all for a run folder without the lists (an older run).
  @Test func aLongRowListShowsItsFirstRowsAndSaysHowManyThereAre() throws {
    let folder = try TemporaryFolder("listed")
    defer { folder.cleanUp() }
    var lines = ["source_file,source_line,stage,reason,column,value", "broken.csv,7,ingest,tệp bị để riêng: x,,"]
    for line in 2...26 { lines.append("a.csv,\(line),normalise,thiếu tên cơ sở,name,") }
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: folder.file(ArtefactName.rejects))
    let listed = try ListedRows.read(folder.file(ArtefactName.rejects), value: "value", leavingOut: ["broken.csv"])
    #expect(listed.total == 25 && listed.rows.count == ListedRows.limit)
    #expect(
      listed.rows.first
        == ListedRows.Row(file: "a.csv", line: "2", reason: "thiếu tên cơ sở", column: "name", value: ""))
    #expect(try ListedRows.read(folder.file(ArtefactName.review), value: "written", leavingOut: []) == ListedRows())

    var (input, _) = try Self.input("changed")
    input.rejected = listed
    input.review = ListedRows()
    let report = ReportRenderer(input, language: .vi).render()
    #expect(report.contains("20 dòng đầu trong 25 dòng bị loại (đầy đủ trong `rejects.csv`), cần sửa trong tệp gốc"))
    #expect(report.components(separatedBy: "| thiếu tên cơ sở | Tên cơ sở |").count - 1 == 20)
    #expect(!report.contains("Các dòng cần xem lại"))
  }
}

extension ReportRendererTests {
  /// A corrections line that settled nothing this run is named in the data-quality notes, with its line.
  @Test func correctionsThatSettledNoRowAreNamedWithTheirLine() throws {
    var (input, _) = try Self.input("sample")
    #expect(!ReportRenderer(input, language: .vi).render().contains("không khớp dòng nào"))
    input.normalise.unusedCorrections = [
      UnusedCorrection(
        Correction(
          column: "district", written: "Kien Xuong cu", means: "342", sourceFile: nil,
          location: InputLocation(file: "corrections.csv", line: 12)), reason: .noMatch)
    ]
    let vi = ReportRenderer(input, language: .vi).render()
    let data = try #require(vi.range(of: "## Chất lượng dữ liệu")).lowerBound
    let note = try #require(vi.range(of: "- `corrections.csv:12` (district “Kien Xuong cu”) không khớp dòng nào"))
    #expect(note.lowerBound > data)
    #expect(
      ReportRenderer(input, language: .en).render().contains(
        "- `corrections.csv:12` (district “Kien Xuong cu”) settled no row in this run"))
  }

  /// An entry found only for rows not counted for another reason waits for them; one whose rows another cell
  /// placed decided nothing: each is said so, in either language, not as an entry that matches no row.
  @Test func correctionsThatWaitOrWerePassedOverAreSaidSo() throws {
    var (input, _) = try Self.input("sample")
    func entry(_ line: Int, _ column: String, _ written: String, _ means: String) -> Correction {
      Correction(
        column: column, written: written, means: means, sourceFile: nil,
        location: InputLocation(file: "corrections.csv", line: line))
    }
    input.normalise.unusedCorrections = [
      UnusedCorrection(entry(4, "enterprise_type", "Làng nghề", "household"), reason: .rowsNotCounted),
      UnusedCorrection(entry(5, "commune", "Phường Trà Lý", "336"), reason: .passedOver),
    ]
    let en = ReportRenderer(input, language: .en).render()
    #expect(
      en.contains(
        "- `corrections.csv:4` (enterprise\\_type “Làng nghề”) waits for its rows, which are not counted in this run "
          + "for another reason (see `review.csv` and `rejects.csv`): it applies once they are\n"))
    #expect(
      en.contains(
        "- `corrections.csv:5` (commune “Phường Trà Lý”) decided none of the rows that write it: another cell or "
          + "decision placed them"))
    let vi = ReportRenderer(input, language: .vi).render()
    #expect(vi.contains("- `corrections.csv:4` (enterprise\\_type “Làng nghề”) chờ các dòng của nó, chưa được tính"))
    #expect(vi.contains("- `corrections.csv:5` (commune “Phường Trà Lý”) không quyết định dòng nào có cách viết đó"))
    #expect(!vi.contains("không khớp dòng nào") && !en.contains("settled no row"))
  }
}

extension ReportRendererTests {
  /// A file sharing most of its rows with another is said among the key points and in the data-quality notes.
  @Test func aFileSharingMostOfItsRowsWithAnotherIsSaidTwice() throws {
    var (input, _) = try Self.input("sample")
    #expect(!ReportRenderer(input, language: .vi).render().contains("trùng phần lớn"))
    input.normalise.fileOverlaps = [
      FileOverlap(file: "dong-hung-gui-lai.csv", other: "dong-hung.csv", rows: 1_240, of: 1_250, countedTwice: 400)
    ]
    let vi = ReportRenderer(input, language: .vi).render()
    let data = try #require(vi.range(of: "## Chất lượng dữ liệu")).lowerBound
    #expect(
      vi.contains(
        "**1 tệp lặp lại dòng của tệp khác hoặc của chính nó, nên có cơ sở bị tính hai lần** (gửi lại dưới tên mới, "
          + "hoặc dán hai lần?)"))
    let note = try #require(
      vi.range(of: "- `dong-hung-gui-lai.csv`: 1.240 trong 1.250 dòng trùng với dòng của `dong-hung.csv`"))
    #expect(note.lowerBound > data)
    #expect(
      ReportRenderer(input, language: .en).render().contains(
        "- `dong-hung-gui-lai.csv`: 1,240 of its 1,250 rows are also in `dong-hung.csv`"))
    // Merged by tax codes alone, nothing is counted twice: said among the notes, not among the key points.
    input.normalise.fileOverlaps![0].countedTwice = 0
    let merged = ReportRenderer(input, language: .vi).render()
    #expect(!merged.contains("bị tính hai lần**"))
    #expect(merged.contains("tất cả đã được gộp theo mã số thuế, không cơ sở nào bị tính hai lần"))
  }
}

extension ReportRendererTests {
  /// The survey dates: the whole period under the title, each file's in the data-quality table, and a key point
  /// when they span a year (a file of an earlier round left in input/).
  @Test func theSurveyPeriodIsShownAndAYearApartIsAKeyPoint() throws {
    var (input, _) = try Self.input("sample")
    var vi = ReportRenderer(input, language: .vi).render()
    #expect(vi.contains("\nCác cơ sở trong số liệu này được khảo sát từ ngày 10/03/2025 đến ngày 09/05/2025.\n"))
    #expect(vi.contains("| dong-hung.csv | 12 | 8 | 1 | 1 | 0 | 2 | 10/03/2025–14/03/2025 |"))
    #expect(!vi.contains("từ một năm trở lên"))
    var byFile = input.surveyPeriods.byFile
    byFile["quynh-phu.csv"] = SurveyPeriod(first: "2024-03-10", last: "2024-03-10", undated: 2)
    input.surveyPeriods = SurveyPeriods(byFile: byFile)
    vi = ReportRenderer(input, language: .vi).render()
    #expect(
      vi.contains(
        "\nCác cơ sở trong số liệu này được khảo sát từ ngày 10/03/2024 đến ngày 09/05/2025 (2 phiếu không ghi ngày "
          + "khảo sát, ghi ngày không đọc được hoặc ngày sau ngày chạy).\n"))
    #expect(vi.contains("| quynh-phu.csv | 8 | 6 | 0 | 1 | 0 | 1 | 10/03/2024 |"))
    let keyPoints = try #require(vi.range(of: "## Điểm chính"))
    let warning = try #require(
      vi.range(of: "- **Ngày khảo sát cách nhau từ một năm trở lên** (từ 10/03/2024 đến 09/05/2025)"))
    #expect(warning.lowerBound > keyPoints.lowerBound)
    #expect(
      ReportRenderer(input, language: .en).render().contains(
        "- **The survey dates are a year or more apart** (from 10/03/2024 to 09/05/2025)"))
  }

  @Test func aYearApartIsTheSameDayAYearLaterOrMore() {
    #expect(!SurveyPeriod(first: "2024-11-30", last: "2025-11-29").spansAYear)
    #expect(SurveyPeriod(first: "2024-11-30", last: "2025-11-30").spansAYear)
    #expect(!SurveyPeriod(first: "2025-01-01", last: nil).spansAYear)
  }
}

extension ReportRendererTests {
  /// The names a duplicate decision compares come from cells as written: Markdown in them is escaped, and a line
  /// break (Alt+Enter) is a space, so the note stays one list item.
  @Test func namesInAnUnusedDecisionAreEscaped() throws {
    var (input, _) = try Self.input("sample")
    let entry = UnusedCorrection(
      Correction(
        column: "duplicate", written: "f.csv:2", means: "distinct", sourceFile: nil,
        location: InputLocation(file: "corrections.csv", line: 3), name: "Hộ *Lan*\n<i>x</i>"),
      reason: .nameDiffers, found: FoundRow(row: "f.csv:2", name: "Cơ sở *may*\nĐào | Duyên_x_"))
    input.normalise.unusedCorrections = [entry]
    let vi = ReportRenderer(input, language: .vi).render()
    let note = try #require(vi.split(separator: "\n").first { $0.hasPrefix("- `corrections.csv:3`") })
    #expect(note.contains("là “Cơ sở \\*may\\* Đào \\| Duyên\\_x\\_”, không phải “Hộ \\*Lan\\* \\<i\\>x\\</i\\>”"))
  }
}

extension ReportRendererTests {
  /// Scans of paper forms dropped into input/ by the dozen are one note, with how many of each ending, not a
  /// table row and a note each; a workbook (a district's answers) is still named on its own, and a few such files
  /// are listed one by one as before.
  @Test func manyFilesThatAreNoExportAreOneNote() throws {
    var (input, _) = try Self.input("sample")
    func setAside(_ name: String, _ ending: String) -> IngestFileSummary {
      var file = IngestFileSummary(file: name, bytes: 10)
      file.status = .setAside
      file.problemDetail = .notAnExport(ending)
      file.problem = FileProblem.notAnExport(ending).english
      return file
    }
    let surveyFiles = input.ingest.files.count
    let scans =
      (1...40).map { setAside("phieu-\($0 < 10 ? "0" : "")\($0).jpg", ".jpg") }
      + [setAside("ghi chu.pdf", ".pdf"), setAside("ghi chu 2.pdf", ".pdf"), setAside("Vũ Thư.xlsx", ".xlsx")]
    input.ingest.files += scans

    let report = ReportRenderer(input, language: .vi).render()
    #expect(
      report.contains(
        "42 tệp không phải tệp xuất từ phiếu khảo sát bị để riêng (.jpg: 40, .pdf: 2): `ghi chu 2.pdf`, "
          + "`ghi chu.pdf`, `phieu-01.jpg` và 39 tệp khác; chỉ đọc tệp .csv, .txt và .tsv"))
    #expect(!report.contains("phieu-02.jpg") && !report.contains("| ghi chu.pdf"))
    #expect(report.contains("| Vũ Thư.xlsx (**để riêng**) |"))
    #expect(report.contains("`Vũ Thư.xlsx` bị để riêng: là tệp bảng tính (.xlsx)"))
    #expect(report.contains("\(surveyFiles + 43) tệp"))
    let english = ReportRenderer(input, language: .en).render()
    #expect(english.contains("42 files set aside that are not survey exports (.jpg: 40, .pdf: 2): `ghi chu 2.pdf`, "))

    // The what-changed section counts them as well, when they come or go; a workbook named there is marked set
    // aside, as in the table.
    var comparison = RunComparison()
    comparison.newFiles = ["a.csv"] + scans.map(\.file)
    input.comparison = comparison
    let changes = ReportRenderer(input, language: .vi).render()
    #expect(
      changes.contains(
        "Tệp mới: `a.csv`, `Vũ Thư.xlsx` (**để riêng**), 42 tệp không phải tệp khảo sát (.jpg: 40, .pdf: 2)."))

    input.ingest.files.removeLast(40)  // the .jpg files 1 to 3 are left: listed one by one
    let few = ReportRenderer(input, language: .vi).render()
    #expect(few.contains("| phieu-03.jpg (**để riêng**) |"))
    #expect(few.contains("`phieu-01.jpg` bị để riêng: không phải tệp xuất từ phiếu khảo sát (.jpg)"))
    #expect(!few.contains("tệp không phải tệp xuất từ phiếu khảo sát bị để riêng ("))
  }

  /// A night with fewer actions than the last (here none, as when every file was set aside) has actions leaving the
  /// top with none entering: the report said the top 10 kept their ranks, then listed those that left it (an
  /// operator's round).
  @Test(arguments: ReportLanguage.allCases)
  func actionsLeavingTheTopAreNeverSaidToKeepTheirRanks(language: ReportLanguage) throws {
    var (input, _) = try Self.input("changed", language)
    input.recommendations = []
    let report = ReportRenderer(input, language: language).render()
    let (left, unmoved, kept) =
      language == .vi
      ? ("- Rời nhóm 10 đề xuất đầu: ", "- Không đề xuất nào mới vào hay đổi hạng trong 10 đề xuất đầu.", "giữ nguyên")
      : ("- Left the top 10: ", "- No recommendation entered the top 10 or changed rank in it.", "kept their ranks")
    #expect(report.contains(left) && report.contains(unmoved), "\(report.prefix(1500))")
    #expect(!report.contains(kept))
  }

  /// A new or changed file that this run set aside or found empty is marked so in what changed: "New files:
  /// `x.csv`" above "no establishment added" read as if its rows had been counted (found by dropping a broken
  /// file beside the samples). Files no longer present keep no mark.
  @Test(arguments: ReportLanguage.allCases)
  func aNewOrChangedFileNotReadIsMarkedInWhatChanged(language: ReportLanguage) throws {
    var (input, _) = try Self.input("changed", language)
    let before = ReportRenderer(input, language: language).render()
    let (new, changed, gone) =
      language == .vi
      ? ("- Tệp mới: `thai-thuy.csv`", "- Tệp thay đổi: `quynh-phu.csv`", "`empty.csv`.")
      : ("- New files: `thai-thuy.csv`", "- Changed files: `quynh-phu.csv`", "`empty.csv`.")
    #expect(before.contains(new + ".\n") && before.contains(changed + ".\n"), "\(before.prefix(2500))")
    let (setAside, empty) = language == .vi ? (" (**để riêng**)", " (trống)") : (" (**set aside**)", " (empty)")
    for index in input.ingest.files.indices {
      switch input.ingest.files[index].file {
      case "thai-thuy.csv": input.ingest.files[index].status = .setAside
      case "quynh-phu.csv": input.ingest.files[index].status = .empty
      default: break
      }
    }
    let report = ReportRenderer(input, language: language).render()
    #expect(report.contains(new + setAside + ".\n"), "\(report.prefix(2500))")
    #expect(report.contains(changed + empty + ".\n"), "\(report.prefix(2500))")
    #expect(report.contains(gone + "\n"))
  }

  /// A night with one recommendation says it has one, not "Cả 1 đề xuất, xếp theo điểm" ("all 1, ranked"), as a
  /// one-district night had it; with more, the intro is as before.
  @Test(arguments: ReportLanguage.allCases)
  func oneRecommendationIsSaidToBeTheOnlyOne(language: ReportLanguage) throws {
    var (input, _) = try Self.input("sample", language)
    #expect(input.recommendations.count > 10)
    let (only, top) =
      language == .vi
      ? ("Chỉ có 1 đề xuất, chấm điểm từ 0 đến 100 (cách tính ở cuối báo cáo).", "10 đề xuất đầu trong ")
      : ("One recommendation only, scored from 0 to 100 (see Method at the end).", "The top 10 of ")
    #expect(ReportRenderer(input, language: language).render().contains(top))
    input.recommendations = Array(input.recommendations.prefix(1))
    let report = ReportRenderer(input, language: language).render()
    #expect(report.contains("\n\n" + only + "\n\n"), "\(report.prefix(3000))")
  }

  /// The data-quality line of what else happened names only what did: "0 dòng …" is no news in a mail (an
  /// analyst's reading of the report).
  @Test func whatElseHappenedLeavesOutWhatDidNot() {
    let vietnamese = ReportStrings.vietnamese.normaliseExtras("2", "0", "0")
    #expect(vietnamese.hasPrefix("Ngoài ra: 2 cơ sở có thể trùng") && !vietnamese.contains("0 dòng"), "\(vietnamese)")
    #expect(
      ReportStrings.vietnamese.normaliseExtras("0", "0", "3")
        == "Ngoài ra: 3 dòng áp dụng quyết định trong `corrections.csv`.")
    let english = ReportStrings.english.normaliseExtras("0", "1", "0")
    #expect(english == "Also: 1 row whose place was found by fuzzy matching.", "\(english)")
  }
}

extension ReportRendererTests {
  /// A recommendation resting on fewer establishments than recommend-settings.csv sets (3 in the fixtures' copy)
  /// is marked where an analyst reads it, in the top table and in its district's list, with one line saying
  /// what the mark means there, and the method says it; a score's shares reach 1 easily on 2 establishments.
  /// An amount requested rests on the establishments that wrote one: the key point says how many when some left
  /// the cell blank, and a district where none wrote one says so rather than "0 triệu đồng", which reads as
  /// asking for nothing (an audit of the report's figures).
  @Test func anAmountRequestedSaysHowManyEstablishmentsWroteOne() throws {
    let run = try ReportFixtures.copy("sample")
    let url = run.appendingPathComponent(ArtefactName.establishments)
    let table = try CSVFile.readTable(url)
    let (district, support) = (try table.index(of: "district_code"), try table.index(of: "support_requested_mvnd"))
    let writer = try CSVWriter(url, header: table.columns)
    var blanked = 0
    for (index, row) in table.rows.enumerated() {
      var fields = row.fields
      // Every row of the city, and the second row of the file (Đông Hưng).
      if fields[district] == "336" || index == 1 {
        fields[support] = ""
        blanked += 1
      }
      try writer.write(fields)
    }
    try writer.commit()
    let all = table.rows.count
    let input = try ReportStage.prepare(runDirectory: run, reference: ReportFixtures.reference, options: .init())
    let money = ReportRenderer(input, language: .vi).render()
    #expect(money.contains("đề nghị hỗ trợ (\(all - blanked)/\(all) cơ sở ghi kinh phí); chỉ tiêu:"), "\(money)")
    #expect(money.contains("· 1 chưa được hỗ trợ · không cơ sở nào ghi kinh phí đề nghị\n"))
    #expect(money.contains(" cơ sở ghi kinh phí)\n") && !money.contains("đề nghị 0 triệu đồng"))
    let en = ReportRenderer(input, language: .en).render()
    #expect(en.contains("requested (given by \(all - blanked) of \(all) establishments); target:"), "\(en)")
    #expect(en.contains(" never supported · no amount requested given\n"))

    // Every row with its amount: said as before.
    let sample = try Self.input("sample").0
    let plain = ReportRenderer(sample, language: .vi).render()
    #expect(!plain.contains("ghi kinh phí") && plain.contains(" · đề nghị "))
    #expect(!plain.contains("ghi số lao động cần đào tạo") && plain.contains("| 2.000 lao động | "))
  }

  /// The workers to train, measured against the plan's target, rest on the establishments asking for training
  /// that wrote how many: the key point says how many did, and when none did it gives no share of the target
  /// (0% of it would read as no one to train).
  @Test func workersToTrainSayHowManyEstablishmentsWroteThem() throws {
    func rendered(blanking: (Int, [String]) -> Bool) throws -> (vi: String, en: String, training: Int, kept: Int) {
      let run = try ReportFixtures.copy("sample")
      let url = run.appendingPathComponent(ArtefactName.establishments)
      let table = try CSVFile.readTable(url)
      let (trainees, needs) = (try table.index(of: "trainees"), try table.index(of: "needs"))
      let writer = try CSVWriter(url, header: table.columns)
      var (training, kept) = (0, 0)
      for (index, row) in table.rows.enumerated() {
        var fields = row.fields
        if fields[needs].split(separator: ";").contains("training") {
          training += 1
          if blanking(index, fields) { fields[trainees] = "" } else if !fields[trainees].isEmpty { kept += 1 }
        }
        try writer.write(fields)
      }
      try writer.commit()
      let input = try ReportStage.prepare(runDirectory: run, reference: ReportFixtures.reference, options: .init())
      return (
        ReportRenderer(input, language: .vi).render(), ReportRenderer(input, language: .en).render(), training, kept
      )
    }
    let some = try rendered { index, _ in index < 3 }
    #expect(some.kept > 0 && some.kept < some.training)
    #expect(some.vi.contains("cần đào tạo (\(some.kept)/\(some.training) cơ sở ghi số lao động cần đào tạo), bằng **"))
    #expect(some.en.contains(" to train (given by \(some.kept) of \(some.training) establishments), **"))

    let none = try rendered { _, _ in true }
    #expect(none.vi.contains("không cơ sở nào ghi số lao động cần đào tạo; chỉ tiêu: 2.000 lao động (2021–2025)."))
    #expect(none.vi.contains("| 2.000 lao động | – | – |"))
    #expect(none.en.contains("no establishment gave the number of workers to train; target: 2,000 workers"))
  }

  @Test func aRecommendationOnFewEstablishmentsIsMarkedWhereItIsRead() throws {
    let (input, _) = try Self.input("sample")
    #expect(input.settings.fewEstablishments == 3)
    let vi = ReportRenderer(input, language: .vi).render()
    let note =
      "“Ít cơ sở”: đề xuất dựa trên dưới 3 cơ sở có nhu cầu, nên các tỷ lệ trong điểm dễ đạt 100% (như 2/2 cơ sở "
      + "chưa được hỗ trợ): cần xem kỹ trước khi quyết định."
    let table = try #require(vi.range(of: "## Đề xuất ưu tiên"))
    let plan = try #require(vi.range(of: "## So với kế hoạch"))
    let section = vi[table.upperBound..<plan.lowerBound]
    #expect(section.contains("| 6 | Hưng Hà | Máy móc - CGCN | 2 (ít cơ sở) | 64,4 |"))
    #expect(section.contains("| 10 | TP Thái Bình | Năng lực quản lý | 2 (ít cơ sở) | 57,1 |"))
    // 3 establishments are not fewer than 3.
    #expect(section.contains("| 1 | Đông Hưng | Đào tạo nghề · Dệt may - thêu ren | 3 | 82,0 |"))
    let rows = section.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| #") }
    let few = input.recommendations.prefix(input.top).filter { $0.figures.establishments < 3 }
    #expect(rows.filter { $0.contains("(ít cơ sở)") }.count == few.count && few.count == 4)
    #expect(section.contains("\n\n" + note + "\n\n"))

    let districts = try #require(vi.range(of: "## Theo huyện, thành phố"))
    let firstDistrict = try #require(vi.range(of: "\n### ", range: districts.upperBound..<vi.endIndex))
    #expect(vi[districts.upperBound..<firstDistrict.lowerBound].contains("\n\n" + note + "\n"))
    #expect(vi.contains("\n- **Máy móc - CGCN** (ít cơ sở): hạng 6, điểm 64,4; 2 cơ sở, 160 lao động. Tiếp cận trước:"))
    #expect(vi.contains("\n- **Máy móc - CGCN**: hạng 2, điểm 79,8; 3 cơ sở, 260 lao động. Tiếp cận trước:"))
    #expect(vi.components(separatedBy: note).count - 1 == 2)
    let method = try #require(vi.range(of: "## Cách tính"))
    #expect(
      vi[method.upperBound...].contains(
        "\n\nĐề xuất dựa trên dưới 3 cơ sở có nhu cầu được ghi “ít cơ sở” (ngưỡng `few_establishments` trong "
          + "`recommend-settings.csv`): với ít cơ sở như vậy, các yếu tố là tỷ lệ (`unsupported`, `intensity`) dễ "
          + "bằng 1, như khi 2/2 cơ sở chưa được hỗ trợ, nên điểm kém tin cậy; điểm và thứ hạng vẫn tính như trên.\n\n"
      ))
    // Priority 1 rests on 3 establishments: not marked among the key points.
    #expect(!vi.contains("Đề xuất này dựa trên dưới"))

    let en = ReportRenderer(input, language: .en).render()
    #expect(en.contains("| 6 | Hưng Hà | Machinery & tech transfer | 2 (few establishments) | 64.4 |"))
    #expect(
      en.contains(
        "\n- **Machinery & tech transfer** (few establishments): rank 6, score 64.4; 2 establishments, 160 workers."))
    let enNote =
      "“Few establishments”: the recommendation rests on fewer than 3 establishments asking, so the shares in its "
      + "score easily reach 100% (as when 2 of 2 were never supported): look closer before deciding."
    #expect(en.components(separatedBy: enNote).count - 1 == 2)
    #expect(
      en.contains("A recommendation resting on fewer than 3 establishments asking is marked “few establishments”"))
  }

  /// Priority 1 on few establishments says so among the key points; a threshold no action can be under marks
  /// nothing, and neither does a reference folder without the table: the method says which.
  @Test func theMarkFollowsTheThresholdAndItsAbsenceIsSaid() throws {
    var (input, _) = try Self.input("sample")
    input.settings = RecommendSettings(fewEstablishments: 4)
    let vi = ReportRenderer(input, language: .vi).render()
    #expect(
      vi.contains(
        "- Ưu tiên số 1: **Đào tạo nghề · Dệt may - thêu ren, Đông Hưng** (82,0 điểm; 3 cơ sở). Đề xuất này dựa trên "
          + "dưới 4 cơ sở có nhu cầu (“ít cơ sở”), nên điểm kém tin cậy: cần xem kỹ trước khi quyết định.\n"))
    #expect(vi.contains("| 1 | Đông Hưng | Đào tạo nghề · Dệt may - thêu ren | 3 (ít cơ sở) | 82,0 |"))
    #expect(vi.contains("| 3 | Quỳnh Phụ | Quảng bá - thị trường | 5 | 78,5 |"))
    #expect(
      ReportRenderer(input, language: .en).render().contains(
        "(score 82.0; 3 establishments). It rests on fewer than 4 establishments asking (“few establishments”), so "
          + "its score is less certain: look closer before deciding.\n"))

    for (settings, vi, en) in [
      (
        RecommendSettings(fewEstablishments: 2),
        "Không đề xuất nào được ghi “ít cơ sở”: ngưỡng `few_establishments` trong `recommend-settings.csv` là 2, "
          + "không lớn hơn số cơ sở tối thiểu của một đề xuất.",
        "No recommendation is marked “few establishments”: `few_establishments` in `recommend-settings.csv` is 2, "
          + "no more than the fewest establishments a recommendation has."
      ),
      (
        RecommendSettings(),
        "Không đề xuất nào được ghi “ít cơ sở” (dựa trên ít cơ sở có nhu cầu): thư mục bảng tham chiếu không có "
          + "`recommend-settings.csv`.",
        "No recommendation is marked “few establishments” (resting on few establishments asking): the reference "
          + "folder has no `recommend-settings.csv`."
      ),
    ] {
      input.settings = settings
      let report = ReportRenderer(input, language: .vi).render()
      #expect(!report.contains("(ít cơ sở)") && !report.contains("“Ít cơ sở”:"))
      #expect(report.contains("\n\n" + vi + "\n\n"), "\(report)")
      let english = ReportRenderer(input, language: .en).render()
      #expect(!english.contains("(few establishments)") && english.contains("\n\n" + en + "\n\n"))
    }
  }
}

/// The report's parts add up to the totals shown beside them, a cut-off through a tie says so, and a sum resting on
/// the establishments that wrote a figure says how many did (an independent audit recomputed every figure).
@Suite struct ReportPartsAndTotalsTests {
  static func render(_ establishments: [CountedEstablishment]) throws -> (vi: String, en: String) {
    let folder = try ReportFixtures.temporaryFolder()
    try ReportFixtures.writeRun(establishments, to: folder)
    let input = try ReportStage.prepare(runDirectory: folder, reference: ReportFixtures.reference, options: .init())
    return (ReportRenderer(input, language: .vi).render(), ReportRenderer(input, language: .en).render())
  }

  /// Each district's summary line, from its heading: `### Name` to the line after it.
  static func summaries(_ report: String) -> [Substring] {
    report.components(separatedBy: "\n### ").dropFirst().compactMap { $0.split(separator: "\n").dropFirst().first }
  }

  /// The key points' needs asked for most are three, and any asked for by as many establishments as the third:
  /// cut at three, a need as wanted as the third was left out unsaid.
  @Test func theNeedsAskedForMostKeepATieWithTheThird() throws {
    let needs = [["training", "marketing", "machinery", "clean_production"], ["training", "marketing"], ["training"]]
    let (vi, en) = try Self.render(
      needs.enumerated().map { ReportFixtures.establishment($0.offset + 1, district: "336", needs: $0.element) })
    #expect(
      vi.contains(
        "- Nhu cầu nhiều nhất: **Đào tạo nghề** (3 cơ sở, 100%); **Quảng bá - thị trường** (2 cơ sở, 67%); "
          + "**Máy móc - CGCN** (1 cơ sở, 33%); **SXSH - TKNL** (1 cơ sở, 33%).\n"), "\(vi)")
    #expect(en.contains("**Cleaner production** (1 establishment, 33%).\n"), "\(en)")
    // Without a tie, three.
    let (three, _) = try Self.render(
      needs.dropFirst().enumerated().map {
        ReportFixtures.establishment($0.offset + 1, district: "336", needs: $0.element)
      })
    #expect(
      three.contains(
        "- Nhu cầu nhiều nhất: **Đào tạo nghề** (2 cơ sở, 100%); **Quảng bá - thị trường** (1 cơ sở, 50%).\n"),
      "\(three)")
  }

  /// Five districts each requested 1,004 tỷ đồng: one by one they read 1 tỷ đồng five times under a total of 5,02.
  /// Rounded together they add up to it, and the section's note gives the total and says they are rounded.
  @Test func districtsAmountsAddUpToTheProvinceTotal() throws {
    let list = ["336", "338", "339", "340", "342"].enumerated().map { index, code in
      var establishment = ReportFixtures.establishment(index + 1, district: code, needs: ["training"])
      establishment.supportRequested = Money(thousands: 1_004_000)
      return establishment
    }
    let (vi, en) = try Self.render(list)
    #expect(vi.contains(": 5,02 tỷ đồng đề nghị hỗ trợ; chỉ tiêu:"))
    #expect(
      vi.contains(
        " Kinh phí đề nghị của các huyện được làm tròn sao cho cộng lại bằng tổng toàn tỉnh (5,02 tỷ đồng); "
          + "số chưa làm tròn có trong `aggregates.csv`.\n"))
    #expect(
      en.contains(
        " The districts' requested support is rounded so that it adds up to the province's total (5.02 billion "
          + "VND); the amounts before rounding are in `aggregates.csv`.\n"))
    let amounts = Self.summaries(vi).map { line in
      String(line[line.range(of: "· đề nghị ")!.upperBound...].dropLast(" tỷ đồng".count))
    }
    #expect(amounts == ["1,01", "1,01", "1", "1", "1"])
    let enAmounts = Self.summaries(en).map { $0.split(separator: "· ").last.map(String.init) }
    #expect(enAmounts.first == "1.01 billion VND requested" && enAmounts.last == "1 billion VND requested")
  }

  /// Needs tied at the chart's cut-off: those left off are named, with why they came after (fewer workers, or as
  /// many workers and later on the form), and the note under the heading says how the order is made.
  @Test func aDistrictChartSaysWhichTiedNeedsItLeftOut() throws {
    let keys = try NeedCatalogue.load(from: ReportFixtures.reference).keys
    let list = [
      // TP Thái Bình: nine needs of one establishment each; the last four of fewer workers.
      ReportFixtures.establishment(1, district: "336", needs: Array(keys.prefix(5)), employees: 50),
      ReportFixtures.establishment(2, district: "336", needs: Array(keys.dropFirst(5)), employees: 10),
      // Quỳnh Phụ: nine needs of the same establishment: the form's order decides.
      ReportFixtures.establishment(3, district: "338", needs: keys, employees: 10),
      // Hưng Hà: the sixth need has fewer establishments than the fifth: nothing to say.
      ReportFixtures.establishment(4, district: "339", needs: Array(keys.prefix(6)), employees: 10),
      ReportFixtures.establishment(5, district: "339", needs: Array(keys.prefix(5)), employees: 10),
    ]
    let (vi, en) = try Self.render(list)
    #expect(
      vi.contains(
        "Biểu đồ của mỗi huyện ghi tối đa 5 nhu cầu được nêu nhiều nhất (cùng số cơ sở thì nhu cầu của các cơ sở có "
          + "nhiều lao động hơn đứng trước, rồi theo thứ tự trên phiếu); đủ chín nhu cầu có trong `aggregates.csv`."))
    let sections = vi.components(separatedBy: "\n### ")
    let city = try #require(sections.first { $0.hasPrefix("TP Thái Bình\n") })
    #expect(
      city.contains(
        "```\n\nKhông ghi trên biểu đồ: 4 nhu cầu khác cũng có 1 cơ sở nhưng ít lao động hơn (Quảng bá - thị trường, "
          + "SP CNNT tiêu biểu, Tư vấn - thông tin, Hạ tầng CCN).\n\n"))
    let quynhPhu = try #require(sections.first { $0.hasPrefix("Quỳnh Phụ\n") })
    #expect(
      quynhPhu.contains(
        "Không ghi trên biểu đồ: 4 nhu cầu khác cũng có 1 cơ sở, xếp sau theo số lao động rồi theo thứ tự trên phiếu "
          + "(Quảng bá - thị trường, SP CNNT tiêu biểu, Tư vấn - thông tin, Hạ tầng CCN)."))
    let hungHa = try #require(sections.first { $0.hasPrefix("Hưng Hà\n") })
    #expect(!hungHa.contains("Không ghi trên biểu đồ"))
    #expect(
      en.contains(
        "Left off the chart: 4 other needs also asked for by 1 establishment but with fewer workers (Marketing & "
          + "markets, Typical rural products, Consulting & information, Industrial clusters)."))
    #expect(en.contains("then the form's order); all nine are in `aggregates.csv`."))
  }

  /// The weights are shares of the score: three equal weights are 34%, 33% and 33%, not 33% three times.
  @Test func theWeightsSharesAddUpToAHundred() throws {
    var (input, _) = try ReportRendererTests.input("sample")
    input.weights = ScoringWeights([.demand: 1, .reach: 1, .unsupported: 1, .intensity: 0, .plan: 0])
    let method = ReportRenderer(input, language: .vi).method()
    #expect(method.contains("(`demand`, trọng số 34%)") && method.contains("(`reach`, trọng số 33%)"))
    #expect(method.contains("(`unsupported`, trọng số 33%)") && method.contains("(`plan`, trọng số 0%)"))
  }

  /// The rationale in `recommendations.csv` sums the workers to train and the amounts the establishments wrote:
  /// when some left the cell blank it says how many wrote one, as the report does.
  @Test func theRationaleSaysHowManyWroteTheFiguresItSums() throws {
    let reference = ReportFixtures.reference
    let needs = try NeedCatalogue.load(from: reference)
    let labels = try DisplayLabels.load(from: reference)
    let some = NeedFigures(
      establishments: 6, employees: 120, trainees: 30, supportRequested: Money(thousands: 3_200_000),
      notYetSupported: 2, supportStated: 4, traineesStated: 5)
    let action = Recommendation(
      districtCode: "338", district: "Quỳnh Phụ", need: "training", figures: some, surveyed: 10)
    let vi = ReportNames(.vi, needs: needs, labels: labels).rationale(action)
    #expect(
      vi.hasSuffix(
        "; 30 lao động cần đào tạo (5/6 cơ sở ghi số lao động cần đào tạo); các cơ sở này đề nghị tổng 3,2 tỷ đồng "
          + "(4/6 cơ sở ghi kinh phí)"), "\(vi)")
    let en = ReportNames(.en, needs: needs, labels: labels).rationale(action)
    #expect(
      en.hasSuffix(
        "; 30 workers to train (given by 5 of 6 establishments); together they request 3.2 billion VND (given by 4 "
          + "of 6 establishments)"), "\(en)")
    var all = action
    all.figures = NeedFigures(
      establishments: 6, employees: 120, trainees: 30, supportRequested: Money(thousands: 3_200_000),
      notYetSupported: 2)
    #expect(
      ReportNames(.vi, needs: needs, labels: labels).rationale(all).hasSuffix(
        "; 30 lao động cần đào tạo; các cơ sở này đề nghị tổng 3,2 tỷ đồng"))
  }
}

@Suite struct ReportNamesSingleLineTests {
  /// `ReportNames.singleLine` hands most names back as they are, told from their bytes; it must give what the
  /// split by Characters gives for every text, the white space of Unicode, combining marks after a space, and a
  /// prepended scalar before one among them: every text of up to four of these scalars.
  @Test func singleLineIsTheSplitByCharacters() {
    let alphabet: [String] = [
      "a", "Đ", "ệ", "ơ", "Ă", " ", "\t", "\n", "\r\n", "\u{0B}", "\u{A0}", "\u{85}", "\u{1680}", "\u{2003}",
      "\u{2028}", "\u{3000}", "\u{301}", "\u{600}", "\u{200D}", "ặ",
    ]
    func split(_ text: String) -> String {
      text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
    }
    var texts = [""]
    var checked = 0
    for _ in 1...4 {
      texts = texts.flatMap { text in alphabet.map { text + $0 } }
      for text in texts {
        let fast = ReportNames.singleLine(text)
        if fast != split(text) {
          Issue.record("\(text.unicodeScalars.map(\.value)): \(Array(fast.utf8)) against \(Array(split(text).utf8))")
          return
        }
        checked += 1
      }
    }
    #expect(checked == 20 + 400 + 8000 + 160_000)
    // The common case takes the fast path.
    #expect(ReportNames.isSingleLine("Cơ sở mộc Đinh Văn Ặng"))
    #expect(!ReportNames.isSingleLine("Cơ sở  mộc"))
  }
}

extension ReportRendererTests {
  /// The rows of a signature block are in the skipped column and said apart in the summary line, in either
  /// language; without them the line reads as before.
  @Test func signatureBlockRowsAreSkippedAndSaid() throws {
    var (input, _) = try Self.input("sample")
    #expect(!ReportRenderer(input, language: .vi).render().contains("phần ký tên"))
    let index = try #require(input.ingest.files.firstIndex { $0.file == "dong-hung.csv" })
    input.ingest.files[index].rowsRead += 4
    input.ingest.files[index].rowsSkippedSignature = 4
    let vi = ReportRenderer(input, language: .vi).render()
    #expect(
      vi.contains(
        "3 dòng trống, dòng tổng cộng hoặc dòng tiêu đề nhóm được bỏ qua, 4 dòng phần ký tên dưới bảng cũng được bỏ qua."
      ))
    // Its row and the total: 2 blank or totals rows and 4 of a signature block, 6 skipped; 3 + 4 in all.
    #expect(vi.contains("| dong-hung.csv | 16 | 8 | 1 | 1 | 0 | 6 |"), "\(vi)")
    #expect(vi.contains("| **Tổng** | 35 | 23 | 1 | 2 | 2 | 7 |"), "\(vi)")
    let en = ReportRenderer(input, language: .en).render()
    #expect(
      en.contains("3 blank, totals or group-heading rows skipped, and 4 signature-block rows under the tables skipped.")
    )
  }
}
