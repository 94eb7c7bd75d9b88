import Foundation
import Testing

@testable import SurveyCore

extension NormaliseTests {
  /// The streaming stage (scratch file + `DuplicateIndex`) against the stage as it was written first, which
  /// held every countable row, sorted them and asked `Deduplicator.links`: same bytes in every artefact, on
  /// generated ingested.csv files full of repeated tax codes, identities, places and corrections, in order
  /// and out of order, with the real identity hash and with hashes that collide.
  @Suite struct NormaliseStreamingTests {
    /// A small deterministic generator (SplitMix64).
    struct Random {
      var state: UInt64
      mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
      }
      mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
      mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let files = ["a.csv", "b.csv", "set-aside.csv", "Đông Hưng.csv", "z.csv", "unlisted.csv"]

    /// A generated run folder: ingested.csv, ingest-summary.json, rejects.csv; and corrections naming its rows.
    func generate(in folder: URL, seed: UInt64, rows: Int, sorted: Bool) throws -> Corrections {
      var random = Random(state: seed)
      func tax() -> String {
        let code = String(1_000_000_000 + random.below(rows / 6))
        switch random.below(10) {
        case 0, 1, 2: return ""
        case 3: return "123"
        case 4: return "MST: " + code
        case 5: return code + "-001"
        case 6: return String(code.prefix(4)) + " " + String(code.dropFirst(4))
        default: return code
        }
      }
      let names = ["Cơ sở A", "Hộ Nguyễn Văn Nam", "HỘ NGUYỄN VĂN NAM", "Ho Nguyen Van Nam", "Cơ sở \"B\", C", ""]
      let places = [
        ("Vũ Thư", "Vũ Hội"), ("Vu Thu", ""), ("", "Minh Tân"), ("Tiền Hải", "Nam Hà"), ("Nam Định", ""),
        ("Kien Xuonh", ""), ("", "Phường Trà Lý"), ("Đông Hưng", "Xã Lô Giang"),
      ]
      let dates = ["", "01/03/2024", "02/03/2024", "2025-11-02", "45366", "31/02/2024"]
      var lines: [(file: String, line: Int)] = []
      var rowsText = FormSchema.stagedHeader.map { CSVWriter.quoted($0) }.joined(separator: ",") + "\n"
      var order: [(file: String, line: Int)] = (0..<rows).map { _ in
        (random.pick(Self.files), 2 + random.below(rows / 16 + 1))
      }
      if sorted {
        order.sort { $0.file != $1.file ? $0.file.utf8.lexicographicallyPrecedes($1.file.utf8) : $0.line < $1.line }
      }
      for (file, line) in order {
        lines.append((file, line))
        let (district, commune) = random.pick(places)
        var cells = [String](repeating: "", count: FormSchema.stagedHeader.count)
        func set(_ column: String, _ value: String) { cells[FormSchema.stagedHeader.firstIndex(of: column)!] = value }
        set("source_file", file)
        set("source_line", String(line))
        let taxCode = tax()
        set("tax_code", taxCode)
        // Rows without a tax code share their names and places with rows with one (listed beside them), and with
        // each other only (listed beside the first of them).
        let household = (taxCode == "" || taxCode == "123") && random.below(2) == 0
        set("name", household ? random.pick(["Hộ Đào Thị Duyên", "HO DAO THI DUYEN"]) : random.pick(names))
        set("enterprise_type", random.pick(["HTX", "Hộ KD", "HTX", "Làng nghề"]))
        set("district", district)
        set("commune", commune)
        set("employees", random.pick(["5", "0012", "1.250", "15 người", "x"]))
        set("revenue", random.pick(["", "2,5", "1,5 tỷ", "120"]))
        set("needs", random.pick(["", "SXSH, ĐT nghề", "Vay vốn"]))
        set("need_training", random.pick(["", "x", "cần máy"]))
        set("survey_date", random.pick(dates))
        set("notes", random.pick(["", " lề ", "dòng\nhai"]))
        rowsText += CSVWriter.line(cells)
      }
      try Data(rowsText.utf8).write(to: folder.appendingPathComponent(ArtefactName.ingested))
      var summaries: [IngestFileSummary] = []
      for file in Self.files where file != "unlisted.csv" {
        var summary = IngestFileSummary(file: file, bytes: 1)
        if file == "set-aside.csv" { summary.status = .setAside }
        summaries.append(summary)
      }
      try StableJSON.write(
        IngestSummary(files: summaries), to: folder.appendingPathComponent(ArtefactName.ingestSummary))
      try Data(
        "source_file,source_line,stage,reason,column,value\nx.csv,3,ingest,\"a, b\",,\ny.csv,4,normalise,old,name,\n"
          .utf8
      ).write(to: folder.appendingPathComponent(ArtefactName.rejects))
      var entries: [Correction] = []
      func label() -> String {
        let place = random.pick(lines)
        return "\(place.file):\(place.line)"
      }
      for n in 0..<(rows / 4) {
        let means = random.below(3) == 0 ? "distinct" : random.below(10) == 0 ? "nowhere.csv:7" : label()
        // Some give the establishment's name: one the generated rows have (whole or in part), or one they lack.
        let name = random.pick([nil, nil, "Nguyễn Văn Nam", "cơ sở a", "B C", "Cơ sở Z"] as [String?])
        entries.append(
          Correction(
            column: "duplicate", written: random.below(2) == 0 ? " \(label()) " : label(), means: means,
            sourceFile: nil, location: InputLocation(file: "corrections.csv", line: n + 2), name: name))
      }
      entries.append(correction("district", "Kien Xuonh", "342", file: "a.csv"))
      entries.append(correction("need", "Vay vốn", "none"))
      return Corrections(entries)
    }

