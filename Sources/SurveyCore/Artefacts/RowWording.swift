/// The words of the row lists an analyst works from: the reasons in `rejects.csv`, `review.csv` and
/// `duplicates.csv`, and the remarks in `establishments.csv`'s `problems` column. One table per language, as
/// for the report (`ReportStrings`): Vietnamese for the department's nightly run, English for the library's
/// callers and tests unless they ask.

/// A field of a counted row whose value could not be read; the row is still counted.
public enum UnreadField: Sendable, CaseIterable {
  case taxCode, surveyDate, employees, revenue, trainees, supportRequested, previouslySupported
}

/// The fixed words of the row lists in one language. Values quoted from the row come in as written.
public struct RowWording: Sendable {
  // Ingest: rows and files that cannot be read.
  public var invalidBytes: String
  public var controlCharacters: String
  public var beyondHeader: @Sendable (_ cells: Int, _ headerColumns: Int) -> String
  /// A row alone but for its STT, in capitals and opening with a level word, that names no district of the
  /// province (`GroupHeadings.Kind.lookalike`): a compilation's heading, most likely, not an establishment.
  public var looksLikeGroupHeading: @Sendable (_ written: String) -> String
  /// A column with no header, by its number.
  public var columnNumber: @Sendable (_ number: Int) -> String
  public var fileSetAside: @Sendable (FileProblem) -> String

  // Normalise: rows not counted.
  public var noName: String
  public var noType: String
  public var typeMatchesNone: String
  // Normalise: a counted row's value left blank.
  public var notRead: @Sendable (UnreadField, _ written: String) -> String
  /// A survey date after the day the run takes as today (`RowNormaliser.today`), both `dd/mm/yyyy`: a year typed
  /// wrong (2052 for 2025), left blank so that it neither wins deduplication nor stretches the survey period.
  /// `laterYear`: the date's year is after the run's, so the year is what to check; else the year is right and the
  /// day or month is wrong (03/12/2026 on 02/12/2026), and "check the year" would send the analyst to the wrong part.
  public var surveyDateAfterRun: @Sendable (_ date: String, _ today: String, _ laterYear: Bool) -> String
  /// A number read, but negative or past what any establishment could have (`RowNormaliser.largest`): left blank.
  public var notPlausible: @Sendable (UnreadField, _ written: String) -> String
  /// A tax code of ten times one digit (`TaxCode.Reading.placeholder`).
  public var placeholderTaxCode: @Sendable (_ written: String) -> String
  public var noEmployees: String
  /// More workers to train than the establishment employs: kept, but said (one such row can make the plan's
  /// training figure).
  public var traineesExceedEmployees: @Sendable (_ trainees: String, _ employees: String) -> String
  public var sectorNotRecognised: @Sendable (_ written: String) -> String
  public var needNotRecognised: @Sendable (_ written: String) -> String
  /// Text in a need's own column that is no mark the form lists: the need is counted, and the text said.
  public var needMarkCounted: @Sendable (_ written: String) -> String
  /// A bare amount in a column whose header states a unit of money that is not read ("(USD)"): left blank.
  public var amountUnitNotRead: @Sendable (UnreadField, _ written: String) -> String

  // Places.
  public var districtOnlyApproximate: String
  public var communeLiesIn: @Sendable (_ commune: String, _ district: String) -> String
  public var communeNotRecognisedNote: @Sendable (_ commune: String) -> String
  public var districtNotRecognisedNote: @Sendable (_ district: String) -> String
  /// The district cell names a commune, which gave the district.
  public var districtCellNamesCommune: @Sendable (_ written: String) -> String
  public var neitherDistrictNorCommune: String
  public var onlyProvinceGiven: String
  public var outsideByCorrection: @Sendable (_ location: String) -> String
  public var fitsSeveralDistricts: String
  public var outside: @Sendable (_ place: String) -> String
  public var districtNotRecognised: String
  public var oldNameNowOutside: String
  /// The name is a place outside's letter for letter, and ours only without diacritics or at another level.
  public var nameFitsOutsideExactly: String
  public var communeNotRecognised: String
  public var newCommuneSpansDistricts: String
  public var communeInSeveralDistricts: String
  /// The commune cell names two communes of ours, neither merged into the other.
  public var twoCommunesNamed: String
  /// The cell names two different districts of ours.
  public var twoDistrictsNamed: String
  /// The commune cell names a district other than the one that stands.
  public var communeCellNamesDistrict: @Sendable (_ district: String) -> String
  /// A bare "Thái Bình" in the district cell beside a commune of another district: read as the province.
  public var districtCellIsProvince: @Sendable (_ written: String) -> String
  /// "A, B or C".
  public var alternatives: @Sendable (_ items: [String]) -> String
  /// After the name of a commune of the 2025 reorganisation, in suggestions.
  public var newCommuneTag: String
  /// After a unit of Hưng Yên as it was before the 2025 reorganisation.
  public var beforeReform: String

