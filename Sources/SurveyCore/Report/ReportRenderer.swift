/// The Markdown report: headline findings first, then what changed since the previous run, recommendations,
/// districts, data quality and method.

/// Writes `report.md` in one language from a `ReportInput`. Deterministic: no clock, no locale, stable sorts.
public struct ReportRenderer: Sendable {
  public var input: ReportInput
  public var names: ReportNames
  var s: ReportStrings { names.strings }
  var n: NumberFormat { names.numbers }

  public init(_ input: ReportInput, language: ReportLanguage) {
    self.input = input
    names = ReportNames(language, needs: input.needs, labels: input.labels)
  }

  /// The whole report, ending with one newline. The key points come before what changed: they are what an
  /// analyst opening the mail reads first.
  public func render() -> String {
    var sections = [titleBlock(), findings(), changes()]
    sections.append(recommendationsTable())
    sections.append(planTable())
    sections.append(provinceChart())
    sections.append(districts())
    sections.append(groups())
    sections.append(dataQuality())
    sections.append(method())
    return sections.filter { !$0.isEmpty }.joined(separator: "\n")
  }

  func titleBlock() -> String {
    var text = "# \(s.title)\n\n\(s.subtitle)\n"
    if let label = input.runLabel, !label.isEmpty {
      let line =
        RunID.vietnamTime(label).map { s.runAt(label, $0.day, $0.time) } ?? s.runLabel(MarkdownText.escape(label))
      text += "\n" + line + "\n"
    }
    let period = input.surveyPeriods.whole
    if let first = period.first, let last = period.last {
      text +=
        "\n"
        + s.surveyPeriod(SurveyPeriod.day(first), SurveyPeriod.day(last), n.integer(period.undated)) + "\n"
    }
    return text
  }

  /// The headline findings: size, top needs, the not-yet-supported, the plan's gap, priority 1, data.
  func findings() -> String {
    let province = input.aggregates.province
    var lines: [String] = []
    if province.surveyed.establishments == 0 {
      lines.append(s.nothingCounted)
    } else {
      let districtsInTable = input.labels.keys(.district).count
      let present = input.aggregates.districts.count
      lines.append(
        s.surveyed(
          n.integer(province.surveyed.establishments), present, max(districtsInTable, present),
          n.integer(province.surveyed.employees)))
      // The three needs asked for most, and any asked for by as many establishments as the third: cut through a
      // tie, the line read as if the need left out were asked for less.
      let ranked = province.needsByDemand(input.needs)
      let third = ranked.count > 3 ? province.figures(ranked[2]).establishments : 0
      let shown = ranked.enumerated().prefix { $0.offset < 3 || province.figures($0.element).establishments == third }
      let top = shown.map(\.element).map { key in
        "**\(MarkdownText.escape(names.needShort(key)))** ("
          + s.needCount(
            n.integer(province.figures(key).establishments),
            n.percent(province.figures(key).establishments, of: province.surveyed.establishments)) + ")"
      }
      if !top.isEmpty { lines.append("\(s.topNeeds): " + top.joined(separator: "; ") + ".") }
      let unsupported = province.surveyed.notYetSupported
      lines.append(
        s.notYetSupported(
          n.integer(unsupported),
          n.percent(unsupported, of: province.surveyed.establishments)))
      for target in input.plan {
        lines.append(
          target.stated(in: province) == 0
            ? s.planUnstated(MarkdownText.escape(label(target)), found(target), targetText(target))
            : target.comparable
              ? s.planFinding(
                MarkdownText.escape(label(target)), found(target),
                n.percent(target.found(in: province), of: target.targetInFoundUnits), targetText(target))
              : s.planBeside(MarkdownText.escape(label(target)), found(target), targetText(target)))
      }
      if let first = input.recommendations.first {
        let few = fewThreshold.flatMap { input.settings.restsOnFew(first) ? " " + s.topActionFew($0) : nil }
        lines.append(
          s.topAction(
            MarkdownText.escape(names.actionTitle(first)), n.tenths(first.scoreTenths),
            n.integer(first.figures.establishments)) + (few ?? ""))
      }
    }
    let period = input.surveyPeriods.whole
    if period.spansAYear, let first = period.first, let last = period.last {
      lines.append(s.periodSpansAYear(SurveyPeriod.day(first), SurveyPeriod.day(last)))
    }
    let ingest = input.ingest
    let totals = input.normalise.totals
    let toFix = totals.rejectedToFix + ingest.rowsRejected
    lines.append(
      s.dataFinding(
        ingest.files.count, ingest.filesSetAside, input.normalise.filesCountedTwice, n.integer(totals.review),
        n.integer(toFix),
        totals.decidedOutside.flatMap { decided in decided > 0 ? (n.integer(decided), n.integer(toFix + decided)) : nil
        }))
    return "## \(s.findingsHeading)\n\n" + lines.map { "- " + $0 }.joined(separator: "\n") + "\n"
  }

