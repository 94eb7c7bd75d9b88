/// The survey form's columns, loaded from the department's reference tables `columns.csv` and `needs.csv`.
import Foundation

/// One column of the survey form.
public struct FormColumn: Sendable, Equatable {
  public var key: String
  public var headerVi: String
  public var headerEn: String
  /// `yes`, `no`, or `commune` (required unless the commune column is there).
  public var required: String
  public var aliases: [String]
}

/// One of the nine support contents.
public struct NeedDefinition: Sendable, Equatable {
  public var key: String
  public var nameVi: String
  public var nameEn: String
  public var shortVi: String
  public var aliases: [String]
}

/// The form as the pipeline reads it: which header spellings mean which column.
public struct FormSchema: Sendable {
  public var columns: [FormColumn]
  public var needs: [NeedDefinition]
  /// Folded header → column key (need columns as `need_<key>`).
  public private(set) var headerKeys: [String: String] = [:]
  /// `headerKey`s of the form's own headers (not aliases).
  private var formHeaderKeys: Set<String> = []
  /// The district names a compilation's group headings are told by (`I,,HUYỆN VŨ THƯ,,,`): none unless loaded.
  public var groupHeadings = GroupHeadings()

  /// The columns of `ingested.csv` after `source_file,source_line`, in order.
  public static let stagedKeys: [String] = [
    "tax_code", "name", "enterprise_type", "district", "commune", "craft_village", "sector", "employees", "revenue",
    "need_training", "need_management", "need_demo_model", "need_machinery", "need_clean_production",
    "need_marketing", "need_product_dev", "need_consulting", "need_cluster",
    "needs", "trainees", "support_requested", "previously_supported", "survey_date", "notes",
  ]

  /// The header of `ingested.csv`.
  public static var stagedHeader: [String] { ["source_file", "source_line"] + stagedKeys }

  public init(columns: [FormColumn], needs: [NeedDefinition]) {
    self.columns = columns
    self.needs = needs
    for column in columns {
      for spelling in [column.headerVi, column.headerEn] + column.aliases { add(spelling, column.key) }
      formHeaderKeys.formUnion([column.headerVi, column.headerEn].map(Self.headerKey))
    }
    for need in needs {
      for spelling in [need.nameVi, need.nameEn, need.shortVi] + need.aliases { add(spelling, "need_" + need.key) }
      formHeaderKeys.formUnion([need.nameVi, need.nameEn].map(Self.headerKey))
    }
  }

  private mutating func add(_ spelling: String, _ key: String) {
    let folded = Self.headerKey(spelling)
    if !folded.isEmpty && headerKeys[folded] == nil { headerKeys[folded] = key }
  }

  /// The comparison key of a header cell: no brackets, line breaks, case, diacritics or punctuation.
  public static func headerKey(_ header: String) -> String {
    TextFolding.key(TextFolding.removingBrackets(header))
  }

  /// The form column a header cell means, if any. Forms number their columns (`1. Đào tạo nghề`,
  /// `2) Nâng cao năng lực quản lý`, `a) Tư vấn, thông tin`): a leading item number is passed over.
  public func key(forHeader header: String) -> String? {
    headerKeys[foldedHeader(header)]
  }

  /// Whether a header cell is the form's own header of its column (Vietnamese or English), not an alias: when two
  /// columns of a file mean the same, the form's own wins.
  public func isFormHeader(_ header: String) -> Bool {
    formHeaderKeys.contains(foldedHeader(header))
  }

  /// The `headerKey` a header cell is read by: a need's name under the `needs` heading (`groupedNeedHeader`); else
  /// the header as written, or without its leading item number when only that names a form column (a header that
  /// names one as written is read so, as it was before numbers were passed over); else the part before a `/`
  /// (`alternativeHeader`).
  private func foldedHeader(_ header: String) -> String {
    if let need = groupedNeedHeader(header) { return need }
    let folded = plainHeader(header)
    guard headerKeys[folded] == nil, let first = alternativeHeader(header) else { return folded }
    return first
  }

  /// As `foldedHeader`, of the header as written or without its item number only.
  private func plainHeader(_ header: some StringProtocol) -> String {
    let folded = Self.headerKey(String(header))
    guard headerKeys[folded] == nil, let unnumbered = Self.removingItemNumber(String(header)) else { return folded }
    let refolded = Self.headerKey(String(unnumbered))
    return headerKeys[refolded] == nil ? folded : refolded
  }

