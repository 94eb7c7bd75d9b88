/// The report's words, one table per language: every sentence the report writes comes from here.

/// A report language: Vietnamese for the department, English for visitors and reviewers.
public enum ReportLanguage: String, Sendable, CaseIterable {
  case vi
  case en
}

/// The fixed text of the report in one language. Figures arrive already formatted (see `NumberFormat`).
public struct ReportStrings: Sendable {
  // Title
  public var title: String
  public var subtitle: String
  public var runLabel: @Sendable (String) -> String
  /// A run id read as its time in Vietnam: the id, the day and the time.
  public var runAt: @Sendable (_ id: String, _ day: String, _ time: String) -> String
  /// Under the title: the first and last survey dates of the counted rows (`dd/mm/yyyy`, maybe the same day)
  /// and how many had none (formatted; "0" for none).
  public var surveyPeriod: @Sendable (_ first: String, _ last: String, _ undated: String) -> String
  /// A key point when the survey dates span a year or more: files of an earlier round may be left in input/.
  public var periodSpansAYear: @Sendable (_ first: String, _ last: String) -> String

  // What changed
  public var changesHeading: String
  public var firstRun: String
  public var noFileChanges: String
  public var newFiles: String
  public var changedFiles: String
  public var removedFiles: String
  /// Files in the input folder that were still being written, left for the next run (`unsettled.json`).
  public var waitingFiles: String
  /// Files the previous run left waiting, compared with the last run that read them (`run`, its id): the files
  /// and their establishments are told against that run, the ranking still against the previous run.
  public var comparedEarlier: @Sendable (_ files: String, _ run: String) -> String
  /// Reference tables whose content changed since the previous run (a night's figures may move with them).
  public var referenceTablesChanged: String
  /// A file in the reference folder that no stage reads (a table saved under another name or format).
  public var referenceFileNotRead: @Sendable (_ file: String) -> String
  /// A folder inside the input folder that holds files: none of them is read.
  public var folderNotRead: @Sendable (_ folder: String) -> String
  public var establishmentsChanged: @Sendable (_ added: String, _ removed: String) -> String
  public var establishmentsUnchanged: String
  public var identityNote: String
  public var newEstablishmentsExamples: String
  public var leftTop: @Sendable (_ title: String, _ from: Int, _ now: Int?) -> String
  /// None of this run's top actions is new, up or down. Said so, not "the top kept their ranks": with fewer
  /// actions than before (a night that read fewer files), actions leave the top with none entering, and the
  /// "left the top" line that follows would contradict it.
  public var noMovement: @Sendable (_ top: Int) -> String
  public var previousMissing: @Sendable (_ file: String) -> String
  public var previousUnreadable: @Sendable (_ file: String, _ reason: String) -> String
  /// A previous artefact edited or cut short after its run (`RunComparison.changedAfterRun`): not damaged, and
  /// not of an older format.
  public var previousChanged: @Sendable (_ file: String, _ reason: String) -> String

  // Key findings
  public var findingsHeading: String
  public var surveyed: @Sendable (_ establishments: String, _ districts: Int, _ of: Int, _ workers: String) -> String
  public var topNeeds: String
  /// The establishments of a group's most requested need, when `needs` needs are tied for it ("15", "mỗi nội
  /// dung 15").
  public var tiedCount: @Sendable (_ count: String, _ needs: Int) -> String
  /// Needs tied for a group's most requested, past the three named.
  public var moreNeeds: @Sendable (_ count: String) -> String
  public var needCount: @Sendable (_ establishments: String, _ share: String) -> String
  public var notYetSupported: @Sendable (_ count: String, _ share: String) -> String
  public var planFinding: @Sendable (_ label: String, _ found: String, _ percent: String, _ target: String) -> String
  /// A target the survey's figure is no share of (other things counted, or another time): the two side by side.
  public var planBeside: @Sendable (_ label: String, _ found: String, _ target: String) -> String
  /// A target whose figure no establishment wrote (`found` says so): beside its target, with no share.
  public var planUnstated: @Sendable (_ label: String, _ found: String, _ target: String) -> String
  public var topAction: @Sendable (_ title: String, _ score: String, _ establishments: String) -> String
  /// After the key point on priority 1 when it rests on fewer establishments than `threshold` (formatted).
  public var topActionFew: @Sendable (_ threshold: String) -> String
  /// `overlapping`: files with establishments counted twice because another file, or the file itself, repeats
  /// most of their rows (`FileOverlap` with rows counted twice).
  /// The key point on the data: `rejected` counts the rows to fix; `decided` (nil for none) those an analyst
  /// decided lie outside the province, which wait for no one, and all the rows rejected, as Data quality counts
  /// them (which said 3 rejected below a key point of 2 rejected and 1 decided).
  public var dataFinding:
    @Sendable (
      _ files: Int, _ setAside: Int, _ overlapping: Int, _ review: String, _ rejected: String,
      _ decided: (rows: String, allRejected: String)?
    ) -> String
  public var nothingCounted: String

