/// The aggregate stage: golden files, and an independent recomputation from establishments.csv.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct AggregateStageTests {
  @Test func writesTheGoldenAggregates() throws {
    let run = try ReportFixtures.copy("sample")
    try AggregateStage.run(runDirectory: run, reference: ReportFixtures.reference)
    for name in [ArtefactName.aggregates, ArtefactName.aggregatesByType, ArtefactName.aggregatesBySector] {
      try ReportFixtures.expectGolden(
        try ReportFixtures.text(run.appendingPathComponent(name)), "sample/expected-\(name)")
    }
  }

  /// Recomputes every district × need row and the province rows from establishments.csv with separate, plain
  /// code (Foundation's Decimal for money, no SurveyCore types beyond the CSV reader) and compares.
  @Test func aggregatesAgreeWithEstablishments() throws {
    let run = try ReportFixtures.copy("sample")
    try AggregateStage.run(runDirectory: run, reference: ReportFixtures.reference)
    let establishments = try CSVFile.readTable(run.appendingPathComponent(ArtefactName.establishments))
    let aggregates = try CSVFile.readTable(run.appendingPathComponent(ArtefactName.aggregates))
    let column = { (table: CSVTable, name: String) in try table.index(of: name) }

    struct Sums: Equatable {
      var count = 0, employees = 0, trainees = 0, unsupported = 0
      var money = Decimal(0)
    }
    var expected: [String: Sums] = [:]
    var surveyed: [String: Int] = [:]
    let c = try ["district_code", "employees", "trainees", "support_requested_mvnd", "previously_supported", "needs"]
      .map { try column(establishments, $0) }
    for row in establishments.rows {
      let value = { (i: Int) in establishments.value(row, c[i]) }
      let needs = value(5).split(separator: ";").map(String.init) + ["all"]
      for district in [value(0), ""] {
        surveyed[district, default: 0] += 1
        for need in needs {
          var sums = expected["\(district)|\(need)", default: Sums()]
          sums.count += 1
          sums.employees += Int(value(1)) ?? 0
          sums.trainees += Int(value(2)) ?? 0
          sums.money += Decimal(string: value(3).isEmpty ? "0" : value(3))!
          if value(4) != "yes" { sums.unsupported += 1 }
          expected["\(district)|\(need)"] = sums
        }
      }
    }
    let a = try [
      "district_code", "need", "establishments", "employees", "trainees", "support_requested_mvnd",
      "share_of_surveyed_pct", "not_yet_supported",
    ].map { try column(aggregates, $0) }
    var seen = 0
    for row in aggregates.rows {
      let value = { (i: Int) in aggregates.value(row, a[i]) }
      let key = "\(value(0))|\(value(1))"
      let sums = expected[key] ?? Sums()
      #expect(Int(value(2)) == sums.count, "\(key) establishments")
      #expect(Int(value(3)) == sums.employees, "\(key) employees")
      #expect(Int(value(4)) == sums.trainees, "\(key) trainees")
      #expect(Decimal(string: value(5)) == sums.money, "\(key) money")
      #expect(Int(value(7)) == sums.unsupported, "\(key) not yet supported")
      let share = Double(sums.count) / Double(surveyed[value(0)]!) * 100
      #expect(abs(Double(value(6))! - share) <= 0.05 + 1e-9, "\(key) share")
      if sums.count > 0 { seen += 1 }
    }
    #expect(seen == expected.count, "every district × need with establishments has its row")
    #expect(aggregates.rows.count == (surveyed.count) * 10, "one all row and nine need rows per group")
  }

  @Test func allRowCountsEveryEstablishmentOnce() throws {
    let list = [
      ReportFixtures.establishment(1, needs: ["training", "marketing"]),
      ReportFixtures.establishment(2, needs: []),
      ReportFixtures.establishment(3, district: "340", needs: ["training"], supported: true),
    ]
    let aggregates = Aggregates.compute(list, labels: DisplayLabels())
    #expect(aggregates.province.surveyed.establishments == 3)
    #expect(aggregates.province.figures("training").establishments == 2)
    #expect(aggregates.province.figures("training").notYetSupported == 1)
    #expect(aggregates.district("338")?.shareTenths("training") == 500)
    #expect(aggregates.districts.map(\.key) == ["338", "340"])
  }

  @Test func badValuesAreErrorsWithTheirLine() throws {
    let folder = try ReportFixtures.temporaryFolder()
    let csv =
      ReportFixtures.establishmentsHeader + "\n"
      + "a.csv,2,,Cơ sở A,household,338,Huyện Quỳnh Phụ,,,mười,,,,,,training\n"
    try csv.write(to: folder.appendingPathComponent("establishments.csv"), atomically: true, encoding: .utf8)
    let error = #expect(throws: PipelineError.self) {
      try AggregateStage.run(runDirectory: folder, reference: ReportFixtures.reference)
    }
    #expect(error?.description == "establishments.csv:2: employees 'mười' is not a whole number")
  }

  /// The stage reads a row's district name only on the first row of its spelling, and counts the others by the
  /// reader's spelling: past the reader's table (which starts again with new numbers after 4,096 spellings), with
  /// names written under several codes and a code's first name not its most common, the district names and counts
  /// must still be those of every row read whole.
  @Test func districtNamesReadOncePerSpellingAreTheRowsNames() throws {
    let folder = try TemporaryFolder("district-spellings")
    defer { folder.cleanUp() }
    let labels = try DisplayLabels.load(from: ReportFixtures.reference)
    let codes = ["336", "338", "340", "342"]
    let common = ["Huyện Đông Hưng", "Đông Hưng", "", "Huyện Đông Hưng".decomposedStringWithCanonicalMapping]
    var random = RecommenderTests.Generator(state: 11)
    var rows: [CountedEstablishment] = []
    for line in 0..<15_000 {
      var row = ReportFixtures.establishment(line + 2, district: codes[random.next(codes.count)], needs: ["training"])
      // One name in three written once (past the reader's table), the others from a few shared by every code.
      row.district = line % 3 == 0 ? "Huyện số \(line)" : common[random.next(common.count)]
      rows.append(row)
    }
    let run = try folder.folder("run")
    try ReportFixtures.writeRun(rows, to: run)
    try SurveyCoreTests.writeCompanion(of: run.appendingPathComponent(ArtefactName.establishments), blockBytes: 1 << 16)
    let aggregates = try AggregateStage.run(runDirectory: run, reference: ReportFixtures.reference)
    let expected = Aggregates.compute(rows, labels: labels)
    #expect(aggregates.districts.map(\.name) == expected.districts.map(\.name))
    #expect(aggregates == expected)
  }

  /// The builder finds groups by bytes first; canonically equal spellings (NFC and NFD) must still be one group,
  /// named and keyed as the String dictionaries it had before name them, also past its caches' limit.
  @Test func spellingsGroupAsStringKeysDo() throws {
    let labels = try DisplayLabels.load(from: ReportFixtures.reference)
    let nfd = { (text: String) in text.decomposedStringWithCanonicalMapping }
    let districtNames = ["Huyện Đông Hưng", nfd("Huyện Đông Hưng"), "Đông Hưng", "", nfd("Huyện Thái Thụy")]
    let codes = ["340", "341", "Ư1", nfd("Ư1")]
    let types = ["household", "company", "hợp tác xã", nfd("hợp tác xã")]
    let sectors = ["textiles", "Dệt may", nfd("Dệt may"), "", "ngành mới", nfd("ngành mới")]
    var random = RecommenderTests.Generator(state: 5)
    var rows: [CountedEstablishment] = []
    for line in 0..<20000 {
      var row = ReportFixtures.establishment(line + 2, needs: ["training"])
      row.districtCode = codes[random.next(codes.count)]
      row.district = districtNames[random.next(districtNames.count)]
      row.enterpriseType = types[random.next(types.count)]
      // Past the builder's cache limit: many sectors written once, some in both forms.
      row.sector =
        line % 2 == 0 ? sectors[random.next(sectors.count)] : "Nghề số \(line / 4)\(line % 4 == 1 ? "ể" : nfd("ể"))"
      rows.append(row)
    }
    var builder = AggregatesBuilder(labels: labels)
    for row in rows { builder.add(row) }
    let aggregates = builder.aggregates()

    /// Groups as `[String: ...]` keep them: the first spelling of each canonical class, counted together.
    struct Expected {
      var keys: [String: String] = [:]
      var counts: [String: Int] = [:]
      mutating func add(_ key: String) {
        if keys[key] == nil { keys[key] = key }
        counts[key, default: 0] += 1
      }
      func groups() -> [[UInt8]: Int] {
        Dictionary(uniqueKeysWithValues: keys.map { (Array($0.value.utf8), counts[$0.key]!) })
      }
    }
    var districts = Expected()
    var spellings: [String: [String: Int]] = [:]
    var typeGroups = Expected()
    var sectorGroups = Expected()
    for row in rows {
      districts.add(row.districtCode)
      spellings[row.districtCode, default: [:]][row.district, default: 0] += 1
      typeGroups.add(row.enterpriseType)
      sectorGroups.add(Aggregates.sectorKey(row.sector, labels))
    }
    func actual(_ groups: [AggregateGroup]) -> [[UInt8]: Int] {
      Dictionary(uniqueKeysWithValues: groups.map { (Array($0.key.utf8), $0.surveyed.establishments) })
    }
    #expect(actual(aggregates.districts) == districts.groups())
    #expect(actual(aggregates.enterpriseTypes) == typeGroups.groups())
    #expect(actual(aggregates.sectors) == sectorGroups.groups())
    #expect(aggregates.sectors.count > AggregatesBuilder.cacheLimit)
    for group in aggregates.districts {
      let best = spellings[group.key]!.sorted { a, b in
        a.value != b.value ? a.value > b.value : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
      }.first!.key
      let name = best.isEmpty ? (labels.label(.district, group.key, .vi) ?? group.key) : best
      #expect(Array(group.name.utf8) == Array(name.utf8), "\(group.key)")
    }
  }

  /// Rows summed as they come (no combination kept pending), with a few combinations pending, with many, and with
  /// the reader's spellings (numbers reused for other codes once a table starts again) give the same aggregates.
  /// With spellings, a row's district name comes only on the first row of its spelling, as the reader gives it;
  /// the same name is written under several codes, and a code's first name is not always its most common.
  @Test func pendingCombinationsAndSpellingsChangeNoFigure() throws {
    let labels = try DisplayLabels.load(from: ReportFixtures.reference)
    let needs = RecommenderTests.needs
    let codes = ["336", "338", "340", "342", "Ư1"]
    let types = ["household", "company", "cooperative", "hợp tác xã"]
    let sectors = ["textiles", "Dệt may", "", "agro_food", "ngành mới"]
    var random = RecommenderTests.Generator(state: 9)
    let names = [
      "Huyện Đông Hưng", "Đông Hưng", "", "Huyện Đông Hưng".decomposedStringWithCanonicalMapping, "Huyện Thái Thụy",
    ]
    var rows: [(CountedEstablishment, [Int], EstablishmentsReader.RowSpellings, CountedEstablishment)] = []
    /// Spellings as a reader's four tables would give them: a table starts again every 300 rows, numbering its
    /// cells anew in the order they come.
    var tables: [[String: Int]] = [[:], [:], [:], [:]]
    var generation = 1
    func spelling(_ table: Int, _ text: String) -> CellSpelling {
      let entry = tables[table][text] ?? tables[table].count
      tables[table][text] = entry
      return CellSpelling(generation: generation * 4 + table, entry: entry)
    }
    for line in 0..<3_000 {
      if line % 300 == 0 {
        generation += 1
        tables = [[:], [:], [:], [:]]
      }
      let chosen = (0..<needs.count).filter { _ in random.next(3) == 0 }
      var row = ReportFixtures.establishment(
        line + 2, district: codes[random.next(codes.count)], needs: chosen.map { needs[$0] },
        employees: random.next(500), supported: [nil, true, false][random.next(3)],
        sector: sectors[random.next(sectors.count)])
      row.enterpriseType = types[random.next(types.count)]
      row.trainees = random.next(20)
      row.supportRequested = Money(thousands: random.next(1_000_000))
      // Each code mostly one name, the first it meets only sometimes.
      row.district = names[random.next(4) == 0 ? random.next(names.count) : (codes.firstIndex(of: row.districtCode)!)]
      let firstOfItsSpelling = tables[3][row.district] == nil
      var spelled = EstablishmentsReader.RowSpellings(
        districtCode: spelling(0, row.districtCode), enterpriseType: spelling(1, row.enterpriseType),
        sector: spelling(2, row.sector))
      spelled.district = spelling(3, row.district)
      spelled.districtGiven = firstOfItsSpelling
      var read = row
      if !firstOfItsSpelling { read.district = "" }
      rows.append((row, chosen, spelled, read))
    }
    func aggregates(pendingLimit: Int, spelled: Bool) -> Aggregates {
      var builder = AggregatesBuilder(labels: labels, needs: needs, pendingLimit: pendingLimit)
      for (row, positions, spellings, read) in rows {
        positions.withUnsafeBufferPointer { positions in
          if spelled {
            _ = builder.add(read, needs: positions, spellings: spellings)
          } else {
            _ = builder.add(row, needs: positions, spellings: EstablishmentsReader.RowSpellings())
          }
        }
      }
      return builder.aggregates()
    }
    let atOnce = aggregates(pendingLimit: 0, spelled: false)
    #expect(atOnce == Aggregates.compute(rows.map(\.0).reversed(), labels: labels))
    for limit in [1, 7, PendingRows.limit] {
      #expect(aggregates(pendingLimit: limit, spelled: false) == atOnce, "\(limit)")
      #expect(aggregates(pendingLimit: limit, spelled: true) == atOnce, "\(limit)")
    }
    // The recommender reads the groups from a settled copy.
    var accumulator = Recommender.Accumulator(
      Recommender(
        needs: try NeedCatalogue.load(from: ReportFixtures.reference), labels: labels,
        weights: try ScoringWeights.load(from: ReportFixtures.reference), plan: []))
    for (row, _, _, _) in rows { accumulator.add(row) }
    #expect(accumulator.finish().aggregates == Aggregates.compute(rows.map(\.0), labels: labels))
  }

  /// Survey periods told each date's spelling and each file's (numbers reused for other dates once a table starts
  /// again, files coming back later, one file spelled two ways, rows without a date) are the periods gathered from
  /// the dates alone; the file and the date are asked for only when their spellings do not answer.
  @Test func periodsToldSpellingsAreThePeriodsOfTheDates() {
    var random = RecommenderTests.Generator(state: 21)
    let files = ["a.csv", "b.csv", "c.csv"]
    var plain = SurveyPeriods()
    var spelled = SurveyPeriods()
    var table: [String: Int] = [:]
    var generation = 1
    var file = files[0]
    var fileSpelling = CellSpelling(generation: 500, entry: 0)
    var asked = (files: 0, dates: 0)
    for row in 0..<20_000 {
      if row % 700 == 0 {
        generation += 1
        table = [:]
      }
      if random.next(500) == 0 {
        file = files[random.next(files.count)]
        // Each file spelled under its own number, or (" a.csv" trimmed) under another one for the same file.
        fileSpelling = CellSpelling(generation: 500, entry: files.firstIndex(of: file)! + 3 * random.next(2))
      }
      let date =
        random.next(20) == 0
        ? "" : String(format: "20%02d-%02d-%02d", 20 + random.next(8), 1 + random.next(12), 1 + random.next(28))
      let entry = table[date] ?? table.count
      table[date] = entry
      plain.add(file: file, date: date)
      spelled.add(
        file: {
          asked.files += 1
          return file
        }(), fileSpelling: fileSpelling,
        date: {
          asked.dates += 1
          return date
        }(),
        spelling: CellSpelling(generation: generation, entry: entry))
    }
    // A file when its spelling changes (about once in 500 rows); a date when it is new to its table's generation.
    #expect(asked.files > 0 && asked.files < 200)
    #expect(asked.dates > 0 && asked.dates < 19_000)
    // A date met in another file, and a number the table gave another date before it started again.
    for (file, date, generation, entry) in [
      ("d.csv", "2019-05-01", 90, 0), ("e.csv", "2019-05-01", 90, 0), ("e.csv", "2029-06-01", 90, 1),
      ("f.csv", "2020-01-01", 92, 0), ("f.csv", "2018-01-01", 93, 0),
    ] {
      plain.add(file: file, date: date)
      spelled.add(file: file, date: date, spelling: CellSpelling(generation: generation, entry: entry))
    }
    plain.flush()
    spelled.flush()
    #expect(spelled.byFile["e.csv"] == SurveyPeriod(first: "2019-05-01", last: "2029-06-01"))
    #expect(spelled.byFile["f.csv"] == SurveyPeriod(first: "2018-01-01", last: "2020-01-01"))
    #expect(spelled.byFile == plain.byFile)
    #expect(spelled == plain)
    #expect(files.allSatisfy { plain.byFile[$0]!.undated > 0 && plain.byFile[$0]!.first != plain.byFile[$0]!.last })
  }
}
