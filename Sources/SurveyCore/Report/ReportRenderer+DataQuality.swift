/// Data quality (files, rows and where the lists are) and the method in plain words.

extension ReportRenderer {
  /// One note for many files that are no export: how many of each ending, and the first few names.
  func otherFilesNote(_ others: [IngestFileSummary]) -> String {
    let shown = IngestStage.otherFilesNamed
    let endings = MarkdownText.escape(IngestStage.endingCounts(others.map(\.file), n.integer))
    let examples = others.prefix(shown).map { MarkdownText.code($0.file) }.joined(separator: ", ")
    let more = others.count > shown ? n.integer(others.count - shown) : nil
    return s.otherFilesSetAside(n.integer(others.count), endings, examples, more)
  }

  /// Per-file counts from the ingest and normalise summaries, set-aside files, and where the lists are.
  func dataQuality() -> String {
    let ingest = input.ingest
    let normalise = input.normalise
    // By exact name: two files whose names differ only in how accents are encoded are two rows.
    let byFile = Dictionary(normalise.files.map { (ExactText($0.file), $0.counts) }, uniquingKeysWith: { a, _ in a })
    let all = ingest.files.sorted { $0.file.utf8.lexicographicallyPrecedes($1.file.utf8) }
    // Many files that are no export (scans of paper forms, photos; ingest set each aside) are one note, not a
    // table row each.
    let (files, others) = IngestStage.countingOtherFiles(all) { $0.file }
    var text = "## \(s.dataHeading)\n\n"
    let totals = normalise.totals
    text +=
      s.dataSummary(
        all.count, n.integer(ingest.rowsRead), n.integer(totals.counted), n.integer(totals.duplicates),
        n.integer(totals.review), n.integer(totals.rejected + ingest.rowsRejected),
        n.integer(ingest.rowsSkipped - ingest.rowsSkippedSignature),
        ingest.rowsSkippedSignature == 0 ? nil : n.integer(ingest.rowsSkippedSignature))
      + "\n\n"
    var rows: [[String]] = files.map { file in
      let counts = byFile[ExactText(file.file)] ?? NormaliseCounts()
      return [
        MarkdownText.escape(file.file) + status(file.status), n.integer(file.rowsRead), n.integer(counts.counted),
        n.integer(counts.duplicates), n.integer(counts.review), n.integer(counts.rejected + file.rowsRejected),
        n.integer(file.rowsSkipped),
        // A file not read has no rows (nor dates), though a twin of its name may.
        file.status == .ingested ? (input.surveyPeriods.byFile[file.file] ?? SurveyPeriod()).range : "–",
      ]
    }
    if all.count > 1 {
      rows.append(
        [
          "**\(s.totalRow)**", n.integer(ingest.rowsRead), n.integer(totals.counted), n.integer(totals.duplicates),
          n.integer(totals.review), n.integer(totals.rejected + ingest.rowsRejected), n.integer(ingest.rowsSkipped),
          input.surveyPeriods.whole.range,
        ])
    }
    text += MarkdownText.table(s.dataHeader, [.left] + Array(repeating: .right, count: 6) + [.left], rows)
    // Set-aside and empty files with their reason, then warnings that did not stop a file.
    var notes: [String] = []
    for file in files where file.status == .setAside || (file.status == .empty && file.problem != nil) {
      let what =
        file.status == .empty
        ? s.emptyFile(MarkdownText.code(file.file))
        : s.setAsideProblem(MarkdownText.code(file.file), file.problemLine.map(n.integer))
      let problem = file.problemDetail.flatMap { s.fileProblem($0, n.integer) } ?? file.problem
      notes.append(what + (problem.map { ": " + MarkdownText.escape($0) } ?? ""))
    }
    if !others.isEmpty { notes.append(otherFilesNote(others)) }
    for name in ingest.referenceFilesNotRead ?? [] { notes.append(s.referenceFileNotRead(MarkdownText.code(name))) }
    for name in ingest.foldersNotRead ?? [] { notes.append(s.folderNotRead(MarkdownText.code(name))) }
    for file in files {
      // Summaries older than warning_details have the English sentences alone.
      let details = file.warningDetails?.count == file.warnings.count ? file.warningDetails : nil
      for (index, warning) in file.warnings.enumerated() {
        let text = details.flatMap { s.fileProblem($0[index], n.integer) } ?? warning
        notes.append(s.fileWarning(MarkdownText.code(file.file)) + ": " + MarkdownText.escape(text))
      }
    }
    for file in input.waiting { notes.append(s.waitingFile(MarkdownText.code(file))) }
    for file in files {
      // A unit not read is the file's warning above; the ones converted are said here, one line a file.
      let converted = file.moneyConversions.map { (MarkdownText.escape($0.header), $0.unit) }
      if !converted.isEmpty { notes.append(s.moneyConverted(MarkdownText.code(file.file), converted)) }
    }
    for file in files where file.status == .ingested && !file.unknownColumns.isEmpty {
      let columns = file.unknownColumns.map { MarkdownText.escape($0) }.joined(separator: ", ")
      notes.append(s.ignoredColumns(MarkdownText.code(file.file), columns))
    }
    for overlap in normalise.fileOverlaps ?? [] {
      notes.append(s.fileOverlap(overlap, { MarkdownText.code($0) }, n.integer))
    }
    for entry in normalise.unusedCorrections ?? [] {
      // The establishments' names come from the cells as written: escaped, as every respondent's text is.
      var shown = entry
      shown.name = entry.name.map(MarkdownText.escape)
      shown.foundName = entry.foundName.map(MarkdownText.escape)
      notes.append(
        MarkdownText.code("corrections.csv:\(entry.line)") + " (\(MarkdownText.escape(entry.column)) “"
          + MarkdownText.escape(entry.written) + "”) " + s.unusedCorrection(shown, MarkdownText.code))
    }
    if !notes.isEmpty { text += "\n" + notes.map { "- " + $0 }.joined(separator: "\n") + "\n" }
    if totals.possibleDuplicates + totals.fuzzyMatches + totals.correctionsApplied > 0 {
      text +=
        "\n"
        + s.normaliseExtras(
          n.integer(totals.possibleDuplicates), n.integer(totals.fuzzyMatches), n.integer(totals.correctionsApplied))
        + "\n"
    }
    if let remarked = totals.remarked, remarked > 0 { text += "\n" + s.remarkedRows(n.integer(remarked)) + "\n" }
    if let across = totals.duplicatesAcrossDistricts, across > 0 {
      text += "\n" + s.duplicatesAcrossDistricts(n.integer(across)) + "\n"
    }
    if let decided = totals.decidedOutside, decided > 0 {
      text += "\n" + s.decidedOutsideRows(n.integer(decided)) + "\n"
    }
    text += listed(input.rejected, intro: s.listedRejected, suggestions: false)
    text += listed(input.review, intro: s.listedReview, suggestions: true)
    text += "\n\(s.listsIntro)\n\n"
    text += "- `\(ArtefactName.rejects)`: \(s.rejectsList)\n"
    text += "- `\(ArtefactName.review)`: \(s.reviewList)\n"
    text += "- `\(ArtefactName.duplicates)`: \(s.duplicatesList)\n"
    return text
  }

