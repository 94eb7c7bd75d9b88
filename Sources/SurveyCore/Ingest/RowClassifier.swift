/// Deciding what each record below the header is: a blank row, a totals row, a row of a signature block, a bad row
/// or a survey answer.

/// Classifies records of one file against its header.
struct RowClassifier {
  enum Outcome {
    case blank
    /// A totals row, or a compilation's group heading (`GroupHeadings`): skipped and counted as totals.
    case totals
    /// A heading of a signature block (`SignatureBlock.isPhrase`): skipped and counted.
    case signature
    /// A reject row: `source_file,source_line,stage,reason,column,value`.
    case rejected([String])
    /// A staged row: `source_file,source_line` then the form columns.
    case passed([String])
  }

  let file: String
  let schema: FormSchema
  let header: HeaderMatch
  let wording: RowWording
  /// Cells up to the last non-blank header cell: cells past it are trailing empty columns.
  private let width: Int
  private let stagedIndices: [Int?]
  /// The most times one column of the file is among `stagedIndices` (1 unless the header maps two keys to it).
  private let stagedRepeats: Int
  /// `source_file` as its CSV cell: the start of every staged line of this file.
  private let encodedFile: [UInt8]
  /// The line breaks in `source_file`, for the companion's line numbers.
  private let fileBreaks: Int
  /// The STT column's cell, if the file has one: a row that numbers nothing else is a blank row of a template.
  private let rowNumberIndex: Int?
  /// The cells of the district, the type and the needs list: a row with one of them filled is never a signer's name.
  private let answerIndices: Set<Int>
  /// The cells of the nine need columns, which hold marks (`x`, `có`): a person's name there is no mark, and is a
  /// signer's name when it stands under a heading of the block in its column (`isSignerNameRow`).
  private let markIndices: Set<Int>

  /// First cells that mark a totals row (folded).
  static let totalsLabels: Set<String> = ["tong cong", "cong", "tong", "tong so", "total", "grand total", "sum"]
  /// Beginnings of a longer totals label ("Tổng cộng toàn huyện", "Cộng (12 cơ sở)"), with their diacritics:
  /// folded, "Tổng công ty ..." (a corporation's name) would read as "Tổng cộng". `anyWordAfter`: any word may
  /// follow; otherwise only "toàn" ("Cộng toàn huyện") or something that is no word ("Cộng (12)", "Total: 5"),
  /// so that "Cộng đồng ..." and "Total Gas ..." stay names.
  static let totalsLabelStarts: [(start: String, anyWordAfter: Bool)] = [
    ("tổng cộng", true), ("tổng số", true), ("cộng", false), ("grand total", false), ("total", false),
  ]
  /// Words that may follow "Cộng" in a subtotal's label ("Cộng huyện Vũ Thư", "Cộng toàn huyện").
  static let subtotalWords = ["toàn", "huyện", "xã", "phường", "thị trấn", "thành phố", "tp", "tp.", "h.", "tx", "tt"]
  /// The longest first cell looked at as a totals label, in bytes.
  static let longestTotalsLabel = 80

  init(file: String, schema: FormSchema, header: HeaderMatch, wording: RowWording = .english) {
    self.file = file
    self.schema = schema
    self.wording = wording
    self.header = header
    width = header.width
    stagedIndices = FormSchema.stagedKeys.map { header.columnIndex[$0] }
    stagedRepeats = max(
      1, Dictionary(stagedIndices.compactMap { $0 }.map { ($0, 1) }, uniquingKeysWith: +).values.max() ?? 1)
    rowNumberIndex = header.columnIndex["row_no"]
    answerIndices = Set(
      header.columnIndex.filter { ["district", "enterprise_type", "needs"].contains($0.key) }.values)
    markIndices = Set(header.columnIndex.filter { $0.key.hasPrefix("need_") }.values).subtracting(answerIndices)
    encodedFile = Array(CSVWriter.quoted(file).utf8)
    var name = file
    fileBreaks = name.withUTF8 { UTF8Bytes.lineBreaks(in: UnsafeRawBufferPointer($0)) }
  }

