/// Writes RFC 4180 CSV: fields quoted when they need it, quotes doubled, LF line ends.
import Foundation

/// A CSV writer over an atomic file.
public final class CSVWriter {
  /// How to write cells for people rather than for the next stage.
  public struct Style: Sendable {
    /// Start the file with a UTF-8 byte-order mark so Excel reads Vietnamese correctly.
    public var byteOrderMark: Bool
    /// Prefix cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) with a `'`.
    public var neutraliseFormulas: Bool

    public init(byteOrderMark: Bool, neutraliseFormulas: Bool) {
      self.byteOrderMark = byteOrderMark
      self.neutraliseFormulas = neutraliseFormulas
    }

    /// Between stages: plain UTF-8, values exactly as they are.
    public static let artefact = Style(byteOrderMark: false, neutraliseFormulas: false)
    /// For analysts' spreadsheets: BOM and formula cells neutralised.
    public static let spreadsheet = Style(byteOrderMark: true, neutraliseFormulas: true)
  }

  private let file: AtomicFileWriter
  private let style: Style
  private let width: Int
  /// Rows written so far, the header not counted.
  public private(set) var rowCount = 0

  public init(_ url: URL, header: [String], style: Style = .artefact) throws {
    file = try AtomicFileWriter(url)
    self.style = style
    width = header.count
    if style.byteOrderMark { try file.write(bytes: [0xEF, 0xBB, 0xBF]) }
    try writeLine(header)
  }

  /// Writes one row; it must have as many cells as the header.
  public func write(_ row: [String]) throws {
    precondition(row.count == width, "row has \(row.count) cells, header \(width)")
    try writeLine(row)
    rowCount += 1
  }

  /// Renames the finished file into place.
  public func commit() throws { try file.commit() }

  private func writeLine(_ row: [String]) throws {
    try file.write(Self.line(row, neutraliseFormulas: style.neutraliseFormulas))
  }

  /// Appends rows already encoded as CSV lines (by `line(_:)`), read from a scratch file.
  func append(encodedRowsOf scratch: ScratchFile, count: Int) throws {
    try scratch.copy(to: file)
    rowCount += count
  }

  /// One row as a CSV line, LF-terminated.
  public static func line(_ row: [String], neutraliseFormulas: Bool = false) -> String {
    var line = ""
    for (index, cell) in row.enumerated() {
      if index > 0 { line.append(",") }
      line.append(quoted(neutraliseFormulas ? neutralised(cell) : cell))
    }
    line.append("\n")
    return line
  }

  /// The cell as RFC 4180 wants it: quoted when it holds a comma, quote, CR or LF, or edge spaces.
  public static func quoted(_ cell: String) -> String {
    let needsQuotes = cell.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
      || cell.first == " " || cell.last == " "
    guard needsQuotes else { return cell }
    return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// The cell with a leading `'` when a spreadsheet would otherwise run it as a formula.
  ///
  /// Plain negative numbers such as `-12` or `-2,5` are left alone: they are values, not formulas.
  public static func neutralised(_ cell: String) -> String {
    guard let first = cell.unicodeScalars.first else { return cell }
    switch first {
    case "=", "+", "@", "\t", "\r":
      return "'" + cell
    case "-":
      let rest = cell.dropFirst()
      let isNumber = !rest.isEmpty && rest.allSatisfy { $0.isNumber || $0 == "." || $0 == "," }
      return isNumber ? cell : "'" + cell
    default:
      return cell
    }
  }
}