    @Test(arguments: [(1, true), (2, true), (3, false), (4, false), (5, true)] as [(UInt64, Bool)])
    func sameBytesAsHoldingEveryRow(_ seed: UInt64, _ sorted: Bool) throws {
      let reference = try shippedReference()
      let folder = try TemporaryFolder("normalise-streaming")
      defer { folder.cleanUp() }
      let input = try folder.folder("input")
      let corrections = try generate(in: input, seed: seed, rows: 1500, sorted: sorted)
      let hashes: [(String, (String) -> Int)] = [
        ("real", { $0.hashValue }), ("all collide", { _ in 0 }), ("by length", { $0.utf8.count }),
        ("real, from many blocks of staged rows", { $0.hashValue }),
        ("real, the cells kept in the scratch file", { $0.hashValue }),
        // Taken by the first attempt; when the rows are out of order, the second makes its own.
        ("real, the tax code index made ahead", { $0.hashValue }),
      ]
      for withCorrections in [false, true] {
        var companions: [Data] = []
        let used = withCorrections ? corrections : Corrections()
        let expected = try folder.folder("expected-\(withCorrections)")
        try copyInput(input, to: expected)
        try Self.runHoldingEveryRow(runDirectory: expected, reference: reference, corrections: used)
        for (name, hash) in hashes {
          let actual = try folder.folder("actual-\(withCorrections)-\(name)")
          try copyInput(input, to: actual)
          if name.hasSuffix("staged rows") {
            try writeCompanion(of: actual.appendingPathComponent(ArtefactName.ingested))
          }
          _ = try NormaliseStage.run(
            runDirectory: actual, corrections: used, normaliser: nil, reference: reference, identityHash: hash,
            cellsInScratch: name.hasSuffix("scratch file"),
            taxIndex: name.hasSuffix("made ahead") ? NormaliseStage.TaxIndexAhead(runDirectory: actual) : nil)
          companions.append(try Data(contentsOf: actual.appendingPathComponent("establishments.rows")))
          // No tentative or temporary file is left behind.
          let left = try FileManager.default.contentsOfDirectory(atPath: actual.path).filter { $0.hasPrefix(".") }
          #expect(left.isEmpty, "\(left)")
          for artefact in [
            ArtefactName.establishments, ArtefactName.review, ArtefactName.duplicates, ArtefactName.rejects,
            ArtefactName.normaliseSummary,
          ] {
            let want = try Data(contentsOf: expected.appendingPathComponent(artefact))
            let got = try Data(contentsOf: actual.appendingPathComponent(artefact))
            let same = want == got  // a Bool: Swift Testing would diff two large Data values for minutes
            #expect(same, "seed \(seed), sorted \(sorted), corrections \(withCorrections), hash \(name): \(artefact)")
          }
        }
        // The tentative file rewritten without the duplicates has the companion the scratch file's cells are
        // written with (their blocks end alike at this size; beyond a megabyte they may end elsewhere).
        let sameCompanions = companions.allSatisfy { $0 == companions[0] }
        #expect(sameCompanions, "seed \(seed), sorted \(sorted), corrections \(withCorrections)")
        // Something to compare: duplicates of both kinds, and corrections that applied.
        let summary = try StableJSON.read(
          NormaliseSummary.self, from: expected.appendingPathComponent(ArtefactName.normaliseSummary))
        #expect(summary.totals.duplicates > 0 && summary.totals.possibleDuplicates > 0)
        // Tax codes repeated under other districts, whose merges both ways remark.
        #expect((summary.totals.duplicatesAcrossDistricts ?? 0) > 0)
        let reasons = try readArtefact(expected.appendingPathComponent(ArtefactName.duplicates)).rows.map(\.last)
        #expect(reasons.contains(RowWording.english.possibleDuplicate))
        #expect(reasons.contains { $0?.contains("as the establishment with tax code") == true })
        if withCorrections {
          #expect(summary.totals.correctionsApplied > 0)
          #expect(summary.unusedCorrections?.contains { $0.reason == .nameDiffers } == true)
        }
      }
    }