  // Units of measure
  public var workersToTrain: @Sendable (String) -> String
  public var establishmentsWithNeed: @Sendable (String) -> String
  public var moneyRequested: @Sendable (String) -> String
  /// After an amount requested, when only some of the establishments wrote one (the rest left the cell blank, or
  /// their file has no such column): `164/195 cơ sở ghi kinh phí`.
  public var amountsStatedBy: @Sendable (_ stated: String, _ establishments: String) -> String
  /// In place of an amount requested, when no establishment wrote one (not "0 đồng": none was asked for).
  public var noAmountStated: String
  /// After workers to train, when only some of the establishments asking for training wrote how many.
  public var traineesStatedBy: @Sendable (_ stated: String, _ establishments: String) -> String
  /// In place of the workers to train, when none of the establishments asking for training wrote how many.
  public var noTraineesStated: String
  public var establishmentsUnit: String
  public var workersUnit: String

  // Recommendations and plan
  public var recommendationsHeading: String
  public var recommendationsIntro: @Sendable (_ shown: Int, _ total: Int) -> String
  public var recommendationsHeader: [String]
  public var recommendationsFooter: String
  /// The mark of a recommendation resting on fewer establishments than `recommend-settings.csv` sets, beside
  /// its count in the top table and its title in a district's list.
  public var fewMark: String
  /// The one line that explains the mark where it shows: the threshold and the fewest establishments of a
  /// recommendation, formatted.
  public var fewNote: @Sendable (_ threshold: String, _ minimum: String) -> String
  public var noRecommendations: @Sendable (_ minimum: Int) -> String
  public var planHeading: String
  public var planHeader: [String]
  public var planNote: String
  public var sourceLabel: String
  public var provinceChartHeading: String
  public var provinceChartNote: String
  public var noneAsked: String
  public var previousRankHeader: String
  public var newInTop: String
  public var movementSummary: @Sendable (_ entered: Int, _ up: Int, _ down: Int, _ top: Int) -> String
  public var leftTopList: @Sendable (_ top: Int) -> String

  // Districts, types and sectors
  public var districtsHeading: String
  /// Under the heading: how many needs each district's chart shows, in what order, and where all are.
  public var districtsNote: @Sendable (_ shown: Int) -> String
  /// Under the heading, when the districts requested any support: their amounts are rounded to add up to the total.
  public var districtsMoneyRounded: @Sendable (_ total: String) -> String
  /// Under a district's chart: the needs asked for by as many establishments as its last bar, left off it.
  /// `sameWorkers` when one of them has as many workers too, so the form's order placed it after.
  public var chartTiesLeftOut:
    @Sendable (_ count: String, _ establishments: String, _ needs: String, _ sameWorkers: Bool) -> String
  /// The amount a district requested, in its summary line: `đề nghị 7,4 tỷ đồng`.
  public var districtMoney: @Sendable (String) -> String
  public var districtSummary:
    @Sendable (_ establishments: String, _ workers: String, _ unsupported: String, _ requested: String) -> String
  public var districtRecommendations: String
  /// A district's recommendation; `mark` is `fewMark` when it rests on few establishments.
  public var districtAction:
    @Sendable (_ title: String, _ mark: String?, _ rank: Int, _ score: String, _ figures: String) -> String
  public var actionFigures: @Sendable (_ establishments: String, _ workers: String) -> String
  public var approachFirst: String
  public var noDistrictRecommendation: @Sendable (_ minimum: Int) -> String
  /// Before the districts no counted establishment lies in. Not "no survey from": a district's rows may all have
  /// been merged into later surveys naming another district, or rejected.
  public var noSurveyFrom: String
  public var groupsHeading: String
  public var typeHeader: [String]
  public var sectorHeader: [String]

