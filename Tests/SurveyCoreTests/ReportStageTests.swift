/// The report stage end to end in a run folder: determinism and spreadsheet safety.
import Foundation
import Testing

@testable import SurveyCore

@Suite struct ReportStageTests {
  static let outputs = [
    ArtefactName.aggregates, ArtefactName.aggregatesByType, ArtefactName.aggregatesBySector,
    ArtefactName.recommendations, ArtefactName.report,
  ]

  static func runStages(_ run: URL, language: ReportLanguage = .vi) throws -> [String: String] {
    try AggregateStage.run(runDirectory: run, reference: ReportFixtures.reference)
    try ReportStage.run(
      runDirectory: run, reference: ReportFixtures.reference, options: ReportOptions(language: language))
    return try Dictionary(
      uniqueKeysWithValues: outputs.map { ($0, try ReportFixtures.text(run.appendingPathComponent($0))) })
  }

  /// The same rows in another order, and the summaries' files in another order, give the same bytes.
  @Test(arguments: [ReportLanguage.vi, .en])
  func sameInputsInAnotherOrderGiveTheSameBytes(language: ReportLanguage) throws {
    let first = try Self.runStages(try ReportFixtures.copy("sample"), language: language)
    let shuffled = try ReportFixtures.copy("sample")
    let url = shuffled.appendingPathComponent(ArtefactName.establishments)
    let table = try CSVFile.readTable(url)
    var text = table.columns.joined(separator: ",") + "\n"
    for row in table.rows.reversed() { text += CSVWriter.line(row.fields) }
    try text.write(to: url, atomically: true, encoding: .utf8)
    let ingestURL = shuffled.appendingPathComponent(ArtefactName.ingestSummary)
    var ingest = try StableJSON.read(IngestSummary.self, from: ingestURL)
    ingest.files.reverse()
    try StableJSON.write(ingest, to: ingestURL)
    let normaliseURL = shuffled.appendingPathComponent(ArtefactName.normaliseSummary)
    var normalise = try StableJSON.read(NormaliseSummary.self, from: normaliseURL)
    normalise.files.reverse()
    try StableJSON.write(normalise, to: normaliseURL)
    let second = try Self.runStages(shuffled, language: language)
    for name in Self.outputs { #expect(first[name] == second[name], "\(name) differs") }
  }

  @Test func spreadsheetFilesStartWithABOMAndNeutraliseFormulas() throws {
    let folder = try ReportFixtures.temporaryFolder()
    var list = [
      ReportFixtures.establishment(1, district: "338", needs: ["marketing"], employees: 90),
      ReportFixtures.establishment(2, district: "338", needs: ["marketing"], employees: 5),
    ]
    list[0].name = "=HYPERLINK(\"http://evil.example\")"
    list[0].district = "+Huyện Quỳnh Phụ"
    list[1].name = "@SUM(A1)"
    list[1].sector = "-Khác"
    try ReportFixtures.writeRun(list, to: folder)
    let outputs = try Self.runStages(folder)
    for name in Self.outputs where name.hasSuffix(".csv") {
      let text = try #require(outputs[name])
      #expect(text.hasPrefix("\u{FEFF}"), "\(name) has a BOM")
      let rows = try CSVFile.readTable(folder.appendingPathComponent(name)).rows
      for cell in rows.flatMap(\.fields) {
        #expect(!(cell.first.map { "=+@\t\r".contains($0) } ?? false), "\(name): \(cell)")
        if cell.hasPrefix("-") { #expect(Double(cell) != nil, "\(name): \(cell)") }
      }
    }
    let recommendations = try #require(outputs[ArtefactName.recommendations])
    #expect(recommendations.contains(",'+Huyện Quỳnh Phụ,"))
    #expect(recommendations.contains("\"'=HYPERLINK(\"\"http://evil.example\"\") ("))
    let report = try #require(outputs[ArtefactName.report])
    #expect(report.contains("\\=HYPERLINK"))
  }

  @Test func aMissingSummaryIsAMissingInput() throws {
    let folder = try ReportFixtures.temporaryFolder()
    try ReportFixtures.writeRun([ReportFixtures.establishment(1, needs: ["training"])], to: folder)
    try FileManager.default.removeItem(at: folder.appendingPathComponent(ArtefactName.normaliseSummary))
    let error = #expect(throws: PipelineError.self) {
      try ReportStage.run(runDirectory: folder, reference: ReportFixtures.reference, options: ReportOptions())
    }
    #expect(error?.exitCode == 66)
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(ArtefactName.report).path))
  }

  /// The repository's own reference tables.
  static let live = ReportFixtures.root.deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("input/reference")

  /// A temporary folder holding copies of the named live tables.
  func copies(of names: [String]) throws -> TemporaryFolder {
    let folder = try TemporaryFolder("reference")
    for name in names {
      try FileManager.default.copyItem(at: Self.live.appendingPathComponent(name), to: folder.file(name))
    }
    return folder
  }

  /// 2 trainees against a plan of 2,000: "dưới 1%", not "0%", in the key points and the plan table (a helper's
  /// round: the first fix reached only the shares, not the plan lines).
  @Test func aPlanFigureAboveNothingButUnderHalfAPercentIsNotZero() throws {
    let folder = try ReportFixtures.temporaryFolder()
    try ReportFixtures.writeRun([ReportFixtures.establishment(1, needs: ["training"])], to: folder)
    try ReportStage.run(runDirectory: folder, reference: ReportFixtures.reference, options: ReportOptions())
    let report = try String(contentsOf: folder.appendingPathComponent(ArtefactName.report), encoding: .utf8)
    #expect(report.contains("bằng **dưới 1%** so với 2.000"), "\(report)")
    #expect(report.contains("| 2 lao động | dưới 1% |"), "\(report)")
  }

  @Test func theLiveReferenceTablesLoad() throws {
    let live = Self.live
    let needs = try NeedCatalogue.load(from: live)
    #expect(needs.keys.count == 9)
    #expect(try ScoringWeights.load(from: live).total > 0)
    let plan = try PlanTargets.load(from: live, needs: needs)
    #expect(plan.map(\.target) == [2000, 5, 100, 10000])
    // Models against establishments, a budget a year against what is asked in all: no share of either.
    #expect(plan.map(\.comparable) == [true, false, true, false])
    #expect(plan.allSatisfy { !$0.source.isEmpty })
    _ = try ActionUnits.load(from: live, needs: needs)
    #expect(try DisplayLabels.load(from: live).keys(.district).count == 8)
    #expect(
      try RecommendSettings.load(from: live)
        == RecommendSettings(fewEstablishments: 5, minimumEstablishments: 2, minimumEstablishmentsIsInTable: true))
  }

  /// The threshold of the "few establishments" mark is the department's to edit in recommend-settings.csv: a
  /// value that is no whole number from 1 stops the run with the table's line; the table is one the stages read
  /// (named when edited, never "read by no stage"); without it nothing is marked.
  @Test func theFewEstablishmentsThresholdAsTheDepartmentEditsIt() throws {
    let folder = try copies(of: [RecommendSettings.file])
    defer { folder.cleanUp() }
    #expect(try RecommendSettings.load(from: folder.url).fewEstablishments == 5)
    let survey = ReferenceTable.survey(Self.live)
    #expect(survey.digests[RecommendSettings.file] != nil && !survey.notRead.contains(RecommendSettings.file))

    let table = folder.file(RecommendSettings.file)
    func load(_ rows: [String]) throws -> RecommendSettings { try Self.loadSettings(rows, in: folder) }
    func error(_ rows: [String]) -> String {
      (#expect(throws: PipelineError.self) { try load(rows) })?.description ?? ""
    }
    #expect(try load(["few_establishments,3,"]).fewEstablishments == 3)
    #expect(try load(["few_establishments, 10 ,mười"]).fewEstablishments == 10)
    // 1 marks none: no recommendation rests on fewer than one establishment.
    #expect(try load(["few_establishments,1,"]).fewEstablishments == 1)
    for value in ["năm", "0", "-3", "2,5", "2.5", "", "1000001"] {
      let message = error(["few_establishments,\(value.contains(",") ? "\"\(value)\"" : value),x"])
      #expect(
        message.contains(
          "recommend-settings.csv:2: value '\(value)' of few_establishments is not a whole number from 1 to 1000000"),
        "\(message)")
    }
    let twice = error(["few_establishments,5,", "few_establishments,3,"])
    #expect(twice.contains("recommend-settings.csv:3: setting 'few_establishments' is already on line 2"), "\(twice)")
    let unknown = error(["few_establishments,5,", "it_co_so,3,"])
    #expect(unknown.contains("recommend-settings.csv:3: setting 'it_co_so' is not one of few_establishments"))
    let missing = error([])
    #expect(missing.contains("recommend-settings.csv:1: setting few_establishments is missing"), "\(missing)")
    try "setting,gia_tri\nfew_establishments,5\n".write(to: table, atomically: true, encoding: .utf8)
    let column = (#expect(throws: PipelineError.self) { try RecommendSettings.load(from: folder.url) })?.description
    #expect(column?.contains("recommend-settings.csv:1: column 'value' is missing") == true, "\(column ?? "")")

    try FileManager.default.removeItem(at: table)
    #expect(try RecommendSettings.load(from: folder.url) == RecommendSettings())
  }

  /// `RecommendSettings.load` of a recommend-settings.csv of these rows, written into `folder`.
  static func loadSettings(_ rows: [String], in folder: TemporaryFolder) throws -> RecommendSettings {
    try ((["setting,value,note"] + rows).joined(separator: "\n") + "\n").write(
      to: folder.file(RecommendSettings.file), atomically: true, encoding: .utf8)
    return try RecommendSettings.load(from: folder.url)
  }

  /// The fewest establishments a group needs to be recommended at all is the department's to edit too
  /// (`min_establishments`), checked as `few_establishments` is; a table from before it, without its row, is read
  /// with the 2 the report stage always had, and still needs its `few_establishments`.
  @Test func theMinimumEstablishmentsAsTheDepartmentEditsIt() throws {
    let folder = try TemporaryFolder("reference")
    defer { folder.cleanUp() }
    let table = folder.file(RecommendSettings.file)
    func load(_ rows: [String]) throws -> RecommendSettings { try Self.loadSettings(rows, in: folder) }
    func error(_ rows: [String]) -> String {
      (#expect(throws: PipelineError.self) { try load(rows) })?.description ?? ""
    }
    #expect(try load(["few_establishments,5,", "min_establishments,4,bốn"]).minimumEstablishments == 4)
    #expect(try load(["min_establishments, 1 ,", "few_establishments,5,"]).minimumEstablishments == 1)
    let older = try load(["few_establishments,5,"])
    #expect(older.minimumEstablishments == 2 && older.fewEstablishments == 5)
    #expect(older == RecommendSettings(fewEstablishments: 5, minimumEstablishments: 2))
    for value in ["hai", "0", "-1", "2.5", "", "1000001"] {
      let message = error(["few_establishments,5,", "min_establishments,\(value),x"])
      #expect(
        message.contains(
          "recommend-settings.csv:3: value '\(value)' of min_establishments is not a whole number from 1 to 1000000 "
            + "(the fewest establishments asking for a need in one district (or sector) for it to be recommended"),
        "\(message)")
    }
    let twice = error(["min_establishments,2,", "few_establishments,5,", "min_establishments,3,"])
    #expect(twice.contains("recommend-settings.csv:4: setting 'min_establishments' is already on line 2"), "\(twice)")
    let unknown = error(["few_establishments,5,", "minimum,3,"])
    #expect(
      unknown.contains(
        "recommend-settings.csv:3: setting 'minimum' is not one of few_establishments, min_establishments"),
      "\(unknown)")
    let withoutFew = error(["min_establishments,2,"])
    #expect(withoutFew.contains("recommend-settings.csv:1: setting few_establishments is missing"), "\(withoutFew)")
    #expect(!withoutFew.contains("min_establishments"), "\(withoutFew)")

    try FileManager.default.removeItem(at: table)
    #expect(try RecommendSettings.load(from: folder.url).minimumEstablishments == 2)
  }

  /// A small survey whose district × need (× sector) groups have 4, 3, 2, 2 and 1 establishments asking.
  static func groupsOfFourThreeTwoTwoAndOne() -> [CountedEstablishment] {
    (1...4).map { ReportFixtures.establishment($0, district: "338", needs: ["machinery"]) }
      + (5...7).map { ReportFixtures.establishment($0, district: "338", needs: ["marketing"]) }
      + (8...9).map { ReportFixtures.establishment($0, district: "339", needs: ["machinery"]) }
      + [ReportFixtures.establishment(10, district: "339", needs: ["marketing"])]
      + (11...12).map { ReportFixtures.establishment($0, district: "340", needs: ["training"], sector: "textiles") }
  }

  /// The groups recommended from `groupsOfFourThreeTwoTwoAndOne`, with `recommend-settings.csv` holding `rows`
  /// (nil: no table) and the report's options; the report's method states the minimum the groups were held to.
  func recommendedGroups(settings rows: [String]?, options: ReportOptions = ReportOptions(language: .en)) throws
    -> (groups: Set<String>, report: String)
  {
    let reference = try TemporaryFolder("reference")
    defer { reference.cleanUp() }
    for name in try FileManager.default.contentsOfDirectory(atPath: ReportFixtures.reference.path)
    where name != RecommendSettings.file {
      try FileManager.default.copyItem(
        at: ReportFixtures.reference.appendingPathComponent(name), to: reference.file(name))
    }
    if let rows {
      try ((["setting,value,note"] + rows).joined(separator: "\n") + "\n").write(
        to: reference.file(RecommendSettings.file), atomically: true, encoding: .utf8)
    }
    let run = try ReportFixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: run) }
    try ReportFixtures.writeRun(Self.groupsOfFourThreeTwoTwoAndOne(), to: run)
    let input = try ReportStage.run(runDirectory: run, reference: reference.url, options: options)
    let csv = try String(contentsOf: run.appendingPathComponent(ArtefactName.recommendations), encoding: .utf8)
    #expect(csv.split(separator: "\n").count == input.recommendations.count + 1, "recommendations.csv: \(csv)")
    let report = try String(contentsOf: run.appendingPathComponent(ArtefactName.report), encoding: .utf8)
    #expect(
      report.contains("only those with \(input.minimumEstablishments) or more establishments asking are ranked"),
      "\(report)")
    // The method says where the minimum is set when it is the table's row, not when it is the default or an option's.
    let inTable =
      rows?.contains { $0.hasPrefix("min_establishments,") } == true
      && (options.minimumEstablishments ?? input.settings.minimumEstablishments) == input.settings.minimumEstablishments
    #expect(report.contains("(`min_establishments` in `recommend-settings.csv`)") == inTable, "\(report)")
    return (Set(input.recommendations.map(\.actionKey)), report)
  }

  /// `min_establishments` in recommend-settings.csv decides which groups are recommended; a table without the row
  /// (an older reference folder) and a folder without the table are held to 2, as before the setting.
  @Test func theMinimumFromTheTableDecidesWhichGroupsAreRecommended() throws {
    let fromTwo: Set = ["338|machinery|*", "338|marketing|*", "339|machinery|*", "340|training|textiles"]
    #expect(try recommendedGroups(settings: ["few_establishments,3,", "min_establishments,2,"]).groups == fromTwo)
    let four = try recommendedGroups(settings: ["few_establishments,3,", "min_establishments,4,"])
    #expect(four.groups == ["338|machinery|*"])
    // few_establishments (3) no more than the minimum (4): nothing can be marked, and the method says why.
    #expect(
      four.report.contains("`few_establishments` in `recommend-settings.csv` is 3, no more than the fewest"),
      "\(four.report)")
    #expect(try recommendedGroups(settings: ["few_establishments,3,", "min_establishments,3,"]).groups.count == 2)
    #expect(try recommendedGroups(settings: ["few_establishments,3,"]).groups == fromTwo)
    #expect(try recommendedGroups(settings: nil).groups == fromTwo)
  }

  /// `--min-establishments` (ReportOptions.minimumEstablishments) beats the table, either way.
  @Test func theCommandLineMinimumOverridesTheTable() throws {
    let table = ["few_establishments,3,", "min_establishments,4,"]
    let lower = try recommendedGroups(settings: table, options: ReportOptions(language: .en, minimumEstablishments: 1))
    #expect(lower.groups.count == 5)
    #expect(lower.groups.contains("339|marketing|*"))
    let three = try recommendedGroups(settings: table, options: ReportOptions(language: .en, minimumEstablishments: 3))
    #expect(three.groups == ["338|machinery|*", "338|marketing|*"])
    let higher = try recommendedGroups(
      settings: ["few_establishments,3,", "min_establishments,2,"],
      options: ReportOptions(language: .en, minimumEstablishments: 4))
    #expect(higher.groups == ["338|machinery|*"])
  }

  /// A sector added to sectors.csv, and not to report-labels.csv, is shown by its names there, not its key.
  @Test func aNewSectorIsShownByItsNameNotItsKey() throws {
    let folder = try copies(of: ["report-labels.csv", "sectors.csv", "enterprise-types.csv"])
    defer { folder.cleanUp() }
    let sectors = folder.file("sectors.csv")
    try (try String(contentsOf: sectors, encoding: .utf8) + "wood,Đồ gỗ - mộc,Woodwork,Mộc;Đồ gỗ\n").write(
      to: sectors, atomically: true, encoding: .utf8)
    let labels = try DisplayLabels.load(from: folder.url)
    #expect(labels.label(.sector, "wood", .vi) == "Đồ gỗ - mộc")
    // A table saved on a Mac (NFD) gives the report NFC text.
    let decomposed = folder.file("sectors.csv")
    try (try String(contentsOf: decomposed, encoding: .utf8).decomposedStringWithCanonicalMapping).write(
      to: decomposed, atomically: true, encoding: .utf8)
    let fromMac = try DisplayLabels.load(from: folder.url)
    #expect(fromMac.label(.sector, "wood", .vi)?.unicodeScalars.elementsEqual("Đồ gỗ - mộc".unicodeScalars) == true)
    #expect(labels.label(.sector, "wood", .en) == "Woodwork")
    // report-labels.csv still wins where it has a label.
    #expect(labels.label(.sector, "textiles", .en) == "Textiles, embroidery")
    // A relabelling added as a second row for the key, not made on its row, was ignored unsaid.
    let table = folder.file("report-labels.csv")
    try (try String(contentsOf: table, encoding: .utf8) + "district,336,Thành phố Thái Bình,Thai Binh City\n").write(
      to: table, atomically: true, encoding: .utf8)
    let twice = #expect(throws: PipelineError.self) { try DisplayLabels.load(from: folder.url) }
    let message = twice?.description ?? ""
    #expect(message.contains("district '336' already has a label on line 2"), "\(message)")
  }

  /// What a helper's round did to the department's plan and weight tables: a target of 10¹⁶ crashed the report
  /// on an overflow; a target listed twice showed twice; a weight written "0,35" by a Vietnamese Excel failed
  /// the night.
  @Test func planTargetsAndWeightsAsTheDepartmentEditsThem() throws {
    let folder = try copies(of: ["needs.csv", "plan-targets.csv", "scoring-weights.csv"])
    defer { folder.cleanUp() }
    let needs = try NeedCatalogue.load(from: folder.url)
    let plan = folder.file("plan-targets.csv")
    let original = try String(contentsOf: plan, encoding: .utf8)
    func planError(_ text: String) throws -> String {
      try text.write(to: plan, atomically: true, encoding: .utf8)
      return (#expect(throws: PipelineError.self) { try PlanTargets.load(from: folder.url, needs: needs) })?
        .description ?? ""
    }
    let huge = try planError(original.replacingOccurrences(of: ",10000,", with: ",10000000000000000,"))
    #expect(huge.contains("plan-targets.csv:5: target '10000000000000000' is not a whole number from 1"), "\(huge)")
    let lines = original.split(separator: "\n")
    let twice = try planError(original + lines[4] + "\n")
    #expect(twice.contains("plan-targets.csv:6: key 'budget' is already on line 5"), "\(twice)")
    // A training target with its need left blank compared with nothing, and training lost its plan points.
    let blank = try planError(original.replacingOccurrences(of: "trainees,training,", with: "trainees,,"))
    #expect(blank.contains("plan-targets.csv:2: measure 'trainees' needs the need it counts"), "\(blank)")
    let unread = try planError(original.replacingOccurrences(of: ",no\n", with: ",không\n"))
    #expect(unread.contains("plan-targets.csv:3: percent 'không' is not yes or no"), "\(unread)")
    // A table from before the column compares every target, as it did.
    let older = original.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
      .map { $0.dropLast().joined(separator: ",") }.joined(separator: "\n")
    try older.write(to: plan, atomically: true, encoding: .utf8)
    #expect(try PlanTargets.load(from: folder.url, needs: needs).allSatisfy(\.comparable))
    try original.write(to: plan, atomically: true, encoding: .utf8)

    let weights = folder.file("scoring-weights.csv")
    func load(_ rows: [String], _ separator: String) throws -> ScoringWeights {
      let header = ["factor", "weight", "meaning_vi", "meaning_en"].joined(separator: separator)
      let text = ([header] + rows).joined(separator: "\n") + "\n"
      try text.write(to: weights, atomically: true, encoding: .utf8)
      return try ScoringWeights.load(from: folder.url)
    }
    let factors = ["demand", "reach", "unsupported", "intensity", "plan"]
    let shares = ["0.35", "0.25", "0.2", "0.1", "0.1"]
    let points = try load(zip(factors, shares).map { "\($0),\($1),a,b" }, ",")
    let commas = try load(
      zip(factors, shares).map { "\($0);\($1.replacingOccurrences(of: ".", with: ","));a;b" }, ";")
    #expect(commas.weight(.demand) == 0.35 && commas.total == points.total)
  }
}
