/// One recommended support action: a need in a district (or in one sector of a district), scored and ranked.

/// A ranked support action with the figures behind its score and the establishments to approach first.
public struct Recommendation: Sendable, Equatable {
  /// 1 for the action to fund first.
  public var rank: Int
  public var districtCode: String
  /// The district's name as `establishments.csv` carries it.
  public var district: String
  public var need: String
  /// The sector key for a per-sector action ("" when the form left the sector blank); nil for a district action.
  public var sector: String?
  /// The establishments asking for the need in the action's district (and sector).
  public var figures: NeedFigures
  /// All surveyed establishments of the district (of the sector, for a per-sector action).
  public var surveyed: Int
  /// Each factor's contribution to the score, in points; they add up to the score.
  public var points: [ScoringWeights.Factor: Double]
  /// The score from 0 to 100 in tenths, which is what the ranking compares.
  public var scoreTenths: Int
  /// Establishments to approach first, in order.
  public var shortlist: [CountedEstablishment]

  public init(
    rank: Int = 0, districtCode: String, district: String, need: String, sector: String? = nil,
    figures: NeedFigures, surveyed: Int, points: [ScoringWeights.Factor: Double] = [:], scoreTenths: Int = 0,
    shortlist: [CountedEstablishment] = []
  ) {
    self.rank = rank
    self.districtCode = districtCode
    self.district = district
    self.need = need
    self.sector = sector
    self.figures = figures
    self.surveyed = surveyed
    self.points = points
    self.scoreTenths = scoreTenths
    self.shortlist = shortlist
  }

  /// What identifies the action from one run to the next: district, need and sector.
  public var actionKey: String { [districtCode, need, sector ?? "*"].joined(separator: "|") }

  /// The score written with one decimal and a point: `62.5`.
  public var plainScore: String { NeedFigures.plainPercent(scoreTenths) }

  /// Each factor's points in tenths, in `ScoringWeights.Factor.allCases` order, rounded so that they add up to
  /// `scoreTenths`, as a reader of `recommendations.csv` adds them (`LargestRemainder`). Each rounded on its own,
  /// the parts missed the score by a tenth in a third of the rows (18,3 + 14,6 + 18,3 + 3,8 + 10,0 = 65,0 against
  /// 64,9).
  public var pointsTenths: [Int] {
    LargestRemainder.whole(ScoringWeights.Factor.allCases.map { (points[$0] ?? 0) * 10 }, total: scoreTenths)
  }

  /// The share of the surveyed establishments (of the district or sector) asking for the need, in tenths of a percent.
  public var shareTenths: Int { NeedFigures.tenthsOfPercent(figures.establishments, of: surveyed) }
}
