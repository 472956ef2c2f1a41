import DeskReadyStore
import DeskReadyModel

/// Grades one trust and each of its sites, for the period and the period before, from aggregates already read.
struct TrustGrader: Sendable {
    var model: MaturityModel
    var period: ReportRange
    var previousPeriod: ReportRange

    private var statistics: StatisticsCalculator {
        StatisticsCalculator(logonTargetMs: model.logonTargetMs, applicationTargetMs: model.applicationTargetMs, logonsApart: model.logonsReportedApart, supportedOS: model.supportedOS)
    }

    func trust(_ code: String, current: [TimingSeries], previous: [TimingSeries], currentFacts: PeriodFacts, previousFacts: PeriodFacts,
               facts: TrustFacts, weekly: [WeeklyPoint]) -> GradedTrust {
        let siteCodes = Set(current.map(\.site)).union(previous.map(\.site))
            .union(currentFacts.activity.compactMap(\.site)).union(previousFacts.activity.compactMap(\.site)).sorted()
        let sites = siteCodes.map { site in
            var graded = grade(trust: code, site: site, current: current.filter { $0.site == site }, previous: previous.filter { $0.site == site },
                               currentFacts: currentFacts, previousFacts: previousFacts, devicesKnown: nil, newestDataAt: nil, weekly: [], sites: [],
                               estateSize: facts.sites[site]?.estateSize)
            graded.name = facts.sites[site]?.name
            return graded
        }
        var graded = grade(trust: code, site: nil, current: current, previous: previous, currentFacts: currentFacts, previousFacts: previousFacts,
                           devicesKnown: facts.devicesKnown, newestDataAt: facts.newestEventMs.map(CivilDay.dateTime), weekly: weekly, sites: sites,
                           estateSize: facts.estateSize)
        graded.name = facts.name
        return graded
    }

    func grade(trust: String, site: String?, current: [TimingSeries], previous: [TimingSeries], currentFacts: PeriodFacts,
               previousFacts: PeriodFacts, devicesKnown: Int?, newestDataAt: String?, weekly: [WeeklyPoint], sites: [GradedTrust],
               estateSize: Int? = nil) -> GradedTrust {
        // Coverage is measured against the recorded estate when there is one, otherwise against the enrolled devices.
        let coverageBase = estateSize ?? devicesKnown
        let now = statistics.build(
            trust: trust, site: site, series: current, devicesReporting: currentFacts.devices(site: site),
            estate: currentFacts.estate(site: site), models: site == nil ? currentFacts.models : [],
            fromMs: period.fromMs, toMs: period.toMs)
        let before = statistics.build(
            trust: trust, site: site, series: previous, devicesReporting: previousFacts.devices(site: site),
            estate: previousFacts.estate(site: site), models: site == nil ? previousFacts.models : [],
            fromMs: previousPeriod.fromMs, toMs: previousPeriod.toMs)
        let indicatorGrader = IndicatorGrader(model: model)
        let minimum = model.minimumObservations
        let pairs = model.indicators.map { definition in
            let eligible = definition.minimumObservations ?? minimum
            let currentGrade = indicatorGrader.grade(definition, definition.metric.measure(
                now, coverage: CoverageInput(devicesReporting: now.devicesReporting, devicesKnown: coverageBase), minimum: eligible))
            let previousGrade = indicatorGrader.grade(definition, definition.metric.measure(
                before, coverage: CoverageInput(devicesReporting: before.devicesReporting, devicesKnown: coverageBase, previousPeriod: true),
                minimum: eligible))
            return (definition, currentGrade, previousGrade)
        }
        let overall = OverallGrader(rule: model.overall)
        let logons = StatisticsCalculator.merged(current.filter { $0.kind == .logon && !model.logonsReportedApart.contains($0.cohort) }).durations
        return GradedTrust(
            trust: trust, site: site,
            overall: overall.grade(pairs.map { ($0.0, $0.1) }),
            previousOverall: overall.grade(pairs.map { ($0.0, $0.2) }),
            devicesReporting: now.devicesReporting, devicesKnown: devicesKnown, newestDataAt: newestDataAt,
            indicators: pairs.map { GradedIndicator(definition: $0.0, current: $0.1, previous: $0.2) },
            statistics: now.suppressingSmallGroups(minimum: minimum),
            previousStatistics: before.suppressingSmallGroups(minimum: minimum),
            logonDistribution: logons.count >= minimum ? LogonHistogram.bins(logons) : [],
            weekly: weekly, sites: sites, estateSize: estateSize)
    }

    func weeklyPoint(range: ReportRange, previous: Bool, series: [TimingSeries]) -> WeeklyPoint {
        let logons = StatisticsCalculator.merged(series.filter { $0.kind == .logon && !model.logonsReportedApart.contains($0.cohort) }).durations
        let boots = StatisticsCalculator.merged(series.filter { $0.kind == .boot }).durations
        let minimum = model.minimumObservations
        func seconds(_ histogram: TimingHistogram, _ q: Double) -> Double? {
            histogram.count >= minimum ? histogram.percentile(q).map { Double($0) / 1000 } : nil
        }
        return WeeklyPoint(
            range: range, previousPeriod: previous, logonN: logons.count, logonP50Seconds: seconds(logons, 50),
            logonP90Seconds: seconds(logons, 90), bootN: boots.count, bootP90Seconds: seconds(boots, 90))
    }
}
