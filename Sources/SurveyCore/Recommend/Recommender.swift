/// Scores and ranks support actions from the counted establishments: a transparent weighted sum.
import Foundation

/// Turns establishments into ranked recommendations.
///
/// For every district and need with at least `minimumEstablishments` asking (per sector, for needs that
/// `ActionUnits` groups by sector, leaving out the establishments with no sector given: a course or a model for
/// "no sector" is no action anyone can take), each factor is a number from 0 to 1:
///
/// - demand = establishments asking ÷ the most any action has;
/// - reach = their workers ÷ the most any action has;
/// - unsupported = the share of them not known to have had khuyến công support;
/// - intensity = the share of the district's (or sector's) surveyed establishments asking;
/// - plan = 1 when plan-targets.csv sets a target for the need.
///
/// score = 100 × Σ(weight × factor) ÷ Σ weights, rounded to one decimal. Ties go to more establishments, then
/// more workers, then district code, need (needs.csv order) and sector key, so the order never depends on input
/// order. More demand, all else equal, never ranks an action lower.
public struct Recommender: Sendable {
  public var needs: NeedCatalogue
  public var labels: DisplayLabels
  public var weights: ScoringWeights
  public var plan: [PlanTarget]
  public var units: ActionUnits
  /// Actions with fewer establishments asking are not recommended (`min_establishments` in `recommend-settings.csv`).
  public var minimumEstablishments: Int
  /// How many establishments each action names to approach first.
  public var shortlistSize: Int

  public init(
    needs: NeedCatalogue, labels: DisplayLabels, weights: ScoringWeights, plan: [PlanTarget],
    units: ActionUnits = ActionUnits(),
    minimumEstablishments: Int = RecommendSettings.defaultMinimumEstablishments, shortlistSize: Int = 5
  ) {
    self.needs = needs
    self.labels = labels
    self.weights = weights
    self.plan = plan
    self.units = units
    self.minimumEstablishments = max(1, minimumEstablishments)
    self.shortlistSize = max(0, shortlistSize)
  }

  /// Every action that qualifies, ranked from 1.
  public func rank(_ establishments: [CountedEstablishment]) -> [Recommendation] {
    var accumulator = Accumulator(self)
    for establishment in establishments { accumulator.add(establishment) }
    return accumulator.finish().recommendations
  }

  /// Adds establishments up per action as they stream past, keeping each action's figures and its shortlist
  /// (a bounded heap) rather than the establishments: memory grows with the number of actions, not of rows.
  public struct Accumulator: Sendable {
    let recommender: Recommender
    /// The groups (the report's aggregates, and the district names and sector keys of the actions).
    var aggregates: AggregatesBuilder
    /// By catalogue position: whether the need is recommended per sector.
    let bySector: [Bool]

    struct ActionKey: Hashable, Sendable {
      var district: Int32
      var need: Int32
      /// The sector group, or -1 for a per-district action.
      var sector: Int32
    }

    struct Action: Sendable {
      var key: ActionKey
      var figures = NeedFigures()
      var shortlist: Shortlist

      /// Adds a row's figures and offers it to the shortlist: one access to the action in its array, not two.
      mutating func add(_ row: some EstablishmentRow, _ figures: NeedFigures, sequence: Int, fold: inout String?) {
        self.figures.merge(figures)
        shortlist.offer(row, sequence: sequence, fold: &fold)
      }
    }

    /// `actions` by their key's three numbers.
    private var actionNumbers = TripleIndex(slots: 256)
    private var actions: [Action] = []
    /// The district and sector groups met together, numbered as they come (the third number is always 0).
    private var pairs = TripleIndex(slots: 64)
    /// Per pair, surveyed establishments (the intensity of a per-sector action).
    private var surveyedByPair: [Int] = []
    /// Per pair, the place in `actions` of each need's action (by catalogue position), or -1 until a row of the
    /// pair lists the need: a row finds its pair once and then each action by position, where it looked each
    /// action's three numbers up (report 0.220 → 0.217 s at 1,000,000 rows).
    private var actionsByPair: [Int32] = []
    private var sequence = 0

    public init(_ recommender: Recommender) {
      self.recommender = recommender
      aggregates = AggregatesBuilder(labels: recommender.labels, needs: recommender.needs.keys)
      bySector = recommender.needs.keys.map(recommender.units.groupsBySector)
    }

    /// Adds one establishment (its needs as it lists them).
    public mutating func add(_ establishment: CountedEstablishment) {
      var needs: [Int] = []
      for key in establishment.needs { needs.append(aggregates.index(ofNeed: key)) }
      var fold: String?
      add(establishment, needs: needs, fold: &fold)
    }

    /// Adds one establishment whose needs are `needs` (catalogue positions, as `EstablishmentsReader` gives them);
    /// `fold` caches its folded name for the other shortlists it is offered to.
    public mutating func add(_ establishment: CountedEstablishment, needs: [Int], fold: inout String?) {
      needs.withUnsafeBufferPointer {
        add(establishment, needs: $0, fold: &fold, spellings: EstablishmentsReader.RowSpellings())
      }
    }

