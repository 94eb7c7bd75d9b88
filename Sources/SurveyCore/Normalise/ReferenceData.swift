// The reference tables of input/reference/, loaded once per run.
// The files are documented in input/reference/README.md; this type only reads
// them and checks the columns it needs.

import Foundation

/// A district-level unit of former Thái Bình.
public struct District: Sendable, Hashable {
  public var code: String
  public var name: String
  public var shortName: String
}

/// A commune, ward or township, before or after the 2025 merger.
public struct Commune: Sendable, Hashable {
  /// Whether the unit existed before 1 July 2025 or was formed then.
  public enum Era: String, Sendable { case legacy, from2025 }
  public var era: Era
  public var code: String
  public var name: String
  public var shortName: String
  /// Xã, Phường or Thị trấn.
  public var type: String
  /// The legacy districts it lies in: one, or two for a new commune that spans two.
  public var districtCodes: [String]
  /// For a 2025 commune, the codes of the legacy communes merged into it.
  public var legacyCodes: [String] = []
}

/// A name outside former Thái Bình (another province, district or commune).
public struct OutsidePlace: Sendable, Hashable {
  public var level: String
  public var name: String
  public var location: String
  /// How a reason names it: "Huyện Kim Động (Tỉnh Hưng Yên)".
  public var label: String { location.isEmpty ? name : "\(name) (\(location))" }
}

/// One spelling of a keyed value (an enterprise type, a sector, a need).
public struct Spelling: Sendable, Hashable {
  public var key: String
  public var written: String
}

/// Every reference table the normalise stage uses.
public struct ReferenceData: Sendable {
  public var districts: [District] = []
  public var districtAliases: [(alias: String, code: String)] = []
  public var communes: [Commune] = []
  /// Former (pre-2020) names of legacy communes, as compact keys.
  public var formerKeys: [(key: String, communeCode: String)] = []
  public var outside: [OutsidePlace] = []
  /// The province's own names as people write them (`province-names.csv`): "Tỉnh Thái Bình", "Hưng Yên", "Việt
  /// Nam" parts of a place cell name no district or commune and are dropped from it (`PlaceResolver.parts`).
  public var provinceNames: [String] = []
  public var enterpriseTypes: [Spelling] = []
  public var sectors: [Spelling] = []
  /// Need keys in the form's order.
  public var needKeys: [String] = []
  public var needs: [Spelling] = []
  /// `MatchKey(place:)` of every name the place index keys, made once at load for the check of the place names and
  /// for every resolver's index: keying the names is the costly part of both (the check keying them again took
  /// normalise on the samples from about 90 to 130 ms). A name not here (a table changed after loading) is keyed
  /// when it is indexed. By the name's bytes as the table writes it (`ExactText`): String's hash runs NFC over a
  /// Vietnamese name each time.
  var placeKeys: [ExactText: MatchKey] = [:]

  public init() {}

  /// The table of the province's own names, kept by hand: ingest reads it too, for a compilation's province heading.
  static let provinceNamesFile = "province-names.csv"

  /// The keys of a place name (`placeKeys`).
  func placeKey(_ written: String) -> MatchKey { placeKeys[ExactText(written)] ?? MatchKey(place: written) }

  /// Reads the tables from a reference directory, checking what the department edits by hand: a key or an
  /// alias that cannot mean one thing stops the run with its file and line, rather than rows quietly losing it.
  public static func load(from directory: URL) throws -> ReferenceData {
    var loading = Loading(directory)
    for step in Loading.Step.allCases { try loading.run(step) }
    return loading.data
  }

  /// `load`, one table at a time: each step reads one table into `data` (or, `placeNames`, checks the place
  /// tables' names against each other), so that `ReferenceCheck` can go on past a table's mistake to the next
  /// table, where `load` stops at the first. `load` runs every step in `Step`'s order, as it read the tables before
  /// the steps were split: the same work, the same first message.
  struct Loading {
    /// The steps in the order `load` runs them; each but `placeNames` reads the table `file` names.
    enum Step: CaseIterable {
      case districts, aliases, legacyCommunes, communes2025, outside, provinceNames, placeNames, enterpriseTypes
      case sectors, needs