  func classify(_ record: CSVRecord) -> Outcome {
    if record.isBlank { return .blank }
    let line = String(record.line)
    let cells = record.fields.map { Self.typedLineBreaksAsLineFeeds(TextFolding.nfc(TextFolding.trim($0))) }
    if let first = cells.first(where: { !$0.isEmpty }), Self.isTotalsLabel(first) { return .totals }
    if isNumberingOnly(cells) { return .blank }
    if isSignatureHeading(cells) { return .signature }
    func reject(_ reason: String, column index: Int?) -> Outcome {
      let column = index.map { headerName(at: $0) } ?? ""
      let value = index.map { String(cells[$0].prefix(200)) } ?? ""
      return .rejected([file, line, "ingest", reason, column, value])
    }
    if let bad = cells.firstIndex(where: { $0.unicodeScalars.contains("\u{FFFD}") }) {
      return reject(wording.invalidBytes, column: bad)
    }
    if let bad = cells.firstIndex(where: { $0.unicodeScalars.contains { Self.isControl($0) } }) {
      return reject(wording.controlCharacters, column: bad)
    }
    if let (kind, index) = groupHeading(cells) {
      if kind == .district { return .totals }
      return reject(wording.looksLikeGroupHeading(cells[index]), column: index)
    }
    let lastFilled = cells.lastIndex(where: { !$0.isEmpty }) ?? 0
    if lastFilled >= width {
      return reject(wording.beyondHeader(lastFilled + 1, width), column: lastFilled)
    }
    var row = [file, line]
    row.reserveCapacity(FormSchema.stagedKeys.count + 2)
    for index in stagedIndices {
      row.append(index.map { $0 < cells.count ? cells[$0] : "" } ?? "")
    }
    return .passed(row)
  }

  /// What became of a record read as bytes; a passed row is already written out.
  enum Disposition {
    case blank
    case totals
    case signature
    case rejected([String])
    case passed
  }

  /// Classifies `record` as `classify(_:)` does and appends a passed row to `output` as the line
  /// `CSVWriter.line` would write, making Strings only for the rare cell that needs Foundation.
  ///
  /// Any record that is not plainly a survey answer, a blank or a totals row (bad bytes, control characters
  /// including the vertical tab or form feed a typed line break leaves, cells past the header) goes through
  /// `classify(_:)` itself, so both paths give the same bytes.
  ///
  /// `wellFormedUTF8` turns false when a field of the record is not UTF-8 (every field is checked on the way).
  func classify(
    _ record: CSVRawRecord, cells: inout CellBuffer, appendingTo output: inout ByteBuffer, wellFormedUTF8: inout Bool
  ) -> Disposition {
    // For a caller with no companion to fill: the cells are noted in a batch of its own, dropped after.
    var fields = StagedRowsBatch()
    defer { fields.deallocate() }
    return classify(record, cells: &cells, appendingTo: &output, fields: &fields, wellFormedUTF8: &wellFormedUTF8)
  }

  /// As `classify(_:cells:appendingTo:wellFormedUTF8:)`, also noting a passed row's cells in `fields`, the
  /// companion's record of the line in `output`.
  func classify(
    _ record: CSVRawRecord, cells: inout CellBuffer, appendingTo output: inout ByteBuffer,
    fields: inout StagedRowsBatch, wellFormedUTF8: inout Bool
  ) -> Disposition {
    cells.removeAll()
    var firstFilled = -1
    var lastFilled = -1
    var filledCount = 0
    for index in 0..<record.count {
      guard cells.append(field: index, of: record) else {
        return classifyAsText(record, appendingTo: &output, fields: &fields, wellFormedUTF8: &wellFormedUTF8)
      }
      if cells.lastIsFilled {
        if firstFilled < 0 { firstFilled = index }
        lastFilled = index
        filledCount &+= 1
      }
    }
    if firstFilled < 0 { return .blank }
    // Past the header, or one cell alone beside its STT or none (a blank row numbered in advance, a totals label in
    // the STT cell, a compilation's group heading `I,,HUYỆN VŨ THƯ,,,`): as text. A survey answer has more cells.
    if lastFilled >= width || filledCount == 1 || (filledCount == 2 && firstFilled == rowNumberIndex) {
      return classifyAsText(record, appendingTo: &output, fields: &fields, wellFormedUTF8: &wellFormedUTF8)
    }
    return cells.withCells(of: record) { cell in
      let first = cell(firstFilled).bytes
      // "1" or "(1)" first: a survey row numbered 1, or a row numbering the columns, which the text path tells.
      // Compared byte by byte: `elementsEqual` with a String's UTF-8 view ran about 200 instructions a call.
      let isOne =
        (first.count == 1 && first[0] == UInt8(ascii: "1"))
        || (first.count == 3 && first[0] == UInt8(ascii: "(") && first[1] == UInt8(ascii: "1")
          && first[2] == UInt8(ascii: ")"))
      if isOne {
        return classifyAsText(record, appendingTo: &output, fields: &fields, wellFormedUTF8: &wellFormedUTF8)
      }
      if first.count <= Self.longestTotalsLabel && !(0x30...0x39).contains(first[0])
        && Self.isTotalsLabel(String(decoding: first, as: UTF8.self))
      {
        return .totals
      }
      // A row of few cells whose first is a heading of a signature block: the text path looks at them all. A
      // survey answer has more cells, or a number or a name first, so it is passed on below with no String made.
      if filledCount <= SignatureBlock.mostPhraseCells && Self.mayBeginPhrase(first)
        && SignatureBlock.isPhrase(String(decoding: first, as: UTF8.self))
      {
        return classifyAsText(record, appendingTo: &output, fields: &fields, wellFormedUTF8: &wellFormedUTF8)
      }
      encodedFile.withUnsafeBytes { fields.appendEncodedCell($0, breaks: fileBreaks, to: &output) }
      fields.appendDecimalCell(record.line, to: &output)
      // The staged cells hold at most the record's cells' bytes as often as one column is staged.
      fields.reserve(cells: stagedIndices.count, cellBytes: cells.byteCount * stagedRepeats, in: &output)
      for index in stagedIndices {
        if let index, index < record.count {
          let (bytes, traits) = cell(index)
          fields.appendReservedCell(
            bytes, needsQuotes: traits.contains(.needsQuotes), hasQuote: traits.contains(.quote), to: &output)
        } else {
          fields.appendReservedCell(  // an empty cell
            UnsafeRawBufferPointer(start: nil, count: 0), needsQuotes: false, hasQuote: false, to: &output)
        }
      }
      fields.endRecord(&output)
      return .passed
    }
  }

