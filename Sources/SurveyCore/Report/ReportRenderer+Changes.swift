/// The report's opening section: what changed since the previous complete run.

extension ReportRenderer {
  /// How many new establishments are named before "…".
  static let examplesShown = 5

  /// Files, establishments and movement in the top recommendations; "the first run" without a previous run.
  func changes() -> String {
    var text = "## \(s.changesHeading)\n\n"
    guard let comparison = input.comparison else { return text + s.firstRun + "\n" }
    var lines: [String] = []
    for file in comparison.missing { lines.append(s.previousMissing(MarkdownText.code(file))) }
    if !comparison.missing.contains(ArtefactName.ingestSummary) {
      let fileLists = [
        (s.newFiles, comparison.newFiles), (s.changedFiles, comparison.changedFiles),
        (s.removedFiles, comparison.removedFiles),
      ].filter { !$0.1.isEmpty }
      if fileLists.isEmpty { lines.append(s.noFileChanges) }
      for (title, files) in fileLists {
        lines.append("\(title): " + files.map(MarkdownText.code).joined(separator: s.listSeparator) + ".")
      }
    }
    if !comparison.missing.contains(ArtefactName.establishments) {
      let counts =
        comparison.added.isEmpty && comparison.removedCount == 0
        ? s.establishmentsUnchanged
        : s.establishmentsChanged(n.integer(comparison.added.count), n.integer(comparison.removedCount))
      var line = "\(counts) (\(s.identityNote))."
      if !comparison.added.isEmpty {
        let examples = comparison.added.sorted(by: Recommender.approachFirst).prefix(Self.examplesShown)
          .map { MarkdownText.escape($0.name) }
        let more = comparison.added.count > Self.examplesShown ? ", …" : ""
        line += " \(s.newEstablishmentsExamples): " + examples.joined(separator: s.listSeparator) + more + "."
      }
      lines.append(line)
    }
    text += lines.map { "- " + $0 }.joined(separator: "\n") + "\n"
    if !comparison.missing.contains(ArtefactName.recommendations) { text += "\n" + movement(comparison) }
    return text
  }

  /// Up, down, new and dropped among the top recommendations, in the current order.
  func movement(_ comparison: RunComparison) -> String {
    let current = Array(input.recommendations.prefix(input.top))
    let currentRanks = Dictionary(
      input.recommendations.map { ($0.actionKey, $0.rank) }, uniquingKeysWith: { a, _ in a })
    var lines: [String] = []
    for action in current {
      let title = MarkdownText.escape(names.actionTitle(action))
      switch comparison.previousRanks[action.actionKey] {
      case nil: lines.append(s.enteredTop(title, action.rank))
      case let old? where old > input.top: lines.append(s.enteredTop(title, action.rank))
      case let old? where old > action.rank: lines.append(s.movedUp(title, old, action.rank))
      case let old? where old < action.rank: lines.append(s.movedDown(title, old, action.rank))
      default: break
      }
    }
    let dropped = comparison.previousActions.values
      .filter { $0.rank <= input.top && (currentRanks[$0.actionKey] ?? Int.max) > input.top }
      .sorted { $0.rank < $1.rank }
    for action in dropped {
      lines.append(
        s.leftTop(MarkdownText.escape(names.actionTitle(action)), action.rank, currentRanks[action.actionKey]))
    }
    let heading = s.movementHeading(input.top)
    if lines.isEmpty { return s.noMovement(input.top) + "\n" }
    return heading + "\n\n" + lines.map { "- " + $0 }.joined(separator: "\n") + "\n"
  }
}