  /// The threshold of the "few establishments" mark, formatted; nil without `recommend-settings.csv`.
  var fewThreshold: String? { input.settings.fewEstablishments.map(n.integer) }

  /// The line explaining the "few establishments" mark, for a table or list showing it.
  var fewNote: String {
    s.fewNote(fewThreshold ?? "", n.integer(input.minimumEstablishments))
  }

  /// A plan target's name in the report's language.
  func label(_ target: PlanTarget) -> String {
    names.language == .vi ? target.labelVi : (target.labelEn.isEmpty ? target.labelVi : target.labelEn)
  }

  /// What the survey found for a target, with its unit: `1.250 lao động cần đào tạo`, and how many
  /// establishments wrote the figure when not all did (`short`, in the plan table: the figure, or `–` for none).
  func found(_ target: PlanTarget, short: Bool = false) -> String {
    let value = target.found(in: input.aggregates.province)
    let figures = target.figures(in: input.aggregates.province)
    if short && target.stated(in: input.aggregates.province) == 0 { return "–" }
    switch target.measure {
    case .trainees:
      if short { return "\(n.integer(value)) \(s.workersUnit)" }
      return statedBy(
        figures.traineesStated, of: figures.establishments, s.workersToTrain(n.integer(value)),
        none: s.noTraineesStated, some: s.traineesStatedBy)
    case .establishments:
      return short ? "\(n.integer(value)) \(s.establishmentsUnit)" : s.establishmentsWithNeed(n.integer(value))
    case .supportRequestedMVND:
      return short ? n.money(Money(thousands: value)) : requested(figures, money: s.moneyRequested)
    }
  }

  /// The support a group of establishments requested, said with how many wrote an amount when not all did, or
  /// that none did: the sum rests on theirs alone (`42,45 tỷ đồng đề nghị hỗ trợ (164/195 cơ sở ghi kinh phí)`).
  /// `amount` is the sum as written when it is one of several parts rounded together (`NumberFormat.money(parts:)`).
  func requested(_ figures: NeedFigures, _ amount: String? = nil, money: (String) -> String) -> String {
    statedBy(
      figures.supportStated, of: figures.establishments, money(amount ?? n.money(figures.supportRequested)),
      none: s.noAmountStated, some: s.amountsStatedBy)
  }

  /// `text`, a sum over the `stated` of `establishments` that wrote their figure: as it is when all did, with
  /// `some` after it when only some did, and `none` in its place when none did.
  func statedBy(
    _ stated: Int, of establishments: Int, _ text: String, none: String, some: (String, String) -> String
  ) -> String {
    guard stated > 0 else { return none }
    return text + names.statedBy(stated, of: establishments, some)
  }

  /// A target with its unit and period: `2.000 lao động (2021–2025)`, `10 tỷ đồng mỗi năm`.
  func targetText(_ target: PlanTarget, withPeriod: Bool = true) -> String {
    let unit = MarkdownText.escape(names.language == .vi ? target.unitVi : target.unitEn)
    let amount =
      target.measure == .supportRequestedMVND
      ? n.money(Money(thousands: target.targetInFoundUnits)) : n.integer(target.target)
    let period = withPeriod && !target.period.isEmpty ? " (\(MarkdownText.escape(target.period)))" : ""
    return [amount, unit].filter { !$0.isEmpty }.joined(separator: " ") + period
  }
}
