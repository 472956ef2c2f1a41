import DeskReadyCollector

/// Grades series already read into a `GradedReport`; the builder reads, this computes (and tests drive it directly).
struct ReportAssembler: Sendable {
    var model: MaturityModel

    /// Grades series already read: `weeks` cover the previous period then the current one; `facts` name the trusts.
    func assemble(period: ReportRange, previousPeriod: ReportRange, weeks: [WeekSeries], facts: [String: TrustFacts],
                  nowMs: Int64) -> GradedReport {
        let current = SeriesMerger.merge(weeks.filter { !$0.previous }.map(\.series))
        let before = SeriesMerger.merge(weeks.filter(\.previous).map(\.series))
        let grader = TrustGrader(model: model, period: period, previousPeriod: previousPeriod)
        let trusts = facts.keys.sorted().map { code in
            let weekly = weeks.map { week in
                grader.weeklyPoint(range: week.range, previous: week.previous, series: week.series.filter { $0.trust == code })
            }
            return grader.trust(
                code, current: current.filter { $0.trust == code }, previous: before.filter { $0.trust == code },
                devicesKnown: facts[code]?.devicesKnown ?? 0, newestEventMs: facts[code]?.newestEventMs, weekly: weekly)
        }
        return GradedReport(
            schemaVersion: GradedReport.currentSchemaVersion, generatedAt: CivilDate.dateTime(nowMs),
            model: ModelReference(
                id: model.id, version: model.version, title: model.title, scoreMethod: model.scoreMethod.rawValue,
                overallRule: model.overall.summary, minimumObservations: model.minimumObservations),
            period: period, previousPeriod: previousPeriod, indicators: model.indicators.map { $0.description(model) },
            trusts: trusts)
    }
}

/// The timing series of one week of a report.
struct WeekSeries: Sendable {
    var range: ReportRange
    /// True for a week of the previous period.
    var previous: Bool
    var series: [TimingSeries]
}

/// What the store says about a trust beyond its timings.
struct TrustFacts: Sendable, Equatable {
    var devicesKnown: Int
    var newestEventMs: Int64?
}

extension IndicatorDefinition {
    /// The indicator as a report states it.
    func description(_ model: MaturityModel) -> IndicatorDescription {
        IndicatorDescription(
            id: id, metric: metric.rawValue, title: title, measures: measures, unit: unit, direction: direction,
            dimension: dimension, thresholds: Dictionary(uniqueKeysWithValues: (2...5).map { (String($0), thresholds.value(for: $0)) }),
            minimumObservations: minimumObservations ?? model.minimumObservations, justification: justification)
    }
}
