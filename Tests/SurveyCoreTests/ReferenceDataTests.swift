/// The department edits the reference tables by hand: a mistake that would quietly change the figures stops the
/// run with the table's file and line instead.
import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  @Suite struct ReferenceDataTests {
    /// A copy of the shipped tables with `edit` applied to one of them; loads it.
    func load(_ table: String, _ edit: (String) -> String) throws -> ReferenceData {
      try withEditedReference(table, edit) { try ReferenceData.load(from: $0) }
    }

    /// The error `load` stops with, as the stage prints it.
    func failure(_ table: String, _ edit: @escaping (String) -> String) -> String {
      do {
        _ = try load(table, edit)
        return "no error"
      } catch {
        return (error as? PipelineError)?.description ?? "\(error)"
      }
    }

    func lineCount(_ table: String) throws -> Int {
      try String(contentsOf: referenceFolder.appendingPathComponent(table), encoding: .utf8)
        .split(separator: "\n").count
    }

    @Test func theShippedTablesLoad() throws {
      let reference = try shippedReference()
      #expect(reference.needKeys.count == 9 && !reference.sectors.isEmpty && !reference.districtAliases.isEmpty)
    }

    @Test func additionsAsTheDepartmentWouldMakeThemAreTaken() throws {
      let reference = try load("enterprise-types.csv") { $0 + "household,Hộ kinh doanh,Household business,Hộ\n" }
      #expect(reference.enterpriseTypes.contains(Spelling(key: "household", written: "Hộ")))
      let sectors = try load("sectors.csv") { $0 + "incense,Làm hương,Incense,Hương;Làm hương nhang\n" }
      #expect(sectors.sectors.contains(Spelling(key: "incense", written: "Làm hương nhang")))
    }

    @Test func aSpellingForTwoKeysStopsTheRunWithItsLine() throws {
      let sectorLines = try lineCount("sectors.csv")
      let sector = failure("sectors.csv") { $0 + "incense,Làm hương,Incense,Hương;Dệt may\n" }
      #expect(
        sector.hasPrefix("sectors.csv:\(sectorLines + 1): \"Dệt may\" is written for textiles on line 2"), "\(sector)")
      let need = failure("needs.csv") {
        $0.replacingOccurrences(of: "Khởi sự doanh nghiệp;", with: "Khởi sự doanh nghiệp;Đào tạo nghề;")
      }
      #expect(need.contains("\"Đào tạo nghề\" is written for training on line 2 and for management here"), "\(need)")
      let alias = failure("district-aliases.csv") { $0 + "KX,343\nkx,344\n" }
      #expect(alias.contains("\"kx\" is written for 343 on line"), "\(alias)")
    }

    /// The matcher reads a syllable's final i and y as one letter, so a spelling that differs from another key's
    /// only so would match neither: the run stops with both spellings and lines.
    @Test func aSpellingThatIsAnotherKeysByItsIOrYStopsTheRun() throws {
      let sector = failure("sectors.csv") {
        $0.replacingOccurrences(of: "Other;Ngành khác;", with: "Other;Ngành khác;Thủ công mĩ nghệ;")
      }
      #expect(
        sector.contains(
          "\"Thủ công mĩ nghệ\" is \"Thủ công mỹ nghệ\" to matching (a final i or y is one letter there), written "
            + "for handicrafts on line 5, and for other here"), "\(sector)")
    }

    /// Place names are read with a syllable's final i or y after a consonant as one letter, so a name that is
    /// another place's but for its i or y would find both places: an edit making one stops the run with both
    /// lines, whichever tables the two are in.
    @Test func aPlaceNameThatIsAnotherPlacesByItsIOrYStopsTheRun() throws {
      let communeLines = try lineCount("communes-legacy.csv")
      let commune = failure("communes-legacy.csv") { $0 + "99999,Xã Hồng Lí,Hồng Lí,Xã,343,\n" }
      #expect(
        commune
          == "communes-legacy.csv:\(communeLines + 1): \"Xã Hồng Lí\" (commune 99999) and \"Xã Hồng Lý\" (commune "
          + "13195, communes-legacy.csv line 214) are one name to matching, where a syllable's final i or y after a "
          + "consonant is one letter (Lý and Lí, Mỹ and Mĩ): a cell written either way would find both places. One "
          + "place keeps to one row; two places named so cannot be told apart (input/reference/README.md)",
        "\(commune)")
      // A district's alias that is a district outside the province with an i for its y.
      let aliasLines = try lineCount("district-aliases.csv")
      let outside = failure("district-aliases.csv") { $0 + "Huyện Kì Anh,343\n" }
      #expect(
        outside.hasPrefix("outside-places.csv:")
          && outside.contains(
            "(district in Tỉnh Hà Tĩnh, outside the province) and \"Huyện Kì Anh\" (district 343, "
              + "district-aliases.csv line \(aliasLines + 1)) are one name to matching"),
        "\(outside)")
      // Two aliases of different districts: said as for a spelling of two keys, with why.
      let alias = failure("district-aliases.csv") { $0 + "Mĩ Lộc,341\nMỹ Lộc,338\n" }
      #expect(
        alias.contains(
          "\"Mỹ Lộc\" is \"Mĩ Lộc\" to matching (a final i or y is one letter there), written for 341 on line"),
        "\(alias)")
      // The same place under both spellings is no collision.
      let same = try load("district-aliases.csv") { $0 + "Kiến Xương Mĩ,343\nKiến Xương Mỹ,343\n" }
      #expect(same.districtAliases.count == (try shippedReference()).districtAliases.count + 2)
    }

    /// Excel's plain "CSV (Comma delimited)" on Vietnamese Windows puts "?" for letters code page 1258 lacks; the
    /// table read as it was lost every spelling with such a letter, and the rows went to rejects blaming the
    /// district offices' files (a helper's round on the department's edits).
    @Test func aTableThatLostLettersInASaveStopsTheRunWithItsLine() throws {
      let types = failure("enterprise-types.csv") {
        $0.replacingOccurrences(of: "company,Doanh nghiệp,", with: "company,Doanh nghi?p,")
      }
      #expect(types.hasPrefix("enterprise-types.csv:2: “Doanh nghi?p” has lost letters"), "\(types)")
      #expect(types.contains("CSV UTF-8"))
      let replaced = failure("sectors.csv") { $0.replacingOccurrences(of: "Dệt may", with: "D\u{FFFD}t may") }
      #expect(replaced.contains("has lost letters"), "\(replaced)")
      // A question mark after a word, or in a web address, is no lost letter.
      #expect(!TextFolding.hasLostLetters("Có nhu cầu?") && TextFolding.hasLostLetters("Đào t?o"))
      #expect(!TextFolding.hasLostLetters("https://congthuong.vn/chi-tiet?id=1523"))
      // Two letters lost in a row ("Thương") are as lost as one; "?" runs with no letter after are not.
      #expect(
        TextFolding.hasLostLetters("Th??ng") && !TextFolding.hasLostLetters("Có?? ")
          && !TextFolding.hasLostLetters("?? x"))
      // Corrections quote survey cells as written (the value, a row's name from duplicates.csv, a note quoting
      // the form): a "?" there is the survey's, and is matched as it is (a helper's round: the whole night
      // failed over a name a district's lossy export had given a row).
      let corrections = try TemporaryFolder("corrections")
      defer { corrections.cleanUp() }
      let text =
        "column,written,means,source_file,note,name\ncommune,Ph?ng Tr? L?,12817,,Phiếu ghi Ph?ng Tr? L?,\n"
        + "duplicate,vu-thu.csv:3,distinct,,,Cơ sở mộc Nguy?n Văn Hùng\n"
      try text.write(to: corrections.file("corrections.csv"), atomically: true, encoding: .utf8)
      #expect(try Corrections.load(from: corrections.file("corrections.csv")).all.count == 2)
    }

    /// A comma typed for the ";" between aliases dropped every alias after it, unsaid (a helper's round).
    @Test func textBeyondTheLastColumnStopsTheRunWithItsLine() throws {
      let lines = try lineCount("sectors.csv")
      let comma = failure("sectors.csv") { $0 + "incense,Làm hương,Incense,Hương,Làm hương nhang\n" }
      #expect(
        comma.hasPrefix("sectors.csv:\(lines + 1): “Làm hương nhang” is beyond the header's last column"), "\(comma)")
      // Empty cells there, as Excel leaves after a cleared column, are no text.
      let sectors = try load("sectors.csv") { $0 + "incense,Làm hương,Incense,Hương,,\n" }
      #expect(sectors.sectors.contains(Spelling(key: "incense", written: "Hương")))
    }

    /// "Ngành nghề" added to craft_village's aliases in columns.csv, though it is sector's header: the first row
    /// won unsaid, and every file's sector was read as its craft village (a helper's round).
    @Test func aHeaderSpellingForTwoColumnsStopsTheRun() throws {
      let folder = try TemporaryFolder("schema")
      defer { folder.cleanUp() }
      for name in ["columns.csv", "needs.csv"] {
        try FileManager.default.copyItem(at: referenceFolder.appendingPathComponent(name), to: folder.file(name))
      }
      #expect(try FormSchema.load(from: folder.url).columns.count > 10)
      let columns = folder.file("columns.csv")
      let text = try String(contentsOf: columns, encoding: .utf8)
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let at = try #require(lines.firstIndex { $0.hasPrefix("craft_village,") })
      var edited = lines
      edited[at] += ";Ngành nghề"
      try edited.joined(separator: "\n").write(to: columns, atomically: true, encoding: .utf8)
      let error = #expect(throws: PipelineError.self) { try FormSchema.load(from: folder.url) }
      let message = error?.description ?? ""
      #expect(
        message.hasPrefix(
          "columns.csv:\(at + 2): header \"Ngành nghề\" is written for sector here and for craft_village on "
            + "columns.csv line \(at + 1)"), "\(message)")
    }

    @Test func aCommuneInADistrictThatIsNotInTheTableStopsTheRun() throws {
      let lines = try lineCount("communes-legacy.csv")
      let phantom = failure("communes-legacy.csv") { $0 + "99999,Xã Tân Mới,Tân Mới,Xã,345,\n" }
      #expect(
        phantom.hasPrefix(
          "communes-legacy.csv:\(lines + 1): commune \"Xã Tân Mới\" names district code 345, which districts.csv"),
        "\(phantom)")
      let blank = failure("communes-2025.csv") { $0 + "99999,Xã Tân Mới,Tân Mới,Xã,,,\n" }
      #expect(blank.contains("commune \"Xã Tân Mới\" has no district code"), "\(blank)")
    }

    @Test func aKeyOnTwoRowsOrOutsideTheFormStopsTheRun() {
      let twice = failure("sectors.csv") { $0 + "textiles,Dệt,Weaving,Dệt thổ cẩm\n" }
      #expect(twice.contains("key \"textiles\" is already on line 2"), "\(twice)")
      let typo = failure("enterprise-types.csv") { $0 + "houshold,Hộ nhỏ,Small household,Hộ nhỏ\n" }
      #expect(typo.contains("key \"houshold\" is not one of the form's types"), "\(typo)")
    }

    @Test func aShortRowAnUnknownCodeOrABlankCellStopsTheRunWithItsLine() throws {
      let short = failure("enterprise-types.csv") { $0 + "household,Hộ kinh doanh,Hộ nhỏ\n" }
      #expect(short.contains("the row has 3 cells and the header 4"), "\(short)")
      let aliasLines = try lineCount("district-aliases.csv")
      let unknown = failure("district-aliases.csv") { $0 + "XYZ,999\n" }
      #expect(
        unknown == "district-aliases.csv:\(aliasLines + 1): alias \"XYZ\" names district code 999, which districts.csv "
          + "does not have", "\(unknown)")
      let blank = failure("district-aliases.csv") { $0 + "XYZ,\n" }
      #expect(blank.contains("district_code is blank"), "\(blank)")
    }

    @Test func oneThingSettledTwoWaysInCorrectionsStopsTheRun() throws {
      let folder = try TemporaryFolder("corrections")
      defer { folder.cleanUp() }
      let url = folder.file("corrections.csv")
      let header = "column,written,means,source_file,note\n"
      try Data((header + "district,Dong Hung cu,340,,\ndistrict,dong hung cu,341,,\n").utf8).write(to: url)
      let message = (#expect(throws: PipelineError.self) { try Corrections.load(from: url) })?.description
      #expect(
        message?.hasPrefix("corrections.csv:3: district \"dong hung cu\" is settled on line 2 as \"340\"") == true)
      // The same decision twice, or for two files, is no conflict.
      try Data(
        (header + "district,Dong Hung cu,340,,\ndistrict,Dong Hung cu,340,,\ndistrict,Dong Hung cu,341,b.csv,\n")
          .utf8
      ).write(to: url)
      #expect(try Corrections.load(from: url).all.count == 3)
      // A place's final i or y after a consonant is one letter, in corrections as in matching.
      try Data((header + "commune,Trà Lý,336,,\ncommune,Trà Lí,340,,\n").utf8).write(to: url)
      let iy = (#expect(throws: PipelineError.self) { try Corrections.load(from: url) })?.description
      #expect(
        iy
          == "corrections.csv:3: commune \"Trà Lí\" is settled on line 2 (as \"Trà Lý\": a syllable's final i or y "
          + "after a consonant is one letter in a place name) as \"336\" and here as \"340\": keep the one line that "
          + "is right", "\(iy ?? "")")
    }

    /// The province's own names, dropped from a place cell ("..., tỉnh Thái Bình", "Hưng Yên, Việt Nam"), are the
    /// department's table (`province-names.csv`), not code: the shipped table keys the names the resolver held in
    /// code, the table is one the stages read (its digest recorded, so an edit is named in the report), and a
    /// name added to it is read as the province in a cell.
    @Test func theProvinceNamesAreTheTablesAndANameAddedThereIsTheProvince() throws {
      let shipped = try shippedReference()
      let before = Set(["thai binh", "hung yen", "tb", "hy", "viet nam", "vn"].map { MatchKey(place: $0).plain })
      #expect(PlaceIndex(shipped).provinceKeys == before)
      let survey = ReferenceTable.survey(referenceFolder)
      #expect(survey.digests["province-names.csv"] != nil && !survey.notRead.contains("province-names.csv"))

      // "Vietnam" as an English form writes it, one word: no name of the shipped table.
      func resolve(_ reference: ReferenceData, _ district: String, _ commune: String = "") -> PlaceResolution {
        PlaceResolver(reference: reference).resolve(
          district: district, commune: commune, file: "a.csv", legacyOnly: false)
      }
      #expect(resolve(shipped, "Vietnam").reason != RowWording.english.onlyProvinceGiven)
      let edited = try load("province-names.csv") { $0 + "Vietnam,tên nước viết liền (phiếu tiếng Anh)\n" }
      let alone = resolve(edited, "Vietnam")
      #expect(alone.outcome == .missing && alone.reason == RowWording.english.onlyProvinceGiven, "\(alone)")
      #expect(resolve(edited, "", "Xã Vũ Hội, Vietnam").districtCode == "344")
    }

    /// The province's names are kept by hand: emptied, the table says how to take it back; a row without its name
    /// stops the run with its line.
    @Test func anEmptyProvinceNamesTableOrANamelessRowSaysSo() throws {
      let empty = failure("province-names.csv") { _ in "" }
      #expect(empty.contains("province-names.csv is empty (no header, no rows"), "\(empty)")
      #expect(empty.contains("git checkout -- input/reference/province-names.csv"), "\(empty)")
      #expect(!empty.contains("update-reference"), "\(empty)")
      let blank = failure("province-names.csv") { $0 + ",chưa ghi tên\n" }
      #expect(blank.contains("province-names.csv:8"), "\(blank)")
    }

    @Test func aMissingHandKeptTableIsRestoredNotRegenerated() throws {
      let folder = try TemporaryFolder("reference")
      defer { folder.cleanUp() }
      for name in try FileManager.default.contentsOfDirectory(atPath: referenceFolder.path)
      where name != "enterprise-types.csv" {
        try FileManager.default.copyItem(
          at: referenceFolder.appendingPathComponent(name), to: folder.url.appendingPathComponent(name))
      }
      let message = (#expect(throws: PipelineError.self) { try ReferenceData.load(from: folder.url) })?.description
      #expect(message?.contains("copy it back from the repository") == true, "\(message ?? "")")
    }

    /// A table saved empty (0 bytes when Excel or the disk failed mid-save, or blank lines of a cleared sheet) is
    /// said to be empty, with how to take it back: a generated table is written again, a hand-kept one restored
    /// from its previous version. It used to read as a header lacking every column ("(has: )").
    @Test(arguments: ["", "\n\n", " \r\n\t\r\n"])
    func anEmptyTableSaysItIsEmptyAndHowToRestoreIt(text: String) throws {
      let generated = failure("district-aliases.csv") { _ in text }
      #expect(generated.contains("district-aliases.csv is empty (no header, no rows"), "\(generated)")
      #expect(generated.contains("run scripts/update-reference to write it again"), "\(generated)")
      #expect(!generated.contains("(has: )"), "\(generated)")
      let handKept = failure("sectors.csv") { _ in text }
      #expect(handKept.contains("sectors.csv is empty (no header, no rows"), "\(handKept)")
      #expect(
        handKept.contains("take it back from its previous version (git checkout -- input/reference/sectors.csv"),
        "\(handKept)")
      #expect(!handKept.contains("update-reference"), "\(handKept)")
    }

    /// A corrections file emptied (0 bytes, or only blank lines) holds no decision, as a missing file and one with
    /// its header alone do: it no longer stops the whole run.
    @Test(arguments: ["", "\n", "  \r\n\r\n", "column,written,means,source_file,note\n"])
    func anEmptyCorrectionsFileIsNoDecision(text: String) throws {
      let folder = try TemporaryFolder("edited")
      defer { folder.cleanUp() }
      try Data(text.utf8).write(to: folder.file("corrections.csv"))
      #expect(try Corrections.load(from: folder.file("corrections.csv")).all.isEmpty)
    }

    /// A table that is there but cannot be opened is not called missing: a folder in its place says so, and a file
    /// the account may not read says to check its permissions (as an unreadable survey file's reason does), not to
    /// look for it. One that is not there is missing, with how to take it back, whichever loader reads it.
    @Test func aTableThatCannotBeOpenedSaysWhy() throws {
      let folder = try TemporaryFolder("reference")
      defer { folder.cleanUp() }
      try FileManager.default.createDirectory(at: folder.file("sectors.csv"), withIntermediateDirectories: true)
      let asFolder = (#expect(throws: PipelineError.self) { try ReferenceTable.read(folder.file("sectors.csv")) })
      #expect(asFolder?.description.hasSuffix("sectors.csv: it is a folder, not a file") == true, "\(asFolder!)")
      #expect(asFolder?.exitCode == 66)
      let gone = (#expect(throws: PipelineError.self) { try ReferenceTable.read(folder.file("needs.csv")) })
      #expect(
        gone?.description
          == "reference table \(folder.file("needs.csv").path) is missing: copy it back from the repository's "
          + "input/reference/ folder (git checkout -- input/reference/needs.csv in the checkout; the tables are read "
          + "from INPUT/reference/ when that folder exists)")
      #expect(gone?.exitCode == 66)
      try Data("key,name_vi,name_en,aliases\n".utf8).write(to: folder.file("plan.csv"))
      try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: folder.file("plan.csv").path)
      // Root reads a file of mode 000 all the same: the permissions are checked where the tests run as another user
      // (and by hand, with runuser -u nobody).
      guard !FileManager.default.isReadableFile(atPath: folder.file("plan.csv").path) else { return }
      let unreadable = (#expect(throws: PipelineError.self) { try ReferenceTable.read(folder.file("plan.csv")) })
      #expect(
        unreadable?.description.contains("plan.csv: the file is there but cannot be read: check its permissions")
          == true,
        "\(unreadable!)")
    }
  }
}

