/// Ingests one survey file: encoding, delimiter, header, then every record accounted for.
import Foundation

/// What ingesting one file produced: its summary and its reject rows; its passed-on rows are already written.
struct IngestedFile {
  var summary: IngestFileSummary
  var rejects: [[String]]
  /// True when the file parsed to the end and every field of it was well-formed UTF-8.
  var wellFormedUTF8 = false
}

/// Reads one input file into staged rows; never throws for a bad file, which comes back set aside instead.
struct FileIngester {
  let schema: FormSchema
  let limits: IngestLimits
  /// The words of the reasons in rejects.csv.
  var wording = RowWording.english
  static let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
  /// Passed rows are handed to the writer in batches of about this many bytes.
  static let batchBytes = 1 << 18

  /// Ingests `url`, appending its passed rows to `staged`; a set-aside file's rows are taken back out of it.
  ///
  /// The file is read once for its digest and its rows alike. Without a byte-order mark it is parsed as UTF-8
  /// if its first chunk is; only when it turns out not to be all well-formed UTF-8 is it read again for the
  /// census that tells UTF-8 from Windows-1258, and parsed again if the census says Windows-1258.
  /// - Parameter sameNameAs: the file read of those whose names differ from this one's only in upper and lower
  ///   case or in how accents are encoded, and what tells the two apart: this one is set aside unread (unless it
  ///   cannot be opened anyway: a link is set aside as a link), since every later stage (and corrections.csv)
  ///   would take the two for one file.
  func ingest(
    _ url: URL, into staged: StagedOutput, sameNameAs earlier: (name: String, stamps: FileProblem.TwinStamps?)? = nil
  ) throws -> IngestedFile {
    let name = url.lastPathComponent
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    var summary = IngestFileSummary(file: name, bytes: size)
    if let problem = InputFileCheck.problem(with: url) { return setAside(summary, problem, line: nil) }
    if let earlier { return setAside(summary, .sameName(as: earlier.name, stamps: earlier.stamps), line: nil) }
    guard size > 0 else {
      summary.status = .empty
      summary.record(.emptyFile)
      return IngestedFile(summary: summary, rejects: [])
    }
    guard size <= limits.maxFileBytes else {
      return setAside(summary, .tooLarge(bytes: size, limit: limits.maxFileBytes), line: nil)
    }
    guard let input = InputBytes(path: url.path, name: name) else {
      return setAside(summary, .cannotOpen, line: nil)
    }
    var prefix: [UInt8] = []
    if let piece = try input.nextPiece() { prefix = Array(piece) }
    if let marked = EncodingSniffer.byteOrderMark(prefix) ?? EncodingSniffer.unmarkedUTF16(prefix) {
      var result = try read(input, prefix: prefix, encoding: marked, summary: summary, into: staged)
      result.summary.sha256 = try input.finish()
      return result
    }
    if EncodingSniffer.looksBinary(prefix) {
      summary.sha256 = try input.finish()
      return setAside(summary, .binary, line: 1)
    }
    // A file whose first chunk is not UTF-8 gets the census first, as it always did.
    let prefixIsUTF8 = prefix.withUnsafeBytes {
      UTF8Bytes.isValid($0, allowingTruncatedEnd: prefix.count == InputBytes.pieceSize)
    }
    guard prefixIsUTF8 else {
      let encoding = try input.census()
      var result = try read(input, prefix: prefix, encoding: encoding, summary: summary, into: staged)
      result.summary.sha256 = try input.finish()
      return result
    }
    // Otherwise read as UTF-8 first. A file that parses to the end with every field well-formed UTF-8 is one
    // the census would call UTF-8 (it finds no malformed byte, and every byte outside the fields is ASCII
    // syntax); only for any other file is the census taken, and the file read again if it says Windows-1258.
    let mark = staged.mark()
    var result = try read(input, prefix: prefix, encoding: .utf8, summary: summary, into: staged)
    let sha256 = try input.finish()
    let encoding = result.wellFormedUTF8 ? .utf8 : try input.census()
    if encoding != .utf8 {
      try staged.rollBack(to: mark)
      result = try read(input, prefix: prefix, encoding: encoding, summary: summary, into: staged)
    }
    result.summary.sha256 = sha256
    return result
  }

