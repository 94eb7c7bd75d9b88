/// Reads `establishments.csv`, the normalise stage's output, checking every value the sums depend on.
import Foundation

/// Loads the counted establishments of a run, in canonical order (file name, then line), or streams them.
public enum EstablishmentsReader {
  /// The columns the report stages need; normalise may write more after them.
  public static let requiredColumns = [
    "source_file", "source_line", "tax_code", "name", "enterprise_type", "district_code", "district", "commune",
    "sector", "employees", "trainees", "support_requested_mvnd", "previously_supported", "needs",
  ]

  /// Reads `url`; a value that cannot be read is an error with its line, never a silent zero.
  public static func read(_ url: URL, needs catalogue: NeedCatalogue) throws -> [CountedEstablishment] {
    var result: [CountedEstablishment] = []
    try forEach(url, needs: catalogue) { establishment, _ in result.append(establishment) }
    return result.sorted(by: CountedEstablishment.canonicalOrder)
  }

  /// Streams `url`: calls `body` with each establishment in file order and the catalogue positions of its needs
  /// (ascending, as `needs` lists them). Holds one row at a time; the checks and errors are `read`'s.
  public static func forEach(
    _ url: URL, needs catalogue: NeedCatalogue, _ body: (CountedEstablishment, [Int]) throws -> Void
  ) throws {
    let file = url.lastPathComponent
    try checkExists(url)
    var reader = RowReader(catalogue: catalogue, file: file)
    try CSVFile.forEachRow(
      url,
      header: { header in
        var index: [String: Int] = [:]
        let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        let missing = requiredColumns.filter { index[$0] == nil }
        guard missing.isEmpty else {
          throw PipelineError(
            .badInput, "columns \(missing.joined(separator: ", ")) are missing: was it written by survey-normalise?",
            at: InputLocation(file: file, line: 1))
        }
        reader.columns = requiredColumns.map { index[$0]! }
        reader.surveyDateColumn = index["survey_date"]
      },
      row: { record in
        let (establishment, needs) = try reader.establishment(record)
        try body(establishment, needs)
      })
  }

  /// Throws the missing-input error when there is no `establishments.csv` at `url`.
  public static func checkExists(_ url: URL) throws {
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw PipelineError(
        .missingInput, "\(url.path) is missing: run survey-normalise on this run folder first")
    }
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

  /// The required columns, by their place in `requiredColumns`.
  private enum Column: Int {
    case sourceFile, sourceLine, taxCode, name, enterpriseType, districtCode, district, commune, sector, employees
    case trainees, support, previouslySupported, needs
  }

  /// Reads rows into establishments. What a file spells the same way on many rows (needs lists, yes/no answers)
  /// is read once per spelling.
  ///
  /// A file has a few dozen spellings of each; the caches stop growing at `limit` entries, after which a new
  /// spelling is simply read again each time, so a hostile file cannot make them large.
  private struct RowReader {
    let catalogue: NeedCatalogue
    let file: String
    /// Positions of `requiredColumns` (same order), and of survey_date when there is one.
    var columns: [Int] = []
    var surveyDateColumn: Int?
    var needsCache: [String: (keys: [String], positions: [Int])] = [:]
    var yesNoCache: [String: Bool?] = [:]
    static let limit = 4096

    init(catalogue: NeedCatalogue, file: String) {
      self.catalogue = catalogue
      self.file = file
    }