extension NormaliseTests.ReferenceDataTests {
  /// corrections.csv as the analysts' spreadsheet programs save it: Excel on Vietnamese Windows separates cells
  /// with semicolons (the locale's list separator) and, as plain "CSV", writes Windows-1258; "Unicode Text" is
  /// UTF-16 with tabs. Every one reads as the UTF-8 comma file does.
  @Test func aTableSavedByExcelInAnyOfItsFormatsReadsTheSame() throws {
    let text =
      "column,written,means,source_file,note\ncommune,Minh Tân,12721,,\"chị Lan, 2/12\"\n"
      + "enterprise_type,Làng nghề,household,đông-hưng.csv,\n"
    let semicolons = text.replacingOccurrences(of: ",", with: ";").replacingOccurrences(
      of: "\"chị Lan; 2/12\"", with: "chị Lan, 2/12")
    // The semicolon text, CRLF, as `scripts/make-samples` encodes Windows-1258 (tone marks as combining bytes).
    let windows1258: [UInt8] = [
      0x63, 0x6F, 0x6C, 0x75, 0x6D, 0x6E, 0x3B, 0x77, 0x72, 0x69, 0x74, 0x74, 0x65, 0x6E, 0x3B, 0x6D, 0x65, 0x61,
      0x6E, 0x73, 0x3B, 0x73, 0x6F, 0x75, 0x72, 0x63, 0x65, 0x5F, 0x66, 0x69, 0x6C, 0x65, 0x3B, 0x6E, 0x6F, 0x74,
      0x65, 0x0D, 0x0A, 0x63, 0x6F, 0x6D, 0x6D, 0x75, 0x6E, 0x65, 0x3B, 0x4D, 0x69, 0x6E, 0x68, 0x20, 0x54, 0xE2,
      0x6E, 0x3B, 0x31, 0x32, 0x37, 0x32, 0x31, 0x3B, 0x3B, 0x63, 0x68, 0x69, 0xF2, 0x20, 0x4C, 0x61, 0x6E, 0x2C,
      0x20, 0x32, 0x2F, 0x31, 0x32, 0x0D, 0x0A, 0x65, 0x6E, 0x74, 0x65, 0x72, 0x70, 0x72, 0x69, 0x73, 0x65, 0x5F,
      0x74, 0x79, 0x70, 0x65, 0x3B, 0x4C, 0x61, 0xCC, 0x6E, 0x67, 0x20, 0x6E, 0x67, 0x68, 0xEA, 0xCC, 0x3B, 0x68,
      0x6F, 0x75, 0x73, 0x65, 0x68, 0x6F, 0x6C, 0x64, 0x3B, 0xF0, 0xF4, 0x6E, 0x67, 0x2D, 0x68, 0xFD, 0x6E, 0x67,
      0x2E, 0x63, 0x73, 0x76, 0x3B, 0x0D, 0x0A,
    ]
    let tabs = text.replacingOccurrences(of: ",", with: "\t").replacingOccurrences(
      of: "\"chị Lan\t 2/12\"", with: "chị Lan, 2/12")
    let saved: [(String, Data)] = [
      ("UTF-8, commas", Data(text.utf8)),
      (
        "CSV UTF-8, semicolons, CRLF",
        Data([0xEF, 0xBB, 0xBF]) + Data(semicolons.replacingOccurrences(of: "\n", with: "\r\n").utf8)
      ),
      ("CSV, Windows-1258, semicolons", Data(windows1258)),
      ("Unicode Text", Data([0xFF, 0xFE]) + tabs.data(using: .utf16LittleEndian)!),
      ("UTF-16 without a mark", semicolons.data(using: .utf16BigEndian)!),
    ]
    let folder = try TemporaryFolder("edited")
    defer { folder.cleanUp() }
    for (how, data) in saved {
      try data.write(to: folder.file("corrections.csv"))
      let entries = try Corrections.load(from: folder.file("corrections.csv")).all
      #expect(
        entries.map { [$0.column, $0.written, $0.means, $0.sourceFile ?? ""] } == [
          ["commune", "Minh Tân", "12721", ""], ["enterprise_type", "Làng nghề", "household", "đông-hưng.csv"],
        ], "\(how)")
      #expect(entries.map(\.location.line) == [2, 3], "\(how)")
    }
  }

  /// The `name` column is optional: a duplicate decision keeps the establishment's name from it, trimmed, and a
  /// blank cell is no name.
  @Test func aDuplicateDecisionReadsTheNameColumnWhenThereIsOne() throws {
    let folder = try TemporaryFolder("edited")
    defer { folder.cleanUp() }
    try Data(
      ("column,written,means,source_file,name,note\nduplicate,a.csv:7,a.csv:4,, Đào Thị Duyên ,chị Hoa\n"
        + "duplicate,a.csv:9,distinct,,,\n").utf8
    ).write(to: folder.file("corrections.csv"))
    #expect(try Corrections.load(from: folder.file("corrections.csv")).all.map(\.name) == ["Đào Thị Duyên", nil])
    // A file from before the column: a name typed after the note would be dropped, so the run stops and says why.
    try Data(
      "column,written,means,source_file,note\nduplicate,a.csv:9,distinct,,,\nduplicate,a.csv:7,a.csv:4,,chị Hoa,Đào Thị Duyên\n"
        .utf8
    ).write(to: folder.file("corrections.csv"))
    let error = try #require(throws: PipelineError.self) { try Corrections.load(from: folder.file("corrections.csv")) }
    // With the name column, a duplicate row with a cell too many has a comma in a cell: said, not read shifted.
    try Data(
      "column,written,means,source_file,note,name\nduplicate,f.csv:5,f.csv:4,,Anh Tuấn gọi, hai hộ là một,Hộ Lan\n".utf8
    ).write(to: folder.file("corrections.csv"))
    let shifted = try #require(throws: PipelineError.self) {
      try Corrections.load(from: folder.file("corrections.csv"))
    }
    #expect(
      shifted.description.contains("corrections.csv:2")
        && shifted.description.contains("put that cell in double quotes"))
    // Another entry's extra cell (a note's unquoted comma, typed by hand) is dropped, as it always was.
    try Data("column,written,means,source_file,note\ncommune,Xã An Thái,336,,Lan hỏi, ngày 2/12\n".utf8).write(
      to: folder.file("corrections.csv"))
    #expect(try Corrections.load(from: folder.file("corrections.csv")).all.map(\.means) == ["336"])
    #expect(
      error.description.contains("corrections.csv:3") && error.description.contains("add name to the end of the header")
    )
  }

  /// A spreadsheet row cleared of its contents is saved as a row of empty cells: it is a blank line, not an
  /// entry with a blank key that stops the night's run.
  @Test func aRowOfEmptyCellsIsABlankLine() throws {
    let folder = try TemporaryFolder("edited")
    defer { folder.cleanUp() }
    try Data("column;written;means;source_file;note\n;;;;\ncommune;Minh Tân;12721;;\n ; ;;;\n".utf8).write(
      to: folder.file("corrections.csv"))
    #expect(try Corrections.load(from: folder.file("corrections.csv")).all.map(\.location.line) == [3])
    // Above the header too, after a blank line, and in the other separator.
    for text in [
      ";;;;\n\ncolumn;written;means;source_file;note\ncommune;Minh Tân;12721;;\n",
      ",,,,\ncolumn,written,means,source_file,note\n;;;;\ncommune,Minh Tân,12721,,\n",
    ] {
      try Data(text.utf8).write(to: folder.file("corrections.csv"))
      #expect(try Corrections.load(from: folder.file("corrections.csv")).all.map(\.written) == ["Minh Tân"], "\(text)")
    }
    let types = try load("enterprise-types.csv") { $0 + ",,,\n" }
    #expect(types.enterpriseTypes.count == (try shippedReference()).enterpriseTypes.count)
  }
}

