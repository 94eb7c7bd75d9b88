/// The report in English, for readers outside the department (`--lang en`).

extension ReportStrings {
  /// English.
  public static let english = ReportStrings(
    title: "Survey of industrial-promotion (khuyến công) support needs",
    subtitle: "Former Thái Bình province, now part of Hưng Yên · Department of Industry and Trade",
    runLabel: { "Run: \($0)" },
    runAt: { id, day, time in "Run \(id): \(day) at \(time), Vietnam time" },
    surveyPeriod: { first, last, undated in
      "The establishments counted were surveyed " + (first == last ? "on \(first)" : "from \(first) to \(last)")
        + (undated == "0"
          ? "." : " (\(count(undated, "survey")) without a readable survey date, or dated after the run's day).")
    },
    periodSpansAYear: { first, last in
      "**The survey dates are a year or more apart** (from \(first) to \(last)): check whether the input folder still "
        + "holds files of an earlier survey round; each file's dates are under Data quality."
    },

    changesHeading: "What changed since the previous run",
    firstRun: "This is the first run: there is no previous run to compare with.",
    noFileChanges: "Survey files: none new or changed.",
    newFiles: "New files",
    changedFiles: "Changed files",
    removedFiles: "Files no longer present",
    waitingFiles: "Files still being written when the run started, left for the next run (their establishments "
      + "are not in this run's figures or ranking, nor counted as removed)",
    comparedEarlier: { files, run in
      "Still being written at the previous run, so the files and their establishments are compared with run \(run), "
        + "the last that read them (the ranking still with the previous run, which did not count them): \(files)."
    },
    referenceTablesChanged: "Reference tables edited (the figures may move with them)",
    referenceFileNotRead: {
      "\($0) in the reference folder is not read: tables are read only as .csv under the names in "
        + "`reference/README.md`; save it as CSV UTF-8 under its table's name, or move it out"
    },
    folderNotRead: {
      "The folder \($0) inside the input folder is not read: files inside folders are not read; if it holds survey "
        + "exports, move them up into the input folder"
    },
    establishmentsChanged: { "Establishments: **\($0)** added, **\($1)** removed" },
    establishmentsUnchanged: "Establishments: none added or removed",
    identityNote: "matched by tax code, or by name and district where there is none",
    newEstablishmentsExamples: "New establishments",
    leftTop: { title, from, now in "\(title) (rank \(from) → \(now.map { "\($0)" } ?? "gone"))" },
    noMovement: { "No recommendation entered the top \($0) or changed rank in it." },
    previousMissing: { "The previous run has no \($0): this comparison is left out." },
    previousUnreadable: { "The previous run's \($0) could not be read (\($1)): this comparison is left out." },
    previousChanged: { "The previous run's \($0) is not what that run wrote (\($1)): this comparison is left out." },

    findingsHeading: "Key findings",
    surveyed: {
      "**\(count($0, "establishment"))** surveyed in \($1) of \($2) districts, employing **\(count($3, "worker"))**."
    },
    topNeeds: "Most requested",
    tiedCount: { count, needs in needs > 1 ? "\(count) each" : count },
    moreNeeds: { "\($0) more" },
    needCount: { "\(count($0, "establishment")), \($1)" },
    notYetSupported: {
      "**\(count($0, "establishment")) (\($1))** \($0 == "1" ? "has" : "have") never had khuyến công support, "
        + "or did not answer that question."
    },
    planFinding: { "**\($0)**: \($1), **\($2)** of \($3)." },
    planBeside: { "**\($0)**: \($1); target: \($2), not the same kind of figure, so no share is given." },
    planUnstated: { "**\($0)**: \($1); target: \($2)." },
    topAction: { "Priority 1: **\($0)** (score \($1); \(count($2, "establishment")))." },
    topActionFew: {
      "It rests on fewer than \($0) establishments asking (“few establishments”), so its score is less certain: look "
        + "closer before deciding."
    },
    dataFinding: { files, setAside, overlapping, review, rejected, decided in
      "Data: \(count(String(files), "file"))" + (setAside > 0 ? " (\(setAside) set aside)" : "")
        + (overlapping > 0
          ? ", **\(count(String(overlapping), "file")) repeating rows of another file or of \(overlapping == 1 ? "itself" : "themselves"), "
            + "so some establishments are counted twice** (sent again under a new name, or pasted twice?)"
          : "")
        + "; \(count(review, "row")) to review, "
        + (decided.map {
          "\(count($0.allRejected, "row")) rejected: \(rejected) to fix, \($0.rows) decided to lie outside the "
            + "province"
        } ?? "\(count(rejected, "row")) rejected") + " (see Data quality)."
    },
    nothingCounted: "No establishment was counted: see Data quality.",

    workersToTrain: { "\(count($0, "worker")) to train" },
    establishmentsWithNeed: { "\(count($0, "establishment")) asking" },
    moneyRequested: { "\($0) requested" },
    amountsStatedBy: { "given by \($0) of \($1) establishments" },
    noAmountStated: "no amount requested given",
    traineesStatedBy: { "given by \($0) of \($1) establishments" },
    noTraineesStated: "no establishment gave the number of workers to train",
    establishmentsUnit: "establishments",
    workersUnit: "workers",

    recommendationsHeading: "Top recommendations",
    recommendationsIntro: { shown, total in
      total == 1
        ? "One recommendation only, scored from 0 to 100 (see Method at the end)."
        : (shown >= total ? "All \(total)" : "The top \(shown) of \(total)")
          + ", ranked by a score from 0 to 100 (see Method at the end)."
    },
    recommendationsHeader: ["#", "District", "Need", "Est.", "Score"],
    recommendationsFooter:
      "The full list, with the reasons and the establishments to approach first: `recommendations.csv` (opens in Excel).",
    fewMark: "few establishments",
    fewNote: { threshold, minimum in
      "“Few establishments”: the recommendation rests on fewer than \(threshold) establishments asking, so the shares "
        + "in its score easily reach 100% (as when \(minimum) of \(minimum) were never supported): look closer "
        + "before deciding."
    },
    noRecommendations: { "No recommendation yet: no need has \($0) or more establishments asking in one district." },
    planHeading: "Against the 2021–2025 plan",
    planHeader: ["Target", "Plan", "Survey", "Ratio"],
    planNote: "The survey covers only the establishments that answered it, not the whole province.",
    sourceLabel: "Source",
    provinceChartHeading: "Needs across the province",
    provinceChartNote:
      "Establishments asking for each need (share of those surveyed); one establishment may ask for several.",
    noneAsked: "Nobody asked yet for",
    previousRankHeader: "Before",
    newInTop: "new",
    movementSummary: { entered, up, down, top in
      "Top \(top) recommendations: \(entered) new, \(up) up, \(down) down (the “Before” column of Top recommendations)."
    },
    leftTopList: { "Left the top \($0)" },

    districtsHeading: "By district",
    districtsNote: {
      "Each district's chart shows up to its \($0) most asked-for needs (on the same number of establishments, the "
        + "need of those with more workers first, then the form's order); all nine are in `aggregates.csv`."
    },
    districtsMoneyRounded: {
      "The districts' requested support is rounded so that it adds up to the province's total (\($0)); "
        + "the amounts before rounding are in `aggregates.csv`."
    },
    chartTiesLeftOut: { others, establishments, needs, sameWorkers in
      "Left off the chart: \(count(others, "other need")) also asked for by "
        + "\(count(establishments, "establishment"))"
        + (sameWorkers ? ", placed after by workers, then by the form's order" : " but with fewer workers")
        + " (\(needs))."
    },
    districtMoney: { "\($0) requested" },
    districtSummary: {
      "**\(count($0, "establishment"))** · \(count($1, "worker")) · \($2) never supported · \($3)"
    },
    districtRecommendations: "Recommended",
    districtAction: { title, mark, rank, score, figures in
      "**\(title)**\(mark.map { " (\($0))" } ?? ""): rank \(rank), score \(score); \(figures)."
    },
    actionFigures: { "\(count($0, "establishment")), \(count($1, "worker"))" },
    approachFirst: "Approach first",
    noDistrictRecommendation: { "No recommendation (it takes \($0) establishments with the same need)." },
    noSurveyFrom: "No establishment counted yet in",
    groupsHeading: "By enterprise type and sector",
    typeHeader: ["Enterprise type", "Est.", "Workers", "Most requested"],
    sectorHeader: ["Sector", "Est.", "Workers", "Most requested"],

    dataHeading: "Data quality",
    dataSummary: { files, read, counted, duplicates, review, rejected, skipped, signature in
      "\(count(String(files), "file")), \(count(read, "row")) read: \(counted) counted, "
        + "\(count(duplicates, "duplicate")) merged, \(review) to review, "
        + "\(rejected) rejected, \(skipped) blank, totals or group-heading rows skipped"
        + (signature.map { ", and \(count($0, "signature-block row")) under the tables skipped" } ?? "") + "."
    },
    dataHeader: ["File", "Read", "Counted", "Merged", "Review", "Rejected", "Skipped", "Survey dates (counted)"],
    statusEmpty: "empty",
    statusSetAside: "set aside",
    totalRow: "Total",
    setAsideProblem: { file, line in line.map { "\(file) set aside (from line \($0))" } ?? "\(file) set aside" },
    emptyFile: { "\($0) has no data rows" },
    otherFilesSetAside: { count, endings, examples, more in
      "\(count) files set aside that are not survey exports (\(endings)): \(examples)"
        + (more.map { " and \($0) more" } ?? "")
        + "; only .csv, .txt and .tsv files are read: move these out of the input folder"
    },
    otherFilesCounted: { count, endings in "\(count) files that are not survey exports (\(endings))" },
    fileWarning: { "\($0), note" },
    waitingFile: { "\($0) was still being written when the run started and was not read; the next run reads it" },
    ignoredColumns: { "\($0), columns not read (not on the form, or a duplicate of a column read): \($1)" },
    moneyConverted: { file, columns in
      let each = columns.map { column in
        let unit =
          switch column.unit {
          case .thousandVND: "thousand VND"
          case .vnd: "VND"
          case .billionVND: "billion VND"
          case .millionVND, .unknown: "million VND"
          }
        return "“\(column.header)” from \(unit)"
      }
      return "\(file): amounts converted to million VND from the unit their column's header states, "
        + "\(each.joined(separator: ", ")) (a cell that writes its own unit keeps it); if a header states the wrong "
        + "unit, correct it in the source file"
    },
    unusedCorrection: { entry, code in
      switch entry.reason {
      case .noMatch:
        "settled no row\(entry.sourceFile.map { " in \(code($0))" } ?? "") in this run: check its spelling and "
          + "\(code("source_file")), or delete the line if that file is no longer sent"
      case .fileSetAside: "waits for its file, which was set aside this run: it applies once the file is read"
      case .fileWaiting:
        "waits for its file, which was still being written when the run started: it applies once the file is read"
      case .filesWaiting:
        "settled no row in the files read this run; files still being written are read by the next run: check it "
          + "after that run"
      case .noRow:
        "names no row counted in this run (none there, or it is rejected or in review): check the file name and "
          + "line against \(code("duplicates.csv"))"
      case .mergedByTaxCode:
        "names a row merged by its tax code, which a decision does not undo: correct the tax code in the survey "
          + "file if the two are different establishments"
      case .notListed:
        "names a row that shares its name and place with no other row, so there is nothing to decide: delete the line"
      case .hasTaxCode:
        "names a row with a tax code, which is merged by its tax code alone and never listed as a possible "
          + "duplicate: delete the line"
      case .standingRowNotCounted:
        "means \(code(entry.means)), which is not counted (none there, rejected, in review, merged itself, or the "
          + "same row): name the row \(code("duplicates.csv")) keeps"
      case .settledEarlier: "names a row an earlier line already settles: keep the one line that is right"
      case .nameDiffers:
        "not applied: the row at \(code(entry.foundRow ?? "")) is “\(entry.foundName ?? "")”, not "
          + "“\(entry.name ?? "")” (its file was re-sent with rows at other lines, or the line is mistyped): find "
          + "the establishment by its name in \(code("duplicates.csv")) and correct the line; if the line is right and the "
          + "two rows are named differently, write in \(code("name")) only the words both names share"
      case .rowsNotCounted:
        "waits for its rows, which are not counted in this run for another reason (see \(code("review.csv")) and "
          + "\(code("rejects.csv"))): it applies once they are"
      case .passedOver:
        "decided none of the rows that write it: another cell or decision placed them (the district cell stands over "
          + "a commune cell that names another district, as the row's \(code("problems")) in "
          + "\(code("establishments.csv")) say)"
      }
    },
    fileOverlap: { overlap, code, number in
      let same = overlap.file == overlap.other
      let one = overlap.countedTwice == 1
      let twice =
        overlap.countedTwice == 0
        ? "; all are merged by their tax code, so none is counted twice"
        : "; \(number(overlap.countedTwice)) of them \(one ? "has" : "have") no tax code and \(one ? "is" : "are") "
          + (same ? "counted twice" : "counted in both files")
      if same {
        return "\(code(overlap.file)): \(number(overlap.rows)) of its \(number(overlap.of)) rows repeat another row "
          + "of the same file (same tax code, or same name and place)\(twice): the sheet may have been pasted twice; "
          + "delete the repeated rows and send the file again"
      }
      return "\(code(overlap.file)): \(number(overlap.rows)) of its \(number(overlap.of)) rows are also in "
        + "\(code(overlap.other)) (same tax code, or same name and place)\(twice): if one file is the other sent "
        + "again, move the old one out of the input folder"
    },
    fileProblem: { problem, _ in
      if case .other = problem { return nil }
      return problem.english
    },
    normaliseExtras: { possible, fuzzy, corrections in
      // Only what happened: "0 rows ..." is no news in a mail.
      let parts = [
        possible == "0"
          ? nil
          : "\(count(possible, "possible duplicate")) (no tax code, same name and place: still counted; see "
            + "`duplicates.csv`)",
        fuzzy == "0" ? nil : "\(count(fuzzy, "row")) whose place was found by fuzzy matching",
        corrections == "0" ? nil : "\(count(corrections, "row")) where an entry of `corrections.csv` applied",
      ]
      return "Also: " + parts.compactMap { $0 }.joined(separator: ", ") + "."
    },
    remarkedRows: {
      "\(count($0, "establishment")) counted with a remark in the `problems` column of `establishments.csv` (a "
        + "value not read, such as employees, an amount or a date, or the employees left blank; a place noted, unless an "
        + "analyst's decision in `corrections.csv` placed the row): complete the source file where the survey has "
        + "the answer."
    },
    decidedOutsideRows: {
      "\(count($0, "row")) that an analyst decided \($0 == "1" ? "lies" : "lie") outside the province (`outside` in "
        + "`corrections.csv`): not counted, and nothing to fix; `rejects.csv` still \($0 == "1" ? "lists it" : "lists them")."
    },
    duplicatesAcrossDistricts: {
      "\(count($0, "row")) merged by tax code into a row of another district: the code may be mistyped, joining two "
        + "establishments. `duplicates.csv` names both districts; if they are two establishments, correct the tax code "
        + "in the source file."
    },
    listedRejected: { shown, total, all in
      (all ? "Rows rejected" : "The first \(shown) of \(total) rows rejected (all of them in `rejects.csv`)")
        + ", to correct in the source file and send again:"
    },
    listedReview: { shown, total, all in
      (all
        ? "Rows to review"
        : "The first \(shown) of \(total) rows to review (all of them in `review.csv`)")
        + "; a decision written into `corrections.csv` applies from the next run:"
    },
    listedHeader: ["File", "Line", "Reason", "Column", "Value written"],
    suggestionsHeader: "Suggestions (codes in brackets)",
    listsIntro: "The detailed lists are in the run's folder:",
    rejectsList: "rejected rows, with file, line and reason",
    reviewList: "rows an analyst must settle (a place that is unclear, or a commune spanning two districts)",
    duplicatesList: "duplicate rows merged (with the row kept for each), and possible duplicates (both still counted)",

    methodHeading: "Method",
    methodUnit: { minimum, inTable in
      "Each recommendation is one kind of support in one district; only those with \(minimum) or more establishments "
        + "asking are ranked" + (inTable ? " (`min_establishments` in `recommend-settings.csv`)." : ".")
    },
    methodBySector: { "\($0): recommended per sector within a district, because \($1)." },
    methodNoSector:
      "Establishments with no sector given are left out of the per-sector recommendations (they are still counted "
      + "in the tables above): fill in the sector in the source file to have them ranked.",
    methodFactors: "The score (0–100) adds five factors, each from 0 to 1, times its weight in `scoring-weights.csv`:",
    methodWeight: { "weight \($0)" },
    factorDefaults: [
      .demand: "Establishments asking, relative to the recommendation with the most",
      .reach: "Their workers, relative to the recommendation with the most",
      .unsupported: "The share of them never supported by khuyến công",
      .intensity:
        "The share of the district's surveyed establishments (or of those in the sector in the district) asking",
      .plan: "1 when the 2021–2025 plan sets a target for this kind of support",
    ],
    methodFormula: "Score = 100 × sum of (weight × factor) ÷ sum of the weights, rounded to one decimal.",
    methodTies:
      "On equal scores, more establishments rank first, then more workers, then district code, need order and "
      + "sector.",
    methodFew: { threshold, minimum in
      "A recommendation resting on fewer than \(threshold) establishments asking is marked “few establishments” "
        + "(`few_establishments` in `recommend-settings.csv`): with so few, the factors that are shares "
        + "(`unsupported`, `intensity`) reach 1 easily, as when \(minimum) of \(minimum) were never supported, so its "
        + "score is less certain; the score and the rank are computed as above all the same."
    },
    methodFewOff: { threshold in
      threshold.map {
        "No recommendation is marked “few establishments”: `few_establishments` in `recommend-settings.csv` is "
          + "\($0), no more than the fewest establishments a recommendation has."
      }
        ?? "No recommendation is marked “few establishments” (resting on few establishments asking): the reference "
        + "folder has no `recommend-settings.csv`."
    },
    methodShortlist: "Establishments to approach first: those never supported, then those with more workers.",
    methodCounting:
      "An establishment asking for several needs counts under each. “Never supported” includes those that did not "
      + "answer. Requested support is what establishments wrote, added up.",
    methodSources: "Targets and budget come from `plan-targets.csv`",

    rationale: { asking, surveyed, place, share, workers, unsupported in
      "\(asking) of \(count(surveyed, "establishment")) \(place) \(asking == "1" ? "asks" : "ask") for it (\(share)), "
        + "\(count(workers, "worker")); "
        + "\(unsupported) never supported"
    },
    rationaleTrainees: { "; \(count($0, "worker")) to train" },
    rationaleMoney: { "; together they request \($0)" },
    sectorInDistrict: { "in \($0), \($1)" },
    inDistrict: { "in \($0)" },
    listSeparator: ", "
  )
}

/// "1 establishment", "2 establishments": a count already formatted, and its noun in the singular.
private func count(_ number: String, _ noun: String) -> String { EnglishCount.of(number, noun) }
