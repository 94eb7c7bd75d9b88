/// Reads `establishments.csv`, the normalise stage's output, checking every value the sums depend on.
import Foundation

/// Loads the counted establishments of a run, in canonical order (file name, then line).
public enum EstablishmentsReader {
  /// The columns the report stages need; normalise may write more after them.
  public static let requiredColumns = [
    "source_file", "source_line", "tax_code", "name", "enterprise_type", "district_code", "district", "commune",
    "sector", "employees", "trainees", "support_requested_mvnd", "previously_supported", "needs",
  ]

  /// Reads `url`; a value that cannot be read is an error with its line, never a silent zero.
  public static func read(_ url: URL, needs catalogue: NeedCatalogue) throws -> [CountedEstablishment] {
    let file = url.lastPathComponent
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw PipelineError(
        .missingInput, "\(url.path) is missing: run survey-normalise on this run folder first")
    }
    var index: [String: Int] = [:]
    var surveyDateColumn: Int?
    var result: [CountedEstablishment] = []
    try CSVFile.forEachRow(
      url,
      header: { header in
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        let missing = requiredColumns.filter { index[$0] == nil }
        guard missing.isEmpty else {
          throw PipelineError(
            .badInput, "columns \(missing.joined(separator: ", ")) are missing: was it written by survey-normalise?",
            at: InputLocation(file: file, line: 1))
        }
        surveyDateColumn = index["survey_date"]
      },
      row: { record in
        let location = InputLocation(file: file, line: record.line)
        func cell(_ column: String) -> String {
          let position = index[column]!
          return position < record.fields.count ? record.fields[position].trimmingCharacters(in: .whitespaces) : ""
        }
        func whole(_ column: String) throws -> Int {
          let text = cell(column)
          if text.isEmpty { return 0 }
          guard let value = Int(text), value >= 0 else {
            throw PipelineError(.badInput, "\(column) '\(text)' is not a whole number", at: location)
          }
          return value
        }
        let sourceLine = cell("source_line")
        guard let line = Int(sourceLine) else {
          throw PipelineError(.badInput, "source_line '\(sourceLine)' is not a line number", at: location)
        }
        let districtCode = cell("district_code")
        guard !districtCode.isEmpty else {
          throw PipelineError(.badInput, "a counted establishment has no district_code", at: location)
        }
        let supportText = cell("support_requested_mvnd")
        guard let support = supportText.isEmpty ? Money.zero : Money(millionVND: supportText), support >= .zero else {
          throw PipelineError(
            .badInput, "support_requested_mvnd '\(supportText)' is not an amount in million VND", at: location)
        }
        let supportedText = cell("previously_supported")
        guard let supported = parseYesNo(supportedText) else {
          throw PipelineError(.badInput, "previously_supported '\(supportedText)' is neither yes nor no", at: location)
        }
        var needs: [String] = []
        for key in cell("needs").split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !key.isEmpty {
          guard catalogue.contains(key) else {
            throw PipelineError(.badInput, "need '\(key)' is not in needs.csv", at: location)
          }
          if !needs.contains(key) { needs.append(key) }
        }
        needs.sort { catalogue.position($0) < catalogue.position($1) }
        result.append(
          CountedEstablishment(
            sourceFile: cell("source_file"), sourceLine: line, taxCode: cell("tax_code"), name: cell("name"),
            enterpriseType: cell("enterprise_type"), districtCode: districtCode, district: cell("district"),
            commune: cell("commune"), sector: cell("sector"), employees: try whole("employees"),
            trainees: try whole("trainees"), supportRequested: support, previouslySupported: supported,
            surveyDate: surveyDateColumn.map { $0 < record.fields.count ? record.fields[$0] : "" } ?? "",
            needs: needs))
      })
    return result.sorted(by: CountedEstablishment.canonicalOrder)
  }

  /// A yes/no cell: `.some(nil)` for blank, nil when it is neither.
  static func parseYesNo(_ text: String) -> Bool?? {
    switch TextFolding.key(text) {
    case "": return .some(nil)
    case "yes", "true", "1", "co", "x": return .some(true)
    case "no", "false", "0", "khong": return .some(false)
    default: return nil
    }
  }
}
