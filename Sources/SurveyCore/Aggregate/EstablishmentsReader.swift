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
    /// The needs cell's spelling (a `Row` finds its need keys by it).
    var needs = CellSpelling.none
    /// The source file's spelling (not with `Detail.groups`), for the report's `SurveyPeriods`.
    var sourceFile = CellSpelling.none
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
    /// As `all`, but name, tax code, commune and need keys are left blank, and the district as with `groups`. The
    /// report reads rows as `Row`s (`forEachRow`), which make any text when asked.
    case deferred
  }

  /// `forEach`, making Strings of the text `detail` asks for.
  static func forEach(
    _ url: URL, needs catalogue: NeedCatalogue, detail: Detail, _ body: (CountedEstablishment, [Int]) throws -> Void
  ) throws {
    try forEachSpelled(url, needs: catalogue, detail: detail) { establishment, needs, _ in
      try body(establishment, needs)
    }
  }

  /// `forEach(_:needs:detail:_:)`, also handing over the spellings of the row's district code, enterprise type and
  /// sector, for `AggregatesBuilder.add(_:needs:spellings:)`.
  static func forEachSpelled(
    _ url: URL, needs catalogue: NeedCatalogue, detail: Detail,
    _ body: (CountedEstablishment, [Int], RowSpellings) throws -> Void
  ) throws {
    try forEachRecord(url, needs: catalogue, detail: detail) { reader, record in
      let (establishment, needs, spellings) = try reader.establishment(record)
      try body(establishment, needs, spellings)
    }
  }

  /// Streams `url` for the report stages: each row as a `Row`, which holds the row's figures, checked as `forEach` checks
  /// them, and makes its texts from its bytes only when asked. The report asks for a row's texts only where an
  /// answer is not known yet for their spellings, and makes the whole establishment only for the rows it keeps
  /// (those it names, and those without a tax code it compares with the previous run). A `CountedEstablishment`
  /// for every row, made and released, was a tenth of the report stage at 1,000,000 rows, and its name, tax code and
  /// commune a quarter before that.
  /// - Parameter taxKeys: `load` is given each plain tax code (`TaxKey.pack`) of the next rows, up to 64 of them,
  ///   before their rows come, while `wanted` says so: the report's comparison with the previous run loads their
  ///   slots in its table then, once it has one.
  ///
  /// With `Detail.groups` (the aggregate stage), the rows' survey dates and source files are not looked up, and
  /// `RowSpellings` has no spelling for them.
  static func forEachRow(
    _ url: URL, needs catalogue: NeedCatalogue, detail: Detail = .deferred, taxKeysAhead taxKeys: TaxKeysAhead? = nil,
    _ body: (Row, UnsafeBufferPointer<Int>, RowSpellings) throws -> Void
  ) throws {
    try forEachRecord(url, needs: catalogue, detail: detail, taxKeysAhead: taxKeys) { reader, record in
      let (figures, needs, spellings) = try reader.check(record)
      try body(
        Row(figures, record: record, columns: reader.columns, needs: spellings.needs, in: reader.needKeys), needs,
        spellings)
    }
  }

  /// Reads the header, then hands `body` the reader with each record.
  private static func forEachRecord(
    _ url: URL, needs catalogue: NeedCatalogue, detail: Detail, taxKeysAhead taxKeys: TaxKeysAhead? = nil,
    _ body: (inout RowReader, CSVRawRecord) throws -> Void
  ) throws {
    let file = url.lastPathComponent
    try checkExists(url)
    var reader = RowReader(catalogue: catalogue, file: file, detail: detail)
    defer { reader.deallocate() }
    // The columns' positions in memory of their own, so that a row (and a `Row`) reads them without retaining an
    // array: retains and releases were a quarter of the aggregate stage. After the required columns, survey_date's
    // (`Int.max` when there is none).
    let columns = UnsafeMutableBufferPointer<Int>.allocate(capacity: requiredColumns.count + 1)
    columns.initialize(repeating: 0)
    defer { columns.deallocate() }
    reader.columns = UnsafeBufferPointer(columns)
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
        columns[Column.surveyDate.rawValue] = index["survey_date"] ?? Int.max
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
      row: { record in try body(&reader, record) })
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

  /// The required columns, by their place in `requiredColumns`, then survey_date.
  fileprivate enum Column: Int {
    case sourceFile, sourceLine, taxCode, name, enterpriseType, districtCode, district, commune, sector, employees
    case trainees, support, previouslySupported, needs, surveyDate
  }

  /// What is given the tax codes of the rows ahead (`forEachRow`): `load` each code, while `wanted`.
  typealias TaxKeysAhead = (wanted: () -> Bool, load: (UInt64) -> Void)

  /// Need keys by the needs cell's bytes (their catalogue positions are the reader's: `RowReader.keepPositions`).
  typealias NeedsTable = BytesTable<[String]>

  /// The need keys of the rows: by the needs cell's bytes in `table`, and those of the row being read in `unkept`
  /// when its cell is too long for the table to keep (`RowSpellings.needs` is then `CellSpelling.none`).
  final class NeedKeys {
    let table = NeedsTable(limit: RowReader.limit, byteLimit: RowReader.tableBytes)
    var unkept: [String] = []
  }

  /// A row's figures, checked: what the reader hands on for every row, whatever is asked of its texts.
  struct Figures {
    var line: Int
    var employees: Int
    var trainees: Int
    /// The trainees cell was not blank.
    var traineesStated: Bool
    var support: Money
    /// The support cell was not blank.
    var supportStated: Bool
    var supported: Bool?
  }

  /// Reads rows into establishments from their bytes. What a file spells the same way on many rows (file names,
  /// districts, communes, types, sectors, dates, needs lists, yes/no answers) is read once per exact spelling;
  /// whole numbers and amounts written plainly are read from their digits. Anything else takes the String path
  /// the reader always had, so the values accepted and the errors (with their lines) stay the same.
  ///
  /// A file has a few dozen spellings of each; a table holds at most `limit` of them (`tableBytes` of keys, none
  /// longer than 256 bytes) and starts again empty when full, so a hostile file cannot make them large.
  fileprivate struct RowReader {
    let catalogue: NeedCatalogue
    let file: String
    let detail: Detail
    /// Positions of `requiredColumns` (same order), then of survey_date (`Int.max` when there is none).
    var columns = UnsafeBufferPointer<Int>(start: nil, count: 0)
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
    let needKeys = NeedKeys()
    /// `needKeys.table`, held here too: read through `needKeys`, it was retained and released once a row.
    let needsTable: NeedsTable
    /// The last row's source file: a file's rows come one after another, so its bytes are compared with the row
    /// before's before they are looked up.
    private var lastSourceFile: (bytes: [UInt8], spelling: CellSpelling) = ([], .none)
    let yesNoCache = BytesTable<Bool?>(limit: limit, byteLimit: tableBytes)
    /// The spellings the three tables gave for an enterprise_type, district_code and district written side by side,
    /// keyed by the three cells' bytes with the commas between them: a file has a few dozen such triples, and one
    /// lookup instead of three was a twentieth of the report stage. Emptied whenever one of the three tables starts
    /// again (its spellings are numbered anew), so what it holds is always what the tables would give.
    let triples = BytesTable<(type: CellSpelling, code: CellSpelling, district: CellSpelling)>(
      limit: limit, byteLimit: tableBytes)
    /// The three tables' generations when `triples` was last emptied.
    private var triplesMadeFrom = (0, 0, 0)
    /// The catalogue positions of each needs list `needsTable` keeps, side by side in memory of the reader's own:
    /// entry `e`'s count is at `positions[positionStarts[e]]`, its positions follow. A row's positions are handed
    /// on as a pointer into it, where the copy of the table's array cost a retain and a release a row (about 5% of
    /// the report stage at 1,000,000 rows). Freed by `deallocate()`.
    private var positions = PlainBuffer<Int>(capacity: 256)
    private var positionStarts = PlainBuffer<Int>(capacity: 64)
    /// `needsTable`'s generation when the two were last emptied.
    private var positionsGeneration = 0
    /// The positions of the row whose needs cell the table did not keep (a long one).
    private var unkeptPositions = PlainBuffer<Int>(capacity: 16)

    static let limit = 4096
    static let tableBytes = 1 << 20

    init(catalogue: NeedCatalogue, file: String, detail: Detail) {
      self.catalogue = catalogue
      self.file = file
      self.detail = detail
      needsTable = needKeys.table
    }

    /// One row's establishment, with the text `detail` asks for, and the catalogue positions of its needs; a value
    /// that cannot be read is an error with its line.
    mutating func establishment(
      _ record: CSVRawRecord
    ) throws -> (CountedEstablishment, [Int], RowSpellings) {
      let (figures, positions, spellings) = try check(record)
      let all = detail == .all
      let columns = self.columns
      func bytes(_ column: Column) -> UnsafeRawBufferPointer { record.cell(column, at: columns) }
      /// The text of a cell: its table's value for the row's spelling when that is current, else made from its bytes.
      func text(_ column: Column, _ spelling: CellSpelling, _ table: BytesTable<String>) -> String {
        guard spelling.entry >= 0, spelling.generation == table.generation else {
          return column == .surveyDate
            ? CellText.string(bytes(column)) : CellText.trimmedString(bytes(column))
        }
        return table.value(at: spelling.entry)
      }
      func cell(_ column: Column) -> String { CellText.trimmedString(bytes(column)) }
      // Left blank but with `Detail.all`, as the documentation of `Detail` says: the positions come with the row.
      let needs =
        !all
        ? []
        : spellings.needs == .none
          ? needKeys.unkept : needKeys.table.value(at: spellings.needs.entry)
      let establishment = CountedEstablishment(
        sourceFile: detail == .groups ? "" : text(.sourceFile, spellings.sourceFile, sourceFiles),
        sourceLine: figures.line,
        taxCode: all ? cell(.taxCode) : "", name: all ? cell(.name) : "",
        enterpriseType: text(.enterpriseType, spellings.enterpriseType, enterpriseTypes),
        districtCode: text(.districtCode, spellings.districtCode, districtCodes),
        district: spellings.districtGiven ? text(.district, spellings.district, districts) : "",
        commune: all ? communes.value(bytes(.commune), orMake: CellText.trimmedString) : "",
        sector: text(.sector, spellings.sector, sectors), employees: figures.employees,
        trainees: figures.trainees, traineesStated: figures.traineesStated, supportRequested: figures.support,
        supportStated: figures.supportStated,
        previouslySupported: figures.supported,
        surveyDate: detail == .groups ? "" : text(.surveyDate, spellings.surveyDate, surveyDates), needs: needs)
      return (establishment, Array(positions), spellings)
    }

    /// Checks one row and finds the spellings of its cells, making no text but for a spelling met for the first
    /// time; a value that cannot be read is an error with its line. (`mutating` though it mostly reads: called on
    /// the captured reader in place, rather than on a copy that retains and releases every table, once a row.)
    ///
    /// The catalogue positions of the row's needs are handed over in the reader's own memory: valid until the next
    /// call, as the record is.
    mutating func check(_ record: CSVRawRecord) throws -> (Figures, UnsafeBufferPointer<Int>, RowSpellings) {
      // Only the columns are copied out of `self` (a pointer, nothing retained); the file and the catalogue are read
      // where they are needed (an error, a needs list not seen yet), not once a row.
      let columns = self.columns
      @inline(__always) func bytes(_ column: Column) -> UnsafeRawBufferPointer { record.cell(column, at: columns) }
      func cell(_ column: Column) -> String { CellText.trimmedString(bytes(column)) }
      func fail(_ message: String) -> PipelineError {
        PipelineError(.badInput, message, at: InputLocation(file: self.file, line: record.line))
      }
      /// The cell's whole number, 0 when blank; `stated` tells the two apart.
      func whole(_ column: Column, stated: UnsafeMutablePointer<Bool>? = nil) throws -> Int {
        let digits = bytes(column)
        if digits.isEmpty { return 0 }
        stated?.pointee = true
        if let value = CellText.plainWholeNumber(digits) { return value }
        let text = cell(column)
        if text.isEmpty {
          stated?.pointee = false
          return 0
        }
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
      if let tripleKey, let entry = triples.recentEntry(tripleKey) {
        (spellings.enterpriseType, spellings.districtCode, spellings.district) = triples.value(at: entry)
        // Given on the row that first met the spelling, as below; every row of `Detail.all`.
        spellings.districtGiven = detail == .all
      } else {
        let districtCode: String
        (districtCode, spellings.districtCode) = districtCodes.spelledValue(codeBytes, orMake: CellText.trimmedString)
        guard !districtCode.isEmpty else { throw fail("a counted establishment has no district_code") }
        spellings.enterpriseType = enterpriseTypes.spelling(of: typeBytes, orMake: CellText.trimmedString)
        let made: String?
        (spellings.district, made) = districts.spelling(districtBytes, orMake: CellText.trimmedString)
        spellings.districtGiven = detail == .all || made != nil
        // The tables may have started again, on this row or on one whose cells were not side by side.
        let now = (enterpriseTypes.generation, districtCodes.generation, districts.generation)
        if now != triplesMadeFrom {
          triples.removeAll()
          triplesMadeFrom = now
        }
        if let tripleKey, tripleKey.count <= 256, spellings.enterpriseType != .none, spellings.districtCode != .none,
          spellings.district != .none
        {
          triples.insert(tripleKey, (spellings.enterpriseType, spellings.districtCode, spellings.district))
        }
      }
      let support: Money
      var supportStated = true
      let supportBytes = bytes(.support)
      if supportBytes.isEmpty {
        support = .zero
        supportStated = false
      } else if let plain = Money(millionVNDBytes: supportBytes), plain >= .zero {
        support = plain
      } else {
        let supportText = cell(.support)
        supportStated = !supportText.isEmpty
        guard let value = supportText.isEmpty ? Money.zero : Money(millionVND: supportText), value >= .zero else {
          throw fail("support_requested_mvnd '\(supportText)' is not an amount in million VND")
        }
        support = value
      }
      // A spelling met before is looked up on its own: the closures that make a new one capture what an error
      // needs, which cost two retains and two releases a row each even when they were not called.
      let supportedBytes = bytes(.previouslySupported)
      let supported: Bool?
      if supportedBytes.isEmpty {
        supported = nil  // blank: no answer, as `parseYesNo` reads it, without a lookup
      } else if let known = yesNoCache.value(supportedBytes) {
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
      let positions: UnsafeBufferPointer<Int>
      if let entry = needsTable.recentEntry(needsBytes) {
        spellings.needs = CellSpelling(generation: needsTable.generation, entry: entry)
        positions = keptPositions(entry)
      } else {
        let made: [String]?
        (spellings.needs, made) = try needsTable.spelling(needsBytes) { bytes in
          try Self.needs(CellText.trimmedString(bytes), self.catalogue, fail)
        }
        if spellings.needs == .none {
          // A needs cell not kept (a long one): its keys and positions stay with the reader until the next such row.
          needKeys.unkept = made!
          unkeptPositions.removeAll()
          for key in made! { unkeptPositions.append(catalogue.position(key)) }
          positions = unkeptPositions.values
        } else {
          if let made { keepPositions(of: made, entry: spellings.needs.entry) }
          positions = keptPositions(spellings.needs.entry)
        }
      }
      if detail != .groups {
        spellings.surveyDate = surveyDates.spelling(of: bytes(.surveyDate), orMake: CellText.string)
        spellings.sourceFile = sourceFile(bytes(.sourceFile))
      }
      spellings.sector = sectors.spelling(of: bytes(.sector), orMake: CellText.trimmedString)
      var traineesStated = false
      let trainees = try whole(.trainees, stated: &traineesStated)
      let figures = Figures(
        line: line, employees: try whole(.employees), trainees: trainees, traineesStated: traineesStated,
        support: support,
        supportStated: supportStated, supported: supported)
      return (figures, positions, spellings)
    }

    /// Notes the catalogue positions of `keys`, the needs list the table has just kept as `entry`, emptying what was
    /// noted when the table has started again since (its entries are numbered anew from 0).
    private mutating func keepPositions(of keys: [String], entry: Int) {
      if positionsGeneration != needsTable.generation {
        positions.removeAll()
        positionStarts.removeAll()
        positionsGeneration = needsTable.generation
      }
      precondition(entry == positionStarts.count, "a needs list was kept out of turn")
      positionStarts.append(positions.count)
      positions.append(keys.count)
      for key in keys { positions.append(catalogue.position(key)) }
    }

    /// The catalogue positions of the needs list the table keeps as `entry`, where `keepPositions` noted them.
    @inline(__always)
    private func keptPositions(_ entry: Int) -> UnsafeBufferPointer<Int> {
      precondition(positionsGeneration == needsTable.generation, "the positions of an earlier table were read")
      let start = positionStarts[entry]
      return UnsafeBufferPointer(start: positions.base + start + 1, count: positions.base[start])
    }

    /// Frees the positions' memory; the reader is not used after.
    func deallocate() {
      positions.deallocate()
      positionStarts.deallocate()
      unkeptPositions.deallocate()
    }

    /// The spelling of a row's `source_file` cell: the row before's when the bytes are the same.
    private mutating func sourceFile(_ bytes: UnsafeRawBufferPointer) -> CellSpelling {
      let last = lastSourceFile.bytes
      if !bytes.isEmpty, bytes.count == last.count, lastSourceFile.spelling.generation == sourceFiles.generation,
        last.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
      {
        return lastSourceFile.spelling
      }
      let spelling = sourceFiles.spelling(of: bytes, orMake: CellText.trimmedString)
      lastSourceFile = (Array(bytes), spelling)
      return spelling
    }

    /// The needs of a `needs` cell, each once, in catalogue order.
    static func needs(_ text: String, _ catalogue: NeedCatalogue, _ fail: (String) -> PipelineError) throws -> [String]
    {
      var needs: [String] = []
      for key in text.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !key.isEmpty {
        guard catalogue.contains(key) else { throw fail("need '\(key)' is not in needs.csv") }
        if !needs.contains(key) { needs.append(key) }
      }
      needs.sort { catalogue.position($0) < catalogue.position($1) }
      return needs
    }
  }

  /// A row as the report stages read it (`forEachRow`): its figures, and the texts of its cells made from its bytes
  /// when asked, as `forEach` would have made them. It reads the row's bytes, so it is valid only during the call
  /// that hands it over; it holds nothing counted by reference, so handing it on costs no retain or release.
  struct Row: EstablishmentRow {
    private let figures: Figures
    private let record: CSVRawRecord
    /// Positions of `requiredColumns`, then of survey_date.
    private let columns: UnsafeBufferPointer<Int>
    /// Where the row's need keys are kept (`RowSpellings.needs`), in the reader's table, which outlives the call.
    private let needs: CellSpelling
    private let needKeys: Unmanaged<NeedKeys>

    fileprivate init(
      _ figures: Figures, record: CSVRawRecord, columns: UnsafeBufferPointer<Int>, needs: CellSpelling,
      in needKeys: NeedKeys
    ) {
      self.figures = figures
      self.record = record
      self.columns = columns
      self.needs = needs
      // Not retained: the reader holds the table for as long as the rows are read.
      self.needKeys = Unmanaged.passUnretained(needKeys)
    }

    private func bytes(_ column: Column) -> UnsafeRawBufferPointer { record.cell(column, at: columns) }

    private func cell(_ column: Column) -> String { CellText.trimmedString(bytes(column)) }

    var sourceFile: String { cell(.sourceFile) }
    var sourceLine: Int { figures.line }
    var taxCode: String { cell(.taxCode) }
    var name: String { cell(.name) }
    var enterpriseType: String { cell(.enterpriseType) }
    var districtCode: String { cell(.districtCode) }
    var district: String { cell(.district) }
    var commune: String { cell(.commune) }
    var sector: String { cell(.sector) }
    var employees: Int { figures.employees }
    var trainees: Int { figures.trainees }
    var traineesStated: Bool { figures.traineesStated }
    var supportRequested: Money { figures.support }
    var supportStated: Bool { figures.supportStated }
    var previouslySupported: Bool? { figures.supported }
    /// As written (not trimmed); "" when the file has no survey_date column.
    var surveyDate: String { CellText.string(bytes(.surveyDate)) }

    /// `TaxKey.pack(taxCode)`, from the bytes when they are a plain code (as normalise writes them).
    var taxKey: UInt64? { TaxKey.pack(bytes: bytes(.taxCode)) ?? TaxKey.pack(taxCode) }

    /// The row's need keys, each once, in catalogue order.
    var needKeyList: [String] {
      let keys = needKeys.takeUnretainedValue()
      guard needs.entry >= 0 else { return keys.unkept }
      precondition(needs.generation == keys.table.generation, "a row was kept past its call")
      return keys.table.value(at: needs.entry)
    }

    var whole: CountedEstablishment {
      CountedEstablishment(
        sourceFile: sourceFile, sourceLine: sourceLine, taxCode: taxCode, name: name, enterpriseType: enterpriseType,
        districtCode: districtCode, district: district, commune: commune, sector: sector, employees: employees,
        trainees: trainees, traineesStated: traineesStated, supportRequested: supportRequested,
        supportStated: supportStated,
        previouslySupported: previouslySupported, surveyDate: surveyDate, needs: needKeyList)
    }
  }
}

extension CSVRawRecord {
  /// The bytes of `column` of a row of `establishments.csv`, `columns` being where the reader found each (the
  /// required ones, then survey_date): empty when the row ends before it.
  @inline(__always)
  fileprivate func cell(
    _ column: EstablishmentsReader.Column, at columns: UnsafeBufferPointer<Int>
  ) -> UnsafeRawBufferPointer {
    let position = columns[column.rawValue]
    return position < count ? field(position) : UnsafeRawBufferPointer(start: nil, count: 0)
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