    /// The index made ahead serves one attempt: a second (rows out of order) makes its own rather than share it.
    @Test func theTaxCodeIndexMadeAheadIsTakenOnce() throws {
      let folder = try TemporaryFolder("normalise-streaming")
      defer { folder.cleanUp() }
      try writeStagedRows([["source_line": "2", "tax_code": "1000000001", "name": "Hộ A"]], to: folder.url)
      let ahead = NormaliseStage.TaxIndexAhead(runDirectory: folder.url)
      let first = try #require(ahead.claim())
      #expect(try first.wait().value.count == 0)
      #expect(ahead.claim() == nil)
    }

    @Test func withoutDuplicatesTheFileWrittenAsRowsComeIsKeptWithItsCompanion() throws {
      // Every row counted and none a duplicate: the tentative establishments.csv and its companion are renamed into
      // place, and the companion still belongs to the CSV (a reader takes it rather than parse the CSV).
      let reference = try shippedReference()
      let folder = try TemporaryFolder("normalise-streaming")
      defer { folder.cleanUp() }
      let input = try folder.folder("input")
      try writeStagedRows(
        (2..<400).map { line in
          [
            "source_line": String(line), "tax_code": String(1_000_000_000 + line),
            "name": line % 7 == 0 ? "Cơ sở \"số \(line)\", xóm 2" : "Hộ số \(line)", "enterprise_type": "HTX",
            "district": line % 2 == 0 ? "Vũ Thư" : "Kien Xuong", "employees": line % 5 == 0 ? "năm" : String(line % 40),
          ]
        }, to: input)
      var outputs: [[Data]] = []
      for cellsInScratch in [false, true] {
        let run = try folder.folder("run-\(cellsInScratch)")
        try copyInput(input, to: run)
        let summary = try NormaliseStage.run(
          runDirectory: run, corrections: Corrections(), normaliser: nil, reference: reference,
          cellsInScratch: cellsInScratch)
        #expect(summary.totals.counted == 398 && summary.totals.duplicates == 0 && summary.totals.remarked == 79)
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.path).filter { $0.hasPrefix(".") }.isEmpty)
        let csv = run.appendingPathComponent(ArtefactName.establishments)
        #expect(StagedRowsReader(companionOf: csv) != nil)
        var fromCompanion: [[String]] = []
        try StagedRows.forEachRow(
          csv, header: { _ in },
          row: { record in
            fromCompanion.append((0..<record.count).map { String(decoding: record.field($0), as: UTF8.self) })
          })
        #expect(fromCompanion == (try readArtefact(csv).rows))
        outputs.append(
          try [ArtefactName.establishments, "establishments.rows", ArtefactName.normaliseSummary].map {
            try Data(contentsOf: run.appendingPathComponent($0))
          })
      }
      let same = outputs[0] == outputs[1]
      #expect(same)
    }

    /// A large survey with a few links among its rows: the second pass reads back only the rows a tax code, an
    /// identity or a decision links (issue 6), and the artefacts are those of the stage that held every row, and of
    /// the pass that reads every record (the cells kept in the scratch file). The links cover each kind: a tax
    /// code given three times (two rows superseded, one of them remarked), an identity given twice (listed as a
    /// possible duplicate), two more merged by a decision and held apart by another, and a hash shared by
    /// different identities.
    @Test func fewLinksAmongManyRowsAreFoundWithoutReadingEveryRow() throws {
      let reference = try shippedReference()
      let folder = try TemporaryFolder("normalise-sparse")
      defer { folder.cleanUp() }
      let input = try folder.folder("input")
      let rows = 4_000
      try writeStagedRows(
        (2..<(rows + 2)).map { line in
          var row = [
            "source_line": String(line), "tax_code": String(1_000_000_000 + line), "name": "Hộ số \(line)",
            "enterprise_type": "HTX", "district": line % 2 == 0 ? "Vũ Thư" : "Kien Xuong",
            "employees": String(line % 40), "survey_date": "01/03/2024", "notes": line % 9 == 0 ? "ghi chú" : "",
          ]
          switch line {
          case 100, 1_800, 3_600:  // one tax code three times, the later dates standing
            row["tax_code"] = "1000000100"
            row["survey_date"] = line == 1_800 ? "02/03/2024" : "01/03/2024"
            row["notes"] = line == 100 ? "ghi chú" : ""
          case 500, 2_500, 700, 2_700, 900, 2_900:  // no tax code, and a name given twice
            row["tax_code"] = ""
            row["name"] = "Cơ sở trùng \(line % 1_000)"
            row["district"] = "Vũ Thư"
          default: break
          }
          return row
        }, to: input)
      let corrections = Corrections([
        Correction(
          column: "duplicate", written: "a.csv:2700", means: "a.csv:700", sourceFile: nil,
          location: InputLocation(file: "corrections.csv", line: 2), name: nil),
        Correction(
          column: "duplicate", written: "a.csv:2900", means: "distinct", sourceFile: nil,
          location: InputLocation(file: "corrections.csv", line: 3), name: nil),
      ])
      let expected = try folder.folder("expected")
      try copyInput(input, to: expected)
      try Self.runHoldingEveryRow(runDirectory: expected, reference: reference, corrections: corrections)
      let summary = try StableJSON.read(
        NormaliseSummary.self, from: expected.appendingPathComponent(ArtefactName.normaliseSummary))
      #expect(summary.totals.counted == rows - 3)
      #expect(summary.totals.duplicates == 3 && summary.totals.possibleDuplicates == 1)
      #expect(summary.totals.correctionsApplied == 2)
      let hashes: [(String, (String) -> Int)] = [
        ("real", { $0.hashValue }), ("shared by the names' lengths", { $0.utf8.count }),
        ("real, the cells kept in the scratch file", { $0.hashValue }),
      ]
      // The companions too: the tentative file rewritten without the duplicates, and the one written from the
      // scratch file's cells, are one file (their blocks end alike at this size).
      var companions: [Data] = []
      for (name, hash) in hashes {
        let actual = try folder.folder("actual-\(name)")
        try copyInput(input, to: actual)
        _ = try NormaliseStage.run(
          runDirectory: actual, corrections: corrections, normaliser: nil, reference: reference, identityHash: hash,
          cellsInScratch: name.hasSuffix("scratch file"))
        companions.append(try Data(contentsOf: actual.appendingPathComponent("establishments.rows")))
        for artefact in [
          ArtefactName.establishments, ArtefactName.review, ArtefactName.duplicates, ArtefactName.rejects,
          ArtefactName.normaliseSummary,
        ] {
          let same =
            try Data(contentsOf: expected.appendingPathComponent(artefact))
            == Data(contentsOf: actual.appendingPathComponent(artefact))
          #expect(same, "hash \(name): \(artefact)")
        }
      }
      let sameCompanions = companions.allSatisfy { $0 == companions[0] }
      #expect(sameCompanions)
    }

    @Test(arguments: [false, true])
    func rowsAtOneFileAndLine(inOrder: Bool) throws {
      // Two rows at a.csv:5 with one tax code and date: the first stands, as Deduplicator.supersedes says.
      let reference = try shippedReference()
      let folder = try TemporaryFolder("normalise-streaming")
      defer { folder.cleanUp() }
      let input = try folder.folder("input")
      var rows = [
        (5, "1000000001", "Cơ sở A", "01/03/2024"), (5, "1000000001", "Cơ sở B", "01/03/2024"),
        (4, "", "Hộ C", ""), (4, "", "Hộ C", ""), (6, "1000000002", "Cơ sở D", ""), (6, "1000000002", "Cơ sở E", ""),
      ]
      if inOrder { rows = Array(rows[2...3] + rows[0...1] + rows[4...5]) }
      try writeStagedRows(
        rows.map { line, tax, name, date in
          [
            "source_line": String(line), "tax_code": tax, "name": name, "enterprise_type": "HTX", "district": "Vũ Thư",
            "survey_date": date,
          ]
        }, to: input)
      let expected = try folder.folder("expected")
      let actual = try folder.folder("actual")
      try copyInput(input, to: expected)
      try copyInput(input, to: actual)
      try Self.runHoldingEveryRow(runDirectory: expected, reference: reference, corrections: Corrections())
      try NormaliseStage.run(runDirectory: actual, reference: reference, corrections: Corrections())
      for artefact in [ArtefactName.establishments, ArtefactName.duplicates, ArtefactName.normaliseSummary] {
        let want = try String(contentsOf: expected.appendingPathComponent(artefact), encoding: .utf8)
        #expect(try String(contentsOf: actual.appendingPathComponent(artefact), encoding: .utf8) == want)
      }
      let names = try readArtefact(actual.appendingPathComponent(ArtefactName.establishments)).rows.map { $0[3] }
      #expect(names == ["Hộ C", "Hộ C", "Cơ sở A", "Cơ sở D"])
    }

    @Test func foldingWordByWordIsFoldingTheWhole() throws {
      var texts = [
        "", " ", "Hộ Nguyễn Văn Nam", "  HỘ  NGUYỄN\tVĂN NAM ", "Ho Nguyen Van Nam", "Đông-Hưng", "a \u{301}b",
        "\u{301}", "x\u{a0}y z", "Cơ sở \"B\", C", "Hộ ông Ba (xóm 2)", "ΟΔΟΣ ΑΣ Β", "Thái Bình", "ﬁ ǅ Ǆ",
        "Hô\u{323}\u{302} Nguyê\u{303}n", "số 12 34", "a  ,  b", "İstanbul", "ß ẞ", "☑ x ✓", "Hộ_ông-Ba#1 A_b.C~d",
        "Xã\u{1}Vũ\u{7f}Hội",
        "Hộ @Ba [Z] {y} `x`", "ĐÔNG 09 hưng ",
      ]
      for name in ["2025-11-hung-ha-google-form.csv", "2025-11-quynh-phu.csv", "2025-10-dong-hung.csv"] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("input/\(name)"), encoding: .utf8)
        texts += text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" }).map(String.init)
      }
      let folding = WordFolding()
      for _ in 0..<2 {  // from the texts, then from the cache
        for text in texts { #expect(folding.key(text) == TextFolding.key(text), "\(text.debugDescription)") }
      }
      // A row worker's hash of a name's identity, made from its bytes, is the stage's hash of the identity's String.
      for text in texts {
        var (name, place) = (text, "DT01|xa vu hoi")
        let hash = name.withUTF8 { name in
          place.withUTF8 { folding.identityHash(name: UnsafeRawBufferPointer(name), place: UnsafeRawBufferPointer($0)) }
        }
        #expect(hash == WordFolding.identityHash(of: TextFolding.key(text) + "|" + place), "\(text.debugDescription)")
      }
    }

    @Test func scratchRecordsComeBackInOrderAndByOffset() throws {
      let folder = try TemporaryFolder("normalise-scratch")
      defer { folder.cleanUp() }
      let scratch = try RowScratch(in: folder.url, name: "test")
      var offsets: [UInt64] = []
      // Small records, then one larger than the read chunk (4 MiB), then small ones again.
      let sizes = Array(repeating: 10, count: 3000) + [5 << 20] + Array(repeating: 100, count: 3000)
      for (n, size) in sizes.enumerated() {
        offsets.append(scratch.size)
        try scratch.append(
          file: UInt32(n % 7), line: n, tax: UInt64(n % 3), date: UInt32(n),
          fields: [UInt8](repeating: 0x61, count: size),
          name: "tên \(n)", identity: n % 3 == 0 ? "định danh \(n)" : "")
      }
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)  // unlinked
      var n = 0
      try scratch.forEachRecord { record in
        #expect(record.offset == offsets[n] && record.header.line == n && record.header.file == UInt32(n % 7))
        #expect(record.fields.count == sizes[n] && record.name == "tên \(n)")
        #expect(record.identity == (n % 3 == 0 ? "định danh \(n)" : nil))
        n += 1
      }
      #expect(n == sizes.count)
      for n in [0, 2999, 3000, 3001, sizes.count - 1] {
        try scratch.withRecord(at: offsets[n]) { record in
          #expect(record.header.date == UInt32(n) && record.fields.count == sizes[n] && record.name == "tên \(n)")
        }
      }
    }

    @Test func taxKeysRoundTrip() {
      for code in ["0101234567", "0101234567-001", "1", "9999999999-999", "0000000000"] {
        #expect(TaxKey.pack(code).map(TaxKey.unpack) == code)
      }
      #expect(TaxKey.pack("0101234567") != TaxKey.pack("101234567"))
      #expect(
        TaxKey.pack("") == nil && TaxKey.pack("12a") == nil && TaxKey.pack(String(repeating: "1", count: 17)) == nil)
    }

    @Test func plainCellsReadAsTheGeneralPathReadsThem() {
      for text in ["0", "000", "0012", "129", "999999999999999999", "100000000000000000"] {
        #expect(StagedText.plainWholeNumber(text) == VietnameseNumber.count(text)?.text, "\(text)")
        #expect(StagedText.plainWholeNumber(text) == VietnameseNumber.millionVND(text)?.text, "\(text)")
      }
      for text in ["", "1.5", "-3", " 5", "1234567890123456789"] { #expect(StagedText.plainWholeNumber(text) == nil) }
      for text in [
        "0101234567", "0101234567-001", "0101234567001", "010123456-0012", "01012345670-01", "0101234567-0a1",
      ] {
        let general = TaxCode.readGenerally(text)
        #expect(TaxCode.plain(text).map(TaxCode.Reading.valid) ?? general == general, "\(text)")
      }
      // The byte path's check: a code the general path gives back as it is written, and nothing else.
      let asWritten: Set = ["0101234567", "0101234567-001", "0101010101"]
      for text in [
        "0101234567", "0101234567-001", "0101234567001", "010123456-0012", "01012345670-01", "0101234567-0a1",
        "010123456", "01012345678", "0101234567 ", "0101234567-01", "0101234567_001", "-101234567", "０101234567",
        "0101234567-00１", "01012345670012", "", "0000000000", "7777777777-001", "0101010101",
      ] {
        let plain = Array(text.utf8).withUnsafeBytes { TaxCode.isPlain($0) }
        #expect(plain == asWritten.contains(text), "\(text)")
        if plain { #expect(TaxCode.readGenerally(text) == .valid(text), "\(text)") }
      }
      // Its key, checked and packed a word at a time: `pack` of exactly the plain codes. Every plain code with one
      // byte changed to each byte that borders a digit or a hyphen, and codes made at random of such bytes.
      var codes: [[UInt8]] = []
      for code in asWritten.map({ Array($0.utf8) }) {
        codes.append(code)
        for position in code.indices {
          for byte: UInt8 in [0x00, 0x20, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x39, 0x3A, 0x3F, 0x40, 0x6F, 0xB0, 0xFF] {
            var changed = code
            changed[position] = byte
            codes.append(changed)
          }
        }
      }
      codes += ["0000000000", "5555555555-123", "0000000000-0a0"].map { Array($0.utf8) }
      var codeRandom = SplitMix64(state: 3)
      let alphabet = Array("0123456789-/:0123456789".utf8)
      for _ in 0..<20_000 {
        let count = [9, 10, 11, 13, 14, 15].randomElement(using: &codeRandom)!
        codes.append((0..<count).map { _ in alphabet.randomElement(using: &codeRandom)! })
      }
      // The shape, byte by byte, apart from the code under test (`TaxCode.isPlain` is `packPlain` now).
      func plainShape(_ code: [UInt8]) -> Bool {
        (code.count == 10 || code.count == 14)
          && code.indices.allSatisfy { $0 == 10 ? code[$0] == 0x2D : code[$0] &- 0x30 < 10 }
          && Set(code.prefix(10)).count > 1  // not a placeholder
      }
      var keys = 0
      for code in codes {
        let key = code.withUnsafeBytes { TaxKey.packPlain($0) }
        let expected = plainShape(code) ? TaxKey.pack(bytes: code) : nil
        #expect(key == expected, "\(code)")
        if key != nil { keys += 1 }
      }
      #expect(keys > 200)  // both shapes, at random too
      for text in ["", "a", " a ", "\u{a0}x\u{a0}", "\u{2003}x", "x\u{3000}", "\u{301}x", "x\n", "\u{85}x", "đ"] {
        #expect(
          StagedText.trimmed(text) == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
      }
      let cells = ["", "a", " a", "a ", "a,b", "a\"b", "x\ny", " \u{301}a", "a\u{301} ", "ô", "\"", "\r", ""]
      var packed: [UInt8] = []
      StagedText.appendFields(cells, to: &packed)
      var unpacked: [String] = []
      packed.withUnsafeBytes { bytes in
        StagedText.forEachField(bytes) { index, field in
          #expect(index == unpacked.count)
          unpacked.append(String(decoding: field, as: UTF8.self))
        }
      }
      #expect(unpacked == cells)
      // Only the cells a CSV has as they are are marked plain, and appendPackedRecord copies those unread.
      var marked: [Bool] = []
      packed.withUnsafeBytes { bytes in
        var position = 0
        while position + 4 <= bytes.count {
          let length = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
          marked.append(length & StagedRowsBatch.plainCell != 0)
          position += 4 + Int(length & ~StagedRowsBatch.plainCell)
        }
      }
      let (t, f) = (true, false)
      #expect(marked == [t, t, f, f, f, f, f, f, f, t, f, f, t])
      // A line number packed from its value is the cell its text would be, marked plain: at every change in the
      // count of digits (each 10^k - 1, 10^k and 10^k + 1), the largest Int, and numbers at random.
      var random = SplitMix64(state: 7)
      let edges = (1...18).flatMap { k -> [Int] in
        let power = (0..<k).reduce(1) { value, _ in value * 10 }
        return [power - 1, power, power + 1]
      }
      var values = [0, 7, 99, 12_345, Int.max, Int.max - 1] + edges
      for _ in 0..<2_000 {
        let top = Int.random(in: 0...1, using: &random) == 0 ? 10_000_000 : Int.max
        values.append(Int.random(in: 0...top, using: &random))
      }
      for value in values {
        var fromValue = ByteBuffer(capacity: 4)
        var fromText = ByteBuffer(capacity: 4)
        defer {
          fromValue.deallocate()
          fromText.deallocate()
        }
        StagedText.appendField(decimal: value, to: &fromValue)
        var text = String(value)
        text.withUTF8 { StagedText.appendField(plain: UnsafeRawBufferPointer($0), to: &fromText) }
        #expect(Array(fromValue.bytes) == Array(fromText.bytes), "\(value)")
      }
    }

    /// A run folder as ingest leaves it, of one file a.csv: `ingested.csv` with these rows (cells by column; the
    /// others blank), its summary and an empty rejects.csv.
    private func writeStagedRows(_ rows: [[String: String]], to input: URL) throws {
      var text = FormSchema.stagedHeader.joined(separator: ",") + "\n"
      for row in rows {
        text += CSVWriter.line(FormSchema.stagedHeader.map { $0 == "source_file" ? "a.csv" : row[$0] ?? "" })
      }
      try Data(text.utf8).write(to: input.appendingPathComponent(ArtefactName.ingested))
      try StableJSON.write(
        IngestSummary(files: [IngestFileSummary(file: "a.csv", bytes: 1)]),
        to: input.appendingPathComponent(ArtefactName.ingestSummary))
      try Data("source_file,source_line,stage,reason,column,value\n".utf8).write(
        to: input.appendingPathComponent(ArtefactName.rejects))
    }

    private func copyInput(_ input: URL, to run: URL) throws {
      for name in [ArtefactName.ingested, ArtefactName.ingestSummary, ArtefactName.rejects] {
        try FileManager.default.copyItem(at: input.appendingPathComponent(name), to: run.appendingPathComponent(name))
      }
    }

    /// The stage as first written: every countable row held, sorted, then `Deduplicator.links`.
    static func runHoldingEveryRow(
      runDirectory: URL, reference: ReferenceData, corrections: Corrections, today: SurveyDate? = nil
    ) throws {
      let ingestSummary = try StableJSON.read(
        IngestSummary.self, from: runDirectory.appendingPathComponent(ArtefactName.ingestSummary))
      let setAside = Set(ingestSummary.files.filter { $0.status == .setAside }.map(\.file))
      var counts: [String: NormaliseCounts] = [:]
      for file in ingestSummary.files { counts[file.file] = NormaliseCounts() }
      let corrections = corrections.forRun()
      let normaliser = RowNormaliser(reference: reference, corrections: corrections)
      normaliser.moneyUnits = FileMoneyUnits.byFile(ingestSummary)
      normaliser.today = today
      let review = try CSVWriter(
        runDirectory.appendingPathComponent(ArtefactName.review), header: RowNormaliser.reviewHeader, style: .rowList)
      let rejectsTable = try CSVFile.readTable(runDirectory.appendingPathComponent(ArtefactName.rejects))
      let stage = try rejectsTable.index(of: "stage")
      var rejects: [[String]] = rejectsTable.rows.filter { rejectsTable.value($0, stage) != "normalise" }.map {
        record in (0..<6).map { $0 < record.fields.count ? record.fields[$0] : "" }
      }
      var inReview = Set<String>()
      var establishments: [Establishment] = []
      var columns: [String: Int] = [:]
      try CSVFile.forEachRow(
        runDirectory.appendingPathComponent(ArtefactName.ingested),
        header: { for (index, name) in $0.enumerated() { columns[name] = index } },
        row: { record in
          func value(_ key: String) -> String {
            guard let index = columns[key], index < record.fields.count else { return "" }
            return record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
          }
          let file = value("source_file")
          let line = Int(value("source_line"))!
          counts[file, default: NormaliseCounts()].rowsIn += 1
          let outcome = normaliser.normalise(file: file, line: line, value)
          if setAside.contains(file) {
            switch outcome {
            case .counted(let row): corrections.markWaiting(row.decisions.all)
            case .review(_, _, let decisions), .rejected(_, _, _, let decisions, _):
              corrections.markWaiting(decisions.all)
            }
            counts[file]!.rejected += 1
            rejects.append([file, String(line), "normalise", "the file was set aside by ingest", "", ""])
            return
          }
          switch outcome {
          case .counted(let row):
            establishments.append(row)
            if row.fuzzy { counts[file]!.fuzzyMatches += 1 }
            if row.corrected { counts[file]!.correctionsApplied += 1 }
            corrections.markApplied(row.decisions.applied)
          case .review(let cells, let fuzzy, let decisions):
            try review.write(cells)
            inReview.insert(Corrections.rowKey("\(file):\(line)"))
            counts[file]!.review += 1
            if fuzzy { counts[file]!.fuzzyMatches += 1 }
            corrections.markWaiting(decisions.all)
          case .rejected(let reason, let column, let written, let decisions, let settled):
            rejects.append([file, String(line), "normalise", reason, column, written])
            counts[file]!.rejected += 1
            if settled {
              counts[file]!.decidedOutside = (counts[file]!.decidedOutside ?? 0) + 1
              counts[file]!.correctionsApplied += 1
              corrections.markApplied(decisions.applied)
            } else {
              corrections.markWaiting(decisions.all)
            }
          }
        })
      establishments.sort {
        $0.dedup.file != $1.dedup.file
          ? $0.dedup.file.utf8.lexicographicallyPrecedes($1.dedup.file.utf8) : $0.dedup.line < $1.dedup.line
      }
      let (links, distinct) = Deduplicator.settle(establishments.map(\.dedup), corrections: corrections)
      // A row counts once among the corrections applied.
      for row in distinct where !establishments[row].corrected {
        counts[establishments[row].dedup.file]!.correctionsApplied += 1
      }
      let duplicates = try CSVWriter(
        runDirectory.appendingPathComponent(ArtefactName.duplicates), header: NormaliseStage.duplicatesHeader,
        style: .rowList)
      var superseded = Set<Int>()
      var overlaps = FileOverlaps()
      for link in links {
        let row = establishments[link.row].dedup
        let kept = establishments[link.kept].dedup
        if !link.byCorrection {
          overlaps.add(
            file: row.file, kept: UInt64(link.kept), keptFile: kept.file, possible: link.kind == .possibleDuplicate)
        }
        try duplicates.write([
          row.file, String(row.line), kept.file, String(kept.line), link.kind.rawValue,
          establishments[link.row].cells[2], establishments[link.row].cells[3], link.reason,
        ])
        switch link.kind {
        case .duplicate:
          superseded.insert(link.row)
          counts[row.file]!.duplicates += 1
          if link.acrossDistricts {
            counts[row.file]!.duplicatesAcrossDistricts = (counts[row.file]!.duplicatesAcrossDistricts ?? 0) + 1
          }
          if link.byCorrection, !establishments[link.row].corrected { counts[row.file]!.correctionsApplied += 1 }
        case .possibleDuplicate:
          counts[row.file]!.possibleDuplicates += 1
        }
      }
      let output = try CSVWriter(
        runDirectory.appendingPathComponent(ArtefactName.establishments), header: Establishment.header)
      for (index, row) in establishments.enumerated() where !superseded.contains(index) {
        try output.write(row.cells)
        counts[row.dedup.file]!.counted += 1
        if !(row.cells.last ?? "").isEmpty && !row.remarkSettled {
          counts[row.dedup.file]!.remarked = (counts[row.dedup.file]!.remarked ?? 0) + 1
        }
      }
      let rejectsWriter = try CSVWriter(
        runDirectory.appendingPathComponent(ArtefactName.rejects), header: ArtefactName.rejectsHeader, style: .rowList)
      for row in rejects { try rejectsWriter.write(row) }
      let files = counts.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        .map { NormaliseFileSummary(file: $0, counts: counts[$0]!) }
      var totals = NormaliseCounts()
      for file in files { totals.add(file.counts) }
      try output.commit()
      try review.commit()
      try duplicates.commit()
      try rejectsWriter.commit()
      let unused = NormaliseStage.unused(
        corrections, setAside: setAside, inReview: inReview,
        rows: Set(establishments.map { Corrections.rowKey($0.dedup.label) }))
      try StableJSON.write(
        NormaliseSummary(
          files: files, totals: totals,
          unusedCorrections: unused.isEmpty ? nil : unused,
          fileOverlaps: NormaliseStage.overlapping(overlaps, files)),
        to: runDirectory.appendingPathComponent(ArtefactName.normaliseSummary))
    }
  }
}
