/// Rounding parts so that they add up to their rounded total, as a reader adds them (the largest-remainder method).

/// Rounds parts of a whole so that the rounded parts add up to the rounded whole. Each part rounded on its own
/// misses the total now and then (18,3 + 14,6 + 18,3 + 3,8 + 10,0 = 65,0 against a score of 64,9; districts'
/// amounts adding up to 42,47 tỷ đồng under a total of 42,45), which a reader checking the figures takes for an
/// error. Every part is rounded down, and the units the rounding took off go one each to the parts that lost most,
/// the earlier part on a tie: deterministic, and no part moves by more than one unit.
public enum LargestRemainder {
  /// `floors` (each part rounded down) with one unit added to each of the `short` parts whose `losses` (what
  /// rounding down took off each) are largest, the earlier on a tie. Nothing is added when `short` is not above 0.
  public static func distribute<Loss: Comparable>(_ floors: [Int], losses: [Loss], short: Int) -> [Int] {
    guard short > 0 else { return floors }
    let byLoss = losses.indices.sorted { a, b in losses[a] != losses[b] ? losses[a] > losses[b] : a < b }
    var rounded = floors
    for index in byLoss.prefix(short) { rounded[index] += 1 }
    return rounded
  }

  /// Whole-number `parts` (none negative) each rounded to a number of `unit`s, adding up to their sum divided by
  /// `unit` and rounded half up, as a total is rounded on its own (`NumberFormat.money`).
  public static func units(_ parts: [Int], of unit: Int) -> [Int] {
    precondition(unit > 0, "a rounding unit is above 0")
    let floors = parts.map { $0 / unit }
    let total = (parts.reduce(0, +) + unit / 2) / unit
    return distribute(floors, losses: parts.map { $0 % unit }, short: total - floors.reduce(0, +))
  }

  /// `exact` values (none negative) each rounded to a whole number, adding up to `total`.
  public static func whole(_ exact: [Double], total: Int) -> [Int] {
    let floors = exact.map { Int($0.rounded(.down)) }
    return distribute(floors, losses: zip(exact, floors).map { $0 - Double($1) }, short: total - floors.reduce(0, +))
  }
}
