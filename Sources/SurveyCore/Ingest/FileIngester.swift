/// Ingests one survey file: encoding, delimiter, header, then every record accounted for.
import Foundation

/// What ingesting one file produced: its summary, its reject rows, and its passed-on rows in a scratch file.
struct IngestedFile {
  var summary: IngestFileSummary
  var rejects: [[String]]
  var passed: ScratchFile?
}

/// Reads one input file into staged rows; never throws for a bad file, which comes back set aside instead.
struct FileIngester {
  let schema: FormSchema
  let limits: IngestLimits
  let scratchDirectory: URL
  static let chunkSize = 1 << 16
  static let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]

  func ingest(_ url: URL) throws -> IngestedFile {
    let name = url.lastPathComponent
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
    var summary = IngestFileSummary(file: name, bytes: size)
    func setAside(_ problem: String, line: Int?) -> IngestedFile {
      summary.status = .setAside
      summary.problem = problem
      // None of a set-aside file's rows is used: the file is accounted for by its one reject row.
      (summary.rowsRead, summary.rowsPassed, summary.rowsRejected) = (0, 0, 0)
      (summary.rowsSkippedBlank, summary.rowsSkippedTotals) = (0, 0)
      summary.problemLine = line
      let reject = [name, String(line ?? 0), "ingest", "file set aside: " + problem, "", ""]
      return IngestedFile(summary: summary, rejects: [reject], passed: nil)
    }
    if let problem = InputFileCheck.problem(with: url) { return setAside(problem, line: nil) }
    guard size > 0 else {
      summary.status = .empty
      summary.problem = "the file is empty (0 bytes)"
      return IngestedFile(summary: summary, rejects: [], passed: nil)
    }
    guard size <= limits.maxFileBytes else {
      return setAside(
        "the file is \(size) bytes, over the limit of \(limits.maxFileBytes): split it or check that it is a survey",
        line: nil)
    }
    summary.sha256 = FileDigest.sha256(of: url)
    guard let handle = FileHandle(forReadingAtPath: url.path) else {
      return setAside("cannot be opened for reading: check its permissions", line: nil)
    }
    defer { try? handle.close() }
    let prefix = [UInt8]((try? handle.read(upToCount: Self.chunkSize)) ?? Data())
    let encoding: TextEncoding
    if let marked = EncodingSniffer.byteOrderMark(prefix) ?? EncodingSniffer.unmarkedUTF16(prefix) {
      encoding = marked
    } else if EncodingSniffer.looksBinary(prefix) {
      return setAside(
        "binary content, not a CSV text file (an .xlsx or an image renamed .csv?): "
          + "open it in Excel and save as \"CSV UTF-8\"", line: 1)
    } else {
      encoding = try census(handle)
    }
    summary.encoding = encoding.rawValue

    // Find the delimiter and header on the first chunk, decoded.
    let decodedPrefix = try decode(prefix, encoding: encoding, final: prefix.count == size)
    guard let (delimiter, header) = detectLayout(decodedPrefix, name: name) else {
      return setAside(
        "no recognisable header: none of the first \(HeaderLocator.searchDepth) rows names at least "
          + "\(HeaderLocator.minimumScore) of the form's columns (Tên cơ sở, Loại hình, Số lao động, ...); "
          + "check that this is a survey export", line: 1)
    }
    summary.delimiter = delimiter == 9 ? "tab" : String(UnicodeScalar(delimiter))
    summary.headerLine = header.line
    summary.mapping = header.writtenHeader
    summary.unknownColumns = header.unknownColumns
    if let missing = missingRequired(header) {
      return setAside(
        "required column missing: \(missing); add the column (or correct its header) and drop the file again",
        line: header.line)
    }

    if header.columnIndex["needs"] == nil && !header.columnIndex.keys.contains(where: { $0.hasPrefix("need_") }) {
      summary.warnings.append(
        "no '\(schema.displayName("needs"))' column and none of the nine need columns: "
          + "its establishments are counted with no needs; add the column if the survey asked")
    }

    // Parse the whole file, holding its rows back until it has parsed to the end.
    let rows = RowClassifier(file: name, schema: schema, header: header)
    let passed = try ScratchFile(in: scratchDirectory, name: "ingest-\(UUID().uuidString)")
    var rejects: [[String]] = []
    do {
      try handle.seek(toOffset: 0)
      let parser = try CSVStreamParser(delimiter: delimiter, file: name, limits: limits.csv)
      let transcoder = try encoding.iconvName.map(Transcoder.init(from:))
      var recordIndex = 0
      let deliver: (CSVRecord) throws -> Void = { record in
        defer { recordIndex += 1 }
        guard recordIndex > header.recordIndex else { return }
        switch rows.classify(record) {
        case .blank: summary.rowsSkippedBlank += 1
        case .totals: summary.rowsSkippedTotals += 1
        case .rejected(let row):
          summary.rowsRejected += 1
          rejects.append(row)
        case .passed(let row):
          summary.rowsPassed += 1
          try passed.write(CSVWriter.line(row))
        }
        summary.rowsRead += 1
      }
      var first = true
      while let chunk = try handle.read(upToCount: Self.chunkSize), !chunk.isEmpty {
        var bytes = [UInt8](chunk)
        if first {
          bytes.removeFirst(min(encoding.bomLength, bytes.count))
          first = false
        }
        try parser.parse(transcoder?.convert(bytes) ?? bytes, deliver)
      }
      if let tail = transcoder?.convert([], final: true), !tail.isEmpty { try parser.parse(tail, deliver) }
      try parser.finish(deliver)
    } catch let error as PipelineError where error.kind == .badInput {
      return setAside(error.message, line: error.location?.line)
    }
    if summary.rowsRead == summary.rowsSkippedBlank + summary.rowsSkippedTotals && summary.rowsRejected == 0 {
      summary.status = .empty
      summary.problem = "no data rows below the header"
    }
    return IngestedFile(summary: summary, rejects: rejects, passed: passed)
  }

  /// Scans the whole file to tell UTF-8 from Windows-1258.
  private func census(_ handle: FileHandle) throws -> TextEncoding {
    var census = UTF8Census()
    try handle.seek(toOffset: 0)
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      chunk.withUnsafeBytes { census.scan($0) }
    }
    census.finish()
    return census.verdict
  }

  private func decode(_ bytes: [UInt8], encoding: TextEncoding, final: Bool) throws -> [UInt8] {
    let body = Array(bytes.dropFirst(encoding.bomLength))
    guard let name = encoding.iconvName else { return body }
    return try Transcoder(from: name).convert(body, final: final)
  }

  /// Tries each delimiter on the first chunk and keeps the one whose header names the most form columns.
  private func detectLayout(_ prefix: [UInt8], name: String) -> (UInt8, HeaderMatch)? {
    var best: (UInt8, HeaderMatch)?
    for delimiter in Self.delimiters {
      var records: [CSVRecord] = []
      if let parser = try? CSVStreamParser(delimiter: delimiter, file: name, limits: limits.csv) {
        try? parser.parse(prefix) { records.append($0) }
      }
      guard let header = HeaderLocator.locate(in: records, schema: schema) else { continue }
      if best == nil || header.score > best!.1.score { best = (delimiter, header) }
    }
    return best
  }

  /// The required columns the header lacks, named as the form names them, or nil.
  private func missingRequired(_ header: HeaderMatch) -> String? {
    var missing: [String] = []
    for key in ["name", "enterprise_type", "employees"] where header.columnIndex[key] == nil {
      missing.append("'\(schema.displayName(key))'")
    }
    if header.columnIndex["district"] == nil && header.columnIndex["commune"] == nil {
      missing.append("'\(schema.displayName("district"))' (or '\(schema.displayName("commune"))')")
    }
    return missing.isEmpty ? nil : missing.joined(separator: ", ")
  }
}