extension NormaliseTests.ReferenceDataTests {
  /// Mistakes an analyst makes in corrections.csv are said with what to write: a capitalised header is read, an
  /// unknown key lists the keys, a quote left open is said as of a table to save again.
  @Test func correctionsMistakesSayWhatToWrite() throws {
    let folder = try TemporaryFolder("edited")
    defer { folder.cleanUp() }
    let url = folder.file("corrections.csv")
    func failure(_ text: String) -> String {
      do {
        try Data(text.utf8).write(to: url)
        try Corrections.load(from: url).validate(against: try shippedReference())
        return "no error"
      } catch {
        return (error as? PipelineError)?.description ?? "\(error)"
      }
    }
    #expect(failure("Column,Written,Means\nenterprise_type,Làng nghề,household\n") == "no error")
    #expect(
      failure("column,written,means\nenterprise_type,Làng nghề,Hộ kinh doanh\n")
        == "corrections.csv:2: enterprise_type \"Làng nghề\" means \"Hộ kinh doanh\", which the reference tables do "
        + "not know: use one of company, coop_group, cooperative, household")
    #expect(
      failure("column,written,means\nneed,Vay vốn,loan\n").hasSuffix(
        ": use one of " + (try shippedReference()).needKeys.joined(separator: ", ") + ", none"))
    #expect(
      failure("column,written,means\ncommune,\"Minh Tân,12721\n")
        == "corrections.csv:2: a quoted cell opened here is never closed: close or remove the quote and save the "
        + "table again")
  }
}

