/// The unit a money column's header states in brackets ("Kinh phí đề nghị hỗ trợ (nghìn đồng)"), which ingest
/// records per file and normalise converts from: header matching drops the brackets, so without this a column
/// of thousands of đồng was summed as millions.
import Foundation

/// A unit of money a header may state for the form's amounts in million VND.
public enum MoneyUnit: String, Sendable, CaseIterable {
  /// The form's own: triệu đồng, million VND.
  case millionVND = "million_vnd"
  case thousandVND = "thousand_vnd"
  case vnd
  case billionVND = "billion_vnd"
  /// A unit of money that is not one of these ("USD", "triệu USD", "k VND"): its amounts are not guessed at.
  case unknown

  /// The form's columns of amounts in million VND.
  public static let columns = ["revenue", "support_requested"]

  /// The amount in million VND of `value` written in this unit; nil for `unknown`.
  public func inMillionVND(_ value: Decimal) -> Decimal? {
    switch self {
    case .millionVND: value
    case .thousandVND: value / 1000
    case .vnd: value / 1_000_000
    case .billionVND: value * 1000
    case .unknown: nil
    }
  }

  /// Column key → unit, for the money columns of `mapping` (form column key → header as written) whose header
  /// states a unit other than the form's: what `ingest-summary.json` records as `money_units`, nil for none, so
  /// that the summary of a file in the form's unit is what it always was.
  public static func stated(in mapping: [String: String]) -> [String: String]? {
    var units: [String: String] = [:]
    for column in columns {
      guard let header = mapping[column], let unit = stated(inHeader: header), unit != .millionVND else { continue }
      units[column] = unit.rawValue
    }
    return units.isEmpty ? nil : units
  }

  /// The unit the bracketed notes of a header state: nil when none names money ("(nếu có)", "(2024)", no
  /// brackets), the unit when those that do agree, `unknown` when they disagree.
  public static func stated(inHeader header: String) -> MoneyUnit? {
    let units = Set(TextFolding.splittingBrackets(header).notes.compactMap(stated(inNote:)))
    guard let unit = units.first else { return nil }
    return units.count == 1 ? unit : .unknown
  }

  /// The unit one bracketed note states, folded word by word: the note's words, less those that only frame a
  /// unit ("ĐVT:", "đơn vị tính", "x", "năm" and a year: "nghìn đồng/năm", "triệu đồng, năm 2024"), must spell a
  /// unit whole ("1.000 đồng", "Tr.đ", "VND million"). A note with anything else beside its unit ("nguồn ngân sách",
  /// "theo tỷ lệ", "12 tháng, triệu đồng", "Millions of VND") states none: the form's unit stands, as it did before
  /// headers' units were read, since a word such as "ngân" or "tỷ lệ" is no multiplier and a guessed factor would
  /// scale or blank a whole column. Only a foreign currency ("USD", "$", "đô la") makes a note's unit `unknown`.
  static func stated(inNote note: String) -> MoneyUnit? {
    let words = TextFolding.key(note).split(separator: " ").map(String.init)
    if note.contains(where: { "$€£¥".contains($0) }) || containsRun(words, ["do", "la"])
      || containsRun(words, ["nhan", "dan", "te"]) || words.contains(where: foreignCurrencies.contains)
    {
      return .unknown
    }
    let unitWords = words.filter { !framingWords.contains($0) && !isYear($0) }.map { word in
      // "x1000đ": times a thousand đồng.
      word.count > 1 && word.first == "x" && word.dropFirst().first!.isNumber ? String(word.dropFirst()) : word
    }
    return spellings[unitWords.joined()]
  }

  /// Whether `words` holds `run` word for word.
  private static func containsRun(_ words: [String], _ run: [String]) -> Bool {
    guard words.count >= run.count else { return false }
    return (0...(words.count - run.count)).contains { Array(words[$0..<$0 + run.count]) == run }
  }

  /// A folded word that is a year ("2024"), which may stand beside a unit without changing it.
  private static func isYear(_ word: String) -> Bool {
    guard word.count == 4, word.allSatisfy(\.isASCII), let number = Int(word) else { return false }
    return (1900...2100).contains(number)
  }

  /// Folded words that frame a unit without being part of it: "đơn vị tính:", "ĐVT", "x 1.000 đồng", "/năm".
  private static let framingWords: Set<String> = ["dvt", "don", "vi", "tinh", "x", "nam", "per", "year", "unit"]

  /// Currencies other than the đồng, folded: a note naming one states a unit that is not read.
  private static let foreignCurrencies: Set<String> = [
    "usd", "eur", "euro", "euros", "dollar", "dollars", "cny", "rmb", "yuan", "yen", "jpy", "krw", "won",
  ]

  private static let currencies = ["dong", "d", "vnd"]

  /// The folded words for each multiplier of the đồng, written with a currency before or after them.
  private static let multipliers: [MoneyUnit: [String]] = [
    .millionVND: ["trieu", "tr", "million", "millions", "mil", "mn", "m"],
    .thousandVND: ["nghin", "ngan", "ng", "thousand", "thousands", "1000", "k"],
    .billionVND: ["ty", "ti", "billion", "billions", "bn"],
  ]

  /// Multipliers that say the unit alone ("(triệu)", "(nghìn)", "(tỷ)").
  private static let standalone: Set<String> = [
    "trieu", "tr", "million", "millions", "nghin", "ngan", "thousand", "thousands", "ty", "ti", "billion", "billions",
  ]

  /// Each spelling of a unit, folded and without spaces ("trđ", "tr.đ" and "tr đ" are all "trd").
  private static let spellings: [String: MoneyUnit] = {
    var table: [String: MoneyUnit] = [:]
    for currency in currencies { table[currency] = .vnd }
    table["vnddong"] = .vnd
    for (unit, words) in multipliers {
      for word in words {
        if standalone.contains(word) { table[word] = unit }
        for currency in currencies { (table[word + currency], table[currency + word]) = (unit, unit) }
      }
    }
    return table
  }()
}