  // Data quality
  public var dataHeading: String
  public var dataSummary:
    @Sendable (
      _ files: Int, _ read: String, _ counted: String, _ duplicates: String, _ review: String, _ rejected: String,
      _ skipped: String, _ signature: String?
    ) -> String
  public var dataHeader: [String]
  public var statusEmpty: String
  public var statusSetAside: String
  public var totalRow: String
  /// A set-aside file, and the line its problem starts on when it has one (not for a folder or a link).
  public var setAsideProblem: @Sendable (_ file: String, _ line: String?) -> String
  public var emptyFile: @Sendable (_ file: String) -> String
  /// Many files that are no survey export (photos, documents: not workbooks, each of which is named), set aside
  /// together: how many, how many of each ending (`.jpg: 300`), and the first few names.
  public var otherFilesSetAside:
    @Sendable (_ count: String, _ endings: String, _ examples: String, _ more: String?) -> String
  /// Files that are no survey export, counted in a list of files: how many, and how many of each ending.
  public var otherFilesCounted: @Sendable (_ count: String, _ endings: String) -> String
  public var fileWarning: @Sendable (_ file: String) -> String
  /// A file left for the next run because it was still being written.
  public var waitingFile: @Sendable (_ file: String) -> String
  /// A file's columns that are not on the form (read by no stage), listed so a misspelt header is noticed.
  public var ignoredColumns: @Sendable (_ file: String, _ columns: String) -> String
  /// A file whose money columns' headers state a unit other than the form's million VND: each such header (as
  /// written, escaped) and the unit its amounts were converted from, so that an analyst can check the header.
  public var moneyConverted: @Sendable (_ file: String, _ columns: [(header: String, unit: MoneyUnit)]) -> String
  /// Why a corrections entry settled no row, and what to do; `code` sets a file or column name apart (Markdown
  /// code in the report, nothing in the cron log, which says it in English).
  public var unusedCorrection: @Sendable (_ entry: UnusedCorrection, _ code: (String) -> String) -> String
  /// A file most of whose rows are also in another file (or twice in itself), with what to do; `code` and
  /// `number` format file names and counts.
  public var fileOverlap:
    @Sendable (_ overlap: FileOverlap, _ code: (String) -> String, _ number: (Int) -> String) -> String
  /// Why a file was set aside or is empty, or a warning about it, with what to do; numbers come formatted by
  /// the closure given. Nil for a problem with no wording of its own: the summary's English sentence is shown.
  public var fileProblem: @Sendable (_ problem: FileProblem, _ number: (Int) -> String) -> String?
  public var normaliseExtras: @Sendable (_ possible: String, _ fuzzy: String, _ corrections: String) -> String
  /// Counted establishments with a remark in establishments.csv's `problems` column that asks for attention (not
  /// one whose only remark is the place note of an analyst's decision).
  public var remarkedRows: @Sendable (_ count: String) -> String
  /// Rejected rows an analyst decided lie outside the province: settled, left out of the rows to fix.
  public var decidedOutsideRows: @Sendable (_ count: String) -> String
  /// Rows merged by tax code into a row of another district: the code may be mistyped, joining two establishments.
  public var duplicatesAcrossDistricts: @Sendable (_ count: String) -> String
  /// Before the first rows of rejects.csv; `shown` equals `total` when the table holds them all.
  public var listedRejected: @Sendable (_ shown: String, _ total: String, _ all: Bool) -> String
  /// Before the first rows of review.csv.
  public var listedReview: @Sendable (_ shown: String, _ total: String, _ all: Bool) -> String
  public var listedHeader: [String]
  /// The review table's last column.
  public var suggestionsHeader: String
  public var listsIntro: String
  public var rejectsList: String
  public var reviewList: String
  public var duplicatesList: String

  // Method
  public var methodHeading: String
  /// - Parameter inTable: the minimum is `min_establishments` of `recommend-settings.csv` (not an option's).
  public var methodUnit: @Sendable (_ minimum: Int, _ inTable: Bool) -> String
  public var methodBySector: @Sendable (_ needs: String, _ why: String) -> String
  /// After the needs recommended per sector: establishments with no sector given are left out of those.
  public var methodNoSector: String
  public var methodFactors: String
  public var methodWeight: @Sendable (_ share: String) -> String
  public var factorDefaults: [ScoringWeights.Factor: String]
  public var methodFormula: String
  public var methodTies: String
  /// The method's paragraph on the mark: the threshold and the fewest establishments of a recommendation.
  public var methodFew: @Sendable (_ threshold: String, _ minimum: String) -> String
  /// No recommendation can be marked: the threshold (formatted) is no more than the fewest establishments of a
  /// recommendation, or, nil, the reference folder has no `recommend-settings.csv`.
  public var methodFewOff: @Sendable (_ threshold: String?) -> String
  public var methodShortlist: String
  public var methodCounting: String
  public var methodSources: String

  // Recommendation rationale (the CSV always uses the Vietnamese one)
  public var rationale:
    @Sendable (
      _ asking: String, _ surveyed: String, _ place: String, _ share: String, _ workers: String,
      _ unsupported: String
    ) -> String
  public var rationaleTrainees: @Sendable (String) -> String
  public var rationaleMoney: @Sendable (String) -> String
  public var sectorInDistrict: @Sendable (_ sector: String, _ district: String) -> String
  public var inDistrict: @Sendable (_ district: String) -> String
  public var listSeparator: String

  /// The table for `language`.
  public static func `for`(_ language: ReportLanguage) -> ReportStrings {
    language == .vi ? vietnamese : english
  }
}
