/// Reading establishments.csv fast: money from bytes and trimming without Foundation, against the code they replace.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct EstablishmentsReaderTests {
  /// The money parser as it was written on Characters, kept here as the reference.
  static func referenceMoney(_ text: String) -> Money? {
    func isDigit(_ c: Character) -> Bool { c.isASCII && c.isWholeNumber }
    var digits = Substring(text)
    let negative = digits.first == "-"
    if negative { digits = digits.dropFirst() }
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty, whole.allSatisfy(isDigit),
      whole.count <= 12
    else { return nil }
    var fraction = parts.count == 2 ? parts[1] : ""
    guard fraction.allSatisfy(isDigit), parts.count == 1 || !fraction.isEmpty else { return nil }
    var roundUp = false
    if fraction.count > 3 {
      roundUp = fraction[fraction.index(fraction.startIndex, offsetBy: 3)] >= "5"
      fraction = fraction.prefix(3)
    }
    let padded = fraction + String(repeating: "0", count: 3 - fraction.count)
    let value = Int(whole)! * 1000 + Int(padded)! + (roundUp ? 1 : 0)
    return Money(thousands: negative ? -value : value)
  }

  @Test func moneyFromBytesReadsAsTheCharacterParserDid() {
    var random = RecommenderTests.Generator(state: 7)
    let pieces = ["0", "1", "5", "9", "12", "4", ".", "-", " ", "٣", "5\u{301}", "e", "+", "00", "999999"]
    var cases = [
      "", "-", ".", "5.", ".5", "1.2.3", "--5", "-0", "1250", "2.5", "0.125", "0.1234", "0.1235", "0.12349",
      "999999999999", "9999999999999", "999999999999.9995", "1,5", "1.", "-2.5", "1.-5",
    ]
    for _ in 0..<5000 {
      cases.append((0..<(1 + random.next(6))).map { _ in pieces[random.next(pieces.count)] }.joined())
    }
    for text in cases {
      #expect(Money(millionVND: text) == Self.referenceMoney(text), "'\(text)'")
      let fromBytes = text.utf8.withContiguousStorageIfAvailable { Money(millionVNDBytes: UnsafeRawBufferPointer($0)) }
      #expect(fromBytes == Money(millionVND: text), "'\(text)'")
    }
  }

  @Test func trimmingSpacesIsFoundationsTrimming() {
    var random = RecommenderTests.Generator(state: 11)
    let pieces = [
      " ", "\t", "\u{A0}", "\u{3000}", "\u{200B}", "\u{2009}", "\n", "\r", "a", "Đ", "ư", "\u{301}", "x y", "",
      "\u{FEFF}", "1", "\u{85}", "\u{B}", "\u{C}", "\u{2028}",
    ]
    var cases = ["", " ", "a", " a ", "\u{A0}Thư\u{A0}", " \u{301}a \u{301}"]
    for _ in 0..<5000 {
      cases.append((0..<random.next(6)).map { _ in pieces[random.next(pieces.count)] }.joined())
    }
    for text in cases {
      let fast = CellText.trimmingSpaces(text)
      let slow = text.trimmingCharacters(in: .whitespaces)
      #expect(Array(fast.unicodeScalars) == Array(slow.unicodeScalars), "'\(text.debugDescription)'")
      let fastWithNewlines = TextFolding.trimmingWhiteSpace(text, newlines: true)
      let slowWithNewlines = text.trimmingCharacters(in: .whitespacesAndNewlines)
      #expect(
        Array(fastWithNewlines.unicodeScalars) == Array(slowWithNewlines.unicodeScalars), "'\(text.debugDescription)'")
    }
  }

  @Test func streamingGivesTheSameAggregatesAsReadingEverything() throws {
    let run = try ReportFixtures.copy("sample")
    let url = run.appendingPathComponent(ArtefactName.establishments)
    let needs = try NeedCatalogue.load(from: ReportFixtures.reference)
    let labels = try DisplayLabels.load(from: ReportFixtures.reference)
    var builder = AggregatesBuilder(labels: labels, needs: needs.keys)
    var streamed: [CountedEstablishment] = []
    try EstablishmentsReader.forEach(url, needs: needs) { establishment, positions in
      #expect(positions.map { needs.keys[$0] } == establishment.needs)
      builder.add(establishment, needs: positions)
      streamed.append(establishment)
    }
    let all = try EstablishmentsReader.read(url, needs: needs)
    #expect(streamed.sorted(by: CountedEstablishment.canonicalOrder) == all)
    #expect(builder.aggregates() == Aggregates.compute(all.reversed(), labels: labels))
  }

  // MARK: - Reading bytes against the String reader it replaced

  /// What reading a file gives: the establishments and their need positions, or the error's description.
  struct Outcome: Equatable {
    var establishments: [CountedEstablishment] = []
    var positions: [[Int]] = []
    var error: String?
  }

  /// The reader as it was, on a String per field, kept here as the reference for the byte-level one.
  static func referenceRead(_ url: URL, _ catalogue: NeedCatalogue) -> Outcome {
    var outcome = Outcome()
    let file = url.lastPathComponent
    var columns: [Int] = []
    var surveyDateColumn: Int?
    do {
      try CSVFile.forEachRow(
        url,
        header: { header in
          var index: [String: Int] = [:]
          for (position, name) in header.map({ $0.trimmingCharacters(in: .whitespaces) }).enumerated()
          where index[name] == nil {
            index[name] = position
          }
          columns = EstablishmentsReader.requiredColumns.map { index[$0]! }
          surveyDateColumn = index["survey_date"]
        },
        row: { record in
          let fields = record.fields
          func cell(_ column: Int) -> String {
            columns[column] < fields.count ? fields[columns[column]].trimmingCharacters(in: .whitespaces) : ""
          }
          func fail(_ message: String) -> PipelineError {
            PipelineError(.badInput, message, at: InputLocation(file: file, line: record.line))
          }
          func whole(_ column: Int) throws -> Int {
            let text = cell(column)
            if text.isEmpty { return 0 }
            guard let value = Int(text), value >= 0 else {
              throw fail("\(EstablishmentsReader.requiredColumns[column]) '\(text)' is not a whole number")
            }
            return value
          }
          guard let line = Int(cell(1)) else { throw fail("source_line '\(cell(1))' is not a line number") }
          guard !cell(5).isEmpty else { throw fail("a counted establishment has no district_code") }
          let supportText = cell(11)
          guard let support = supportText.isEmpty ? Money.zero : Money(millionVND: supportText), support >= .zero
          else { throw fail("support_requested_mvnd '\(supportText)' is not an amount in million VND") }
          guard let supported = EstablishmentsReader.parseYesNo(cell(12)) else {
            throw fail("previously_supported '\(cell(12))' is neither yes nor no")
          }
          var needs: [String] = []
          for key in cell(13).split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
          where !key.isEmpty {
            guard catalogue.contains(key) else { throw fail("need '\(key)' is not in needs.csv") }
            if !needs.contains(key) { needs.append(key) }
          }
          needs.sort { catalogue.position($0) < catalogue.position($1) }
          let employees = try whole(9)
          let trainees = try whole(10)
          outcome.establishments.append(
            CountedEstablishment(
              sourceFile: cell(0), sourceLine: line, taxCode: cell(2), name: cell(3), enterpriseType: cell(4),
              districtCode: cell(5), district: cell(6), commune: cell(7), sector: cell(8), employees: employees,
              trainees: trainees, traineesStated: !cell(10).isEmpty, supportRequested: support,
              supportStated: !supportText.isEmpty,
              previouslySupported: supported,
              surveyDate: surveyDateColumn.map { $0 < fields.count ? fields[$0] : "" } ?? "", needs: needs))
          outcome.positions.append(needs.map(catalogue.position))
        })
    } catch {
      outcome.error = "\(error)"
    }
    return outcome
  }

  /// What `EstablishmentsReader.forEach` gives for `url`.
  static func read(
    _ url: URL, _ catalogue: NeedCatalogue, detail: EstablishmentsReader.Detail = .all
  ) -> Outcome {
    var outcome = Outcome()
    do {
      try EstablishmentsReader.forEach(url, needs: catalogue, detail: detail) { establishment, positions in
        outcome.establishments.append(establishment)
        outcome.positions.append(positions)
      }
    } catch {
      outcome.error = "\(error)"
    }
    return outcome
  }

  /// What `EstablishmentsReader.forEachRow` gives for `url`: each `Row` made whole.
  static func readRows(
    _ url: URL, _ catalogue: NeedCatalogue, detail: EstablishmentsReader.Detail = .deferred
  ) -> Outcome {
    var outcome = Outcome()
    do {
      try EstablishmentsReader.forEachRow(url, needs: catalogue, detail: detail) { row, positions, _ in
        outcome.establishments.append(row.whole)
        outcome.positions.append(Array(positions))
      }
    } catch {
      outcome.error = "\(error)"
    }
    return outcome
  }

  /// Writes the companion of `csv` (`.rows` beside it) from the CSV's own records, as normalise would.
  static func writeCompanion(of csv: URL) throws {
    try SurveyCoreTests.writeCompanion(of: csv, blockBytes: 1 << 20)
    #expect(StagedRowsReader(companionOf: csv) != nil)
  }

  @Test func companionGivesTheEstablishmentsTheCSVGives() throws {
    let run = try ReportFixtures.copy("sample")
    let csv = run.appendingPathComponent(ArtefactName.establishments)
    let needs = try NeedCatalogue.load(from: ReportFixtures.reference)
    let reference = Self.referenceRead(csv, needs)
    #expect(reference.error == nil)
    #expect(reference.establishments.count > 10)
    #expect(Self.read(csv, needs) == reference)
    try Self.writeCompanion(of: csv)
    #expect(Self.read(csv, needs) == reference)
  }

  @Test func stagesWriteTheSameFilesFromTheCompanion() throws {
    let plain = try ReportFixtures.copy("sample")
    let staged = try ReportFixtures.copy("sample")
    try Self.writeCompanion(of: staged.appendingPathComponent(ArtefactName.establishments))
    let names = [
      ArtefactName.aggregates, ArtefactName.aggregatesByType, ArtefactName.aggregatesBySector,
      ArtefactName.recommendations, ArtefactName.report,
    ]
    for run in [plain, staged] {
      try AggregateStage.run(runDirectory: run, reference: ReportFixtures.reference)
      try ReportStage.run(runDirectory: run, reference: ReportFixtures.reference, options: ReportOptions())
    }
    for name in names {
      let a = try Data(contentsOf: plain.appendingPathComponent(name))
      let b = try Data(contentsOf: staged.appendingPathComponent(name))
      #expect(!a.isEmpty && a == b, "\(name)")
    }
  }

  /// Read from normalise's companion, the type, district code and district of a row come from one lookup of the
  /// three cells side by side once the row's triple was met. Past the reader's 4,096 district spellings its
  /// district table starts again and numbers them anew: the triples met before must not hand out the old numbers,
  /// whether the row that made the table start again had its cells side by side or not (`quoted`: every district
  /// met once is quoted, so the triples kept are only those of the two districts met on every other row).
  /// Each row's district, or its spelling's district from the row that gave it (kept as `AggregatesBuilder`
  /// keeps them, for the newest numbering only), is the one written, in every detail, and a `Row` gives each
  /// row's own.
  @Test(arguments: [false, true])
  func districtsReadThroughTriplesSurviveTheTablesStartingAgain(quoted: Bool) throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let needs = try NeedCatalogue.load(from: ReportFixtures.reference)
    let csv = try folder.folder("run").appendingPathComponent(ArtefactName.establishments)
    let writer = try CSVWriter(csv, header: EstablishmentsReader.requiredColumns)
    var written: [(type: String, district: String)] = []
    for row in 0..<12_000 {
      let district =
        row % 2 == 0 ? "Huyện số \(row)\(quoted ? ", cũ" : "")" : ["Huyện Đông Hưng", "Huyện Vũ Thư"][row / 2 % 2]
      let type = ["household", "company", "coop_group"][row % 3]
      written.append((type, district))
      try writer.write([
        "a.csv", String(row + 2), "", "Cơ sở \(row)", type, "340", district, "", "textiles", "5", "", "", "",
        "training",
      ])
    }
    try writer.commit()
    try Self.writeCompanion(of: csv)
    for detail in [EstablishmentsReader.Detail.all, .groups, .deferred] {
      var districts = SpellingMemo<String>()
      var row = 0
      try EstablishmentsReader.forEachSpelled(csv, needs: needs, detail: detail) { establishment, _, spellings in
        defer { row += 1 }
        #expect(establishment.enterpriseType == written[row].type, "row \(row), \(detail)")
        #expect(establishment.districtCode == "340")
        if detail == .all || spellings.districtGiven {
          #expect(establishment.district == written[row].district, "row \(row), \(detail)")
          districts.keep(establishment.district, for: spellings.district)
        } else {
          #expect(establishment.district == "")
          #expect(districts.answer(spellings.district) == written[row].district, "row \(row), \(detail)")
        }
      }
      #expect(row == written.count)
    }
    for detail in [EstablishmentsReader.Detail.groups, .deferred] {
      var districts = SpellingMemo<String>()
      var row = 0
      try EstablishmentsReader.forEachRow(csv, needs: needs, detail: detail) { read, _, spellings in
        defer { row += 1 }
        #expect(read.enterpriseType == written[row].type && read.district == written[row].district)
        if spellings.districtGiven {
          districts.keep(read.district, for: spellings.district)
        } else {
          #expect(districts.answer(spellings.district) == written[row].district, "row \(row), \(detail)")
        }
      }
      #expect(row == written.count)
    }
  }

  /// A row's needs come with their catalogue positions, which the reader keeps beside its table of needs cells
  /// and hands on in memory of its own. Past the table's 4,096 spellings the table starts again and numbers them
  /// anew, and a cell longer than the table keeps (256 bytes) is read for its row alone: each row's positions and
  /// keys must still be its own, in every detail, read from the CSV and from the companion.
  @Test func needPositionsSurviveTheNeedsTableStartingAgain() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let catalogue = try NeedCatalogue.load(from: ReportFixtures.reference)
    let keys = catalogue.keys
    let csv = try folder.folder("run").appendingPathComponent(ArtefactName.establishments)
    let writer = try CSVWriter(csv, header: EstablishmentsReader.requiredColumns)
    var written: [[Int]] = []
    for row in 0..<10_000 {
      // Every other row the same cell; the others each a set of needs spelled their own way: in reverse order,
      // with spaces, a need given twice, and now and then a cell too long to keep.
      let chosen = row % 2 == 0 ? [0, 5] : (0..<keys.count).filter { (row * 37 + row / 512) >> $0 & 1 == 1 }
      var spelled = chosen.reversed().map { keys[$0] }
      if let first = spelled.first, row % 3 == 0 { spelled.append(first) }
      let padding = String(repeating: " ", count: row % 97 == 1 ? 300 : row / 2 % 40)
      let cell = row % 2 == 0 ? "training;marketing" : spelled.joined(separator: padding + ";")
      written.append(chosen)
      try writer.write([
        "a.csv", String(row + 2), "", "Cơ sở \(row)", "household", "340", "Huyện Vũ Thư", "", "textiles", "5", "", "",
        "", cell,
      ])
    }
    try writer.commit()
    func check(_ label: String) throws {
      for detail in [EstablishmentsReader.Detail.groups, .deferred, .all] {
        var row = 0
        try EstablishmentsReader.forEachRow(csv, needs: catalogue, detail: detail) { read, positions, _ in
          defer { row += 1 }
          #expect(Array(positions) == written[row], "row \(row), \(detail), \(label)")
          #expect(read.needKeyList == written[row].map { keys[$0] }, "row \(row), \(detail), \(label)")
        }
        #expect(row == written.count)
      }
      var row = 0
      try EstablishmentsReader.forEach(csv, needs: catalogue) { establishment, positions in
        defer { row += 1 }
        #expect(positions == written[row] && establishment.needs == written[row].map { keys[$0] }, "row \(row)")
      }
      #expect(row == written.count)
    }
    try check("CSV")
    try Self.writeCompanion(of: csv)
    try check("companion")
  }

  static let oddHeader = EstablishmentsReader.requiredColumns + ["survey_date", "notes"]

  /// Cells for each column of `oddHeader`: plain ones and the odd ones the fast paths must hand back.
  static let oddCells: [[String]] = {
    let text = [
      "a.csv", " a.csv", "a.csv\t", "Huyện Đông Hưng", "Huyện Đông Hưng\u{A0}", "\u{3000}Xã Đông La", "", " ",
      "x\u{301}", "\u{2009}b.csv",
    ]
    let numbers = [
      "", "12", " 12", "12 ", "\t7", "+3", "-3", "007", "1e3", "١٢", "99999999999999999999", "999999999999999999",
      "12.5", "\u{A0}5", "5\u{A0}", " ", "x", "0",
    ]
    let money = [
      "", "2.5", " 2.5", "2.5 ", "-1", "-0", "0.1235", "1.", ".5", "1,5", "abc", "\u{A0}3", "9999999999999", "800",
      "0.125", "+1",
    ]
    let answers = ["", "yes", " no", "Có", "x", "maybe", "KHÔNG", "\u{A0}yes", "1", "0 "]
    let needs = [
      "", "training", "training;marketing", " marketing ; training ", "training;training", "unknown", ";;",
      "machinery;\u{A0}training", "marketing;consulting", String(repeating: "training;", count: 30),
    ]
    let lines = ["2", " 3", "4 ", "+5", "-6", "", "x", "0", "00000000000000000000012", "١"]
    let codes = ["340", " 341", "", " ", "\u{A0}", "342\u{A0}", "336"]
    let dates = ["2025-03-10", " 2025-03-11", "", "x"]
    return [
      text, lines, ["1000000001", " 1000000002", "", "\u{A0}"], text, ["company", "household ", " coop_group"], codes,
      text, text, ["textiles", " agro_food", "", "Dệt may"], numbers, numbers, money, answers, needs, dates, ["", "n"],
    ]
  }()

  @Test func oddCellsReadAsTheStringReaderReadThem() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let needs = try NeedCatalogue.load(from: ReportFixtures.reference)
    var random = RecommenderTests.Generator(state: 23)
    var errors = 0
    for round in 0..<300 {
      let plain = folder.file("plain-\(round).csv")
      let staged = try folder.folder("staged-\(round)").appendingPathComponent(ArtefactName.establishments)
      for csv in [plain, staged] {
        // The same rows in both files: the generator starts again from the round's state.
        var rows = random
        let writer = try CSVWriter(csv, header: Self.oddHeader)
        for _ in 0..<3 {
          // Mostly plain cells (the first of each list), so that some files read to the end.
          try writer.write(Self.oddCells.map { $0[rows.next(16) == 0 ? rows.next($0.count) : 0] })
        }
        try writer.commit()
        if csv == staged { random = rows }
      }
      try Self.writeCompanion(of: staged)
      let reference = Self.referenceRead(plain, needs)
      if reference.error != nil { errors += 1 }
      #expect(Self.read(plain, needs) == reference, "round \(round)")
      // What the aggregate stage reads: the same but for the text it leaves blank. The district comes on the
      // first row of each spelling (so on the first row of each name) and may be blank on the others.
      var groups = reference
      var named = Set<String>()
      var read = Self.read(plain, needs, detail: .groups)
      for index in groups.establishments.indices {
        groups.establishments[index].name = ""
        groups.establishments[index].taxCode = ""
        groups.establishments[index].commune = ""
        groups.establishments[index].surveyDate = ""
        groups.establishments[index].sourceFile = ""
        groups.establishments[index].needs = []
        let district = groups.establishments[index].district
        if named.insert(district).inserted || index >= read.establishments.count { continue }
        if read.establishments[index].district == "" { read.establishments[index].district = district }
      }
      #expect(read == groups, "round \(round)")
      var fromCompanion = Self.read(staged, needs)
      fromCompanion.error = fromCompanion.error?.replacingOccurrences(
        of: ArtefactName.establishments, with: "plain-\(round).csv")
      #expect(fromCompanion == reference, "round \(round)")
      // The report stages' rows, made whole, are the establishments read whole, from either source.
      for detail in [EstablishmentsReader.Detail.deferred, .groups] {
        #expect(Self.readRows(plain, needs, detail: detail) == reference, "round \(round), \(detail)")
        var rows = Self.readRows(staged, needs, detail: detail)
        rows.error = rows.error?.replacingOccurrences(of: ArtefactName.establishments, with: "plain-\(round).csv")
        #expect(rows == reference, "round \(round), \(detail)")
      }
    }
    // Both kinds of file were met.
    #expect(errors > 30 && errors < 290)
  }

  @Test func shortRowsAndBytesThatAreNotUTF8ReadAsBefore() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let needs = try NeedCatalogue.load(from: ReportFixtures.reference)
    var bytes = Array((Self.oddHeader.joined(separator: ",") + "\n").utf8)
    bytes +=
      Array("a.csv,2,100,Cơ sở A,company,340,Huyện \u{A0}".utf8) + [0xFF, 0xC3] + Array(",Xã,,5,1,2.5,yes,".utf8)
    bytes += Array("training,2025-01-02,\n".utf8)
    bytes += Array("a.csv,3,,".utf8) + [0xE1, 0xBA] + Array(",household,341,\"Huyện\nB\",,,,,,,\n".utf8)
    bytes += Array("a.csv,5,,Short,household,342,Huyện C\n".utf8)
    let csv = try folder.folder("run").appendingPathComponent(ArtefactName.establishments)
    try Data(bytes).write(to: csv)
    let reference = Self.referenceRead(csv, needs)
    #expect(reference.error == nil)
    #expect(reference.establishments.map(\.sourceLine) == [2, 3, 5])
    #expect(Self.read(csv, needs) == reference)
    try Self.writeCompanion(of: csv)
    #expect(Self.read(csv, needs) == reference)
  }

  @Test func aBadValueIsAnErrorWithItsLineFromEitherSource() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let needs = try NeedCatalogue.load(from: ReportFixtures.reference)
    let csv = try folder.folder("run").appendingPathComponent(ArtefactName.establishments)
    let good = ["a.csv", "2", "", "A", "company", "340", "Huyện", "", "", "5", "1", "2.5", "no", "training", "", ""]
    var bad = good
    bad[9] = " -4 "
    let writer = try CSVWriter(csv, header: Self.oddHeader)
    for row in [good, good, ["a.csv", "3", "", "Two\nlines"] + good.dropFirst(4), bad] { try writer.write(row) }
    try writer.commit()
    let expected = "establishments.csv:6: employees '-4' is not a whole number"
    #expect(Self.referenceRead(csv, needs).error?.contains(expected) == true)
    #expect(Self.read(csv, needs).error == Self.referenceRead(csv, needs).error)
    try Self.writeCompanion(of: csv)
    #expect(Self.read(csv, needs).error == Self.referenceRead(csv, needs).error)
  }

  @Test func byteKeyedCacheStaysBoundedAndAlwaysRight() {
    var cache = ByteKeyedCache<String>(limit: 8, longestKey: 6)
    var made = 0
    func look(_ key: String) -> String {
      var key = key
      return key.withUTF8 { utf8 in
        cache.value(for: UnsafeRawBufferPointer(utf8)) { bytes in
          made += 1
          return "<" + CellText.string(bytes) + ">"
        }
      }
    }
    for round in 0..<3 {
      for number in 0..<100 { #expect(look("k\(number)") == "<k\(number)>") }
      #expect(look("") == "<>")
      #expect(look("longer than six") == "<longer than six>")
      #expect(cache.count <= 8)
      // First round: every key made; later rounds: only those that did not fit (92 and the long one).
      #expect(made == (round == 0 ? 102 : 102 + round * 94), "round \(round)")
    }
  }

  /// Keys that all want the same slot (found by trying, under this process's seed): past the probe limit they are
  /// made again each time instead of being looked for further, and every answer is still right.
  @Test func byteKeyedCacheGivesUpOnCrowdedSlots() {
    var colliding: [String] = []
    var number = 0
    while colliding.count < 24 {
      var key = "k\(number)"
      let slot = key.withUTF8 { ByteKeys.hash(UnsafeRawBufferPointer($0), seed: ByteKeys.seed) } & 63
      if slot == 5 { colliding.append(key) }
      number += 1
    }
    var cache = ByteKeyedCache<String>(limit: 4096)
    var made = 0
    for round in 0..<3 {
      for key in colliding {
        var key = key
        let value = key.withUTF8 { utf8 in
          cache.value(for: UnsafeRawBufferPointer(utf8)) { bytes in
            made += 1
            return CellText.string(bytes).uppercased()
          }
        }
        #expect(value == key.uppercased())
      }
      // 16 fit in the slots the first key's probes reach; the other 8 are made on every round.
      #expect(cache.count == ByteKeyedCache<String>.probeLimit)
      #expect(made == 24 + round * 8)
    }
  }
}
