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
  /// Whether the row wrote how many workers it wants trained (`0` included).
  public var traineesStated: Bool
  public var supportRequested: Money
  /// Whether the row wrote an amount of support (`0` included); a blank cell adds nothing to the sums, and the
  /// report says how many of the establishments its amounts rest on.
  public var supportStated: Bool
  /// True or false when the respondent said; nil when the cell was blank.
  public var previouslySupported: Bool?
  /// ISO date, or "".
  public var surveyDate: String
  /// Need keys, each once, in catalogue order.
  public var needs: [String]

  public init(
    sourceFile: String, sourceLine: Int, taxCode: String = "", name: String, enterpriseType: String,
    districtCode: String, district: String, commune: String = "", sector: String = "", employees: Int = 0,
    trainees: Int = 0, traineesStated: Bool? = nil, supportRequested: Money = .zero, supportStated: Bool? = nil,
    previouslySupported: Bool? = nil,
    surveyDate: String = "", needs: [String] = []
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
    self.traineesStated = traineesStated ?? (trainees != 0)
    self.supportRequested = supportRequested
    self.supportStated = supportStated ?? (supportRequested != .zero)
    self.previouslySupported = previouslySupported
    self.surveyDate = surveyDate
    self.needs = needs
  }

  /// How the establishment is recognised from one run to the next: its tax code, else its name (folded: case,
  /// diacritics and spacing aside) and district. Not its file and line: a row added above it would move it.
  public var identity: String { Self.identity(taxCode: taxCode, name: name, districtCode: districtCode) }

  /// The identity of an establishment with these fields.
  static func identity(taxCode: String, name: @autoclosure () -> String, districtCode: String) -> String {
    taxCode.isEmpty ? identity(name: name(), districtCode: districtCode) : taxCode
  }

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
  public static func canonicalOrder(_ a: CountedEstablishment, _ b: CountedEstablishment) -> Bool { a.precedes(b) }
}

/// A counted establishment as the report stages add it up: a whole `CountedEstablishment`, or a row as
/// `EstablishmentsReader` reads it for the report (`EstablishmentsReader.Row`), which holds its figures and makes
/// each text from the row's bytes only when asked: when no answer is known yet for the text's spelling, or when the
/// row is kept. Code that adds rows up is generic over this, so that the report's million rows are added without
/// a `CountedEstablishment` each, whose Strings and arrays were retained and released about twenty times a row.
protocol EstablishmentRow {
  var sourceFile: String { get }
  var sourceLine: Int { get }
  var taxCode: String { get }
  var name: String { get }
  var enterpriseType: String { get }
  var districtCode: String { get }
  var district: String { get }
  var sector: String { get }
  var employees: Int { get }
  var trainees: Int { get }
  var traineesStated: Bool { get }
  var supportRequested: Money { get }
  var supportStated: Bool { get }
  var previouslySupported: Bool? { get }
  var surveyDate: String { get }
  /// `TaxKey.pack(taxCode)`.
  var taxKey: UInt64? { get }
  /// The establishment with every field.
  var whole: CountedEstablishment { get }
}

extension EstablishmentRow {
  /// `CountedEstablishment.notKnownToBeSupported`.
  var notKnownToBeSupported: Bool { previouslySupported != true }

  /// `CountedEstablishment.identity`.
  var identity: String { CountedEstablishment.identity(taxCode: taxCode, name: name, districtCode: districtCode) }

  /// True when this row comes before `other` in the canonical order (`CountedEstablishment.canonicalOrder`).
  func precedes(_ other: some EstablishmentRow) -> Bool {
    let (file, otherFile) = (sourceFile, other.sourceFile)
    if file != otherFile { return file.utf8.lexicographicallyPrecedes(otherFile.utf8) }
    return sourceLine < other.sourceLine
  }
}

extension CountedEstablishment: EstablishmentRow {
  var taxKey: UInt64? { TaxKey.pack(taxCode) }
  var whole: CountedEstablishment { self }
}
