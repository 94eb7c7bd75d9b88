/// Scores and ranks support actions from the counted establishments: a transparent weighted sum.
import Foundation

/// Turns establishments into ranked recommendations.
///
/// For every district and need with at least `minimumEstablishments` asking (per sector, for needs that
/// `ActionUnits` groups by sector), each factor is a number from 0 to 1:
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
  /// Actions with fewer establishments asking are not recommended.
  public var minimumEstablishments: Int
  /// How many establishments each action names to approach first.
  public var shortlistSize: Int

  public init(
    needs: NeedCatalogue, labels: DisplayLabels, weights: ScoringWeights, plan: [PlanTarget],
    units: ActionUnits = ActionUnits(), minimumEstablishments: Int = 2, shortlistSize: Int = 5
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
    let list = establishments.sorted(by: CountedEstablishment.canonicalOrder)
    let aggregates = Aggregates.compute(list, labels: labels)
    var candidates: [(Recommendation, [CountedEstablishment])] = []
    for district in aggregates.districts {
      let inDistrict = list.filter { $0.districtCode == district.key }
      for need in needs.keys where district.figures(need).establishments > 0 {
        let asking = inDistrict.filter { $0.has(need) }
        if units.groupsBySector(need) {
          let sectors = Set(asking.map { Aggregates.sectorKey($0, labels) }).sorted {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
          }
          for sector in sectors {
            let members = asking.filter { Aggregates.sectorKey($0, labels) == sector }
            let surveyed = inDistrict.filter { Aggregates.sectorKey($0, labels) == sector }.count
            candidates.append((action(district, need, sector, members, surveyed), members))
          }
        } else {
          candidates.append((action(district, need, nil, asking, district.surveyed.establishments), asking))
        }
      }
    }
    candidates.removeAll { $0.0.figures.establishments < minimumEstablishments }
    let mostEstablishments = candidates.map(\.0.figures.establishments).max() ?? 0
    let mostWorkers = candidates.map(\.0.figures.employees).max() ?? 0
    let planNeeds = Set(plan.map(\.need).filter { !$0.isEmpty })
    var scored = candidates.map { candidate, members in
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
      recommendation.shortlist = Array(members.sorted(by: Self.approachFirst).prefix(shortlistSize))
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

  private func action(
    _ district: AggregateGroup, _ need: String, _ sector: String?, _ members: [CountedEstablishment], _ surveyed: Int
  ) -> Recommendation {
    Recommendation(
      districtCode: district.key, district: district.name, need: need, sector: sector,
      figures: NeedFigures.of(members), surveyed: surveyed)
  }

  private func ratio(_ part: Int, _ whole: Int) -> Double { whole > 0 ? Double(part) / Double(whole) : 0 }
}
