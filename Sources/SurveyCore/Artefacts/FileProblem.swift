/// Why ingest set a file aside or found it empty, or what it noted about a file it read, as data: the report
/// words it in its own language, while the English sentence goes to the log, `rejects.csv` and the summary.

/// One thing wrong with (or worth knowing about) an input file as a whole.
public enum FileProblem: Sendable, Equatable {
  /// `lstat` failed; the system's words for why.
  case unreadable(String)
  /// The name is not in UTF-8 (a zip unpacked without its code page), so the file cannot be opened by it.
  case unreadableName
  case symbolicLink
  case folder
  /// A device, socket or pipe.
  case notRegularFile
  /// 0 bytes.
  case emptyFile
  case tooLarge(bytes: Int, limit: Int)
  case cannotOpen
  case binary
  /// Letters lost to a code page in a save as plain "CSV (Comma delimited)" (`LostLetters`): a cell that shows it,
  /// as found ("Cơ s? th? Dương Th? Th?y").
  case lostLetters(String)
  /// A file whose name does not end in `.csv`, `.txt` or `.tsv`; its ending (`.xlsx`), or "" when it has none.
  case notAnExport(String)
  /// A file whose name is another's but for upper and lower case or how its accents are encoded: the other is
  /// the one read. `stamps` tell the two apart, since they look alike in a file manager.
  case sameName(as: String, stamps: TwinStamps? = nil)
  /// None of the first `depth` rows names `minimum` of the form's columns.
  case noHeader(depth: Int, minimum: Int)
  /// The required columns missing, as the form names them; `eitherOf` when neither district nor commune is there;
  /// `address` the header, as written, of a column that holds the whole address instead (`Địa chỉ`): the place is
  /// there, in one cell where the form asks for two columns.
  case missingColumns([String], eitherOf: [String], address: String? = nil)
  case noDataRows
  case unterminatedQuote
  /// libcsv's own words for the trouble.
  case malformedCSV(String)
  case fieldTooLong(limit: Int)
  case tooManyFields(limit: Int)
  /// A warning: no needs column (named as the form names it) and no need_* column.
  case noNeedsColumn(String)
  /// A warning: a money column's header (as written) states a unit of money that is not converted ("(USD)").
  case moneyUnitNotRead(String)
  /// A problem with no wording of its own, in English: the report shows the summary's English sentence. Also
  /// what a code this version does not know (written by a newer one) reads as.
  case other(String)

  /// Size and last change of a file set aside as the copy of another (`this`) and of the other.
  public struct TwinStamps: Sendable, Equatable {
    public var thisBytes: Int
    /// `dd/mm/yyyy hh:mm`, Vietnam time.
    public var thisChanged: String
    public var otherBytes: Int
    public var otherChanged: String

    public init(thisBytes: Int, thisChanged: String, otherBytes: Int, otherChanged: String) {
      (self.thisBytes, self.thisChanged, self.otherBytes, self.otherChanged) =
        (thisBytes, thisChanged, otherBytes, otherChanged)
    }
  }