    /// `add`, for a row of any kind (the report's `EstablishmentsReader.Row`, which makes its texts only for the
    /// shortlists that keep it); `spellings` are the reader's, for `AggregatesBuilder.add(_:needs:spellings:)`.
    mutating func add(
      _ establishment: some EstablishmentRow, needs: UnsafeBufferPointer<Int>, fold: inout String?,
      spellings: EstablishmentsReader.RowSpellings
    ) {
      let (district, sector) = aggregates.add(establishment, needs: needs, spellings: spellings)
      let order = sequence
      sequence += 1
      let needCount = bySector.count
      let pair = pairs.number(of: (district, sector, 0))!
      if pair == surveyedByPair.count {
        surveyedByPair.append(0)
        actionsByPair.append(contentsOf: repeatElement(-1, count: needCount))
      }
      surveyedByPair[pair] += 1
      let figures = NeedFigures(of: establishment)
      for (offset, need) in needs.enumerated() where need < needCount {
        // A need listed twice is one action, as `has` counts it.
        if offset > 0 && needs[..<offset].contains(need) { continue }
        var slot = Int(actionsByPair[pair * needCount + need])
        if slot < 0 {
          let key = ActionKey(
            district: Int32(district), need: Int32(need), sector: bySector[need] ? Int32(sector) : -1)
          slot = actionNumbers.number(of: (Int(key.district), Int(key.need), Int(key.sector)))!
          if slot == actions.count {
            actions.append(Action(key: key, shortlist: Shortlist(size: recommender.shortlistSize)))
          }
          actionsByPair[pair * needCount + need] = Int32(slot)
        }
        actions[slot].add(establishment, figures, sequence: order, fold: &fold)
      }
    }

    /// The aggregates and every action that qualifies, ranked from 1.
    public func finish() -> (aggregates: Aggregates, recommendations: [Recommendation]) {
      let aggregates = self.aggregates.settled()
      let districtNames = aggregates.districts.indices.map(aggregates.districtName)
      let needs = recommender.needs.keys
      var pairs = self.pairs  // looked up without adding; `number(of:)` is mutating all the same
      let candidates = actions.map { action in
        let district = Int(action.key.district)
        let sector = action.key.sector < 0 ? nil : Int(action.key.sector)
        return Recommendation(
          districtCode: aggregates.districts[district].key, district: districtNames[district],
          need: needs[Int(action.key.need)], sector: sector.map(aggregates.sectorKey),
          figures: action.figures,
          surveyed: sector.map { surveyedByPair[pairs.number(of: (district, $0, 0), adding: false)!] }
            ?? aggregates.districts[district].surveyed.establishments,
          shortlist: action.shortlist.sorted())
      }
      return (aggregates.aggregates(), recommender.ranked(candidates))
    }
  }

  /// Scores the candidate actions (shortlists already chosen) and ranks those with enough establishments. A
  /// per-sector action of the establishments with no sector given is not ranked: its rationale would read "a
  /// vocational course teaches one trade", for no trade. The report's method says so and what to do.
  func ranked(_ all: [Recommendation]) -> [Recommendation] {
    let candidates = all.filter { $0.figures.establishments >= minimumEstablishments && $0.sector?.isEmpty != true }
    let mostEstablishments = candidates.map(\.figures.establishments).max() ?? 0
    let mostWorkers = candidates.map(\.figures.employees).max() ?? 0
    let planNeeds = Set(plan.map(\.need).filter { !$0.isEmpty })
    var scored = candidates.map { candidate in
      var recommendation = candidate
      let figures = recommendation.figures
      let factors: [ScoringWeights.Factor: Double] = [
        .demand: ratio(figures.establishments, mostEstablishments),
        .reach: ratio(figures.employees, mostWorkers),
        .unsupported: ratio(figures.notYetSupported, figures.establishments),
        .intensity: ratio(figures.establishments, recommendation.surveyed),
        .plan: planNeeds.contains(recommendation.need) ? 1 : 0,
      ]
      let total = weights.total
      for factor in ScoringWeights.Factor.allCases {
        recommendation.points[factor] = 100 * weights.weight(factor) * factors[factor]! / total
      }
      let score = ScoringWeights.Factor.allCases.reduce(0.0) { $0 + recommendation.points[$1]! }
      recommendation.scoreTenths = Int((score * 10).rounded())
      return recommendation
    }
    scored.sort(by: ranksBefore)
    for index in scored.indices { scored[index].rank = index + 1 }
    return scored
  }

  /// The ranking order: score, then establishments, workers, district code, need order and sector key.
  public func ranksBefore(_ a: Recommendation, _ b: Recommendation) -> Bool {
    if a.scoreTenths != b.scoreTenths { return a.scoreTenths > b.scoreTenths }
    if a.figures.establishments != b.figures.establishments {
      return a.figures.establishments > b.figures.establishments
    }
    if a.figures.employees != b.figures.employees { return a.figures.employees > b.figures.employees }
    if a.districtCode != b.districtCode { return a.districtCode.utf8.lexicographicallyPrecedes(b.districtCode.utf8) }
    if a.need != b.need { return needs.position(a.need) < needs.position(b.need) }
    return (a.sector ?? "").utf8.lexicographicallyPrecedes((b.sector ?? "").utf8)
  }

  /// Whom to approach first: those not known to have been supported, then the larger workforces, then by name.
  public static func approachFirst(_ a: CountedEstablishment, _ b: CountedEstablishment) -> Bool {
    if a.notKnownToBeSupported != b.notKnownToBeSupported { return a.notKnownToBeSupported }
    if a.employees != b.employees { return a.employees > b.employees }
    let x = TextFolding.key(a.name)
    let y = TextFolding.key(b.name)
    if x != y { return x.utf8.lexicographicallyPrecedes(y.utf8) }
    return CountedEstablishment.canonicalOrder(a, b)
  }

  private func ratio(_ part: Int, _ whole: Int) -> Double { whole > 0 ? Double(part) / Double(whole) : 0 }
}