  private func classifyAsText(
    _ record: CSVRawRecord, appendingTo output: inout ByteBuffer, fields: inout StagedRowsBatch,
    wellFormedUTF8: inout Bool
  ) -> Disposition {
    let text = record.record
    if text.hasInvalidUTF8 { wellFormedUTF8 = false }
    switch classify(text) {
    case .blank: return .blank
    case .totals: return .totals
    case .signature: return .signature
    case .rejected(let row): return .rejected(row)
    case .passed(let row):
      for cell in row { fields.appendCell(cell, to: &output) }
      fields.endRecord(&output)
      return .passed
    }
  }

  /// True for the first cell of a totals row: `Tổng cộng`, `Cộng`, `Total`, or a longer label that starts as one
  /// (`Tổng cộng toàn huyện`, `Tổng cộng (5 cơ sở)`).
  static func isTotalsLabel(_ cell: String) -> Bool {
    guard cell.utf8.count <= longestTotalsLabel, let first = cell.utf8.first, !(0x30...0x39).contains(first) else {
      return false
    }
    if totalsLabels.contains(TextFolding.key(cell)) { return true }
    let text = cell.precomposedStringWithCanonicalMapping.lowercased().trimmingCharacters(in: .whitespaces)
    return totalsLabelStarts.contains { label in
      guard text.hasPrefix(label.start) else { return false }
      let rest = text.dropFirst(label.start.count)
      guard let next = rest.first else { return true }
      if next.isLetter { return false }  // "Tổng cộngx", "Totals": another word
      if next != " " { return true }
      let word = rest.drop { $0 == " " }
      // "Cộng xã viên …" (co-operative members) is a name.
      if label.start == "cộng" && word.hasPrefix("xã viên") { return false }
      return label.anyWordAfter || subtotalWords.contains { word.hasPrefix($0 + " ") || word == $0 }
        || (word.first.map { !$0.isLetter } ?? true)
    }
  }

  /// True for a row whose filled cells, one to `SignatureBlock.mostPhraseCells` of them, are all headings of a
  /// signature block: a place-and-date line, titles, instructions to sign. Such a row is no survey answer (it has
  /// no type nor district), wherever it stands, so skipping it hides nothing.
  private func isSignatureHeading(_ cells: [String]) -> Bool {
    var filled = 0
    for cell in cells where !cell.isEmpty {
      filled += 1
      if filled > SignatureBlock.mostPhraseCells || !SignatureBlock.isPhrase(cell) { return false }
    }
    return filled > 0
  }

