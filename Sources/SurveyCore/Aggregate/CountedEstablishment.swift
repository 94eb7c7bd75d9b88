/// One counted establishment, as the normalise stage wrote it to `establishments.csv`.

/// A counted establishment with the figures the report stages add up.
public struct CountedEstablishment: Sendable, Equatable {
  public var sourceFile: String
  public var sourceLine: Int
  /// Normalised tax code (digits, branch suffix kept), or "" for many household businesses.
  public var taxCode: String
  public var name: String
  /// `company`, `cooperative`, `coop_group` or `household`.
  public var enterpriseType: String
  /// National code of the former district (336, 338–344).
  public var districtCode: String
  /// The district's Vietnamese name as normalise wrote it.
  public var district: String
  public var commune: String
  /// The sector as normalise wrote it (a key or a name); "" when the form left it blank.
  public var sector: String
  public var employees: Int
  public var trainees: Int
  public var supportRequested: Money
  /// True or false when the respondent said; nil when the cell was blank.
  public var previouslySupported: Bool?
  /// ISO date, or "".
  public var surveyDate: String
  /// Need keys, each once, in catalogue order.
  public var needs: [String]

  public init(
    sourceFile: String, sourceLine: Int, taxCode: String = "", name: String, enterpriseType: String,
    districtCode: String, district: String, commune: String = "", sector: String = "", employees: Int = 0,
    trainees: Int = 0, supportRequested: Money = .zero, previouslySupported: Bool? = nil, surveyDate: String = "",
    needs: [String] = []
  ) {
    self.sourceFile = sourceFile
    self.sourceLine = sourceLine
    self.taxCode = taxCode
    self.name = name
    self.enterpriseType = enterpriseType
    self.districtCode = districtCode
    self.district = district
    self.commune = commune
    self.sector = sector
    self.employees = employees
    self.trainees = trainees
    self.supportRequested = supportRequested
    self.previouslySupported = previouslySupported
    self.surveyDate = surveyDate
    self.needs = needs
  }

  /// How the establishment is recognised from one run to the next: its tax code, else its name (folded: case,
  /// diacritics and spacing aside) and district. Not its file and line: a row added above it would move it.
  public var identity: String { taxCode.isEmpty ? Self.identity(name: name, districtCode: districtCode) : taxCode }

  /// The identity of an establishment without a tax code.
  static func identity(name: String, districtCode: String) -> String {
    TextFolding.key(name) + "|" + districtCode
  }

  /// True unless the respondent said the establishment has had khuyến công support before.
  ///
  /// A blank answer counts as not yet supported: nothing on record says it was reached.
  public var notKnownToBeSupported: Bool { previouslySupported != true }

  /// True when the establishment asked for `need`.
  public func has(_ need: String) -> Bool { needs.contains(need) }

  /// The canonical order of establishments: by file name (bytes), then line. Input order never matters.
  public static func canonicalOrder(_ a: CountedEstablishment, _ b: CountedEstablishment) -> Bool {
    if a.sourceFile != b.sourceFile { return a.sourceFile.utf8.lexicographicallyPrecedes(b.sourceFile.utf8) }
    return a.sourceLine < b.sourceLine
  }
}