      /// The table the step reads; nil for `placeNames`, whose mistake lies in the table its location names.
      var file: String? {
        switch self {
        case .districts: "districts.csv"
        case .aliases: "district-aliases.csv"
        case .legacyCommunes: "communes-legacy.csv"
        case .communes2025: "communes-2025.csv"
        case .outside: "outside-places.csv"
        case .provinceNames: ReferenceData.provinceNamesFile
        case .placeNames: nil
        case .enterpriseTypes: "enterprise-types.csv"
        case .sectors: "sectors.csv"
        case .needs: "needs.csv"
        }
      }

      /// Whether the step takes its district codes from `districts.csv` (read by `districts`).
      var needsDistrictCodes: Bool { [.aliases, .legacyCommunes, .communes2025].contains(self) }
    }

    let directory: URL
    var data = ReferenceData()
    /// Where each place name is written, by table row, for `checkPlaceNames`.
    private var placeLines = PlaceLines()
    /// The codes of `districts.csv`, once `districts` has read it.
    private var codes: Set<String> = []

    init(_ directory: URL) { self.directory = directory }

    mutating func run(_ step: Step) throws {
      switch step {
      case .districts: try districts()
      case .aliases: try aliases()
      case .legacyCommunes: try legacyCommunes()
      case .communes2025: try communes2025()
      case .outside: try outside()
      case .provinceNames: try provinceNames()
      case .placeNames: try placeNames()
      case .enterpriseTypes: try enterpriseTypes()
      case .sectors: try sectors()
      case .needs: try needs()
      }
    }

    private func records(
      _ name: String, _ columns: [String], filled: [String]
    ) throws -> [(line: Int, row: [String: String])] {
      try ReferenceTable.records(of: directory.appendingPathComponent(name), requiring: columns, filled: filled)
    }

    private mutating func districts() throws {
      for (line, row) in try records("districts.csv", ["code", "name", "short_name"], filled: []) {
        data.districts.append(District(code: row["code"]!, name: row["name"]!, shortName: row["short_name"]!))
        placeLines.districts.append(line)
      }
      codes = Set(data.districts.map(\.code))
    }

    private mutating func aliases() throws {
      var aliases = Spellings(file: "district-aliases.csv", place: true)
      for (line, row) in try records(
        "district-aliases.csv", ["alias", "district_code"], filled: ["alias", "district_code"])
      {
        let (alias, code) = (row["alias"]!, row["district_code"]!)
        guard codes.contains(code) else {
          throw PipelineError(
            .badInput, "alias \"\(alias)\" names district code \(code), which districts.csv does not have",
            at: InputLocation(file: "district-aliases.csv", line: line))
        }
        try aliases.claim(alias, for: code, line: line)
        data.districtAliases.append((alias, code))
        placeLines.aliases.append(line)
      }
    }

    /// A commune's districts must be districts.csv's: rows of a commune with another code would be counted in a
    /// district of that bare number, in a section of its own.
    private func checkDistricts(_ districts: [String], _ row: [String: String], _ file: String, _ line: Int) throws {
      let commune = "commune \"\(row["name"]!)\""
      if districts.isEmpty {
        throw PipelineError(
          .badInput, "\(commune) has no district code: give the code of its district in districts.csv",
          at: InputLocation(file: file, line: line))
      }
      if let unknown = districts.first(where: { !codes.contains($0) }) {
        throw PipelineError(
          .badInput, "\(commune) names district code \(unknown), which districts.csv does not have",
          at: InputLocation(file: file, line: line))
      }
    }

    private mutating func legacyCommunes() throws {
      for (line, row) in try records(
        "communes-legacy.csv", ["code", "name", "short_name", "type", "district_code", "former_keys"], filled: [])
      {
        let districts = row["district_code"]!.isEmpty ? [] : [row["district_code"]!]
        try checkDistricts(districts, row, "communes-legacy.csv", line)
        data.communes.append(
          Commune(
            era: .legacy, code: row["code"]!, name: row["name"]!, shortName: row["short_name"]!,
            type: row["type"]!, districtCodes: districts))
        placeLines.communes.append(InputLocation(file: "communes-legacy.csv", line: line))
        for key in list(row["former_keys"]!) {
          data.formerKeys.append((key, row["code"]!))
          placeLines.formers.append(line)
        }
      }
    }