  /// True for a record that may be a signer's name under a signature block's headings: one or two filled cells,
  /// each a person's name (`SignatureBlock.isSignerName`), none of them the district, the type or the needs list.
  /// Such a row would be rejected as an establishment without a type or district; whether it is skipped instead is
  /// for the caller, which knows what came above it and what comes after.
  ///
  /// A need's own column holds marks, and any other text there is read as the need wanted (`NeedParser`), so a
  /// name in it is taken for a signer's only where a signer's name is written: under a heading of the block in
  /// the same column (`headingColumns`, the columns of the block's headings so far), as `THỦ TRƯỞNG ĐƠN VỊ` and
  /// `Trần Thị Bình` stand in column K of a file whose need columns run from G to O. A mark (`Có Nhu Cầu`) is never
  /// a name.
  func isSignerNameRow(_ record: CSVRecord, headingColumns: Set<Int>) -> Bool {
    var filled = 0
    for (index, field) in record.fields.enumerated() {
      let cell = TextFolding.nfc(TextFolding.trim(field))
      if cell.isEmpty { continue }
      filled += 1
      if filled > SignatureBlock.mostNameCells || answerIndices.contains(index)
        || !SignatureBlock.isSignerName(cell)
      {
        return false
      }
      if markIndices.contains(index)
        && (!headingColumns.contains(index) || NeedParser.reading(mark: cell) != nil)
      {
        return false
      }
    }
    return filled > 0
  }

  /// The columns of `record`'s filled cells: for a heading of a signature block, where its signers' names go.
  func filledColumns(_ record: CSVRecord) -> Set<Int> {
    Set(record.fields.indices.filter { !TextFolding.isBlank(record.fields[$0]) })
  }

  /// A compilation's group heading (`GroupHeadings`): the kind and column of a row's one filled cell beside an STT
  /// that is a Roman numeral, a letter or blank; nil for any other row. The STT cell may be the heading itself,
  /// typed into the merged cells from the first column on.
  private func groupHeading(_ cells: [String]) -> (GroupHeadings.Kind, Int)? {
    var heading: Int?
    for index in cells.indices where !cells[index].isEmpty {
      if index == rowNumberIndex && GroupHeadings.isGroupNumber(cells[index]) { continue }
      if heading != nil { return nil }
      heading = index
    }
    guard let heading, let kind = schema.groupHeadings.kind(of: cells[heading]) else { return nil }
    return (kind, heading)
  }

  /// A first byte a heading may start with: a letter (ASCII or not) or a bracket, not a digit nor a sign.
  private static func mayBeginPhrase(_ cell: UnsafeRawBufferPointer) -> Bool {
    guard let byte = cell.first, cell.count <= SignatureBlock.longestPhrase else { return false }
    return byte >= 0x80 || (byte | 0x20) &- 0x61 < 26 || byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[")
  }

  /// True for a row of a template that holds nothing but numbers: its STT cell alone (a pre-numbered row left
  /// empty), or the row under the header that numbers the columns, `(1)`, `(2)`, `(3)`... or `1`, `2`, `3`...
  /// Neither is an establishment, nor an error: they are skipped as blank rows are.
  private func isNumberingOnly(_ cells: [String]) -> Bool {
    let filled = cells.indices.filter { !cells[$0].isEmpty }
    if filled.count == 1, filled[0] == rowNumberIndex { return Self.number(cells[filled[0]]) != nil }
    // Side by side from the first column filled: an incomplete survey row with 1, 2 and 3 here and there is not.
    guard filled.count >= 4, filled.last! - filled.first! == filled.count - 1 else { return false }
    return filled.enumerated().allSatisfy { position, index in Self.number(cells[index]) == position + 1 }
  }

  /// The number of a cell such as `3`, `(3)` or `3.`, else nil.
  private static func number(_ cell: String) -> Int? {
    var text = Substring(cell)
    if text.hasPrefix("(") && text.hasSuffix(")") { text = text.dropFirst().dropLast() }
    if text.hasSuffix(".") { text = text.dropLast() }
    guard !text.isEmpty, text.allSatisfy(\.isASCII) else { return nil }
    return Int(text).flatMap { $0 >= 0 ? $0 : nil }
  }

  private func headerName(at index: Int) -> String {
    if let key = header.columnIndex.first(where: { $0.value == index })?.key { return header.writtenHeader[key] ?? key }
    return wording.columnNumber(index + 1)
  }

  /// `cell` with each vertical tab (U+000B) or form feed (U+000C) a line feed. A line break typed in Word
  /// (Shift+Enter) and pasted into an Excel cell arrives as one of them, in free-text cells such as Ghi chú or
  /// Tên cơ sở: it is the line break it stands for, not a control character that rejects the row. One byte for
  /// one, so a cell keeps its length.
  static func typedLineBreaksAsLineFeeds(_ cell: String) -> String {
    guard cell.utf8.contains(where: isTypedLineBreak) else { return cell }
    return String(decoding: cell.utf8.map { isTypedLineBreak($0) ? 0x0A : $0 }, as: UTF8.self)
  }

  private static func isTypedLineBreak(_ byte: UInt8) -> Bool { byte == 0x0B || byte == 0x0C }

  /// A control character that rejects its row: below U+0020 but for tab, LF and CR (and VT and FF, which
  /// `typedLineBreaksAsLineFeeds` has made line feeds by then), or DEL.
  private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0x7F
  }
}