  // Duplicates.
  /// Same tax code, and the rule of the form that chose the row that stands.
  public var sameTaxCode: @Sendable (_ taxCode: String, _ rule: StandingRule) -> String
  /// Instead of `sameTaxCode`, when the merged row's survey date was after the run's day (`surveyDateAfterRun`), so
  /// taken as none: the rule's "this one has none" would send an analyst looking for a blank cell, and the row's
  /// remark, which quotes the date, goes with the row. The rule is `datedSurvey` or, when the row that stands has
  /// no date either, `laterFile(nil)` or `laterRow(nil)`. The date itself is not at hand where the streaming stage
  /// words the reason (its record keeps the date read, none here), so the reason names the cell to check.
  public var mergedDateAfterRun: @Sendable (_ taxCode: String, _ rule: StandingRule) -> String
  /// After `sameTaxCode`, when the two rows are in different districts: the tax code may be mistyped.
  public var taxCodeAcrossDistricts: @Sendable (_ kept: String, _ row: String) -> String
  public var sameByCorrection: @Sendable (_ location: String) -> String
  public var possibleDuplicate: String
  /// A row without a tax code whose name, district and commune are those of a row with this tax code. `matched`
  /// (`file:line`) is that row when it is not the one listed beside it: merged into a row of the same code written
  /// elsewhere, which the analyst opening duplicates.csv's listed row would find in another commune.
  public var possibleDuplicateOfTaxCode: @Sendable (_ taxCode: String, _ matched: String?) -> String

  /// True when a rejects.csv reason says an analyst decided the row lies outside the province, in either
  /// language (one of the reasons a row has, joined by "; ").
  static func decidedOutside(_ reason: String) -> Bool {
    reason.components(separatedBy: "; ").contains { part in
      decidedOutsideForms.contains {
        part.hasPrefix($0[0]) && part.hasSuffix($0[1]) && part.count > $0[0].count + $0[1].count
      }
    }
  }

  /// `outsideByCorrection` in each language, as the text before and after the corrections line it names.
  private static let decidedOutsideForms = [english, vietnamese].map {
    $0.outsideByCorrection("\u{0}").components(separatedBy: "\u{0}")
  }

  /// The wording of `language`.
  public static func of(_ language: ReportLanguage) -> RowWording {
    switch language {
    case .vi: return .vietnamese
    case .en: return .english
    }
  }

