import DeskReadyModel
import DeskReadyStore

/// Grades aggregates already read into a `GradedReport`; the builder reads, this computes (and tests drive it directly).
struct ReportAssembler: Sendable {
    var model: MaturityModel

    /// Grades what was read: `weeks` cover the previous period then the current one; `facts` name the trusts.
    func assemble(period: ReportRange, previousPeriod: ReportRange, weeks: [WeekSeries], current: PeriodFacts = PeriodFacts(),
                  previous: PeriodFacts = PeriodFacts(), facts: [String: TrustFacts], nowMs: Int64) -> GradedReport {
        let currentSeries = SeriesMerger.merge(weeks.filter { !$0.previous }.map(\.series))
        let previousSeries = SeriesMerger.merge(weeks.filter(\.previous).map(\.series))
        let grader = TrustGrader(model: model, period: period, previousPeriod: previousPeriod)
        let trusts = facts.keys.sorted().map { code in
            let weekly = weeks.map { week in
                grader.weeklyPoint(range: week.range, previous: week.previous, series: week.series.filter { $0.trust == code })
            }
            return grader.trust(
                code, current: currentSeries.filter { $0.trust == code }, previous: previousSeries.filter { $0.trust == code },
                currentFacts: current.of(code), previousFacts: previous.of(code),
                facts: facts[code] ?? TrustFacts(devicesKnown: 0), weekly: weekly)
        }
        return GradedReport(
            schemaVersion: GradedReport.currentSchemaVersion, generatedAt: CivilDay.dateTime(nowMs),
            model: ModelReference(
                id: model.id, version: model.version, title: model.title, scoreMethod: model.scoreMethod.rawValue,
                overallRule: model.overall.summary, minimumObservations: model.minimumObservations,
                logonsReportedApart: model.logonsReportedApart.map(\.rawValue), supportedOS: model.supportedOS.map(\.summary)),
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
    /// The trust's name, its estate size and its sites' names and estate sizes, where recorded.
    var name: String?
    var estateSize: Int?
    var sites: [String: SiteRecord] = [:]
}

/// The devices that reported in one period, their estate, and the timings per device model.
struct PeriodFacts: Sendable {
    var activity: [DeviceActivity] = []
    var estate: [EstateCount] = []
    var models: [ModelTiming] = []

    /// The part of one trust.
    func of(_ trust: String) -> PeriodFacts {
        PeriodFacts(
            activity: activity.filter { $0.trust == trust }, estate: estate.filter { $0.trust == trust },
            models: models.filter { $0.trust == trust })
    }

    /// Devices that reported from the trust (`site` nil) or one site.
    func devices(site: String?) -> Int {
        activity.first { $0.site == site }?.devices ?? 0
    }

    /// The estate counts of the whole trust (`site` nil) or one site.
    func estate(site: String?) -> [EstateCount] {
        site.map { site in estate.filter { $0.site == site } } ?? estate
    }
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
