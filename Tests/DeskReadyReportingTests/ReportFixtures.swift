import DeskReadyCollector
import DeskReadyModel
@testable import DeskReadyReporting

/// A graded report over synthetic series, known in advance: trust RXX with a healthy site (RXX01), a slow site
/// (RXX02) and a tiny site (RXX03, under the minimum observations), over 28 days beside the 28 days before.
enum ReportFixtures {
    static let dayMs: Int64 = 86_400_000
    static let fromMs: Int64 = 1_790_000_000_000 / dayMs * dayMs
    static let toMs = fromMs + 28 * dayMs
    static let period = ReportRange(fromMs: fromMs, toMs: toMs)
    static let previousPeriod = ReportRange(fromMs: fromMs - 28 * dayMs, toMs: fromMs)

    /// Raw observations of one series, kept so tests can compute exact expectations beside the aggregated series.
    struct Raw {
        var series: TimingSeries
        var durations: [Int64]
    }

    static func series(_ site: String, _ kind: EventKind, _ name: String = "x", durations: [Int64], failures: Int = 0,
                       incomplete: Int = 0, phases: [String: [Int64]] = [:], trust: String = "RXX",
                       cohort: LogonCohort = .ordinary) -> TimingSeries {
        raw(site, kind, name, durations: durations, failures: failures, incomplete: incomplete, phases: phases, trust: trust, cohort: cohort).series
    }

    static func raw(_ site: String, _ kind: EventKind, _ name: String = "x", durations: [Int64], failures: Int = 0,
                    incomplete: Int = 0, phases: [String: [Int64]] = [:], trust: String = "RXX", cohort: LogonCohort = .ordinary) -> Raw {
        var entry = TimingSeries(trust: trust, site: site, kind: kind, name: name, cohort: cohort)
        entry.durations = TimingHistogram(durations)
        entry.failures = failures
        entry.incomplete = incomplete
        entry.phases = phases.mapValues { TimingHistogram($0) }
        return Raw(series: entry, durations: durations)
    }

    /// Logons from `low` to `high` seconds, evenly, with phases that add up to them.
    static func logons(_ site: String, count: Int, lowSeconds: Int64, highSeconds: Int64, incomplete: Int = 0) -> Raw {
        let durations = (0..<count).map { lowSeconds * 1000 + (highSeconds - lowSeconds) * 1000 * Int64($0) / Int64(max(count - 1, 1)) }
        let phases: [String: [Int64]] = [
            "authentication": durations.map { _ in 2_000 },
            "session_start": durations.map { ($0 - 2_000) * 2 / 3 },
            "responsive": durations.map { ($0 - 2_000) / 3 },
        ]
        return raw(site, .logon, durations: durations, failures: incomplete, incomplete: incomplete, phases: phases)
    }

    /// One week of the current period (the last is `week` 3) or of the previous period.
    /// One week of the current period (the last is `week` 3) or of the previous period.
    struct RawWeek {
        var index: Int
        var previous: Bool
        var series: [Raw]

        var week: WeekSeries {
            let start = (previous ? previousPeriod.fromMs : fromMs) + Int64(index) * 7 * dayMs
            return WeekSeries(range: ReportRange(fromMs: start, toMs: start + 7 * dayMs), previous: previous, series: series.map(\.series))
        }
    }

    static var rawWeeks: [RawWeek] {
        let previous = (0..<4).map { index in
            RawWeek(index: index, previous: true, series: index == 3 ? [logons("RXX01", count: 20, lowSeconds: 40, highSeconds: 100)] : [])
        }
        let current = (0..<4).map { index in
            RawWeek(index: index, previous: false, series: [
                logons("RXX01", count: 15, lowSeconds: 20, highSeconds: 50, incomplete: index == 0 ? 1 : 0),
                logons("RXX02", count: 10, lowSeconds: 70, highSeconds: 160),
                raw("RXX01", .boot, "graphical.target", durations: (0..<10).map { 20_000 + Int64($0) * 1_000 }),
                raw("RXX01", .appStart, "epr", durations: (0..<12).map { 5_000 + Int64($0) * 500 }, failures: index == 0 ? 1 : 0),
                raw("RXX02", .appStart, "pacs-viewer", durations: (0..<3).map { 60_000 + Int64($0) }),
            ] + (index == 3 ? [logons("RXX03", count: 3, lowSeconds: 30, highSeconds: 35)] : []))
        }
        return previous + current
    }

