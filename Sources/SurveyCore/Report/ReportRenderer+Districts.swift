/// A section per district, then the needs by enterprise type and by sector.

extension ReportRenderer {
  /// How many of a district's needs its chart shows.
  static let districtChartNeeds = 5
  /// How many establishments to approach the report names per action (the CSV names more).
  static let approachShown = 3

  /// One subsection per district in code order: its figures, its needs chart and its best actions (an action
  /// resting on few establishments marked, the mark explained under the section's heading). The districts'
  /// amounts are rounded together so that they add up to the province's total, which the note gives beside them.
  func districts() -> String {
    var text = "## \(s.districtsHeading)\n\n\(s.districtsNote(Self.districtChartNeeds))"
    let province = input.aggregates.province.surveyed
    if province.supportStated > 0 && input.aggregates.districts.count > 1 {
      text += " " + s.districtsMoneyRounded(n.money(province.supportRequested))
    }
    text += "\n"
    let amounts = n.money(parts: input.aggregates.districts.map(\.surveyed.supportRequested))
    let listed = input.aggregates.districts.map { district in
      input.recommendations.filter { $0.districtCode == district.key }.prefix(input.perDistrict)
    }
    if listed.joined().contains(where: input.settings.restsOnFew) { text += "\n" + fewNote + "\n" }
    for ((district, actions), amount) in zip(zip(input.aggregates.districts, listed), amounts) {
      let name = MarkdownText.escape(names.district(district.key, carried: district.name))
      let all = district.surveyed
      text += "\n### \(name)\n\n"
      text +=
        s.districtSummary(
          n.integer(all.establishments), n.integer(all.employees), n.integer(all.notYetSupported),
          requested(all, amount, money: s.districtMoney)) + "\n\n"
      let ranked = district.needsByDemand(input.needs)
      let needs = ranked.prefix(Self.districtChartNeeds)
      if !needs.isEmpty {
        text +=
          BarChart(
            needs.map { key in
              BarChart.Bar(
                names.needShort(key), district.figures(key).establishments,
                caption:
                  "\(n.integer(district.figures(key).establishments)) "
                  + "(\(n.percent(district.figures(key).establishments, of: district.surveyed.establishments)))"
              )
            }
          ).render() + "\n"
        if let tied = tiesLeftOut(district, ranked, shown: needs.count) { text += tied + "\n\n" }
      }
      if actions.isEmpty {
        text += s.noDistrictRecommendation(input.minimumEstablishments) + "\n"
        continue
      }
      text += "\(s.districtRecommendations):\n\n"
      for action in actions {
        var line =
          "- "
          + s.districtAction(
            MarkdownText.escape(names.actionNeed(action)), input.settings.restsOnFew(action) ? s.fewMark : nil,
            action.rank, n.tenths(action.scoreTenths),
            s.actionFigures(n.integer(action.figures.establishments), n.integer(action.figures.employees)))
        let first = action.shortlist.prefix(Self.approachShown).map { MarkdownText.escape($0.name) }
        if !first.isEmpty { line += " \(s.approachFirst): " + first.joined(separator: s.listSeparator) + "." }
        text += line + "\n"
      }
    }
    let present = Set(input.aggregates.districts.map(\.key))
    let silent = input.labels.keys(.district).filter { !present.contains($0) }
    if !silent.isEmpty {
      text +=
        "\n\(s.noSurveyFrom): "
        + silent.map { MarkdownText.escape(names.district($0)) }
        .joined(separator: s.listSeparator) + ".\n"
    }
    return text
  }

  /// The line under a district's chart naming the needs asked for by as many establishments as its last bar but
  /// left off it (the order put them after by workers, or by the form's order), so that a cut-off through a tie
  /// does not read as those needs asked for less; nil when the cut-off falls between two counts.
  private func tiesLeftOut(_ district: AggregateGroup, _ ranked: [String], shown: Int) -> String? {
    guard shown > 0, ranked.count > shown else { return nil }
    let last = district.figures(ranked[shown - 1])
    let tied = ranked[shown...].filter { district.figures($0).establishments == last.establishments }
    guard !tied.isEmpty else { return nil }
    return s.chartTiesLeftOut(
      n.integer(tied.count), n.integer(last.establishments),
      tied.map { MarkdownText.escape(names.needShort($0)) }.joined(separator: s.listSeparator),
      tied.contains { district.figures($0).employees == last.employees })
  }

  /// Two short tables: enterprise types, then sectors (most establishments first), each with its top need.
  func groups() -> String {
    guard input.aggregates.province.surveyed.establishments > 0 else { return "" }
    var text = "## \(s.groupsHeading)\n\n"
    let types = input.aggregates.enterpriseTypes
    text += MarkdownText.table(
      s.typeHeader, [.left, .right, .right, .left], types.map { row($0, name: names.enterpriseType($0.key)) })
    let sectors = input.aggregates.sectors.sorted { a, b in
      if a.surveyed.establishments != b.surveyed.establishments {
        return a.surveyed.establishments > b.surveyed.establishments
      }
      if a.key.isEmpty != b.key.isEmpty { return !a.key.isEmpty }
      return a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
    }
    text +=
      "\n"
      + MarkdownText.table(
        s.sectorHeader, [.left, .right, .right, .left], sectors.map { row($0, name: names.sector($0.key)) })
    return text
  }

  /// A group's row: its name, size, and its most requested need, or the needs tied for it (one hidden behind
  /// another of the same count read as the group's one top need).
  private func row(_ group: AggregateGroup, name: String) -> [String] {
    let ranked = group.needsByDemand(input.needs)
    let most = ranked.first.map { group.figures($0).establishments } ?? 0
    let tied = ranked.prefix { group.figures($0).establishments == most }
    // At most three by name: a group of one establishment with six needs would name them all.
    let named = tied.prefix(3).map(names.needShort) + (tied.count > 3 ? [s.moreNeeds(n.integer(tied.count - 3))] : [])
    let top: String? =
      most == 0 || tied.isEmpty
      ? nil : named.joined(separator: "; ") + " (\(s.tiedCount(n.integer(most), tied.count)))"
    return [
      MarkdownText.escape(name), n.integer(group.surveyed.establishments), n.integer(group.surveyed.employees),
      MarkdownText.escape(top ?? "–"),
    ]
  }
}