  /// The first rows of a row list as a table, with a line saying how many there are; nothing for no rows.
  /// With `suggestions`, a last column gives the nearest reference places (the codes an analyst writes into
  /// `corrections.csv`), separated by semicolons.
  private func listed(_ list: ListedRows, intro: (String, String, Bool) -> String, suggestions: Bool) -> String {
    guard !list.rows.isEmpty else { return "" }
    let rows = list.rows.map { row in
      let column = input.formColumns[row.column].map { names.language == .vi ? $0.headerVi : $0.headerEn }
      var cells = [
        MarkdownText.escape(row.file), MarkdownText.escape(row.line), MarkdownText.escape(row.reason),
        MarkdownText.escape(column ?? row.column), MarkdownText.escape(row.value),
      ]
      if suggestions { cells.append(row.suggestions.map(MarkdownText.escape).joined(separator: "; ")) }
      return cells
    }
    let all = list.rows.count == list.total
    let header = s.listedHeader + (suggestions ? [s.suggestionsHeader] : [])
    return "\n" + intro(n.integer(list.rows.count), n.integer(list.total), all) + "\n\n"
      + MarkdownText.table(header, [.left, .right, .left, .left, .left] + (suggestions ? [.left] : []), rows)
  }

  /// The mark after a file's name for a file not read as a survey: "(trống)", "(**để riêng**)"; none for one read.
  func status(_ status: IngestFileSummary.Status) -> String {
    switch status {
    case .ingested: return ""
    case .empty: return " (\(s.statusEmpty))"
    case .setAside: return " (**\(s.statusSetAside)**)"
    }
  }

  /// The scoring formula and counting rules in plain words, with the weights as they are in the file.
  func method() -> String {
    let inTable =
      input.settings.minimumEstablishmentsIsInTable
      && input.minimumEstablishments == input.settings.minimumEstablishments
    var text = "## \(s.methodHeading)\n\n" + s.methodUnit(input.minimumEstablishments, inTable)
    let grouped = input.needs.keys.filter(input.units.groupsBySector)
    for need in grouped {
      guard let reason = input.units.bySector[need] else { continue }
      let why = names.language == .vi ? reason.vi : (reason.en.isEmpty ? reason.vi : reason.en)
      text += " " + s.methodBySector(MarkdownText.escape(names.need(need)), MarkdownText.escape(why))
    }
    if grouped.contains(where: { input.units.bySector[$0] != nil }) { text += " " + s.methodNoSector }
    text += "\n\n\(s.methodFactors)\n\n"
    // The weights are read as dividing the score between the factors: their shares add up to 100%.
    let shares = n.percents(parts: ScoringWeights.Factor.allCases.map(input.weights.weight))
    for (factor, share) in zip(ScoringWeights.Factor.allCases, shares) {
      let meaning = input.weights.meanings[factor].map { names.language == .vi ? $0.vi : $0.en } ?? ""
      text +=
        "- " + MarkdownText.escape(meaning.isEmpty ? (s.factorDefaults[factor] ?? factor.rawValue) : meaning)
        + " (`\(factor.rawValue)`, \(s.methodWeight(share)))\n"
    }
    text += "\n\(s.methodFormula) \(s.methodTies)\n\n"
    if let threshold = input.settings.fewEstablishments, threshold > input.minimumEstablishments {
      text += s.methodFew(n.integer(threshold), n.integer(input.minimumEstablishments)) + "\n\n"
    } else {
      text += s.methodFewOff(fewThreshold) + "\n\n"
    }
    text += "\(s.methodShortlist) \(s.methodCounting)\n"
    let sources = input.plan.map(\.source).filter { !$0.isEmpty }
    if let source = sources.first {
      text += "\n\(s.methodSources): " + MarkdownText.escape(source) + ".\n"
    }
    return text
  }
}