    private mutating func communes2025() throws {
      for (line, row) in try records(
        "communes-2025.csv", ["code", "name", "short_name", "type", "district_codes"], filled: [])
      {
        let districts = list(row["district_codes"]!)
        try checkDistricts(districts, row, "communes-2025.csv", line)
        data.communes.append(
          Commune(
            era: .from2025, code: row["code"]!, name: row["name"]!, shortName: row["short_name"]!,
            type: row["type"]!, districtCodes: districts, legacyCodes: list(row["legacy_codes"] ?? "")))
        placeLines.communes.append(InputLocation(file: "communes-2025.csv", line: line))
      }
    }

    private mutating func outside() throws {
      for (line, row) in try records("outside-places.csv", ["level", "name", "short_name", "in"], filled: []) {
        data.outside.append(OutsidePlace(level: row["level"]!, name: row["name"]!, location: row["in"]!))
        data.outside.append(OutsidePlace(level: row["level"]!, name: row["short_name"]!, location: row["in"]!))
        placeLines.outside += [line, line]
      }
    }

    private mutating func provinceNames() throws {
      for (_, row) in try records(provinceNamesFile, ["name"], filled: ["name"]) {
        data.provinceNames.append(row["name"]!)
      }
    }

    /// Keys every place name once (`placeKeys`) and checks that no two places are one name to matching.
    private mutating func placeNames() throws {
      let placeNames = PlaceIndex.keyedNames(of: data)
      for name in placeNames where name.source.isNamed && data.placeKeys[ExactText(name.written)] == nil {
        data.placeKeys[ExactText(name.written)] = MatchKey(place: name.written)
      }
      try checkPlaceNames(data, placeNames, placeLines)
    }

    private mutating func enterpriseTypes() throws {
      var types = Spellings(file: "enterprise-types.csv")
      let typeColumns = ["key", "name_vi", "name_en", "spelling"]
      for (line, row) in try records("enterprise-types.csv", typeColumns, filled: ["key", "name_vi", "spelling"]) {
        let key = row["key"]!
        guard Aggregates.typeOrder.contains(key) else {
          throw PipelineError(
            .badInput,
            "key \"\(key)\" is not one of the form's types (\(Aggregates.typeOrder.joined(separator: ", "))): "
              + "a new spelling goes in the spelling column of a row with one of these keys",
            at: InputLocation(file: "enterprise-types.csv", line: line))
        }
        for written in [row["spelling"]!, row["name_vi"]!, row["name_en"]!] {
          try types.claim(written, for: key, line: line)
          data.enterpriseTypes.append(Spelling(key: key, written: written))
        }
      }
    }

    private mutating func sectors() throws {
      var sectors = Spellings(file: "sectors.csv")
      for (line, row) in try records(
        "sectors.csv", ["key", "name_vi", "name_en", "aliases"], filled: ["key", "name_vi"])
      {
        let key = row["key"]!
        try sectors.claimKey(key, line: line)
        for written in [key, row["name_vi"]!, row["name_en"]!] + list(row["aliases"]!) {
          try sectors.claim(written, for: key, line: line)
          data.sectors.append(Spelling(key: key, written: written))
        }
      }
    }

    private mutating func needs() throws {
      var needs = Spellings(file: "needs.csv")
      let needColumns = ["key", "name_vi", "name_en", "short_vi", "aliases"]
      for (line, row) in try records("needs.csv", needColumns, filled: ["key", "name_vi"]) {
        let key = row["key"]!
        try needs.claimKey(key, line: line)
        data.needKeys.append(key)
        for written in [key, row["name_vi"]!, row["name_en"]!, row["short_vi"]!] + list(row["aliases"]!) {
          try needs.claim(written, for: key, line: line)
          data.needs.append(Spelling(key: key, written: written))
        }
      }
    }
  }

  /// The lines of the place tables' rows, in the order `ReferenceData` holds them.
  private struct PlaceLines {
    var districts: [Int] = []
    var aliases: [Int] = []
    /// Legacy communes, then 2025 communes, as `communes` holds them.
    var communes: [InputLocation] = []
    /// The legacy commune row of each former name.
    var formers: [Int] = []
    /// Two entries a row, as `outside` holds its name and short name.
    var outside: [Int] = []