/// The cells of one record as `classify(_:)` sees them (trimmed, NFC), reused from record to record.
///
/// A cell is a range of its field's bytes; only a cell that Foundation had to trim or normalise has bytes of
/// its own, kept in `owned`.
struct CellBuffer {
  private struct Cell {
    var field: Int
    var start: Int
    var end: Int
    var owned: Bool
    var traits: UTF8Bytes.CellTraits
  }

  /// Freed by `deallocate()`: appending to an `Array` checked its uniqueness for every cell.
  private var cells = PlainBuffer<Cell>(capacity: 64)
  private var owned: [UInt8] = []
  /// The bytes of the cells appended, in all.
  private(set) var byteCount = 0

  init() {}

  func deallocate() { cells.deallocate() }

  mutating func removeAll() {
    cells.removeAll()
    owned.removeAll(keepingCapacity: true)
    byteCount = 0
  }

  /// True when the last cell appended is not empty.
  var lastIsFilled: Bool { cells[cells.count - 1].end > cells[cells.count - 1].start }

  /// Appends the cell of field `index` of `record`: `TextFolding.nfc(TextFolding.trim(field))`.
  ///
  /// Returns false, appending nothing, when the field is not UTF-8 or its cell holds U+FFFD or a control
  /// character: the text path rejects such a row and says how, or, for a vertical tab or form feed (a typed
  /// line break), writes the cell with a line feed in its place. Trimming only removes white space, so a
  /// field that is not UTF-8 leaves bytes that are not UTF-8 in its cell.
  ///
  /// Inlined into the cell loop, with the NFC path for the few cells that need it out of line.
  @inline(__always)
  mutating func append(field index: Int, of record: CSVRawRecord) -> Bool {
    let field = record.field(index)
    let range = TextFolding.trimmedRange(field)
    let cell = UnsafeRawBufferPointer(rebasing: field[range])
    let found = UTF8Bytes.traits(of: cell)
    if !found.isDisjoint(with: [.invalid, .suspect]) { return false }
    if !found.contains(.maybeNotNFC) {
      cells.append(Cell(field: index, start: range.lowerBound, end: range.upperBound, owned: false, traits: found))
      byteCount &+= range.count
      return true
    }
    return appendNormalised(field: index, cell)
  }

  /// `append(field:of:)` of a cell that may not be NFC: its NFC form, kept in `owned`.
  private mutating func appendNormalised(field index: Int, _ cell: UnsafeRawBufferPointer) -> Bool {
    var text = TextFolding.nfc(String(decoding: cell, as: UTF8.self))
    return text.withUTF8 { utf8 in
      let cell = UnsafeRawBufferPointer(utf8)
      let found = UTF8Bytes.traits(of: cell)
      if !found.isDisjoint(with: [.invalid, .suspect]) { return false }
      cells.append(Cell(field: index, start: owned.count, end: owned.count + cell.count, owned: true, traits: found))
      byteCount &+= cell.count
      owned.append(bytes: cell)
      return true
    }
  }

  /// Calls `body` with a way to read cell `index` of `record` as bytes, with what `UTF8Bytes.traits` found.
  func withCells<Result>(
    of record: CSVRawRecord,
    _ body: ((Int) -> (bytes: UnsafeRawBufferPointer, traits: UTF8Bytes.CellTraits)) throws -> Result
  ) rethrows -> Result {
    try owned.withUnsafeBytes { owned in
      let cells = cells.values
      return try body { index in
        let cell = cells[index]
        let bytes = cell.owned ? owned : record.field(cell.field)
        return (UnsafeRawBufferPointer(rebasing: bytes[cell.start..<cell.end]), cell.traits)
      }
    }
  }
}
