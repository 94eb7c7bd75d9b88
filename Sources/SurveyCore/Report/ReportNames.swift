/// What the report calls districts, needs, sectors, types and actions, and how it words an action's reason.

/// Names and one-line texts in one language, shared by the report and `recommendations.csv`.
public struct ReportNames: Sendable {
  public var language: ReportLanguage
  public var needs: NeedCatalogue
  public var labels: DisplayLabels
  public var strings: ReportStrings
  public var numbers: NumberFormat

  public init(_ language: ReportLanguage, needs: NeedCatalogue, labels: DisplayLabels) {
    self.language = language
    self.needs = needs
    self.labels = labels
    strings = .for(language)
    numbers = NumberFormat(language)
  }

  /// A district's short name: the label table's, else the name `establishments.csv` carries, else the code.
  public func district(_ code: String, carried: String = "") -> String {
    labels.label(.district, code, language) ?? (carried.isEmpty ? code : carried)
  }

  /// A need's full name.
  public func need(_ key: String) -> String {
    guard let need = needs.need(key) else { return key }
    return language == .vi ? need.nameVi : need.nameEn
  }

  /// A need's short name, for tables and charts.
  public func needShort(_ key: String) -> String {
    if let label = labels.label(.need, key, language) { return label }
    guard let need = needs.need(key) else { return key }
    return language == .vi ? need.shortVi : need.nameEn
  }

  /// A sector's name ("" is the sector the form left blank).
  public func sector(_ key: String) -> String { Aggregates.sectorName(key, labels, language) }

  /// An enterprise type's name.
  public func enterpriseType(_ key: String) -> String { labels.label(.enterpriseType, key, language) ?? key }

  /// What the action is: the need's short name, with the sector for a per-sector action.
  public func actionNeed(_ action: Recommendation) -> String {
    needShort(action.need) + (action.sector.map { " · " + sector($0) } ?? "")
  }

  /// The action with its place, for sentences: `Đào tạo nghề · Dệt may - thêu ren, Quỳnh Phụ`.
  public func actionTitle(_ action: Recommendation) -> String {
    actionNeed(action) + ", " + district(action.districtCode, carried: action.district)
  }

  /// The one-line reason behind an action's score. Its workers to train and its amount are sums over the
  /// establishments that wrote theirs: when some left the cell blank, it says how many wrote one, as the report
  /// does (`các cơ sở này đề nghị tổng 3,2 tỷ đồng (4/6 cơ sở ghi kinh phí)`).
  public func rationale(_ action: Recommendation) -> String {
    let figures = action.figures
    let place = district(action.districtCode, carried: action.district)
    let scope = action.sector.map { strings.sectorInDistrict(sector($0), place) } ?? strings.inDistrict(place)
    var text = strings.rationale(
      numbers.integer(figures.establishments), numbers.integer(action.surveyed), scope,
      numbers.percent(figures.establishments, of: action.surveyed), numbers.integer(figures.employees),
      numbers.integer(figures.notYetSupported))
    if action.need == "training" && figures.trainees > 0 {
      text += strings.rationaleTrainees(numbers.integer(figures.trainees))
      text += statedBy(figures.traineesStated, of: figures.establishments, strings.traineesStatedBy)
    }
    if figures.supportRequested > .zero {
      text += strings.rationaleMoney(numbers.money(figures.supportRequested))
      text += statedBy(figures.supportStated, of: figures.establishments, strings.amountsStatedBy)
    }
    return text
  }

  /// ` (3/5 …)` after a sum that only `stated` of the `establishments` wrote a figure for; "" when all did.
  func statedBy(_ stated: Int, of establishments: Int, _ some: (String, String) -> String) -> String {
    stated < establishments ? " (" + some(numbers.integer(stated), numbers.integer(establishments)) + ")" : ""
  }

  /// One establishment to approach, named so an officer can find it: name, commune, tax code or file and line.
  public func shortlistEntry(_ establishment: CountedEstablishment) -> String {
    var details: [String] = []
    if !establishment.commune.isEmpty { details.append(establishment.commune) }
    details.append(
      establishment.taxCode.isEmpty
        ? "\(establishment.sourceFile):\(establishment.sourceLine)"
        : (language == .vi ? "MST " : "tax code ") + establishment.taxCode)
    return "\(Self.singleLine(establishment.name)) (\(details.map(Self.singleLine).joined(separator: ", ")))"
  }

  /// Text on one line: line breaks, tabs and runs of spaces become one space.
  public static func singleLine(_ text: String) -> String {
    if isSingleLine(text) { return text }
    return text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
  }

  /// True when `singleLine` gives `text` back as it is, told from the bytes: no white space but single ASCII
  /// spaces between words. The split by Characters took about 1,400 instructions a name, for every name and
  /// commune of every shortlist. Sent the slow way: any byte that may begin other white space (tab to CR; U+0085
  /// and U+00A0 under C2; U+1680 under E1 9A; U+2000 to U+205F under E2; U+3000 under E3), and after a space
  /// anything but ASCII or a Latin letter (lead bytes C3 to C6, or E1 BA and E1 BB for Vietnamese): a combining
  /// mark there would make the space and the mark one Character, which the split removes whole.
  static func isSingleLine(_ text: String) -> Bool {
    let answer = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
      let count = bytes.count
      guard count > 0 else { return true }
      guard bytes[0] != 0x20 && bytes[count - 1] != 0x20 else { return false }
      for index in 0..<count {
        switch bytes[index] {
        case 0x09...0x0D, 0xC2, 0xE2, 0xE3: return false
        case 0xE1 where index + 1 < count && bytes[index + 1] == 0x9A: return false
        case 0x20:  // never the last byte
          let next = bytes[index + 1]
          let vietnamese = next == 0xE1 && index + 2 < count && (bytes[index + 2] == 0xBA || bytes[index + 2] == 0xBB)
          guard next != 0x20, next < 0x80 || (next >= 0xC3 && next <= 0xC6) || vietnamese else { return false }
        default: break
        }
      }
      return true
    }
    return answer ?? false
  }
}