    func location(of source: PlaceIndex.KeyedName.Source) -> InputLocation {
      switch source {
      case .district(let row): InputLocation(file: "districts.csv", line: districts[row])
      case .alias(let row): InputLocation(file: "district-aliases.csv", line: aliases[row])
      case .commune(let index): communes[index]
      case .former(let row): InputLocation(file: "communes-legacy.csv", line: formers[row])
      case .outside(let index): InputLocation(file: "outside-places.csv", line: outside[index])
      }
    }
  }

  /// Place names are matched with a syllable's final i or y after a consonant as one letter (`MatchKey(place:)`):
  /// two names of different places that differ only so would each find both places, a cell of either asked about
  /// or put in the other's district. An edit that makes such a pair (a commune "Hồng Lí" of another district
  /// beside Vũ Thư's Hồng Lý) stops the run with both lines, as a spelling for two keys does.
  private static func checkPlaceNames(
    _ data: ReferenceData, _ names: [PlaceIndex.KeyedName], _ lines: PlaceLines
  ) throws {
    guard let collision = PlaceIndex.iyCollisions(names, keys: data.placeKeys).first else { return }
    func describe(_ place: PlaceIndex.KeyedName.Place) -> String {
      switch place {
      case .district(let code): "district \(code)"
      case .commune(let index): "commune \(data.communes[index].code)"
      case .outside(let level, let location): "\(level) in \(location), outside the province"
      }
    }
    let (first, second) = (collision.first, collision.second)
    let earlier = lines.location(of: first.source)
    throw PipelineError(
      .badInput,
      "\"\(second.written)\" (\(describe(second.place))) and \"\(first.written)\" (\(describe(first.place)), "
        + "\(earlier.file) line \(earlier.line)) are one name to matching, where a syllable's final i or y after a "
        + "consonant is one letter (Lý and Lí, Mỹ and Mĩ): a cell written either way would find both places. One "
        + "place keeps to one row; two places named so cannot be told apart (input/reference/README.md)",
      at: lines.location(of: second.source))
  }

  /// Who owns each spelling of a table, to refuse one spelling for two keys (it would match neither, silently)
  /// and one key on two rows.
  private struct Spellings {
    let file: String
    /// Place names compare as places (prefixes aside), other spellings as text.
    var place = false
    /// By the folded spelling's bytes (`ExactText`), which `MatchKey` writes the same for equivalent spellings.
    private var owners: [ExactText: (key: String, line: Int, written: String)] = [:]
    private var keyLines: [String: Int] = [:]

    init(file: String, place: Bool = false) {
      self.file = file
      self.place = place
    }

    /// Compared as the matcher compares them, with a syllable's final i and y as one (`MatchKey(place:)`,
    /// `MatchKey(spelling:)`), so that "Kĩ thuật" on one row and "Kỹ thuật" on another are refused too.
    mutating func claim(_ written: String, for key: String, line: Int) throws {
      let folded = (place ? MatchKey(place: written) : MatchKey(spelling: written)).tone
      guard !folded.isEmpty else { return }
      if let owner = owners[ExactText(folded)], owner.key != key {
        let same =
          place
          ? MatchKey(place: owner.written, iyFolded: false).tone == MatchKey(place: written, iyFolded: false).tone
          : MatchKey(text: owner.written).tone == MatchKey(text: written).tone
        let what =
          same
          ? "\"\(written)\" is written for \(owner.key) on line \(owner.line)"
          : "\"\(written)\" is \"\(owner.written)\" to matching (a final i or y is one letter there), written for "
            + "\(owner.key) on line \(owner.line),"
        throw PipelineError(
          .badInput, what + " and for \(key) here: a spelling can mean only one, so keep it on one row",
          at: InputLocation(file: file, line: line))
      }
      if owners[ExactText(folded)] == nil { owners[ExactText(folded)] = (key, line, written) }
    }

    mutating func claimKey(_ key: String, line: Int) throws {
      if let first = keyLines[key] {
        throw PipelineError(
          .badInput, "key \"\(key)\" is already on line \(first): put all its spellings on that row",
          at: InputLocation(file: file, line: line))
      }
      keyLines[key] = line
    }
  }

  /// Splits a `;`-separated cell into trimmed, non-empty items.
  static func list(_ cell: String) -> [String] {
    cell.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }
}