  /// English: what the pipeline has always written.
  public static let english = RowWording(
    invalidBytes: "bytes that are not valid text in this row (a damaged file or a mixed encoding): "
      + "correct the cell and re-export the file as CSV UTF-8",
    controlCharacters: "control characters (such as NUL) in a cell: retype the cell and re-export",
    beyondHeader: {
      "the row has values beyond the last header column (\($0) cells, header \($1)): a delimiter or quote inside "
        + "a cell split it, or the column has no header; check the row, or give the column a header (it is then "
        + "read as a column the form does not have, and left out)"
    },
    looksLikeGroupHeading: {
      "the row looks like a group heading of a compilation (\"\($0)\" alone in its row), not an establishment, but "
        + "names no district of the province: delete the row if it is a heading, or correct the district's name"
    },
    columnNumber: { "column \($0)" },
    fileSetAside: { "file set aside: " + $0.english },
    noName: "no establishment name",
    noType: "no enterprise type",
    typeMatchesNone:
      "enterprise type matches none of: company, cooperative, cooperative group, household business",
    notRead: { "\(RowWording.englishName($0)) not read: \($1)" },
    surveyDateAfterRun: {
      "survey date \($0) after the run's day \($1): taken as not written; check the \($2 ? "year" : "day and month")"
    },
    notPlausible: {
      "\(RowWording.englishName($0)) \($1) left blank: negative, or more than any establishment could have (check "
        + "the unit)"
    },
    placeholderTaxCode: {
      "tax code \($0) is a placeholder (one digit ten times): not used to merge surveys; write the real code, or "
        + "leave the cell blank"
    },
    noEmployees: "employees not given (the form asks for them): counted, with no workers in the sums",
    traineesExceedEmployees: { "more workers to train (\($0)) than employees (\($1)): check both in the source file" },
    sectorNotRecognised: { "sector not recognised: \($0)" },
    needNotRecognised: { "need not recognised: \($0)" },
    needMarkCounted: { "mark not recognised in a need's column, counted as the need: \($0)" },
    amountUnitNotRead: {
      "\(RowWording.englishName($0)) \($1) not read: the column's header states a unit of money that is not read "
        + "(only triệu đồng, nghìn đồng, đồng and tỷ đồng are); correct the header, or write the unit in the cell"
    },
    districtOnlyApproximate: "district matched only approximately and the commune lies in another district",
    communeLiesIn: { "commune \($0) lies in \($1)" },
    communeNotRecognisedNote: { "commune \($0) not recognised" },
    districtNotRecognisedNote: { "district \($0) not recognised" },
    districtCellNamesCommune: { "the district cell names a commune: \($0)" },
    neitherDistrictNorCommune: "neither district nor commune given",
    onlyProvinceGiven: "only the province is written; give the district or the commune",
    outsideByCorrection: { "outside the province (decided in \($0))" },
    fitsSeveralDistricts: "the name fits more than one district",
    outside: { "outside the province: \($0)" },
    districtNotRecognised: "district not recognised",
    oldNameNowOutside: "an old name in former Thái Bình, and a place outside the province today",
    nameFitsOutsideExactly:
      "the name matches a place outside the province letter for letter, or by its level word (Xã, Phường), and "
      + "matches a commune of ours only without diacritics or at another level",
    communeNotRecognised: "commune not recognised",
    newCommuneSpansDistricts: "new commune spans two old districts",
    communeInSeveralDistricts: "commune name exists in more than one district",
    twoCommunesNamed: "the cell names two different communes",
    twoDistrictsNamed: "the cell names two different districts",
    communeCellNamesDistrict: { "the commune cell names \($0)" },
    districtCellIsProvince: { "the district cell \"\($0)\" read as the province: the district is the commune's" },
    alternatives: { RowWording.joined($0, or: "or") },
    newCommuneTag: " [from 2025]",
    beforeReform: "before 2025",
    sameTaxCode: { code, rule in
      switch rule {
      case .laterSurvey(let kept, let row): "same tax code \(code); the later survey stands (\(kept); this one \(row))"
      case .datedSurvey(let kept): "same tax code \(code); the survey with a date stands (\(kept); this one has none)"
      case .laterFile(let date?): "same tax code \(code), same survey date (\(date)); the file later by name stands"
      case .laterFile(nil): "same tax code \(code), no survey date on either; the file later by name stands"
      case .laterRow(let date?): "same tax code \(code), same survey date (\(date)); the later row stands"
      case .laterRow(nil): "same tax code \(code), no survey date on either; the later row stands"
      }
    },
    mergedDateAfterRun: { code, rule in
      let check = "this one's survey date is after the run's day, so taken as none: check it in the survey file"
      switch rule {
      case .datedSurvey(let kept), .laterSurvey(let kept, _):
        return "same tax code \(code); the survey with a date stands (\(kept)); \(check)"
      case .laterFile, .laterRow:
        let standing = if case .laterRow = rule { "the later row stands" } else { "the file later by name stands" }
        return "same tax code \(code), no survey date on the row that stands; \(check); \(standing)"
      }
    },
    taxCodeAcrossDistricts: {
      "the row that stands is in \($0), this one in \($1): if they are two establishments, correct the tax code in "
        + "the survey file"
    },
    sameByCorrection: { "same establishment (decided in \($0))" },
    possibleDuplicate: "no tax code; same name, district and commune: both counted until settled",
    possibleDuplicateOfTaxCode: { code, matched in
      "no tax code; same name, district and commune as "
        + (matched.map { "\($0), a row of the establishment" } ?? "the establishment")
        + " with tax code \(code): both counted until settled"
    })