  /// Endings of spreadsheet workbooks: a file ending so is a survey not yet saved as CSV.
  static let workbookEndings: Set<String> = [".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".numbers"]

  /// The sentence for logs, `rejects.csv` and `ingest-summary.json`'s `problem`, with what to do.
  public var english: String {
    switch self {
    case .unreadable(let why): return "cannot be read (\(why)): check that it still exists"
    case .unreadableName:
      return "its name is not readable text (written on another system, or unpacked from a zip without its code "
        + "page), so it cannot be opened: rename the file"
    case .symbolicLink: return "is a symbolic link, not a file: copy the survey file itself into the input folder"
    case .folder: return "is a folder, not a file: move the surveys inside it up into the input folder"
    case .notRegularFile:
      return "is not a regular file (a device, socket or pipe): only survey files belong in the input folder"
    case .emptyFile: return "the file is empty (0 bytes)"
    case .tooLarge(let bytes, let limit):
      return "the file is \(bytes) bytes, over the limit of \(limit): split it or check that it is a survey"
    case .cannotOpen: return "cannot be opened for reading: check its permissions"
    case .binary:
      return "binary content, not a CSV text file (an .xlsx or an image renamed .csv?): "
        + "open it in Excel and save as \"CSV UTF-8\""
    case .lostLetters(let example):
      return "letters lost in a save: “\(example)” has a “?” (or �) where a letter was; the file was saved as plain "
        + "“CSV (Comma delimited)”, which cannot hold most Vietnamese letters, so its names, places and headers "
        + "cannot be read: open the original workbook and save it as “CSV UTF-8 (Comma delimited)”, then drop the "
        + "file again (a “?” does not say which letter it stood for, so it cannot be mended by hand)"
    case .notAnExport(let ending):
      if FileProblem.workbookEndings.contains(ending) {
        return "a spreadsheet workbook (\(ending)), which is not read: open it in Excel, save it as \"CSV UTF-8\" "
          + "into the input folder, and move the workbook out of it"
      }
      return "not a survey export (\(ending.isEmpty ? "no file name ending" : ending)): only .csv, .txt and .tsv "
        + "files are read; move it out of the input folder, or export the survey as \"CSV UTF-8\""
    case .sameName(let earlier, let stamps):
      let apart = stamps.map {
        " (this one: \($0.thisBytes) bytes, changed \($0.thisChanged); \(earlier): \($0.otherBytes) bytes, changed "
          + "\($0.otherChanged))"
      }
      return "has the name of \(earlier) but for upper and lower case or how its accents are encoded (a file "
        + "from a Mac), and the stages would take the two for one file, so only \(earlier) is read (the one read "
        + "the night before, or else the older; by the next run, if it was still being written)\(apart ?? ""): "
        + "rename this one, or delete it if it is a copy; if \(earlier) could not be read (its own line says why), "
        + "fix it, or delete it and keep this one"
    case .noHeader(let depth, let minimum):
      return "no recognisable header: none of the first \(depth) rows names at least \(minimum) of the form's "
        + "columns (Tên cơ sở, Loại hình, Số lao động, ...); check that this is a survey export, and if it is not, "
        + "move it out of the input folder"
    case .missingColumns(let names, let either, let address):
      var missing = names.map { "'\($0)'" }
      if either.count == 2 { missing.append("'\(either[0])' (or '\(either[1])')") }
      if either.count == 2, let address {
        return "required column missing: \(missing.joined(separator: ", ")); the file has an address column "
          + "('\(address)') instead, and the form asks for the commune and the district in columns of their own: "
          + "split the address into a '\(either[1])' column and a '\(either[0])' column, and drop the file again"
      }
      return "required column missing: \(missing.joined(separator: ", ")); "
        + "add the column (or correct its header) and drop the file again"
    case .noDataRows: return "no data rows below the header"
    case .unterminatedQuote:
      return "a quoted field opened here is never closed (unterminated quote): check the quotes on this line, "
        + "re-export the sheet and drop the file again"
    case .malformedCSV(let why):
      return "malformed CSV (\(why)): a quote inside an unquoted field or text after a closing quote; "
        + "fix the quotes on this line or re-export the sheet"
    case .fieldTooLong(let limit):
      return "a field is longer than \(limit) bytes (an unclosed quote?): check the quotes from this line on, "
        + "re-export the sheet and drop the file again"
    case .tooManyFields(let limit):
      return "a record has more than \(limit) fields: check the delimiter, or split the sheet"
    case .noNeedsColumn(let needs):
      return "no '\(needs)' column and none of the nine need columns: its establishments are counted with no needs; "
        + "if the survey asked, name the need columns as the form does (one column '\(needs)' listing the needs, or "
        + "a column for each need named as on the form, such as 'Đào tạo nghề' or '\(needs) - Đào tạo nghề') and "
        + "drop the file again"
    case .moneyUnitNotRead(let header):
      return "the header '\(header)' states a unit of money that is not read (only triệu đồng, nghìn đồng, đồng and "
        + "tỷ đồng are): its amounts are left blank, but for cells that write their own unit; correct the header "
        + "and drop the file again"
    case .other(let text): return text
    }
  }
}

/// Written as `{"code": "too_large", "values": ["123", "100"]}`: a stable code for the kind, and its details as
/// text, so that a summary stays readable by eye and by older and newer versions alike. Missing columns add
/// `"either_of"` when neither district nor commune is there, and `"address"` when an address column stands in their
/// place.
extension FileProblem: Codable {
  private enum CodingKeys: String, CodingKey {
    case code, values
    case eitherOf = "either_of"
    case address
  }

