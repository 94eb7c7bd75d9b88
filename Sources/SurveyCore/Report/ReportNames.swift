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

  /// The one-line reason behind an action's score.
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
    }
    if figures.supportRequested > .zero { text += strings.rationaleMoney(numbers.money(figures.supportRequested)) }
    return text
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
    text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
  }
}
