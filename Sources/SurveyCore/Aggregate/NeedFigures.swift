/// The sums behind one cell of the aggregates: a group of establishments, with or without one need.

/// Counts and sums over a set of establishments.
public struct NeedFigures: Sendable, Equatable {
  /// How many establishments.
  public var establishments = 0
  /// Their workers.
  public var employees = 0
  /// Workers they asked to have trained.
  public var trainees = 0
  /// How many of them wrote how many workers they want trained (`0` included): `trainees` is the sum of theirs.
  public var traineesStated = 0
  /// Support they asked for.
  public var supportRequested = Money.zero
  /// How many of them wrote an amount (`0` included): `supportRequested` is the sum of theirs alone.
  public var supportStated = 0
  /// How many of them are not known to have had khuyến công support before.
  public var notYetSupported = 0

  public init() {}

  public init(
    establishments: Int, employees: Int, trainees: Int, supportRequested: Money, notYetSupported: Int,
    supportStated: Int? = nil, traineesStated: Int? = nil
  ) {
    self.establishments = establishments
    self.employees = employees
    self.trainees = trainees
    self.supportRequested = supportRequested
    self.notYetSupported = notYetSupported
    self.supportStated = supportStated ?? (supportRequested == .zero ? 0 : establishments)
    self.traineesStated = traineesStated ?? (trainees == 0 ? 0 : establishments)
  }

  /// Adds one establishment.
  public mutating func add(_ establishment: CountedEstablishment) {
    establishments += 1
    employees += establishment.employees
    trainees += establishment.trainees
    if establishment.traineesStated { traineesStated += 1 }
    supportRequested = supportRequested + establishment.supportRequested
    if establishment.supportStated { supportStated += 1 }
    if establishment.notKnownToBeSupported { notYetSupported += 1 }
  }

  /// The figures of one establishment.
  init(of establishment: some EstablishmentRow) {
    establishments = 1
    employees = establishment.employees
    trainees = establishment.trainees
    traineesStated = establishment.traineesStated ? 1 : 0
    supportRequested = establishment.supportRequested
    supportStated = establishment.supportStated ? 1 : 0
    notYetSupported = establishment.notKnownToBeSupported ? 1 : 0
  }

  /// Adds the figures of other establishments.
  mutating func merge(_ other: NeedFigures) {
    establishments += other.establishments
    employees += other.employees
    trainees += other.trainees
    traineesStated += other.traineesStated
    supportRequested = supportRequested + other.supportRequested
    supportStated += other.supportStated
    notYetSupported += other.notYetSupported
  }

  /// The figures of a list of establishments.
  public static func of(_ list: some Sequence<CountedEstablishment>) -> NeedFigures {
    var figures = NeedFigures()
    for establishment in list { figures.add(establishment) }
    return figures
  }

  /// `part` as a percentage of `whole`, in tenths of a percent, rounded half up (exact: integers only).
  public static func tenthsOfPercent(_ part: Int, of whole: Int) -> Int {
    guard whole > 0 else { return 0 }
    return (part * 2000 + whole) / (2 * whole)
  }

  /// A percentage in tenths written plainly for a CSV: `25.0`, `33.3`.
  public static func plainPercent(_ tenths: Int) -> String { "\(tenths / 10).\(tenths % 10)" }
}
