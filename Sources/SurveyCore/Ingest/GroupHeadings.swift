/// The headings a province compilation groups its rows under: what they look like.
import Foundation

/// A compilation of the districts' lists numbers a heading for each district with a Roman numeral, the
/// establishments under it from 1, and closes each group with a subtotal:
///
///     I,,HUYỆN VŨ THƯ,,,,,,,,
///     1,,Cơ sở mộc Trần Văn Hải,Hộ KD,Xã Hồng Lý,Vũ Thư,…
///     ,,Cộng huyện Vũ Thư,,,,,5,,100,
///
/// The subtotal is a totals row (`RowClassifier.isTotalsLabel`); the heading is no establishment either, and was
/// rejected every night as one with neither district nor type. A heading is a row whose one filled cell (beside
/// an STT of a Roman numeral, one letter, or nothing) is a district of the province, by a name the reference
/// tables give it (`districts.csv`, `district-aliases.csv`), with or without its level word (`HUYỆN`, `THÀNH
/// PHỐ`, `TP`), or the province after `TỈNH` by a name of `province-names.csv` (`TỈNH HƯNG YÊN`, the heading above
/// a compilation's districts): it is skipped and counted with the totals rows. The names come from the tables, as
/// normalise reads them, not from code; a district added there is a heading's name here too.
public struct GroupHeadings: Sendable {
  /// The province's districts as `TextFolding.key` folds them: names, short names and aliases.
  private var districtKeys: Set<String> = []
  /// The province's own names (`province-names.csv`), folded so. Only after `Tỉnh`: a bare "Việt Nam" or "HY"
  /// alone in a row is no heading a compilation is seen to write.
  private var provinceKeys: Set<String> = []

  /// Level words a heading may open with, folded: `Huyện`, `Thành phố`, `TP`, `Thị xã`, `TX`, `Quận`, `Tỉnh` (the
  /// province: `TỈNH THÁI BÌNH` is the city's name after it).
  static let levelWords: [[Substring]] = ["huyen", "thanh pho", "tp", "thi xa", "tx", "quan", "tinh"].map {
    $0.split(separator: " ")
  }
  /// The level word of the province, before a name of `province-names.csv`.
  static let provinceWord: [Substring] = ["tinh"]
  /// The longest cell looked at as a heading, in bytes.
  static let longestHeading = 80

  /// What a lone cell is as a heading.
  enum Kind: Equatable {
    /// A district of the province, or the province after `Tỉnh`, by a name the tables give it: skipped.
    case district
    /// In capitals and opening with a level word (`HUYỆN MÊ LINH`), but naming no district of the tables: still
    /// rejected, with a reason that says it looks like a heading, not that it lacks a district.
    case lookalike
  }

  public init(districtNames: [String] = [], provinceNames: [String] = []) {
    districtKeys = Set(districtNames.map(TextFolding.key).filter { !$0.isEmpty })
    provinceKeys = Set(provinceNames.map(TextFolding.key).filter { !$0.isEmpty })
  }

  /// The names of `districts.csv` (name and short name), `district-aliases.csv` (alias) and `province-names.csv`
  /// (name) in `reference`. A table missing gives no name from it: normalise, which cannot run without them, says
  /// so; ingest then rejects a heading as one that looks like a heading.
  static func load(from reference: URL) throws -> GroupHeadings {
    GroupHeadings(
      districtNames: try names(in: reference, of: .districts) + names(in: reference, of: .aliases),
      provinceNames: try names(in: reference, of: .provinceNames))
  }

  /// The tables `load` reads, in its order, each with the columns that name.
  enum Table: CaseIterable {
    case districts, aliases, provinceNames

    var file: String {
      switch self {
      case .districts: "districts.csv"
      case .aliases: "district-aliases.csv"
      case .provinceNames: ReferenceData.provinceNamesFile
      }
    }

    var columns: [String] {
      switch self {
      case .districts: ["name", "short_name"]
      case .aliases: ["alias"]
      case .provinceNames: ["name"]
      }
    }
  }

  /// The names one table of `load` gives: a step of it, which `ReferenceCheck` runs on its own.
  static func names(in reference: URL, of table: Table) throws -> [String] {
    let url = reference.appendingPathComponent(table.file)
    guard FileManager.default.fileExists(atPath: url.path) else { return [] }
    return try ReferenceTable.records(of: url, requiring: table.columns).flatMap { row in
      table.columns.compactMap { row.row[$0] }
    }
  }

  /// What `cell`, alone in its row, is as a heading; nil for no heading (a number in it, a name that is no
  /// district's and does not look like a heading).
  func kind(of cell: String) -> Kind? {
    guard cell.utf8.count <= Self.longestHeading, !cell.contains(where: \.isNumber) else { return nil }
    let words = TextFolding.key(cell).split(separator: " ")
    guard !words.isEmpty else { return nil }
    if districtKeys.contains(words.joined(separator: " ")) { return .district }
    guard let level = Self.levelWords.first(where: { words.count > $0.count && words.starts(with: $0) }) else {
      return nil
    }
    let named = words.dropFirst(level.count).joined(separator: " ")
    if districtKeys.contains(named) || (level == Self.provinceWord && provinceKeys.contains(named)) {
      return .district
    }
    return cell == cell.uppercased() ? .lookalike : nil
  }

  /// True for the STT of a group heading: a Roman numeral (`I`, `II`, `IV`, `XII`) or one letter (`A`, `b`), with
  /// or without a dot or bracket after it. A number (`1`) is an establishment's.
  static func isGroupNumber(_ cell: String) -> Bool {
    var text = Substring(cell)
    if text.hasSuffix(".") || text.hasSuffix(")") { text = text.dropLast() }
    guard !text.isEmpty, text.count <= 6, text.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
    return text.count == 1 || text.uppercased().allSatisfy { "IVXLC".contains($0) }
  }
}