  /// A file none of whose rows is used: it is accounted for by its one reject row.
  private func setAside(_ summary: IngestFileSummary, _ problem: FileProblem, line: Int?) -> IngestedFile {
    var summary = summary
    summary.status = .setAside
    summary.record(problem)
    (summary.rowsRead, summary.rowsPassed, summary.rowsRejected) = (0, 0, 0)
    (summary.rowsSkippedBlank, summary.rowsSkippedTotals, summary.rowsSkippedSignature) = (0, 0, 0)
    summary.problemLine = line
    // A warning such as "counted with no needs", or the units amounts are converted from, is about rows that are
    // no longer used.
    (summary.warnings, summary.warningDetails, summary.moneyUnits) = ([], nil, nil)
    let reject = [summary.file, String(line ?? 0), "ingest", wording.fileSetAside(problem), "", ""]
    return IngestedFile(summary: summary, rejects: [reject])
  }

  /// Finds the layout of a file in a known encoding and parses it from the start, writing its passed rows.
  private func read(
    _ input: InputBytes, prefix: [UInt8], encoding: TextEncoding, summary: IngestFileSummary,
    into staged: StagedOutput
  ) throws -> IngestedFile {
    var summary = summary
    let name = summary.file
    summary.encoding = encoding.rawValue

    // Find the delimiter and header on the first chunk, decoded.
    let wholeFile = prefix.count == summary.bytes
    let decodedPrefix = try decode(prefix, encoding: encoding, final: wholeFile)
    // Letters lost in a save are the cause of what follows from them (no header found, a column missing, rows
    // with no known type or district), so they are told first, with their own fix.
    let lost = LostLetters(decodedPrefix, wholeFile: wholeFile, unicode: encoding != .windows1258)
    guard let (delimiter, header, bodyLine) = detectLayout(decodedPrefix, wholeFile: wholeFile, name: name) else {
      if let (line, example) = lost.settingAside(headerEnd: nil) {
        return setAside(summary, .lostLetters(example), line: line)
      }
      if let line = headerInOpenQuote(decodedPrefix, name: name) {
        return setAside(summary, .unterminatedQuote, line: line)
      }
      return setAside(
        summary, .noHeader(depth: HeaderLocator.searchDepth, minimum: HeaderLocator.minimumScore), line: 1)
    }
    summary.delimiter = delimiter == 9 ? "tab" : String(UnicodeScalar(delimiter))
    summary.headerLine = header.line
    summary.mapping = header.writtenHeader
    summary.unknownColumns = header.unknownColumns
    // A header whose last cell runs onto later lines ends just above the first row, or with the chunk.
    if let (line, example) = lost.settingAside(headerEnd: bodyLine.map { $0 - 1 } ?? Int.max) {
      return setAside(summary, .lostLetters(example), line: line)
    }
    if let missing = missingRequired(header) { return setAside(summary, missing, line: header.line) }

    if header.columnIndex["needs"] == nil && !header.columnIndex.keys.contains(where: { $0.hasPrefix("need_") }) {
      summary.warn(.noNeedsColumn(schema.displayName("needs")))
    }
    recordMoneyUnits(header, in: &summary)

    // Parse the whole file, on a second thread; its rows are taken back out of the staged file if it does not
    // parse to the end.
    let mark = staged.mark()
    var pass = FilePass(
      rows: RowClassifier(file: name, schema: schema, header: header, wording: wording), summary: summary)
    defer { pass.release() }
    do {
      let job = ParseJob(
        input: input, parser: try CSVStreamParser(delimiter: delimiter, file: name, limits: limits.csv),
        transcoder: try encoding.iconvName.map(Transcoder.init(from:)), byteOrderMark: encoding.bomLength)
      let pipe = ParsePipe(batches: 16)
      let producer = DispatchGroup()
      input.leaveHashingToReader()
      DispatchQueue.global().async(group: producer) { job.run(into: pipe) }
      defer {
        pipe.cancel()
        producer.wait()
      }
      while let batch = try pipe.receive() {
        try batch.forEachRecord { record in
          if pass.take(record, afterHeader: header.recordIndex) { try pass.flush(to: staged) }
        }
        batch.source.withUnsafeBytes { input.hash($0, at: batch.sourceOffset) }
        pipe.recycle(batch)
      }
      pass.endOfFile()
      try pass.flush(to: staged)
    } catch let error as PipelineError where error.kind == .badInput {
      try staged.rollBack(to: mark)
      return setAside(pass.summary, error.fileProblem ?? .other(error.message), line: error.location?.line)
    }
    summary = pass.summary
    if summary.rowsRead == summary.rowsSkipped && summary.rowsRejected == 0 {
      summary.status = .empty
      summary.record(.noDataRows)
    }
    return IngestedFile(summary: summary, rejects: pass.rejects, wellFormedUTF8: pass.wellFormedUTF8)
  }