  /// A need's column whose header carries the group heading it stands under on the form: the two rows of a merged
  /// header (`Nhu cầu hỗ trợ` over `Đào tạo nghề`, which `HeaderLocator` reads as the lower cell) flattened into one
  /// cell by hand (`Nhu cầu hỗ trợ - Đào tạo nghề`, `Nhu cầu hỗ trợ: Đào tạo nghề`, `Nhu cầu hỗ trợ (Đào tạo
  /// nghề)`), or Google Forms' checkbox grid, which names each row of the grid after the question in square brackets
  /// (`Nhu cầu hỗ trợ [Đào tạo nghề]`, `Support needs [Vocational training]`). Read as the need's own column: the
  /// bracket is no unit here, and without this the whole header folds to the one-cell `needs` column. The heading and
  /// the need are each read as a header on its own (any spelling of `needs`, any of the need); anything else in
  /// brackets (`Nhu cầu hỗ trợ (ghi rõ)`) or after a dash is not a need, and the header is read as before. The need's
  /// `headerKey`, or nil.
  private func groupedNeedHeader(_ header: String) -> String? {
    guard header.contains(where: Self.groupSeparators.contains) else { return nil }
    func need(_ part: some StringProtocol) -> String? {
      let folded = plainHeader(part)
      return headerKeys[folded]?.hasPrefix("need_") == true ? folded : nil
    }
    func isNeedsHeading(_ part: some StringProtocol) -> Bool { headerKeys[plainHeader(part)] == "needs" }
    let (outside, notes) = TextFolding.splittingBrackets(header)
    if notes.count == 1, let folded = need(notes[0]), isNeedsHeading(outside) { return folded }
    // At each dash or colon in turn: an item number may come first (`9 - Nhu cầu hỗ trợ - Đào tạo nghề`), and a
    // need's name may hold a dash (`Máy móc - CGCN`).
    var index = header.startIndex
    while let mark = header[index...].firstIndex(where: Self.dashesAndColon.contains) {
      let rest = header[header.index(after: mark)...]
      if isNeedsHeading(header[..<mark]), let folded = need(rest) { return folded }
      index = header.index(after: mark)
    }
    return nil
  }

  /// Where a heading and a need's name part in one header cell.
  private static let dashesAndColon: Set<Character> = ["-", "\u{2013}", "\u{2014}", ":"]
  private static let groupSeparators = dashesAndColon.union(["(", "[", "{"])

  /// A header that names a column, then after a `/` an alternative the form does not have (`Tên cơ sở/hộ kinh
  /// doanh`, `Số lao động / người`): the `headerKey` of the part before the first `/`, when that names a column and
  /// no alternative names another (`Huyện/Xã` holds two places and is not read as either). Headers the form writes
  /// with slashes (`Xã/Phường/Thị trấn`) name their column whole and never come here.
  private func alternativeHeader(_ header: String) -> String? {
    let parts = header.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count > 1 else { return nil }
    let first = plainHeader(parts[0])
    guard let key = headerKeys[first] else { return nil }
    for part in parts.dropFirst() {
      if let other = headerKeys[plainHeader(part)], other != key { return nil }
    }
    return first
  }

  /// The header after a leading item number: one or two digits or a single letter, then `.` or `)` (`1. `,
  /// `12) `, `a) `), or the same in brackets (`(3) `), followed by white space and some text. A number may also
  /// end in `/` (`1/ Đào tạo nghề`), be spaced off by a dash (`1 - STT`, `2 – Đào tạo nghề`), or run into its
  /// text (`1.Đào tạo nghề`, `2)Nâng cao`): a letter's label may not (`a.b` is no item). Nil without one; a bare
  /// `(1)` (a template's row numbering the columns) has no text after its number, so it is nil too.
  static func removingItemNumber(_ header: String) -> Substring? {
    var rest = Substring(header).drop(while: \.isWhitespace)
    let bracketed = rest.first == "("
    if bracketed { rest = rest.dropFirst() }
    let digits = rest.prefix { ("0"..."9").contains($0) }.count
    let label = digits > 0 ? digits : (rest.first?.isLetter == true ? 1 : 0)
    guard (1...2).contains(label) else { return nil }
    rest = rest.dropFirst(label)
    let numbered = digits > 0 && !bracketed
    if numbered, rest.first == " ", rest.drop(while: { $0 == " " }).first.map(Self.itemDashes.contains) == true {
      rest = rest.drop(while: { $0 == " " })
    }
    guard let mark = rest.first else { return nil }
    let dash = numbered && Self.itemDashes.contains(mark)
    guard bracketed ? mark == ")" : mark == "." || mark == ")" || dash || (numbered && mark == "/") else { return nil }
    rest = rest.dropFirst()
    guard rest.first?.isWhitespace == true || (numbered && !dash && rest.first?.isLetter == true) else { return nil }
    let text = rest.drop(while: \.isWhitespace)
    return text.isEmpty ? nil : text
  }

  /// The dashes that part an item number from its header (`1 - STT`): hyphen-minus, en dash and em dash.
  private static let itemDashes: Set<Character> = ["-", "\u{2013}", "\u{2014}"]