  private var parts: (code: String, values: [String]) {
    switch self {
    case .unreadable(let why): return ("unreadable", [why])
    case .unreadableName: return ("unreadable_name", [])
    case .symbolicLink: return ("symbolic_link", [])
    case .folder: return ("folder", [])
    case .notRegularFile: return ("not_regular_file", [])
    case .emptyFile: return ("empty_file", [])
    case .tooLarge(let bytes, let limit): return ("too_large", [String(bytes), String(limit)])
    case .cannotOpen: return ("cannot_open", [])
    case .binary: return ("binary", [])
    case .lostLetters(let example): return ("lost_letters", [example])
    case .notAnExport(let ending): return ("not_an_export", [ending])
    case .sameName(let earlier, nil): return ("same_name", [earlier])
    case .sameName(let earlier, let stamps?):
      return (
        "same_name",
        [earlier, String(stamps.thisBytes), stamps.thisChanged, String(stamps.otherBytes), stamps.otherChanged]
      )
    case .noHeader(let depth, let minimum): return ("no_header", [String(depth), String(minimum)])
    case .missingColumns(let names, _, _): return ("missing_columns", names)
    case .noDataRows: return ("no_data_rows", [])
    case .unterminatedQuote: return ("unterminated_quote", [])
    case .malformedCSV(let why): return ("malformed_csv", [why])
    case .fieldTooLong(let limit): return ("field_too_long", [String(limit)])
    case .tooManyFields(let limit): return ("too_many_fields", [String(limit)])
    case .noNeedsColumn(let needs): return ("no_needs_column", [needs])
    case .moneyUnitNotRead(let header): return ("money_unit_not_read", [header])
    case .other(let text): return ("other", [text])
    }
  }

  /// The kind of problem and its details, but for what changes while the file stays as it is (the other file's
  /// size and date in `sameName`): two nights' summaries of a file set aside unread are compared by it.
  public var lasting: String {
    if case .sameName(let earlier, _) = self { return "same_name \(earlier)" }
    return ([parts.code] + parts.values).joined(separator: " ")
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    let (code, values) = parts
    try container.encode(code, forKey: .code)
    try container.encode(values, forKey: .values)
    if case .missingColumns(_, let either, let address) = self {
      if !either.isEmpty { try container.encode(either, forKey: .eitherOf) }
      try container.encodeIfPresent(address, forKey: .address)
    }
  }

  /// A code this version does not know, or values that do not fit it, decode as `.other`, never as an error:
  /// the report then shows the summary's English sentence.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let code = try container.decode(String.self, forKey: .code)
    let values = try container.decodeIfPresent([String].self, forKey: .values) ?? []
    let either = try container.decodeIfPresent([String].self, forKey: .eitherOf) ?? []
    let address = try container.decodeIfPresent(String.self, forKey: .address)
    self = Self.make(code, values, either, address) ?? .other(values.first ?? "")
  }

  private static func make(_ code: String, _ values: [String], _ either: [String], _ address: String?) -> FileProblem? {
    let numbers = values.compactMap { Int($0) }
    let one = values.count == 1 ? values[0] : nil
    switch code {
    case "unreadable": return one.map(FileProblem.unreadable)
    case "unreadable_name": return .unreadableName
    case "symbolic_link": return .symbolicLink
    case "folder": return .folder
    case "not_regular_file": return .notRegularFile
    case "empty_file": return .emptyFile
    case "too_large": return numbers.count == 2 ? .tooLarge(bytes: numbers[0], limit: numbers[1]) : nil
    case "cannot_open": return .cannotOpen
    case "binary": return .binary
    case "lost_letters": return one.map(FileProblem.lostLetters)
    case "not_an_export": return one.map(FileProblem.notAnExport)
    case "same_name":
      if values.count == 5, let thisBytes = Int(values[1]), let otherBytes = Int(values[3]) {
        return .sameName(
          as: values[0],
          stamps: TwinStamps(
            thisBytes: thisBytes, thisChanged: values[2], otherBytes: otherBytes, otherChanged: values[4]))
      }
      return one.map { FileProblem.sameName(as: $0) }
    case "no_header": return numbers.count == 2 ? .noHeader(depth: numbers[0], minimum: numbers[1]) : nil
    case "missing_columns": return .missingColumns(values, eitherOf: either, address: address)
    case "no_data_rows": return .noDataRows
    case "unterminated_quote": return .unterminatedQuote
    case "malformed_csv": return one.map(FileProblem.malformedCSV)
    case "field_too_long": return numbers.count == 1 ? .fieldTooLong(limit: numbers[0]) : nil
    case "too_many_fields": return numbers.count == 1 ? .tooManyFields(limit: numbers[0]) : nil
    case "no_needs_column": return one.map(FileProblem.noNeedsColumn)
    case "money_unit_not_read": return one.map(FileProblem.moneyUnitNotRead)
    default: return nil
    }
  }
}