    /// One row's establishment and the catalogue positions of its needs; a value that cannot be read is an error
    /// with its line.
    mutating func establishment(_ record: CSVRecord) throws -> (CountedEstablishment, [Int]) {
      let fields = record.fields
      let columns = self.columns
      let file = self.file
      func cell(_ column: Column) -> String {
        let position = columns[column.rawValue]
        return position < fields.count ? CellText.trimmingSpaces(fields[position]) : ""
      }
      func fail(_ message: String) -> PipelineError {
        PipelineError(.badInput, message, at: InputLocation(file: file, line: record.line))
      }
      func whole(_ column: Column) throws -> Int {
        let text = cell(column)
        if text.isEmpty { return 0 }
        guard let value = Int(text), value >= 0 else {
          throw fail("\(requiredColumns[column.rawValue]) '\(text)' is not a whole number")
        }
        return value
      }
      let sourceLine = cell(.sourceLine)
      guard let line = Int(sourceLine) else { throw fail("source_line '\(sourceLine)' is not a line number") }
      let districtCode = cell(.districtCode)
      guard !districtCode.isEmpty else { throw fail("a counted establishment has no district_code") }
      let supportText = cell(.support)
      guard let support = supportText.isEmpty ? Money.zero : Money(millionVND: supportText), support >= .zero else {
        throw fail("support_requested_mvnd '\(supportText)' is not an amount in million VND")
      }
      let supportedText = cell(.previouslySupported)
      guard let supported = yesNo(supportedText) else {
        throw fail("previously_supported '\(supportedText)' is neither yes nor no")
      }
      let needs = try self.needs(cell(.needs), fail)
      let establishment = CountedEstablishment(
        sourceFile: cell(.sourceFile), sourceLine: line, taxCode: cell(.taxCode), name: cell(.name),
        enterpriseType: cell(.enterpriseType), districtCode: districtCode, district: cell(.district),
        commune: cell(.commune), sector: cell(.sector), employees: try whole(.employees),
        trainees: try whole(.trainees), supportRequested: support, previouslySupported: supported,
        surveyDate: surveyDateColumn.map { $0 < fields.count ? fields[$0] : "" } ?? "", needs: needs.keys)
      return (establishment, needs.positions)
    }

    /// The needs of a `needs` cell, each once, in catalogue order, with their catalogue positions.
    mutating func needs(_ text: String, _ fail: (String) -> PipelineError) throws -> (
      keys: [String], positions: [Int]
    ) {
      if let known = needsCache[text] { return known }
      var needs: [String] = []
      for key in text.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !key.isEmpty {
        guard catalogue.contains(key) else { throw fail("need '\(key)' is not in needs.csv") }
        if !needs.contains(key) { needs.append(key) }
      }
      needs.sort { catalogue.position($0) < catalogue.position($1) }
      let result = (keys: needs, positions: needs.map(catalogue.position))
      if needsCache.count < Self.limit { needsCache[text] = result }
      return result
    }

    /// `parseYesNo`, once per spelling.
    mutating func yesNo(_ text: String) -> Bool?? {
      if let known = yesNoCache[text] { return .some(known) }
      guard let answer = parseYesNo(text) else { return nil }
      if yesNoCache.count < Self.limit { yesNoCache[text] = answer }
      return .some(answer)
    }
  }
}

/// Cell text helpers for the per-row code of the report stages.
enum CellText {
  /// `text.trimmingCharacters(in: .whitespaces)`, without Foundation when neither end is white space (nearly
  /// every cell): only then does the answer depend on Foundation's set, so it is asked only then.
  static func trimmingSpaces(_ text: String) -> String {
    let bytes = text.utf8
    guard let firstByte = bytes.first, let lastByte = bytes.last else { return text }
    // Both ends ASCII (codes, numbers, keys, most names): only space and tab trim.
    if firstByte < 0x80 && lastByte < 0x80 {
      if firstByte != 0x20 && firstByte != 0x09 && lastByte != 0x20 && lastByte != 0x09 { return text }
      return text.trimmingCharacters(in: .whitespaces)
    }
    let scalars = text.unicodeScalars
    if !mayBeSpace(scalars.first!) && !mayBeSpace(scalars.last!) { return text }
    return text.trimmingCharacters(in: .whitespaces)
  }

  private static let whitespaces = CharacterSet.whitespaces

  /// True for the scalars `CharacterSet.whitespaces` holds (tab, space and the Unicode space separators).
  private static func mayBeSpace(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.isASCII { return scalar == " " || scalar == "\t" }
    return whitespaces.contains(scalar)
  }
}
