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
  public var enterpriseTypes: [Spelling] = []
  public var sectors: [Spelling] = []
  /// Need keys in the form's order.
  public var needKeys: [String] = []
  public var needs: [Spelling] = []

  public init() {}

  /// Reads the tables from a reference directory, checking what the department edits by hand: a key or an
  /// alias that cannot mean one thing stops the run with its file and line, rather than rows quietly losing it.
  public static func load(from directory: URL) throws -> ReferenceData {
    var data = ReferenceData()
    func table(_ name: String, _ columns: [String]) throws -> [[String: String]] {
      try ReferenceTable.rows(of: directory.appendingPathComponent(name), requiring: columns)
    }
    func records(_ name: String, _ columns: [String], filled: [String]) throws -> [(line: Int, row: [String: String])] {
      try ReferenceTable.records(of: directory.appendingPathComponent(name), requiring: columns, filled: filled)
    }
    for row in try table("districts.csv", ["code", "name", "short_name"]) {
      data.districts.append(District(code: row["code"]!, name: row["name"]!, shortName: row["short_name"]!))
    }
    let codes = Set(data.districts.map(\.code))
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
    }
    /// A commune's districts must be districts.csv's: rows of a commune with another code would be counted in a
    /// district of that bare number, in a section of its own.
    func checkDistricts(_ districts: [String], _ row: [String: String], _ file: String, _ line: Int) throws {
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
    for (line, row) in try records(
      "communes-legacy.csv", ["code", "name", "short_name", "type", "district_code", "former_keys"], filled: [])
    {
      let districts = row["district_code"]!.isEmpty ? [] : [row["district_code"]!]
      try checkDistricts(districts, row, "communes-legacy.csv", line)
      data.communes.append(
        Commune(
          era: .legacy, code: row["code"]!, name: row["name"]!, shortName: row["short_name"]!,
          type: row["type"]!, districtCodes: districts))
      for key in list(row["former_keys"]!) { data.formerKeys.append((key, row["code"]!)) }
    }
    for (line, row) in try records(
      "communes-2025.csv", ["code", "name", "short_name", "type", "district_codes"], filled: [])
    {
      let districts = list(row["district_codes"]!)
      try checkDistricts(districts, row, "communes-2025.csv", line)
      data.communes.append(
        Commune(
          era: .from2025, code: row["code"]!, name: row["name"]!, shortName: row["short_name"]!,
          type: row["type"]!, districtCodes: districts, legacyCodes: list(row["legacy_codes"] ?? "")))
    }
    for row in try table("outside-places.csv", ["level", "name", "short_name", "in"]) {
      data.outside.append(OutsidePlace(level: row["level"]!, name: row["name"]!, location: row["in"]!))
      data.outside.append(OutsidePlace(level: row["level"]!, name: row["short_name"]!, location: row["in"]!))
    }
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
    return data
  }

  /// Who owns each spelling of a table, to refuse one spelling for two keys (it would match neither, silently)
  /// and one key on two rows.
  private struct Spellings {
    let file: String
    /// Place names compare as places (prefixes aside), other spellings as text.
    var place = false
    private var owners: [String: (key: String, line: Int, written: String)] = [:]
    private var keyLines: [String: Int] = [:]

    init(file: String, place: Bool = false) {
      self.file = file
      self.place = place
    }

    /// Compared as the matcher compares them: a place as a place, another spelling with its i and y as one
    /// (`MatchKey(spelling:)`), so that "Kĩ thuật" on one row and "Kỹ thuật" on another are refused too.
    mutating func claim(_ written: String, for key: String, line: Int) throws {
      let folded = (place ? MatchKey(place: written) : MatchKey(spelling: written)).tone
      guard !folded.isEmpty else { return }
      if let owner = owners[folded], owner.key != key {
        let same = place || MatchKey(text: owner.written).tone == MatchKey(text: written).tone
        let what =
          same
          ? "\"\(written)\" is written for \(owner.key) on line \(owner.line)"
          : "\"\(written)\" is \"\(owner.written)\" to matching (a final i or y is one letter there), written for "
            + "\(owner.key) on line \(owner.line),"
        throw PipelineError(
          .badInput, what + " and for \(key) here: a spelling can mean only one, so keep it on one row",
          at: InputLocation(file: file, line: line))
      }
      if owners[folded] == nil { owners[folded] = (key, line, written) }
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