extension NormaliseTests.ReferenceDataTests {
  /// One row named two ways (`B:3`, `input/b.csv:3`) is one decision, not two that disagree.
  @Test func aRowNamedTwoWaysIsOneDecision() throws {
    let folder = try TemporaryFolder("edited")
    defer { folder.cleanUp() }
    try Data("column,written,means\nduplicate,a.csv:5,B:3\nduplicate,A.CSV:5,input/b.csv:3\n".utf8).write(
      to: folder.file("corrections.csv"))
    #expect(try Corrections.load(from: folder.file("corrections.csv")).all.count == 2)
  }

  /// A decision that waits for a file set aside this run says so, whichever side of it names the file.
  @Test func aDecisionOnASetAsideFileWaitsForIt() {
    let merge = Correction(
      column: "duplicate", written: "a.csv:5", means: "Bad.csv:3", sourceFile: nil,
      location: InputLocation(file: "corrections.csv", line: 2))
    let distinct = Correction(
      column: "duplicate", written: "bad.csv:4", means: "distinct", sourceFile: nil,
      location: InputLocation(file: "corrections.csv", line: 3))
    let corrections = Corrections([merge, distinct, correction("sector", "Mây", "handicrafts", file: "BAD")])
    corrections.markUnused(merge, .standingRowNotCounted)
    #expect(
      NormaliseStage.unused(corrections, setAside: ["bad.csv"]).map(\.reason) == [
        .fileSetAside, .fileSetAside, .fileSetAside,
      ])
    #expect(
      NormaliseStage.unused(corrections, setAside: []).map(\.reason) == [.standingRowNotCounted, .noRow, .noMatch])
  }

  /// A decision on a file left for the next run (still being written) waits for it, and one limited to no file
  /// that found nothing may be for the files left. Both were said to settle nothing, "or delete the line".
  @Test func aDecisionOnAFileStillBeingWrittenWaitsForIt() {
    let merge = Correction(
      column: "duplicate", written: "a.csv:5", means: "Kien-xuong.csv:3", sourceFile: nil,
      location: InputLocation(file: "corrections.csv", line: 2))
    let corrections = Corrections([
      merge, correction("enterprise_type", "Làng nghề", "household", file: "kien-xuong.csv"),
      correction("need", "Vay vốn", "none"), correction("sector", "Mây", "handicrafts", file: "other.csv"),
    ])
    corrections.markUnused(merge, .standingRowNotCounted)
    #expect(
      NormaliseStage.unused(corrections, setAside: [], waiting: ["kien-xuong.csv"]).map(\.reason) == [
        .fileWaiting, .fileWaiting, .filesWaiting, .noMatch,
      ])
    #expect(
      NormaliseStage.unused(corrections, setAside: []).map(\.reason) == [
        .standingRowNotCounted, .noMatch, .noMatch, .noMatch,
      ])
  }
}