  /// Vietnamese, the department's language: the nightly run's default.
  public static let vietnamese = RowWording(
    invalidBytes: "dòng có byte không phải văn bản hợp lệ (tệp bị hỏng hoặc lẫn bảng mã): "
      + "sửa ô này rồi xuất lại tệp dạng CSV UTF-8",
    controlCharacters: "ô có ký tự điều khiển (như NUL): gõ lại ô này rồi xuất lại tệp",
    beyondHeader: {
      "dòng có giá trị nằm ngoài cột tiêu đề cuối cùng (\($0) ô, tiêu đề có \($1) cột): dấu phân cách hoặc dấu "
        + "ngoặc kép trong một ô đã tách ô ra, hoặc cột đó chưa có tiêu đề; kiểm tra lại dòng này, hoặc đặt tiêu đề cho "
        + "cột (cột sẽ được coi là cột ngoài phiếu và không được đọc)"
    },
    looksLikeGroupHeading: {
      "dòng này giống dòng tiêu đề nhóm của một bảng tổng hợp (chỉ có \"\($0)\"), không phải một cơ sở, nhưng không "
        + "ghi huyện nào của tỉnh: xoá dòng này nếu là tiêu đề, hoặc sửa lại tên huyện"
    },
    columnNumber: { "cột \($0)" },
    fileSetAside: { problem in
      "tệp bị để riêng: "
        + (ReportStrings.vietnamese.fileProblem(problem, NumberFormat(.vi).integer) ?? problem.english)
    },
    noName: "thiếu tên cơ sở",
    noType: "thiếu loại hình",
    typeMatchesNone: "loại hình không khớp với doanh nghiệp, hợp tác xã, tổ hợp tác hay hộ kinh doanh",
    notRead: { "không đọc được \(RowWording.vietnameseName($0)): \($1)" },
    surveyDateAfterRun: {
      "ngày khảo sát \($0) sau ngày chạy \($1): coi như không ghi; kiểm tra lại \($2 ? "năm" : "ngày, tháng")"
    },
    notPlausible: {
      "để trống \(RowWording.vietnameseName($0)) \($1): số âm, hoặc lớn hơn mức một cơ sở có thể có (kiểm tra lại "
        + "đơn vị)"
    },
    placeholderTaxCode: {
      "mã số thuế \($0) là số điền tạm (một chữ số lặp mười lần): không dùng để gộp phiếu; ghi mã thật, hoặc để "
        + "trống ô này"
    },
    noEmployees: "không ghi số lao động (phiếu bắt buộc ghi): cơ sở vẫn được tính, nhưng không cộng lao động",
    traineesExceedEmployees: {
      "số lao động cần đào tạo (\($0)) nhiều hơn số lao động (\($1)): kiểm tra cả hai trong tệp gốc"
    },
    sectorNotRecognised: { "không nhận ra ngành nghề: \($0)" },
    needNotRecognised: { "không nhận ra nhu cầu: \($0)" },
    needMarkCounted: { "không nhận ra dấu ở cột nhu cầu, vẫn tính là có nhu cầu này: \($0)" },
    amountUnitNotRead: {
      "không đọc được \(RowWording.vietnameseName($0)) \($1): tiêu đề cột ghi đơn vị tiền không đọc được (chỉ đọc "
        + "triệu đồng, nghìn đồng, đồng và tỷ đồng); hãy sửa tiêu đề, hoặc ghi đơn vị ngay trong ô"
    },
    districtOnlyApproximate: "tên huyện chỉ khớp gần đúng, còn xã/phường lại thuộc huyện khác",
    communeLiesIn: { "xã/phường \($0) thuộc \($1)" },
    communeNotRecognisedNote: { "không nhận ra xã/phường \($0)" },
    districtNotRecognisedNote: { "không nhận ra huyện \($0)" },
    districtCellNamesCommune: { "ô huyện ghi tên xã/phường: \($0)" },
    neitherDistrictNorCommune: "không ghi huyện, cũng không ghi xã/phường",
    onlyProvinceGiven: "chỉ ghi tên tỉnh; cần ghi huyện hoặc xã/phường",
    outsideByCorrection: { "ngoài tỉnh (theo \($0))" },
    fitsSeveralDistricts: "tên này khớp với nhiều huyện",
    outside: { "ngoài tỉnh: \($0)" },
    districtNotRecognised: "không nhận ra huyện",
    oldNameNowOutside: "tên cũ của một nơi thuộc Thái Bình (cũ), nay cũng là tên một nơi ngoài tỉnh",
    nameFitsOutsideExactly:
      "tên trùng từng chữ, hoặc trùng cấp (xã/phường), với một nơi ngoài tỉnh; với xã/phường của tỉnh chỉ giống khi "
      + "bỏ dấu hoặc khác cấp",
    communeNotRecognised: "không nhận ra xã/phường",
    newCommuneSpansDistricts: "xã/phường mới nằm trên hai huyện cũ",
    communeInSeveralDistricts: "tên xã/phường này có ở nhiều huyện",
    twoCommunesNamed: "ô ghi hai xã/phường khác nhau",
    twoDistrictsNamed: "ô ghi hai huyện khác nhau",
    communeCellNamesDistrict: { "ô xã/phường ghi \($0)" },
    districtCellIsProvince: { "ô huyện ghi “\($0)”, hiểu là tên tỉnh: huyện lấy theo xã/phường" },
    alternatives: { RowWording.joined($0, or: "hoặc") },
    newCommuneTag: " [từ 2025]",
    beforeReform: "trước 2025",
    sameTaxCode: { code, rule in
      switch rule {
      case .laterSurvey(let kept, let row):
        "trùng mã số thuế \(code); lấy phiếu khảo sát sau (\(kept); phiếu này \(row))"
      case .datedSurvey(let kept):
        "trùng mã số thuế \(code); lấy phiếu có ngày khảo sát (\(kept); phiếu này không có ngày đọc được)"
      case .laterFile(let date?): "trùng mã số thuế \(code), cùng ngày khảo sát (\(date)); lấy tệp xếp sau theo tên"
      case .laterFile(nil): "trùng mã số thuế \(code), cả hai phiếu không có ngày khảo sát; lấy tệp xếp sau theo tên"
      case .laterRow(let date?): "trùng mã số thuế \(code), cùng ngày khảo sát (\(date)); lấy dòng sau"
      case .laterRow(nil): "trùng mã số thuế \(code), cả hai phiếu không có ngày khảo sát; lấy dòng sau"
      }
    },
    mergedDateAfterRun: { code, rule in
      let check = "ngày khảo sát của phiếu này sau ngày chạy nên coi như không ghi: kiểm tra lại trong tệp gốc"
      switch rule {
      case .datedSurvey(let kept), .laterSurvey(let kept, _):
        return "trùng mã số thuế \(code); lấy phiếu có ngày khảo sát (\(kept)); \(check)"
      case .laterFile, .laterRow:
        let standing = if case .laterRow = rule { "lấy dòng sau" } else { "lấy tệp xếp sau theo tên" }
        return "trùng mã số thuế \(code), phiếu được lấy không có ngày khảo sát; \(check); \(standing)"
      }
    },
    taxCodeAcrossDistricts: {
      "phiếu được lấy ở \($0), phiếu này ở \($1): nếu là hai cơ sở khác nhau, sửa mã số thuế trong tệp khảo sát"
    },
    sameByCorrection: { "cùng một cơ sở (theo \($0))" },
    possibleDuplicate: "không có mã số thuế; cùng tên, huyện và xã/phường: vẫn tính cả hai cho đến khi xác minh",
    possibleDuplicateOfTaxCode: { code, matched in
      "không có mã số thuế; cùng tên, huyện và xã/phường với "
        + (matched.map { "phiếu \($0) của cơ sở" } ?? "cơ sở")
        + " có mã số thuế \(code): vẫn tính cả hai cho đến khi xác minh"
    })

