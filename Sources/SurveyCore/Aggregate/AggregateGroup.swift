/// One group of counted establishments (a district, an enterprise type, a sector or the province) and its needs.

/// The figures of a group: all its surveyed establishments, and those with each need.
public struct AggregateGroup: Sendable, Equatable {
  /// The group's code or key (a district code, a type key, a sector as written; "" for the province).
  public var key: String
  /// Its Vietnamese display name.
  public var name: String
  /// Every surveyed establishment of the group, whatever its needs.
  public var surveyed: NeedFigures
  /// Need key → the group's establishments with that need. Needs nobody asked for are absent.
  public var byNeed: [String: NeedFigures]

  public init(key: String, name: String, surveyed: NeedFigures = NeedFigures(), byNeed: [String: NeedFigures] = [:]) {
    self.key = key
    self.name = name
    self.surveyed = surveyed
    self.byNeed = byNeed
  }

  /// The group's establishments with `need` (zero figures when nobody asked for it).
  public func figures(_ need: String) -> NeedFigures { byNeed[need] ?? NeedFigures() }

  /// The share of the group's surveyed establishments that asked for `need`, in tenths of a percent (for the CSVs;
  /// a whole percentage is rounded from the counts, `NumberFormat.percent(_:of:)`).
  public func shareTenths(_ need: String) -> Int {
    NeedFigures.tenthsOfPercent(figures(need).establishments, of: surveyed.establishments)
  }

  /// The needs in descending order of demand; ties by workers, then catalogue order. Absent needs are left out.
  public func needsByDemand(_ catalogue: NeedCatalogue) -> [String] {
    catalogue.keys.filter { figures($0).establishments > 0 }.sorted { a, b in
      let x = figures(a)
      let y = figures(b)
      if x.establishments != y.establishments { return x.establishments > y.establishments }
      if x.employees != y.employees { return x.employees > y.employees }
      return catalogue.position(a) < catalogue.position(b)
    }
  }
}
