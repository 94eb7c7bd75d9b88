// What the place resolver decided for one row, and why.

/// The district a row is counted under, or why it is not counted.
public struct PlaceResolution: Sendable, Hashable {
  /// The kind of answer.
  public enum Outcome: String, Sendable, Hashable {
    /// One district, counted.
    case resolved
    /// Two or more districts fit: an analyst decides (review.csv).
    case ambiguous
    /// Nothing in the reference fits: an analyst decides (review.csv).
    case unknown
    /// A place outside former Thái Bình: rejected.
    case outside
    /// Neither district nor commune given: rejected.
    case missing
  }

  public var outcome: Outcome
  public var districtCode: String?
  /// The commune when it is known for certain.
  public var commune: Commune?
  /// The column that decided or failed: `district` or `commune`.
  public var column: String
  /// What was written in that column.
  public var written: String
  /// How the deciding value was matched.
  public var tier: MatchTier?
  /// Why the row is not counted, or a remark on a counted row (a disagreement, a district not recognised).
  public var reason: String
  /// The nearest reference places, for the analyst.
  public var suggestions: [String]
  /// For a commune name that fits communes of several districts: those districts (so a district column can tell
  /// whether any of them is its own).
  var candidateDistricts: [String] = []
  /// The corrections entries (places in `Corrections.all`) the answer rests on. For a row's answer
  /// (`PlaceResolver.resolve`): those whose decision placed the row; `passedOver`, those found for its cells that
  /// did not (a commune cell decided to lie in another district than the district cell that stands).
  var decidedBy: [Int] = []
  var passedOver: [Int] = []

  static func resolved(
    _ code: String, commune: Commune?, column: String, written: String, tier: MatchTier, remark: String = ""
  ) -> PlaceResolution {
    PlaceResolution(
      outcome: .resolved, districtCode: code, commune: commune, column: column, written: written, tier: tier,
      reason: remark, suggestions: [])
  }

  static func failed(
    _ outcome: Outcome, column: String, written: String, reason: String, suggestions: [String] = []
  ) -> PlaceResolution {
    PlaceResolution(
      outcome: outcome, districtCode: nil, commune: nil, column: column, written: written, tier: nil,
      reason: reason, suggestions: suggestions)
  }

  /// The same answer with a remark added.
  func noting(_ remark: String) -> PlaceResolution {
    var copy = self
    copy.reason = copy.reason.isEmpty ? remark : copy.reason + "; " + remark
    return copy
  }
}
