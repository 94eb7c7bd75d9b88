/// The report stage: ranks the support actions (`recommendations.csv`) and writes the report (`report.md`).
import Foundation

/// The choices the report command passes in.
public struct ReportOptions: Sendable {
  public var language: ReportLanguage
  /// The previous complete run's folder, to say what changed; nil on the first run.
  public var previousRun: URL?
  /// Shown under the title (a run id or date); the report never reads the clock itself.
  public var runLabel: String?
  /// How many recommendations the top table shows.
  public var top: Int
  /// How many recommendations each district section lists.
  public var perDistrict: Int
  /// The fewest establishments asking for a need in one district (or sector) for it to be ranked, overriding
  /// `min_establishments` in `recommend-settings.csv`; nil takes the table's.
  public var minimumEstablishments: Int?
  /// How many establishments each recommendation names to approach first.
  public var shortlistSize: Int

  public init(
    language: ReportLanguage = .vi, previousRun: URL? = nil, runLabel: String? = nil, top: Int = 10,
    perDistrict: Int = 3, minimumEstablishments: Int? = nil, shortlistSize: Int = 5
  ) {
    self.language = language
    self.previousRun = previousRun
    self.runLabel = runLabel
    self.top = top
    self.perDistrict = perDistrict
    self.minimumEstablishments = minimumEstablishments
    self.shortlistSize = shortlistSize
  }
}

/// Stage 4: establishments and summaries of a run → `recommendations.csv` and `report.md`.
public enum ReportStage {
  /// Reads the run folder and the reference tables, ranks the actions and compares with the previous run.
  ///
  /// One pass over `establishments.csv` feeds the aggregates, the ranking (figures and a bounded shortlist per
  /// action) and the comparison with the previous run, whose identities are read on a second thread meanwhile
  /// (`RunComparison.Tracker`); no establishment is kept beyond the shortlists.
  public static func prepare(runDirectory: URL, reference: URL, options: ReportOptions) throws -> ReportInput {
    let needs = try NeedCatalogue.load(from: reference)
    let labels = try DisplayLabels.load(from: reference)
    let weights = try ScoringWeights.load(from: reference)
    let plan = try PlanTargets.load(from: reference, needs: needs)
    let units = try ActionUnits.load(from: reference, needs: needs)
    let settings = try RecommendSettings.load(from: reference)
    let recommender = Recommender(
      needs: needs, labels: labels, weights: weights, plan: plan, units: units,
      minimumEstablishments: options.minimumEstablishments ?? settings.minimumEstablishments,
      shortlistSize: options.shortlistSize)
    let establishments = runDirectory.appendingPathComponent(ArtefactName.establishments)
    try EstablishmentsReader.checkExists(establishments)  // before the previous run is read
    let unsettled = runDirectory.appendingPathComponent(ArtefactName.unsettled)
    let waiting =
      FileManager.default.fileExists(atPath: unsettled.path)
      ? try StableJSON.read(UnsettledList.self, from: unsettled).files.map(\.file)
        .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } : []
    var tracker = options.previousRun.map { RunComparison.Tracker(previousRun: $0, waiting: waiting) }
    var ranking = Recommender.Accumulator(recommender)
    var periods = SurveyPeriods()
    // With a previous run whose tax codes this run does not meet in their order, each group of rows' tax codes
    // are looked up in its table ahead of the rows, so that the lookups of many rows wait on memory at once.
    let ahead = tracker.map { tracker in
      (wanted: { tracker.loadsAhead }, load: { (key: UInt64) in tracker.prefetch(taxKey: key) })
    }
    try EstablishmentsReader.forEachRow(establishments, needs: needs, taxKeysAhead: ahead) {
      row, positions, spelled in
      var fold: String?
      ranking.add(row, needs: positions, fold: &fold, spellings: spelled)
      tracker?.add(row: row, fold: &fold)
      periods.add(
        file: row.sourceFile, fileSpelling: spelled.sourceFile, date: row.surveyDate, spelling: spelled.surveyDate)
    }
    periods.flush()
    var ingest = try StableJSON.read(
      IngestSummary.self, from: runDirectory.appendingPathComponent(ArtefactName.ingestSummary))
    ingest.files.sort { $0.file.utf8.lexicographicallyPrecedes($1.file.utf8) }
    var normalise = try StableJSON.read(
      NormaliseSummary.self, from: runDirectory.appendingPathComponent(ArtefactName.normaliseSummary))
    normalise.files.sort { $0.file.utf8.lexicographicallyPrecedes($1.file.utf8) }
    let (aggregates, recommendations) = ranking.finish()
    let setAside = ingest.files.filter { $0.status == .setAside }.map(\.file)
    let formColumns = try FormSchema.columns(from: reference)
    return ReportInput(
      aggregates: aggregates, recommendations: recommendations, needs: needs, labels: labels, weights: weights,
      plan: plan, units: units, settings: settings, ingest: ingest, normalise: normalise,
      comparison: tracker?.finish(ingest: ingest), runLabel: options.runLabel,
      minimumEstablishments: recommender.minimumEstablishments, top: max(1, options.top),
      perDistrict: max(0, options.perDistrict),
      rejected: try ListedRows.read(
        runDirectory.appendingPathComponent(ArtefactName.rejects), value: "value", leavingOut: setAside,
        settled: RowWording.decidedOutside),
      review: try ListedRows.read(
        runDirectory.appendingPathComponent(ArtefactName.review), value: "written", suggestions: "suggestions",
        leavingOut: setAside),
      formColumns: Dictionary(formColumns.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first }),
      waiting: waiting, surveyPeriods: periods)
  }

  /// Writes `recommendations.csv` (its reasons always in Vietnamese) and `report.md` in the chosen language.
  @discardableResult
  public static func run(runDirectory: URL, reference: URL, options: ReportOptions) throws -> ReportInput {
    let input = try prepare(runDirectory: runDirectory, reference: reference, options: options)
    try writeRecommendations(input, to: runDirectory.appendingPathComponent(ArtefactName.recommendations))
    try AtomicFileWriter.write(
      ReportRenderer(input, language: options.language).render(),
      to: runDirectory.appendingPathComponent(ArtefactName.report))
    return input
  }

  /// Writes the ranking as `recommendations.csv`.
  public static func writeRecommendations(_ input: ReportInput, to url: URL) throws {
    let names = ReportNames(.vi, needs: input.needs, labels: input.labels)
    try RecommendationsTable.write(
      input.recommendations, to: url, needs: input.needs, labels: input.labels, rationale: names.rationale,
      shortlistEntry: names.shortlistEntry)
  }
}
