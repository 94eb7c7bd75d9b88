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

  /// Reads the tables from a reference directory.
  public static func load(from directory: URL) throws -> ReferenceData {
    var data = ReferenceData()
    func table(_ name: String, _ columns: [String]) throws -> [[String: String]] {
      try ReferenceTable.rows(of: directory.appendingPathComponent(name), requiring: columns)
    }
    for row in try table("districts.csv", ["code", "name", "short_name"]) {
      data.districts.append(District(code: row["code"]!, name: row["name"]!, shortName: row["short_name"]!))
    }
    for row in try table("district-aliases.csv", ["alias", "district_code"]) {
      data.districtAliases.append((row["alias"]!, row["district_code"]!))
    }
    for row in try table("communes-legacy.csv", ["code", "name", "short_name", "type", "district_code", "former_keys"])
    {
      data.communes.append(
        Commune(
          era: .legacy, code: row["code"]!, name: row["name"]!, shortName: row["short_name"]!,
          type: row["type"]!, districtCodes: [row["district_code"]!]))
      for key in list(row["former_keys"]!) { data.formerKeys.append((key, row["code"]!)) }
    }
    for row in try table("communes-2025.csv", ["code", "name", "short_name", "type", "district_codes"]) {
      data.communes.append(
        Commune(
          era: .from2025, code: row["code"]!, name: row["name"]!, shortName: row["short_name"]!,
          type: row["type"]!, districtCodes: list(row["district_codes"]!)))
    }
    for row in try table("outside-places.csv", ["level", "name", "short_name", "in"]) {
      data.outside.append(OutsidePlace(level: row["level"]!, name: row["name"]!, location: row["in"]!))
      data.outside.append(OutsidePlace(level: row["level"]!, name: row["short_name"]!, location: row["in"]!))
    }
    for row in try table("enterprise-types.csv", ["key", "name_vi", "name_en", "spelling"]) {
      for written in [row["spelling"]!, row["name_vi"]!, row["name_en"]!] {
        data.enterpriseTypes.append(Spelling(key: row["key"]!, written: written))
      }
    }
    for row in try table("sectors.csv", ["key", "name_vi", "name_en", "aliases"]) {
      for written in [row["key"]!, row["name_vi"]!, row["name_en"]!] + list(row["aliases"]!) {
        data.sectors.append(Spelling(key: row["key"]!, written: written))
      }
    }
    for row in try table("needs.csv", ["key", "name_vi", "name_en", "short_vi", "aliases"]) {
      data.needKeys.append(row["key"]!)
      for written in [row["key"]!, row["name_vi"]!, row["name_en"]!, row["short_vi"]!] + list(row["aliases"]!) {
        data.needs.append(Spelling(key: row["key"]!, written: written))
      }
    }
    let codes = Set(data.districts.map(\.code))
    for (alias, code) in data.districtAliases where !codes.contains(code) {
      throw PipelineError(.badInput, "district-aliases.csv: alias \"\(alias)\" names unknown district code \(code)")
    }
    return data
  }

  /// Splits a `;`-separated cell into trimmed, non-empty items.
  static func list(_ cell: String) -> [String] {
    cell.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }
}
