/// The top recommendations table, the plan's targets against the survey, and the province's needs chart.

extension ReportRenderer {
  /// The short table a manager reads on a phone: rank, district, need, establishments, score. An action resting
  /// on few establishments has the mark beside its count, explained under the table.
  func recommendationsTable() -> String {
    var text = "## \(s.recommendationsHeading)\n\n"
    guard !input.recommendations.isEmpty else {
      return text + s.noRecommendations(input.minimumEstablishments) + "\n"
    }
    let shown = Array(input.recommendations.prefix(input.top))
    text += s.recommendationsIntro(shown.count, input.recommendations.count) + "\n\n"
    // With a previous ranking, a last column says where each action stood: the movement at a glance.
    let compared = input.comparison.map { !$0.missing.contains(ArtefactName.recommendations) } ?? false
    let rows = shown.map { action in
      [
        String(action.rank), MarkdownText.escape(names.district(action.districtCode, carried: action.district)),
        MarkdownText.escape(names.actionNeed(action)),
        n.integer(action.figures.establishments) + (input.settings.restsOnFew(action) ? " (\(s.fewMark))" : ""),
        n.tenths(action.scoreTenths),
      ] + (compared ? [previousRank(action).map { String($0) } ?? s.newInTop] : [])
    }
    text += MarkdownText.table(
      s.recommendationsHeader + (compared ? [s.previousRankHeader] : []),
      [.right, .left, .left, .right, .right] + (compared ? [.right] : []), rows)
    if shown.contains(where: input.settings.restsOnFew) { text += "\n" + fewNote + "\n" }
    return text + "\n" + s.recommendationsFooter + "\n"
  }

  /// Each target of the plan beside what the survey found, with the source named.
  func planTable() -> String {
    guard !input.plan.isEmpty else { return "" }
    let province = input.aggregates.province
    let rows = input.plan.map { target in
      [
        MarkdownText.escape(label(target)), targetText(target, withPeriod: false), found(target, short: true),
        target.comparable && target.stated(in: province) != 0
          ? n.percent(target.found(in: province), of: target.targetInFoundUnits) : "–",
      ]
    }
    var text = "## \(s.planHeading)\n\n"
    text += MarkdownText.table(s.planHeader, [.left, .right, .right, .right], rows)
    text += "\n" + s.planNote
    let sources = input.plan.map(\.source).filter { !$0.isEmpty }
    var unique: [String] = []
    for source in sources where !unique.contains(source) { unique.append(source) }
    if !unique.isEmpty {
      text += " \(s.sourceLabel): " + unique.map(MarkdownText.escape).joined(separator: "; ") + "."
    }
    return text + "\n"
  }

  /// Every need of the province as a bar, most requested first.
  func provinceChart() -> String {
    let province = input.aggregates.province
    guard province.surveyed.establishments > 0 else { return "" }
    let asked = province.needsByDemand(input.needs)
    let bars = asked.map { key in
      BarChart.Bar(
        names.needShort(key), province.figures(key).establishments,
        caption: "\(n.integer(province.figures(key).establishments)) "
          + "(\(n.percent(province.figures(key).establishments, of: province.surveyed.establishments)))")
    }
    var text = "## \(s.provinceChartHeading)\n\n\(s.provinceChartNote)\n\n" + BarChart(bars).render()
    let unasked = input.needs.keys.filter { !asked.contains($0) }
    if !unasked.isEmpty {
      text +=
        "\n\(s.noneAsked): "
        + unasked.map { MarkdownText.escape(names.needShort($0)) }
        .joined(separator: s.listSeparator) + ".\n"
    }
    return text
  }
}