    static var weeks: [WeekSeries] { rawWeeks.map(\.week) }

    /// Devices reporting: RXX01 5, RXX02 4, RXX03 1 now; only RXX01's 5 in the previous period.
    static let currentFacts = PeriodFacts(activity: [
        DeviceActivity(trust: "RXX", site: nil, devices: 10), DeviceActivity(trust: "RXX", site: "RXX01", devices: 5),
        DeviceActivity(trust: "RXX", site: "RXX02", devices: 4), DeviceActivity(trust: "RXX", site: "RXX03", devices: 1),
    ])
    static let previousFacts = PeriodFacts(activity: [
        DeviceActivity(trust: "RXX", site: nil, devices: 5), DeviceActivity(trust: "RXX", site: "RXX01", devices: 5),
    ])

    static func model() throws -> MaturityModel { try MaturityModel.standard }

    static func report(model: MaturityModel? = nil) throws -> GradedReport {
        try ReportAssembler(model: model ?? Self.model()).assemble(
            period: period, previousPeriod: previousPeriod, weeks: weeks, current: currentFacts, previous: previousFacts,
            facts: ["RXX": TrustFacts(devicesKnown: 12, newestEventMs: toMs - 3_600_000)], nowMs: toMs)
    }
}


extension ReportFixtures {
    /// RXX graded beside three peer trusts (its own figures scaled by 0.5, 1.5 and 2) and beside a saved baseline
    /// in which logon p90 was 200 s.
    static func comparedReport() throws -> GradedReport {
        let model = try model()
        let peers: [(code: String, factor: Double)] = [("RYY", 0.5), ("RZZ", 1.5), ("RWW", 2.0)]
        let weeks = rawWeeks.map { week -> WeekSeries in
            var result = week.week
            for peer in peers {
                result.series += week.series.map { raw in
                    series(raw.series.site.replacingOccurrences(of: "RXX", with: peer.code), raw.series.kind, raw.series.name,
                           durations: raw.durations.map { Int64(Double($0) * peer.factor) }, failures: raw.series.failures,
                           incomplete: raw.series.incomplete, trust: peer.code)
                }
            }
            return result
        }
        var facts = ["RXX": TrustFacts(devicesKnown: 12, newestEventMs: toMs - 3_600_000)]
        var current = currentFacts
        for peer in peers {
            facts[peer.code] = TrustFacts(devicesKnown: 10, newestEventMs: toMs - 3_600_000)
            current.activity.append(DeviceActivity(trust: peer.code, site: nil, devices: 10))
        }
        var report = ReportAssembler(model: model).assemble(
            period: period, previousPeriod: previousPeriod, weeks: weeks, current: current, previous: previousFacts, facts: facts, nowMs: toMs)
        let comparisons = ComparisonBuilder(model: model)
        report.trusts = comparisons.withPeers(report.trusts)
        guard let rxx = report.trusts.first(where: { $0.trust == "RXX" }) else { throw StoreError("the fixture lost RXX") }
        var baseline = BaselineSnapshot(name: "spring-2026", trust: rxx, report: report, savedAtMs: fromMs)
        baseline.indicators["logon_p90"]?.value = 200
        baseline.indicators["logon_p90"]?.level = 2
        report.trusts = report.trusts.map { $0.trust == "RXX" ? comparisons.withBaseline($0, baseline) : $0 }
        return report
    }
}
