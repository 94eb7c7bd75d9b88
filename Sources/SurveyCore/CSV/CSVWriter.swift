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
    /// The row lists (rejects, review, duplicates), read by stages and opened by analysts in Excel (they go with
    /// the mail): a BOM, so Excel shows Vietnamese; formula cells neutralised, since they quote what anyone typed
    /// into a form ("- Thiếu vốn" read as a formula shows #NAME?, "=HYPERLINK(…)" a live link). What reads them
    /// back (the report, corrections copied from them) takes the `'` off again (`unneutralised`).
    public static let rowList = Style(byteOrderMark: true, neutraliseFormulas: true)
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

  /// Renames the finished file into place; `synchronize` as `AtomicFileWriter.commit(synchronize:)`.
  public func commit(synchronize: Bool = true) throws { try file.commit(synchronize: synchronize) }

  private func writeLine(_ row: [String]) throws {
    try file.write(Self.line(row, neutraliseFormulas: style.neutraliseFormulas))
  }

  /// Where the file stands: its length in bytes and rows, for `rollBack(to:)`.
  struct Mark {
    fileprivate var bytes: UInt64
    fileprivate var rows: Int
  }

  /// The current end of the file.
  func mark() -> Mark { Mark(bytes: file.position, rows: rowCount) }

  /// Cuts the file back to `mark`, forgetting the rows written since: a set-aside input's rows, say.
  func rollBack(to mark: Mark) throws {
    try file.truncate(to: mark.bytes)
    rowCount = mark.rows
  }

  /// Appends `count` rows already encoded as CSV lines, exactly as `line(_:)` would write them.
  func append(encodedRows bytes: UnsafeRawBufferPointer, count: Int) throws {
    try file.write(raw: bytes)
    rowCount += count
  }

  /// Appends a well-formed UTF-8 cell to `output` exactly as `quoted(_:)` would write it, without a String.
  ///
  /// Nearly every cell is written as it is, so its bytes are copied a word at a time while each word is checked
  /// for a comma, quote, CR or LF, and only a cell that holds one is written again, quoted. The bytes past the last
  /// whole word are read as `ByteKeys.hash` reads them (the last eight, overlapping; two halves of four; or one at
  /// a time), instead of one at a time: cells are nine bytes long on average, and that byte loop and the separate
  /// copy were most of the time normalise's writer thread spent (9% of the stage).
  @inline(__always)
  static func appendQuoted(_ cell: UnsafeRawBufferPointer, to output: inout ByteBuffer) {
    output.reserve(output.count + quotedRoom(cell.count))
    output.setCount(output.count + writeQuoted(cell, to: UnsafeMutableRawPointer(output.base + output.count)))
  }

  /// The most bytes `writeQuoted` writes for a cell of `count` bytes: every byte a doubled quote, and the quotes.
  @inline(__always)
  static func quotedRoom(_ count: Int) -> Int { 2 * count + 2 }

  /// Writes `cell` at `target` as `appendQuoted(_:to:)` appends it, and returns how many bytes that took; there
  /// must be room for `quotedRoom(cell.count)` bytes. The copy's words never reach past the cell's own bytes.
  @inline(__always)
  static func writeQuoted(_ cell: UnsafeRawBufferPointer, to target: UnsafeMutableRawPointer) -> Int {
    let count = cell.count
    guard count > 0 else { return 0 }
    guard !blankEdge(cell[0], cell[count - 1]) else {
      return writeInQuotes(cell, hasQuote: cell.contains(0x22), to: target)
    }
    let source = cell.baseAddress!
    var special = false
    @inline(__always) func copy<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
      let word = source.loadUnaligned(fromByteOffset: offset, as: T.self)
      target.storeBytes(of: word, toByteOffset: offset, as: T.self)
      return word
    }
    // Offsets within the cell: wrapping sums cannot overflow.
    if count >= 8 {
      var index = 0
      while index &+ 8 < count {
        special = mustQuote(copy(index, UInt64.self)) || special
        index &+= 8
      }
      special = mustQuote(copy(count &- 8, UInt64.self)) || special
    } else if count >= 4 {
      let low = UInt64(copy(0, UInt32.self))
      special = mustQuote(low | UInt64(copy(count &- 4, UInt32.self)) << 32)
    } else {
      var word: UInt64 = 0  // the bytes above them are zero, which is no byte to quote
      for index in 0..<count { word |= UInt64(copy(index, UInt8.self)) &<< (8 &* index) }
      special = mustQuote(word)
    }
    guard special else { return count }
    // Written again, quoted, over the plain copy.
    return writeInQuotes(cell, hasQuote: cell.contains(0x22), to: target)
  }

  /// Whether `writeQuoted(_:to:)` writes `cell` as it is: no comma, quote, CR or LF in it, and no space or tab at
  /// an end.
  static func isPlain<Bytes: BidirectionalCollection<UInt8>>(_ cell: Bytes) -> Bool {
    guard let first = cell.first, let last = cell.last else { return true }
    guard !blankEdge(first, last) else { return false }
    return !cell.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
  }

  /// Whether a cell whose first and last bytes these are must be quoted for them: libcsv trims spaces and tabs from
  /// the ends of an unquoted field.
  @inline(__always)
  private static func blankEdge(_ first: UInt8, _ last: UInt8) -> Bool {
    first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
  }

  /// Whether some byte of `word` is a comma, quote, LF or CR: the four tests' results joined before the one
  /// test (four tests, each with its branch, were a fifth of the encoder's instructions).
  @inline(__always)
  private static func mustQuote(_ word: UInt64) -> Bool {
    (WordBytes.holds(0x2C, in: word) | WordBytes.holds(0x22, in: word) | WordBytes.holds(0x0A, in: word)
      | WordBytes.holds(0x0D, in: word)) != 0
  }

  /// Writes `cell` between quotes at `target`, its quotes doubled when `hasQuote`, and returns how many bytes that
  /// took (at most `quotedRoom(cell.count)`): the few cells that must be quoted.
  private static func writeInQuotes(
    _ cell: UnsafeRawBufferPointer, hasQuote: Bool, to target: UnsafeMutableRawPointer
  ) -> Int {
    var at = 0
    @inline(__always) func put(_ byte: UInt8) {
      target.storeBytes(of: byte, toByteOffset: at, as: UInt8.self)
      at += 1
    }
    put(0x22)
    if hasQuote {
      for byte in cell {
        put(byte)
        if byte == 0x22 { put(0x22) }
      }
    } else if !cell.isEmpty {
      (target + at).copyMemory(from: cell.baseAddress!, byteCount: cell.count)
      at += cell.count
    }
    put(0x22)
    return at
  }

  /// As `writeQuoted(_:to:)`, told what the cell holds: a comma, quote, CR or LF (`needsQuotes`); a quote
  /// (`hasQuote`). There must be room for `quotedRoom(cell.count)` bytes at `target`.
  @inline(__always)
  static func writeQuoted(
    _ cell: UnsafeRawBufferPointer, needsQuotes: Bool, hasQuote: Bool, to target: UnsafeMutableRawPointer
  ) -> Int {
    let count = cell.count
    guard count > 0 else { return 0 }
    guard needsQuotes || blankEdge(cell[0], cell[count &- 1]) else {
      ByteBuffer.copyInWords(cell, to: target) { _ in }
      return count
    }
    return writeInQuotes(cell, hasQuote: hasQuote, to: target)
  }

  /// One row as a CSV line, LF-terminated.
  ///
  /// Each cell goes through `appendQuoted(_:to:)`, which writes what `quoted(_:)` makes a word at a time: the
  /// report's lines of `recommendations.csv` are a kilobyte or two, and quoting them a byte at a time through
  /// Strings took about 70,000 instructions a line.
  public static func line(_ row: [String], neutraliseFormulas: Bool = false) -> String {
    var bytes = ByteBuffer(capacity: 256)
    defer { bytes.deallocate() }
    for (index, cell) in row.enumerated() {
      if index > 0 { bytes.append(0x2C) }
      var text = neutraliseFormulas ? neutralised(cell) : cell
      text.withUTF8 { appendQuoted(UnsafeRawBufferPointer($0), to: &bytes) }
    }
    bytes.append(0x0A)
    return String(decoding: UnsafeBufferPointer(start: bytes.base, count: bytes.count), as: UTF8.self)
  }

  /// The cell as RFC 4180 wants it: quoted when it holds a comma, quote, CR or LF, or a space or tab at an edge
  /// (which libcsv would trim from an unquoted field).
  ///
  /// Works on the UTF-8 bytes, not on Characters: a quote or a space followed by a combining mark is one
  /// Character with it, and Foundation's `replacingOccurrences` left such a quote undoubled, which made the
  /// staged file malformed for the next stage.
  public static func quoted(_ cell: String) -> String {
    let bytes = cell.utf8
    guard !isPlain(bytes) else { return cell }
    var output: [UInt8] = [0x22]
    output.reserveCapacity(bytes.count + 4)
    for byte in bytes {
      output.append(byte)
      if byte == 0x22 { output.append(0x22) }
    }
    output.append(0x22)
    return String(decoding: output, as: UTF8.self)
  }

  /// The cell as it was before `neutralised(_:)`: without the `'` it put before a formula.
  public static func unneutralised(_ cell: String) -> String {
    guard cell.hasPrefix("'") else { return cell }
    let rest = String(cell.dropFirst())
    return neutralised(rest) == cell ? rest : cell
  }

  /// The cell with a leading `'` when a spreadsheet would otherwise run it as a formula.
  ///
  /// Plain negative numbers such as `-12` or `-2,5` are left alone: they are values, not formulas; so is a lone
  /// `-` or `+`, the forms' mark for "nothing".
  public static func neutralised(_ cell: String) -> String {
    guard let first = cell.unicodeScalars.first, cell != "-", cell != "+" else { return cell }
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