  private func decode(_ bytes: [UInt8], encoding: TextEncoding, final: Bool) throws -> [UInt8] {
    let body = Array(bytes.dropFirst(encoding.bomLength))
    guard let name = encoding.iconvName else { return body }
    return try Transcoder(from: name).convert(body, final: final)
  }

  /// Tries each delimiter on the first chunk and keeps the one whose header names the most form columns; with it,
  /// the line of the first record below the header, if the chunk holds one.
  /// - Parameter wholeFile: the chunk is the whole file, so its last line is a record even with no line break
  ///   after it: a header alone, as Google Sheets exports a form with no answers yet, is a header.
  private func detectLayout(_ prefix: [UInt8], wholeFile: Bool, name: String) -> (UInt8, HeaderMatch, Int?)? {
    var best: (UInt8, HeaderMatch, Int?)?
    var cells = HeaderLocator.CellMeanings()
    for delimiter in Self.delimiters {
      var records: [CSVRecord] = []
      if let parser = try? CSVStreamParser(delimiter: delimiter, file: name, limits: limits.csv) {
        try? parser.parse(prefix) { records.append($0) }
        if wholeFile { try? parser.finish { records.append($0) } }
      }
      guard let header = HeaderLocator.locate(in: records, schema: schema, cells: &cells) else { continue }
      let bodyLine = header.recordIndex + 1 < records.count ? records[header.recordIndex + 1].line : nil
      if best == nil || header.score > best!.1.score { best = (delimiter, header, bodyLine) }
    }
    return best
  }

  /// For a first chunk with no header: the line where a quoted field opens that is still open at the chunk's end,
  /// when closing it there would give the chunk a header. A file cut short in its header row (a copy broken off,
  /// a header cell typed with a stray quote) is then set aside for its open quote, at that line, rather than as
  /// a file with no header at all, which would send an analyst looking for the wrong fault.
  private func headerInOpenQuote(_ prefix: [UInt8], name: String) -> Int? {
    guard let (delimiter, _, _) = detectLayout(prefix + [UInt8(ascii: "\"")], wholeFile: true, name: name),
      let parser = try? CSVStreamParser(delimiter: delimiter, file: name, limits: limits.csv)
    else { return nil }
    do {
      try parser.parse(prefix) { _ in }
      try parser.finish { _ in }
    } catch let error as PipelineError where error.fileProblem == .unterminatedQuote {
      return error.location?.line
    } catch {}
    return nil
  }

  /// Records the units the money columns' headers state, when one is not the form's, for normalise to convert
  /// from; a unit of money that is not read ("(USD)") is a warning on the file too, since its amounts are then
  /// left blank (`RowNormaliser.amount`).
  private func recordMoneyUnits(_ header: HeaderMatch, in summary: inout IngestFileSummary) {
    guard let units = MoneyUnit.stated(in: header.writtenHeader) else { return }
    summary.moneyUnits = units
    for column in MoneyUnit.columns where units[column] == MoneyUnit.unknown.rawValue {
      summary.warn(.moneyUnitNotRead(header.writtenHeader[column] ?? column))
    }
  }

  /// The required columns the header lacks, named as the form names them, or nil. With neither district nor
  /// commune, a column of the whole address (`Địa chỉ`, `Địa chỉ cơ sở`, `Address`) is named, so the reason says to
  /// split it rather than to add a column the file seems to have.
  private func missingRequired(_ header: HeaderMatch) -> FileProblem? {
    let missing = ["name", "enterprise_type", "employees"].filter { header.columnIndex[$0] == nil }
    let neither = header.columnIndex["district"] == nil && header.columnIndex["commune"] == nil
    guard !missing.isEmpty || neither else { return nil }
    return .missingColumns(
      missing.map(schema.displayName), eitherOf: neither ? ["district", "commune"].map(schema.displayName) : [],
      address: neither ? header.unknownColumns.first(where: Self.isAddress) : nil)
  }

  /// Folded openings of an address column's header. An address is no column of the form (it asks for commune and
  /// district apart), so no `columns.csv` row names it: these words only choose the words of a reason.
  static let addressHeaders = ["dia chi", "address"]

  /// True for a header cell that names an address column (`Địa chỉ`, `ĐỊA CHỈ CƠ SỞ`, `Address`).
  static func isAddress(_ header: String) -> Bool {
    let key = TextFolding.key(header)
    return addressHeaders.contains { key == $0 || key.hasPrefix($0 + " ") }
  }
}