  /// duplicates.csv's reason for a row merged by tax code: the rule that chose the row that stands (`sameTaxCode`),
  /// then what an analyst should check of the merge: this row's survey date not believed (`mergedDateAfterRun`), and
  /// the two rows' districts, given only when they differ (`taxCodeAcrossDistricts`). The streaming stage and the
  /// reference deduplicator both word it here.
  func mergedByTaxCode(
    _ code: String, _ rule: StandingRule, dateAfterRun: Bool, districts: (kept: String, row: String)?
  ) -> String {
    var reason = dateAfterRun ? mergedDateAfterRun(code, rule) : sameTaxCode(code, rule)
    if let districts { reason += "; " + taxCodeAcrossDistricts(districts.kept, districts.row) }
    return reason
  }

  /// "A, B or C" with the language's word for "or".
  static func joined(_ items: [String], or word: String) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " \(word) " + items.last!
  }

  static func englishName(_ field: UnreadField) -> String {
    switch field {
    case .taxCode: "tax code"
    case .surveyDate: "survey date"
    case .employees: "employees"
    case .revenue: "revenue"
    case .trainees: "trainees"
    case .supportRequested: "support_requested"
    case .previouslySupported: "previously_supported"
    }
  }

  static func vietnameseName(_ field: UnreadField) -> String {
    switch field {
    case .taxCode: "mã số thuế"
    case .surveyDate: "ngày khảo sát"
    case .employees: "số lao động"
    case .revenue: "doanh thu năm"
    case .trainees: "số lao động cần đào tạo"
    case .supportRequested: "kinh phí đề nghị hỗ trợ"
    case .previouslySupported: "đã được hỗ trợ khuyến công"
    }
  }
}
