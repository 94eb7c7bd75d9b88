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
  ///
  /// Reads the binary companion (`establishments.rows`) when normalise wrote one and it is fresh, else the CSV:
  /// either way the cells come as bytes, and only the values that differ on every row become Strings.
  public static func forEach(
    _ url: URL, needs catalogue: NeedCatalogue, _ body: (CountedEstablishment, [Int]) throws -> Void
  ) throws {
    try forEach(url, needs: catalogue, detail: .all, body)
  }

  /// The spellings a row's district code, enterprise type, sector and survey date were read with (the reader's
  /// tables' `CellSpelling`s), for `AggregatesBuilder.add(_:needs:spellings:)` and the report's `SurveyPeriods`.
  struct RowSpellings {
    var districtCode = CellSpelling.none
    var enterpriseType = CellSpelling.none
    var sector = CellSpelling.none
    var surveyDate = CellSpelling.none
    /// The district name's spelling. Read with `Detail.groups` or `.deferred`, a row's `district` is its text only
    /// on the first row of each spelling (and for a spelling not kept), where `districtGiven` is true; it is blank
    /// on the others, which `AggregatesBuilder` counts by spelling.
    var district = CellSpelling.none
    var districtGiven = true
    /// The needs cell's spelling (`DeferredText.completing` gives the need keys of a row read without them).
    var needs = CellSpelling.none
  }

  /// Which text of a row becomes Strings.
  enum Detail {
    /// Every field of `CountedEstablishment`.
    case all
    /// What `AggregatesBuilder` reads: source file, name, tax code, commune and survey date are left blank rather
    /// than made into Strings no one reads, and so are the need keys (the catalogue positions come with the row)
    /// and the district but on the first row of its spelling (`RowSpellings.districtGiven`). Every cell is still
    /// checked as with `all`, so the errors are the same.
    case groups
    /// What the report reads of every row: as `all`, but name, tax code, commune and need keys are left blank, and
    /// the district as with `groups`, for the row's `DeferredText` to make when they are needed. Copying the
    /// district and the need keys into every row, and releasing them, was a tenth of the report stage at
    /// 1,000,000 rows.
    case deferred
  }

  /// `forEach`, making Strings of the text `detail` asks for.
  static func forEach(
    _ url: URL, needs catalogue: NeedCatalogue, detail: Detail, _ body: (CountedEstablishment, [Int]) throws -> Void
  ) throws {
    try forEachRow(url, needs: catalogue, detail: detail) { establishment, needs, _, _ in
      try body(establishment, needs)
    }
  }

  /// `forEach(_:needs:detail:_:)`, also handing over the spellings of the row's district code, enterprise type and
  /// sector, for `AggregatesBuilder.add(_:needs:spellings:)`.
  static func forEachSpelled(
    _ url: URL, needs catalogue: NeedCatalogue, detail: Detail,
    _ body: (CountedEstablishment, [Int], RowSpellings) throws -> Void
  ) throws {
    try forEachRow(url, needs: catalogue, detail: detail) { establishment, needs, _, spellings in
      try body(establishment, needs, spellings)
    }
  }

  /// Streams `url` for the report, which reads name, tax code and commune of only a few rows (those it keeps to
  /// name, and those without a tax code it compares with the previous run): each row comes with them left blank
  /// and with its `DeferredText`, which makes them from the row's bytes when asked. Making them for every row
  /// was a quarter of the report stage's time at 1,000,000 rows.
  /// - Parameter taxKeys: `load` is given each plain tax code (`TaxKey.pack`) of the next rows, up to 64 of them,
  ///   before their rows come, while `wanted` says so: the report's comparison with the previous run loads their
  ///   slots in its table then, once it has one.
  static func forEachDeferring(
    _ url: URL, needs catalogue: NeedCatalogue, taxKeysAhead taxKeys: TaxKeysAhead? = nil,
    _ body: (CountedEstablishment, [Int], DeferredText, RowSpellings) throws -> Void
  ) throws {
    try forEachRow(url, needs: catalogue, detail: .deferred, taxKeysAhead: taxKeys, body)
  }

  private static func forEachRow(
    _ url: URL, needs catalogue: NeedCatalogue, detail: Detail, taxKeysAhead taxKeys: TaxKeysAhead? = nil,
    _ body: (CountedEstablishment, [Int], DeferredText, RowSpellings) throws -> Void
  ) throws {
    let file = url.lastPathComponent
    try checkExists(url)
    var reader = RowReader(catalogue: catalogue, file: file, detail: detail)
    // The columns' positions in memory of their own, so that a row (and its `DeferredText`) reads them without
    // retaining an array: retains and releases were a quarter of the aggregate stage.
    let columns = UnsafeMutableBufferPointer<Int>.allocate(capacity: requiredColumns.count)
    columns.initialize(repeating: 0)
    defer { columns.deallocate() }
    reader.columns = UnsafeBufferPointer(columns)
    // Not retained: the reader holds the table for as long as the rows (and their `DeferredText`) are read.
    let needsTable = Unmanaged.passUnretained(reader.needsCache)
    try StagedRows.forEachRow(
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
        for (position, name) in requiredColumns.enumerated() { columns[position] = index[name]! }
        reader.surveyDateColumn = index["survey_date"]
        reader.typeAndDistrictAdjacent =
          columns[Column.districtCode.rawValue] == columns[Column.enterpriseType.rawValue] + 1
          && columns[Column.district.rawValue] == columns[Column.districtCode.rawValue] + 1
      },
      ahead: taxKeys.map { taxKeys in
        { group in
          guard taxKeys.wanted() else { return }
          let position = columns[Column.taxCode.rawValue]
          for record in group where position < record.count {
            if let key = TaxKey.pack(bytes: record.field(position)) { taxKeys.load(key) }
          }
        }
      },
      row: { record in
        let (establishment, needs, spellings) = try reader.establishment(record)
        try body(
          establishment, needs,
          DeferredText(record: record, columns: reader.columns, needs: spellings.needs, in: needsTable), spellings)
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
  fileprivate enum Column: Int {
    case sourceFile, sourceLine, taxCode, name, enterpriseType, districtCode, district, commune, sector, employees
    case trainees, support, previouslySupported, needs
  }

  /// What is given the tax codes of the rows ahead (`forEachDeferring`): `load` each code, while `wanted`.
  typealias TaxKeysAhead = (wanted: () -> Bool, load: (UInt64) -> Void)

  /// Need keys and catalogue positions by the needs cell's bytes.
  typealias NeedsTable = BytesTable<(keys: [String], positions: [Int])>

  /// Reads rows into establishments from their bytes. What a file spells the same way on many rows (file names,
  /// districts, communes, types, sectors, dates, needs lists, yes/no answers) is read once per exact spelling;
  /// whole numbers and amounts written plainly are read from their digits. Anything else takes the String path
  /// the reader always had, so the values accepted and the errors (with their lines) stay the same.
  ///
  /// A file has a few dozen spellings of each; a table holds at most `limit` of them (`tableBytes` of keys, none
  /// longer than 256 bytes) and starts again empty when full, so a hostile file cannot make them large.
  private struct RowReader {
    let catalogue: NeedCatalogue
    let file: String
    let detail: Detail
    /// Positions of `requiredColumns` (same order), and of survey_date when there is one.
    var columns = UnsafeBufferPointer<Int>(start: nil, count: 0)
    var surveyDateColumn: Int?
    /// enterprise_type, district_code and district are columns side by side, as normalise writes them.
    var typeAndDistrictAdjacent = false
    /// Trimmed text by the cell's bytes, one table per column.
    let sourceFiles = BytesTable<String>(limit: limit, byteLimit: tableBytes)
    let enterpriseTypes = BytesTable<String>(limit: limit, byteLimit: tableBytes)
    let districtCodes = BytesTable<String>(limit: limit, byteLimit: tableBytes)
    let districts = BytesTable<String>(limit: limit, byteLimit: tableBytes)
    let communes = BytesTable<String>(limit: limit, byteLimit: tableBytes)
    let sectors = BytesTable<String>(limit: limit, byteLimit: tableBytes)
    /// survey_date as written (it is not trimmed).
    let surveyDates = BytesTable<String>(limit: limit, byteLimit: tableBytes)
    let needsCache = NeedsTable(limit: limit, byteLimit: tableBytes)
    /// The last row's source file: a file's rows come one after another, so its bytes are compared with the row
    /// before's before they are looked up.
    private var lastSourceFile: (bytes: [UInt8], text: String) = ([], "")
    let yesNoCache = BytesTable<Bool?>(limit: limit, byteLimit: tableBytes)
    /// What the three tables gave for an enterprise_type, district_code and district written side by side, keyed
    /// by the three cells' bytes with the commas between them: a file has a few dozen such triples, and one lookup
    /// instead of three was a twentieth of the report stage. Emptied whenever one of the three tables starts again
    /// (its spellings are numbered anew), so what it holds is always what the tables would give.
    let triples = BytesTable<TypeAndDistrict>(limit: limit, byteLimit: tableBytes)
    /// The three tables' generations when `triples` was last emptied.
    private var triplesMadeFrom = (0, 0, 0)

    /// An enterprise type, district code and district as the three tables gave them (the district's spelling is
    /// `CellSpelling.none` for a reader of `Detail.all`, which does not hand it over).
    struct TypeAndDistrict {
      var type: String
      var typeSpelling: CellSpelling
      var code: String
      var codeSpelling: CellSpelling
      var district: String
      var districtSpelling: CellSpelling
    }
    static let limit = 4096
    static let tableBytes = 1 << 20

    init(catalogue: NeedCatalogue, file: String, detail: Detail) {
      self.catalogue = catalogue
      self.file = file
      self.detail = detail
    }

    /// One row's establishment and the catalogue positions of its needs; a value that cannot be read is an error
    /// with its line. (`mutating` though it only reads: called on the captured reader in place, rather than on a
    /// copy that retains and releases every table, once a row.)
    mutating func establishment(
      _ record: CSVRawRecord
    ) throws -> (CountedEstablishment, [Int], RowSpellings) {
      // Only the columns are copied out of `self` (a pointer, nothing retained); the file and the catalogue are read
      // where they are needed (an error, a needs list not seen yet), not once a row.
      let columns = self.columns
      @inline(__always) func bytes(_ column: Column) -> UnsafeRawBufferPointer {
        let position = columns[column.rawValue]
        return position < record.count ? record.field(position) : UnsafeRawBufferPointer(start: nil, count: 0)
      }
      func cell(_ column: Column) -> String { CellText.trimmedString(bytes(column)) }
      func fail(_ message: String) -> PipelineError {
        PipelineError(.badInput, message, at: InputLocation(file: self.file, line: record.line))
      }
      func whole(_ column: Column) throws -> Int {
        let digits = bytes(column)
        if digits.isEmpty { return 0 }
        if let value = CellText.plainWholeNumber(digits) { return value }
        let text = cell(column)
        if text.isEmpty { return 0 }
        guard let value = Int(text), value >= 0 else {
          throw fail("\(requiredColumns[column.rawValue]) '\(text)' is not a whole number")
        }
        return value
      }
      let line: Int
      if let plain = CellText.plainWholeNumber(bytes(.sourceLine)) {
        line = plain
      } else {
        let sourceLine = cell(.sourceLine)
        guard let value = Int(sourceLine) else { throw fail("source_line '\(sourceLine)' is not a line number") }
        line = value
      }
      var spellings = RowSpellings()
      let all = detail == .all
      let enterpriseType: String
      let districtCode: String
      let district: String
      // The three cells side by side: their bytes from the first cell's start to the last one's end, when exactly a
      // comma lies between each two (no cell quoted), are one key.
      let (typeBytes, codeBytes, districtBytes) = (bytes(.enterpriseType), bytes(.districtCode), bytes(.district))
      var tripleKey: UnsafeRawBufferPointer?
      if typeAndDistrictAdjacent, let first = typeBytes.baseAddress, let second = codeBytes.baseAddress,
        let third = districtBytes.baseAddress, first + typeBytes.count + 1 == second,
        second + codeBytes.count + 1 == third
      {
        tripleKey = UnsafeRawBufferPointer(start: first, count: third + districtBytes.count - first)
      }
      if let tripleKey, let entry = triples.entry(tripleKey) {
        let known = triples.value(at: entry)
        (enterpriseType, spellings.enterpriseType) = (known.type, known.typeSpelling)
        (districtCode, spellings.districtCode) = (known.code, known.codeSpelling)
        if all {
          district = known.district
        } else {
          // Given on the row that first met the spelling, as below.
          (spellings.district, spellings.districtGiven, district) = (known.districtSpelling, false, "")
        }
      } else {
        (districtCode, spellings.districtCode) = districtCodes.spelledValue(codeBytes, orMake: CellText.trimmedString)
        guard !districtCode.isEmpty else { throw fail("a counted establishment has no district_code") }
        (enterpriseType, spellings.enterpriseType) = enterpriseTypes.spelledValue(
          typeBytes, orMake: CellText.trimmedString)
        let districtText: String?
        if all {
          district = districts.value(districtBytes, orMake: CellText.trimmedString)
          districtText = district
        } else {
          let made: String?
          (spellings.district, made) = districts.spelling(districtBytes, orMake: CellText.trimmedString)
          spellings.districtGiven = made != nil
          district = made ?? ""
          districtText = spellings.district == .none ? nil : made ?? districts.value(at: spellings.district.entry)
        }
        if let tripleKey, let districtText {
          keepTriple(
            tripleKey,
            TypeAndDistrict(
              type: enterpriseType, typeSpelling: spellings.enterpriseType, code: districtCode,
              codeSpelling: spellings.districtCode, district: districtText, districtSpelling: spellings.district))
        }
      }
      let support: Money
      let supportBytes = bytes(.support)
      if supportBytes.isEmpty {
        support = .zero
      } else if let plain = Money(millionVNDBytes: supportBytes), plain >= .zero {
        support = plain
      } else {
        let supportText = cell(.support)
        guard let value = supportText.isEmpty ? Money.zero : Money(millionVND: supportText), value >= .zero else {
          throw fail("support_requested_mvnd '\(supportText)' is not an amount in million VND")
        }
        support = value
      }
      // A spelling met before is looked up on its own: the closures that make a new one capture what an error
      // needs, which cost two retains and two releases a row each even when they were not called.
      let supportedBytes = bytes(.previouslySupported)
      let supported: Bool?
      if let known = yesNoCache.value(supportedBytes) {
        supported = known
      } else {
        supported = try yesNoCache.value(supportedBytes) { bytes in
          let text = CellText.trimmedString(bytes)
          guard let answer = parseYesNo(text) else {
            throw fail("previously_supported '\(text)' is neither yes nor no")
          }
          return answer
        }
      }
      let needsBytes = bytes(.needs)
      let needKeys: [String]
      let positions: [Int]
      if let entry = needsCache.entry(needsBytes) {
        spellings.needs = CellSpelling(generation: needsCache.generation, entry: entry)
        if all {
          (needKeys, positions) = needsCache.value(at: entry)
        } else {
          (needKeys, positions) = ([], needsCache.value(at: entry).positions)
        }
      } else {
        let made: (keys: [String], positions: [Int])?
        (spellings.needs, made) = try needsCache.spelling(needsBytes) { bytes in
          try Self.needs(CellText.trimmedString(bytes), self.catalogue, fail)
        }
        // A needs cell not kept (a long one) keeps its keys: `DeferredText` has no entry to find them in.
        needKeys = all || spellings.needs == .none ? made!.keys : []
        positions = made!.positions
      }
      var surveyDate = ""
      if detail != .groups, let position = surveyDateColumn, position < record.count {
        (surveyDate, spellings.surveyDate) = surveyDates.spelledValue(record.field(position), orMake: CellText.string)
      }
      let sector: String
      (sector, spellings.sector) = sectors.spelledValue(bytes(.sector), orMake: CellText.trimmedString)
      let establishment = CountedEstablishment(
        sourceFile: detail == .groups ? "" : sourceFile(bytes(.sourceFile)),
        sourceLine: line,
        taxCode: all ? cell(.taxCode) : "", name: all ? cell(.name) : "",
        enterpriseType: enterpriseType,
        districtCode: districtCode, district: district,
        commune: all ? communes.value(bytes(.commune), orMake: CellText.trimmedString) : "",
        sector: sector, employees: try whole(.employees),
        trainees: try whole(.trainees), supportRequested: support, previouslySupported: supported,
        surveyDate: surveyDate, needs: needKeys)
      return (establishment, positions, spellings)
    }

    /// Keeps what the three tables gave for `key` (which `triples` does not hold), first emptying `triples` if one of
    /// the tables has started again since it was last emptied.
    private mutating func keepTriple(_ key: UnsafeRawBufferPointer, _ value: TypeAndDistrict) {
      let now = (enterpriseTypes.generation, districtCodes.generation, districts.generation)
      if now != triplesMadeFrom {
        triples.removeAll()
        triplesMadeFrom = now
      }
      guard key.count <= 256 else { return }
      triples.insert(key, value)
    }

    /// The source file of a row's `source_file` cell: the row before's when the bytes are the same.
    private mutating func sourceFile(_ bytes: UnsafeRawBufferPointer) -> String {
      let last = lastSourceFile.bytes
      if !bytes.isEmpty, bytes.count == last.count,
        last.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
      {
        return lastSourceFile.text
      }
      let text = sourceFiles.value(bytes, orMake: CellText.trimmedString)
      lastSourceFile = (Array(bytes), text)
      return text
    }

    /// The needs of a `needs` cell, each once, in catalogue order, with their catalogue positions.
    static func needs(_ text: String, _ catalogue: NeedCatalogue, _ fail: (String) -> PipelineError) throws -> (
      keys: [String], positions: [Int]
    ) {
      var needs: [String] = []
      for key in text.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !key.isEmpty {
        guard catalogue.contains(key) else { throw fail("need '\(key)' is not in needs.csv") }
        if !needs.contains(key) { needs.append(key) }
      }
      needs.sort { catalogue.position($0) < catalogue.position($1) }
      return (keys: needs, positions: needs.map(catalogue.position))
    }
  }
}

/// The name, tax code and commune of a row read with `EstablishmentsReader.Detail.deferred`, made into Strings
/// when asked. It reads the row's bytes, so it is valid only during the call that hands it over.
struct DeferredText {
  private let record: CSVRawRecord
  /// Positions of `EstablishmentsReader.requiredColumns`.
  private let columns: UnsafeBufferPointer<Int>
  /// Where the row's need keys are kept (`RowSpellings.needs`), in the reader's table, which outlives the call.
  private let needs: CellSpelling
  private let needsTable: Unmanaged<EstablishmentsReader.NeedsTable>

  fileprivate init(
    record: CSVRawRecord, columns: UnsafeBufferPointer<Int>, needs: CellSpelling,
    in needsTable: Unmanaged<EstablishmentsReader.NeedsTable>
  ) {
    self.record = record
    self.columns = columns
    self.needs = needs
    self.needsTable = needsTable
  }

  private func bytes(_ column: EstablishmentsReader.Column) -> UnsafeRawBufferPointer {
    let position = columns[column.rawValue]
    return position < record.count ? record.field(position) : UnsafeRawBufferPointer(start: nil, count: 0)
  }

  private func cell(_ column: EstablishmentsReader.Column) -> String { CellText.trimmedString(bytes(column)) }

  var taxCode: String { cell(.taxCode) }
  var name: String { cell(.name) }

  /// `TaxKey.pack(taxCode)`, from the bytes when they are a plain code (as normalise writes them).
  var taxKey: UInt64? { TaxKey.pack(bytes: bytes(.taxCode)) ?? TaxKey.pack(taxCode) }

  /// `establishment` (this row, read without them) with its name, tax code, commune, district and need keys.
  func completing(_ establishment: CountedEstablishment) -> CountedEstablishment {
    var complete = establishment
    complete.taxCode = taxCode
    complete.name = name
    complete.commune = cell(.commune)
    complete.district = cell(.district)
    if needs.entry >= 0 {
      let table = needsTable.takeUnretainedValue()
      precondition(needs.generation == table.generation, "a row's DeferredText was kept past its row")
      complete.needs = table.value(at: needs.entry).keys
    }
    return complete
  }
}

/// Cell text helpers for the per-row code of the report stages.
enum CellText {
  /// `text.trimmingCharacters(in: .whitespaces)`, asking Foundation only when an end may be white space.
  static func trimmingSpaces(_ text: String) -> String { TextFolding.trimmingWhiteSpace(text, newlines: false) }

  /// The bytes as a String; bytes that are not UTF-8 read as U+FFFD, as in `CSVRawRecord.record`.
  @inline(__always)
  static func string(_ bytes: UnsafeRawBufferPointer) -> String {
    String(
      decoding: UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count),
      as: UTF8.self)
  }

  /// `trimmingSpaces(string(bytes))`, without looking at the String when both end bytes are ASCII other than
  /// space and tab (nearly every cell), since then nothing trims.
  @inline(__always)
  static func trimmedString(_ bytes: UnsafeRawBufferPointer) -> String {
    guard let first = bytes.first, let last = bytes.last else { return "" }
    if first < 0x80 && last < 0x80 && first != 0x20 && first != 0x09 && last != 0x20 && last != 0x09 {
      return string(bytes)
    }
    return trimmingSpaces(string(bytes))
  }

  /// A cell of ASCII digits only (at most 18, so no overflow) as its number; nil for anything else, which the
  /// caller reads through `Int(String)` after trimming, as before.
  @inline(__always)
  static func plainWholeNumber(_ bytes: UnsafeRawBufferPointer) -> Int? {
    guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
    var value = 0
    for byte in bytes {
      let digit = byte &- UInt8(ascii: "0")
      guard digit < 10 else { return nil }
      value = value * 10 + Int(digit)
    }
    return value
  }
}
