/// The section after the key points: what changed since the previous complete run, kept short for a phone.

extension ReportRenderer {
  /// How many new establishments are named before "…".
  static let examplesShown = RunComparison.examplesKept

  /// Files, establishments and a summary of the movement in the top recommendations (each action's previous rank
  /// is in the top table); "the first run" without a previous run.
  func changes() -> String {
    let text = "## \(s.changesHeading)\n\n"
    guard let comparison = input.comparison else { return text + s.firstRun + "\n" }
    var lines: [String] = []
    for file in comparison.missing {
      let name = MarkdownText.code(file)
      lines.append(
        comparison.unreadable[file].map { reason in
          comparison.changedAfterRun.contains(file)
            ? s.previousChanged(name, MarkdownText.escape(reason))
            : s.previousUnreadable(name, MarkdownText.escape(reason))
        } ?? s.previousMissing(name))
    }
    if !comparison.missing.contains(ArtefactName.ingestSummary) {
      // The lists of files this run read, whose names get their status mark, then the others.
      let fileLists = [
        (s.newFiles, comparison.newFiles, true), (s.changedFiles, comparison.changedFiles, true),
        (s.removedFiles, comparison.removedFiles, false), (s.waitingFiles, comparison.waitingFiles, false),
      ].filter { !$0.1.isEmpty }
      if fileLists.isEmpty { lines.append(s.noFileChanges) }
      // A new or changed file this run set aside, or found empty, is marked so: "new file" alone, with no
      // establishment added, reads as if its rows had been counted.
      let statuses = Dictionary(
        input.ingest.files.map { (ExactText($0.file), $0.status) }, uniquingKeysWith: { first, _ in first })
      for (title, files, marked) in fileLists {
        // Scans of paper forms by the dozen are counted, not named.
        let (shown, others) = IngestStage.countingOtherFiles(files) { $0 }
        var named = shown.map { file in
          MarkdownText.code(file) + (marked ? statuses[ExactText(file)].map(status) ?? "" : "")
        }
        if !others.isEmpty {
          let endings = MarkdownText.escape(IngestStage.endingCounts(others, n.integer))
          named.append(s.otherFilesCounted(n.integer(others.count), endings))
        }
        lines.append("\(title): " + named.joined(separator: s.listSeparator) + ".")
      }
      for earlier in comparison.comparedEarlier {
        lines.append(
          s.comparedEarlier(
            earlier.files.map(MarkdownText.code).joined(separator: s.listSeparator), MarkdownText.code(earlier.run)))
      }
    }
    if !comparison.changedReferenceTables.isEmpty {
      lines.append(
        "\(s.referenceTablesChanged): "
          + comparison.changedReferenceTables.map(MarkdownText.code).joined(separator: s.listSeparator) + ".")
    }
    if !comparison.missing.contains(ArtefactName.establishments) {
      let counts =
        comparison.addedCount == 0 && comparison.removedCount == 0
        ? s.establishmentsUnchanged
        : s.establishmentsChanged(n.integer(comparison.addedCount), n.integer(comparison.removedCount))
      var line = "\(counts) (\(s.identityNote))."
      if comparison.addedCount > 0 {
        // `added` holds the first of them in approach-first order already.
        let examples = comparison.added.prefix(Self.examplesShown).map { MarkdownText.escape($0.name) }
        let more = comparison.addedCount > Self.examplesShown ? ", …" : ""
        line += " \(s.newEstablishmentsExamples): " + examples.joined(separator: s.listSeparator) + more + "."
      }
      lines.append(line)
    }
    if !comparison.missing.contains(ArtefactName.recommendations) { lines += movement(comparison) }
    return text + lines.map { "- " + $0 }.joined(separator: "\n") + "\n"
  }

  /// The previous rank of an action, or nil when it is new.
  func previousRank(_ action: Recommendation) -> Int? { input.comparison?.previousRanks[action.actionKey] }

  /// How many of the top actions are new, went up or went down, and which left the top.
  func movement(_ comparison: RunComparison) -> [String] {
    let current = input.recommendations.prefix(input.top)
    var entered = 0
    var up = 0
    var down = 0
    for action in current {
      guard let old = previousRank(action), old <= input.top else {
        entered += 1
        continue
      }
      if old > action.rank { up += 1 } else if old < action.rank { down += 1 }
    }
    let currentRanks = Dictionary(
      input.recommendations.map { ($0.actionKey, $0.rank) }, uniquingKeysWith: { a, _ in a })
    let dropped = comparison.previousActions.values
      .filter { $0.rank <= input.top && (currentRanks[$0.actionKey] ?? Int.max) > input.top }
      .sorted { $0.rank < $1.rank }
    var lines = [entered + up + down == 0 ? s.noMovement(input.top) : s.movementSummary(entered, up, down, input.top)]
    if !dropped.isEmpty {
      lines.append(
        s.leftTopList(input.top) + ": "
          + dropped.map { action in
            s.leftTop(MarkdownText.escape(names.actionTitle(action)), action.rank, currentRanks[action.actionKey])
          }.joined(separator: "; ") + ".")
    }
    return lines
  }
}