/// Parsing one file: its counts and rejects so far, and the passed rows not yet handed to the writers.
private struct FilePass {
  let rows: RowClassifier
  var summary: IngestFileSummary
  var rejects: [[String]] = []
  /// The passed rows as CSV lines; freed by `release()`.
  private var batch = ByteBuffer(capacity: FileIngester.batchBytes + (1 << 16))
  /// Where the cells of those lines lie, for the companion; freed by `release()`.
  private var fields = StagedRowsBatch()
  private var batchRows = 0
  private var cells = CellBuffer()
  private var recordIndex = 0
  /// False once a field that is not well-formed UTF-8 has been seen.
  private(set) var wellFormedUTF8 = true
  /// True from a heading of a signature block until a row that is neither blank, nor a heading, nor a signer's name.
  private var inSignatureBlock = false
  /// The signers' names read in the block so far, not yet accounted for: skipped if the block runs to the end of
  /// the file, passed on as any row (to be rejected by normalise with their reason) if a row of data follows, so
  /// that a heading above the table or in its middle never hides an establishment written with its name alone.
  private var heldNames: [CSVRecord] = []
  /// The columns of the open block's headings: a signer's name in a need column must stand in one of them.
  private var headingColumns: Set<Int> = []

  init(rows: RowClassifier, summary: IngestFileSummary) {
    self.rows = rows
    self.summary = summary
  }

  func release() {
    batch.deallocate()
    fields.deallocate()
    cells.deallocate()
  }

  /// Accounts for one record; true when the batch of passed rows is full.
  mutating func take(_ record: CSVRawRecord, afterHeader headerIndex: Int) -> Bool {
    defer { recordIndex += 1 }
    guard recordIndex > headerIndex else {
      if wellFormedUTF8 && record.hasInvalidUTF8 { wellFormedUTF8 = false }
      return false
    }
    summary.rowsRead += 1
    // Only inside a signature block (a few rows at the end of a file) is a record read as Strings first.
    if inSignatureBlock {
      let text = record.record
      if rows.isSignerNameRow(text, headingColumns: headingColumns) {
        if wellFormedUTF8 && text.hasInvalidUTF8 { wellFormedUTF8 = false }
        heldNames.append(text)
        return false
      }
      if !heldNames.isEmpty {
        switch rows.classify(text) {
        case .blank, .signature: break
        default: releaseHeldNames()
        }
      }
    }
    switch rows.classify(
      record, cells: &cells, appendingTo: &batch, fields: &fields, wellFormedUTF8: &wellFormedUTF8)
    {
    case .blank: summary.rowsSkippedBlank += 1
    case .signature:
      summary.rowsSkippedSignature += 1
      if !inSignatureBlock { headingColumns.removeAll() }
      inSignatureBlock = true
      headingColumns.formUnion(rows.filledColumns(record.record))  // a few rows a file: Strings are no cost here
    case .totals:
      summary.rowsSkippedTotals += 1
      inSignatureBlock = false
    case .rejected(let row):
      summary.rowsRejected += 1
      rejects.append(row)
      inSignatureBlock = false
    case .passed:
      summary.rowsPassed += 1
      batchRows += 1
      inSignatureBlock = false
    }
    return batch.count >= FileIngester.batchBytes
  }

  /// The file has no more records: a signature block still open ran to its end, and its signers' names are
  /// skipped with it.
  mutating func endOfFile() {
    summary.rowsSkippedSignature += heldNames.count
    heldNames.removeAll()
  }

  /// Accounts for the signers' names held as any other row, in their order: a row of data came after them.
  private mutating func releaseHeldNames() {
    for text in heldNames {
      switch rows.classify(text) {
      case .blank: summary.rowsSkippedBlank += 1
      case .totals: summary.rowsSkippedTotals += 1
      case .signature: summary.rowsSkippedSignature += 1
      case .rejected(let row):
        summary.rowsRejected += 1
        rejects.append(row)
      case .passed(let row):
        for cell in row { fields.appendCell(cell, to: &batch) }
        fields.endRecord(&batch)
        summary.rowsPassed += 1
        batchRows += 1
      }
    }
    heldNames.removeAll()
  }

  mutating func flush(to staged: StagedOutput) throws {
    try staged.append(encodedRows: batch.bytes, count: batchRows, fields: &fields)
    batch.removeAll()
    batchRows = 0
  }
}
