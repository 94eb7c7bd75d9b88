// One staged row (raw values as written) into canonical values, or the reason
// it cannot be counted. Holds the matchers and their per-distinct-value caches.

import Foundation

/// Canonical values of one countable row, in establishments.csv order.
public struct Establishment: Sendable {
  public static let header = [
    "source_file", "source_line", "tax_code", "name", "enterprise_type", "district_code", "district", "commune",
    "sector", "employees", "revenue_mvnd", "trainees", "support_requested_mvnd", "previously_supported",
    "survey_date", "needs",
    // Extras, after the contract's columns.
    "commune_code", "place_from", "place_match", "craft_village", "notes", "problems",
  ]
  public var cells: [String]
  public var dedup: DedupEntry
  public var fuzzy: Bool
  public var corrected: Bool
}

/// What became of one row.
public enum RowOutcome: Sendable {
  case counted(Establishment)
  /// review.csv cells; `fuzzy`/`corrected` tell the summary how far matching went.
  case review([String], fuzzy: Bool, corrected: Bool)
  /// Reason, column, value as written.
  case rejected(reason: String, column: String, value: String, corrected: Bool)
}

/// Normalises staged rows.
public final class RowNormaliser {
  public static let reviewHeader = [
    "source_file", "source_line", "reason", "column", "written", "suggestions", "name", "district", "commune",
    "tax_code",
  ]
  private let places: PlaceResolver
  private let types: SpellingMatcher
  private let sectors: SpellingMatcher
  private let needs: NeedParser
  private let districtNames: [String: String]

  public init(reference: ReferenceData, corrections: Corrections) {
    places = PlaceResolver(reference: reference, corrections: corrections)
    types = SpellingMatcher(reference.enterpriseTypes, column: "enterprise_type", corrections: corrections)
    sectors = SpellingMatcher(reference.sectors, column: "sector", corrections: corrections)
    needs = NeedParser(reference: reference, corrections: corrections)
    districtNames = Dictionary(reference.districts.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
  }

  /// Normalises one row; `value(key)` gives the staged cell of a form column.
  public func normalise(file: String, line: Int, _ value: (String) -> String) -> RowOutcome {
    let name = value("name")
    let dateText = value("survey_date")
    let date = SurveyDate.parse(dateText)
    let place = places.resolve(
      district: value("district"), commune: value("commune"), file: file,
      legacyOnly: date.map { $0 < SurveyDate.reform } ?? false)
    let type = value("enterprise_type").isEmpty ? nil : types.match(value("enterprise_type"), file: file)
    var corrected = place.tier == .correction || type?.tier == "correction"
    let fuzzy: Bool = if case .fuzzy = place.tier { true } else { false }

    var reasons: [(reason: String, column: String, value: String)] = []
    if name.isEmpty { reasons.append(("no establishment name", "name", "")) }
    switch place.outcome {
    case .missing, .outside: reasons.append((place.reason, place.column, place.written))
    default: break
    }
    if value("enterprise_type").isEmpty {
      reasons.append(("no enterprise type", "enterprise_type", ""))
    } else if type == nil {
      reasons.append(
        (
          "enterprise type matches none of company, cooperative, coop_group, household", "enterprise_type",
          value("enterprise_type")
        ))
    }
    if let first = reasons.first {
      return .rejected(
        reason: reasons.map(\.reason).joined(separator: "; "), column: first.column, value: first.value,
        corrected: corrected)
    }
    guard place.outcome == .resolved, let code = place.districtCode, let type else {
      return .review(
        [
          file, String(line), place.reason, place.column, place.written, place.suggestions.joined(separator: " | "),
          name, value("district"), value("commune"), value("tax_code"),
        ], fuzzy: fuzzy, corrected: corrected)
    }

    var problems: [String] = []
    if !place.reason.isEmpty { problems.append(place.reason) }
    var taxCode = ""
    switch TaxCode.read(value("tax_code")) {
    case .blank: break
    case .valid(let code): taxCode = code
    case .invalid(let written): problems.append("tax code not read: \(written)")
    }
    if !dateText.isEmpty && date == nil { problems.append("survey date not read: \(dateText)") }
    func number(_ key: String, _ parse: (String) -> VietnameseNumber?) -> String {
      let written = value(key)
      guard !written.isEmpty else { return "" }
      if let parsed = parse(written) { return parsed.text }
      problems.append("\(key) not read: \(written)")
      return ""
    }
    let employees = number("employees", VietnameseNumber.count)
    let revenue = number("revenue", VietnameseNumber.millionVND)
    let trainees = number("trainees", VietnameseNumber.count)
    let support = number("support_requested", VietnameseNumber.millionVND)
    var sector = ""
    if !value("sector").isEmpty {
      if let match = sectors.match(value("sector"), file: file) {
        sector = match.key
        corrected = corrected || match.tier == "correction"
      } else {
        problems.append("sector not recognised: \(value("sector"))")
      }
    }
    let previously: String
    switch needs.mark(value("previously_supported")) {
    case true?: previously = "yes"
    case false?: previously = value("previously_supported").isEmpty ? "" : "no"
    case nil:
      previously = ""
      problems.append("previously_supported not read: \(value("previously_supported"))")
    }
    var marks: [String: String] = [:]
    for key in needs.order { marks[key] = value("need_" + key) }
    let reading = needs.read(marks: marks, list: value("needs"), file: file)
    problems += reading.unmatched.map { "need not recognised: \($0)" }

    let commune = place.commune
    let identity = [TextFolding.key(name), code, commune?.code ?? TextFolding.key(value("commune"))]
      .joined(separator: "|")
    let cells = [
      file, String(line), taxCode, name, type.key, code, districtNames[code] ?? "", commune?.name ?? value("commune"),
      sector, employees, revenue, trainees, support, previously, date?.description ?? "",
      reading.keys.joined(separator: ";"),
      commune?.code ?? "", place.column, place.tier?.description ?? "", value("craft_village"), value("notes"),
      problems.joined(separator: "; "),
    ]
    return .counted(
      Establishment(
        cells: cells,
        dedup: DedupEntry(
          file: file, line: line, taxCode: taxCode.isEmpty ? nil : taxCode, date: date, identity: identity),
        fuzzy: fuzzy, corrected: corrected))
  }
}