  /// The Vietnamese header of a column key, for messages to analysts.
  public func displayName(_ key: String) -> String {
    if key.hasPrefix("need_"), let need = needs.first(where: { "need_" + $0.key == key }) { return need.nameVi }
    return columns.first { $0.key == key }?.headerVi ?? key
  }

  /// Loads `columns.csv` and `needs.csv` from the reference folder, and the district names of group headings
  /// (`GroupHeadings.load`). A header spelling given for two columns stops the run with its line: the first would
  /// win unsaid, and a file's column be read as the other.
  public static func load(from reference: URL) throws -> FormSchema {
    let columns = try columnsTable(in: reference)
    let needs = try needsTable(in: reference)
    try checkNames(columns: columns, needs: needs)
    var schema = FormSchema(columns: columns.columns, needs: needs.needs)
    schema.groupHeadings = try GroupHeadings.load(from: reference)
    return schema
  }

  /// `columns.csv` as ingest reads it: the first step of `load`, which `ReferenceCheck` runs on its own.
  static func columnsTable(in reference: URL) throws -> (table: CSVTable, columns: [FormColumn]) {
    let table = try ReferenceTable.read(reference.appendingPathComponent("columns.csv"))
    return (table, try columns(of: table))
  }

  /// `needs.csv` as ingest reads it: the second step of `load`.
  static func needsTable(in reference: URL) throws -> (table: CSVTable, needs: [NeedDefinition]) {
    let needTable = try ReferenceTable.read(reference.appendingPathComponent("needs.csv"))
    let n = try ["key", "name_vi", "name_en", "short_vi", "aliases"].map(needTable.index(of:))
    let needs = needTable.rows.map { row in
      NeedDefinition(
        key: needTable.value(row, n[0]), nameVi: needTable.value(row, n[1]), nameEn: needTable.value(row, n[2]),
        shortVi: needTable.value(row, n[3]), aliases: splitList(needTable.value(row, n[4])))
    }
    return (needTable, needs)
  }

  /// The check of `load` across the two tables: no spelling names two columns, and every column and need the
  /// stages write has its row. Its mistake is in the table its location names.
  static func checkNames(
    columns: (table: CSVTable, columns: [FormColumn]), needs: (table: CSVTable, needs: [NeedDefinition])
  ) throws {
    var claimed: [String: (key: String, place: String)] = [:]
    let spellings =
      zip(columns.columns, columns.table.rows).map { column, row in
        (column.key, [column.headerVi, column.headerEn] + column.aliases, "columns.csv", row.line)
      }
      + zip(needs.needs, needs.table.rows).map { need, row in
        ("need_" + need.key, [need.nameVi, need.nameEn, need.shortVi] + need.aliases, "needs.csv", row.line)
      }
    for (key, written, file, line) in spellings {
      for spelling in written {
        let folded = headerKey(spelling)
        guard !folded.isEmpty else { continue }
        if let earlier = claimed[folded], earlier.key != key {
          throw PipelineError(
            .badInput,
            "header \"\(spelling)\" is written for \(key) here and for \(earlier.key) on \(earlier.place): a "
              + "spelling may name one column only; keep it on the row of the column it means",
            at: InputLocation(file: file, line: line))
        }
        claimed[folded] = claimed[folded] ?? (key, "\(file) line \(line)")
      }
    }
    let missing = stagedKeys.filter { key in
      key.hasPrefix("need_")
        ? !needs.needs.contains { "need_" + $0.key == key } : !columns.columns.contains { $0.key == key }
    }
    if let need = missing.first(where: { $0.hasPrefix("need_") }) {
      throw PipelineError(
        .badInput,
        "the form's need '\(need.dropFirst("need_".count))' has no row: restore it (the form asks all nine; "
          + "a new spelling goes in an existing row's aliases)", at: InputLocation(file: "needs.csv", line: 1))
    }
    guard missing.isEmpty else {
      throw PipelineError(
        .badInput,
        "the form's columns \(missing.joined(separator: ", ")) have no row: restore them (a new spelling goes in an "
          + "existing row's aliases)", at: InputLocation(file: "columns.csv", line: 1))
    }
  }

  /// Loads `columns.csv` alone: the form's columns and their names, for a reader that needs no more of it.
  public static func columns(from reference: URL) throws -> [FormColumn] {
    try columnsTable(in: reference).columns
  }

  private static func columns(of table: CSVTable) throws -> [FormColumn] {
    let c = try ["key", "header_vi", "header_en", "required", "aliases"].map(table.index(of:))
    return table.rows.map { row in
      FormColumn(
        key: table.value(row, c[0]), headerVi: table.value(row, c[1]), headerEn: table.value(row, c[2]),
        required: table.value(row, c[3]), aliases: splitList(table.value(row, c[4])))
    }
  }

  /// Splits a `;`-separated list cell into trimmed, non-empty items.
  public static func splitList(_ cell: String) -> [String] {
    cell.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }
}
