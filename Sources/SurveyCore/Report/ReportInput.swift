/// Everything the report is written from, gathered once so the rendering itself reads no files.

/// The inputs of the report: the run's figures, its ranking, its summaries and the comparison with the last run.
public struct ReportInput: Sendable {
  /// The run's figures (the province's `surveyed` counts every establishment).
  public var aggregates: Aggregates
  /// Every qualifying action, ranked.
  public var recommendations: [Recommendation]
  public var needs: NeedCatalogue
  public var labels: DisplayLabels
  public var weights: ScoringWeights
  public var plan: [PlanTarget]
  public var units: ActionUnits
  /// The department's settings of the recommendations (`recommend-settings.csv`): which are marked as resting on
  /// few establishments, and where the minimum of establishments comes from.
  public var settings: RecommendSettings
  public var ingest: IngestSummary
  public var normalise: NormaliseSummary
  /// nil on the first run.
  public var comparison: RunComparison?
  /// Shown under the title when given (a run id or date passed in; the report never reads the clock).
  public var runLabel: String?
  /// The fewest establishments an action needs to be ranked.
  public var minimumEstablishments: Int
  /// How many recommendations the top table shows.
  public var top: Int
  /// How many recommendations each district section lists.
  public var perDistrict: Int
  /// The first rows of rejects.csv and review.csv, for the analysts to act on.
  public var rejected: ListedRows
  public var review: ListedRows
  /// The form's columns by key, to name a listed row's column as the form does.
  public var formColumns: [String: FormColumn]
  /// Input files left for the next run because they were still being written (`unsettled.json`), by name.
  public var waiting: [String]
  /// The survey dates of the counted establishments, by source file.
  public var surveyPeriods: SurveyPeriods

  public init(
    aggregates: Aggregates, recommendations: [Recommendation],
    needs: NeedCatalogue, labels: DisplayLabels, weights: ScoringWeights, plan: [PlanTarget], units: ActionUnits,
    settings: RecommendSettings = RecommendSettings(), ingest: IngestSummary, normalise: NormaliseSummary,
    comparison: RunComparison? = nil, runLabel: String? = nil,
    minimumEstablishments: Int, top: Int = 10, perDistrict: Int = 3, rejected: ListedRows = ListedRows(),
    review: ListedRows = ListedRows(), formColumns: [String: FormColumn] = [:], waiting: [String] = [],
    surveyPeriods: SurveyPeriods = SurveyPeriods()
  ) {
    self.aggregates = aggregates
    self.recommendations = recommendations
    self.needs = needs
    self.labels = labels
    self.weights = weights
    self.plan = plan
    self.units = units
    self.settings = settings
    self.ingest = ingest
    self.normalise = normalise
    self.comparison = comparison
    self.runLabel = runLabel
    self.minimumEstablishments = minimumEstablishments
    self.top = top
    self.perDistrict = perDistrict
    self.rejected = rejected
    self.review = review
    self.formColumns = formColumns
    self.waiting = waiting
    self.surveyPeriods = surveyPeriods
  }
}
