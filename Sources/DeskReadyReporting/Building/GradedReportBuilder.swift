import DeskReadyCollector
import DeskReadyModel

/// Builds a `GradedReport` from a store's aggregates: reads the period and the period before it week by week (so
/// the weekly trend needs no extra reads), the devices that reported, their estate and the timings per device model,
/// computes the statistics per trust and site, and grades them against the model.
public struct GradedReportBuilder: Sendable {
    public var store: any MeasurementStore
    public var model: MaturityModel

    public init(store: any MeasurementStore, model: MaturityModel) {
        self.store = store
        self.model = model
    }

    /// The report for one trust (or every trust the store knows) over `[fromMs, toMs)`, beside the period of equal
    /// length before it; with `peers`, each trust's indicators beside the median of the other trusts (so every
    /// trust is read, and only the asked-for one reported); with `baseline`, beside that saved baseline.
    public func report(trust: String?, fromMs: Int64, toMs: Int64, nowMs: Int64 = WallClock.nowMs(),
                       baseline: BaselineSnapshot? = nil, peers: Bool = true) async throws -> GradedReport {
        var report = try await graded(trust: peers ? nil : trust, including: trust, fromMs: fromMs, toMs: toMs, nowMs: nowMs)
        let comparisons = ComparisonBuilder(model: model)
        if peers { report.trusts = comparisons.withPeers(report.trusts) }
        if let trust { report.trusts = report.trusts.filter { $0.trust == trust } }
        if let baseline {
            report.trusts = report.trusts.map { $0.trust == baseline.trust ? comparisons.withBaseline($0, baseline) : $0 }
        }
        return report
    }

    private func graded(trust: String?, including requested: String?, fromMs: Int64, toMs: Int64, nowMs: Int64) async throws -> GradedReport {
        precondition(fromMs < toMs, "a report period must not be empty")
        let period = ReportRange(fromMs: fromMs, toMs: toMs)
        let previousPeriod = ReportRange(fromMs: fromMs - (toMs - fromMs), toMs: fromMs)
        var weeks: [WeekSeries] = []
        for (range, previous) in WeekWindows.split(fromMs: previousPeriod.fromMs, toMs: previousPeriod.toMs).map({ ($0, true) })
            + WeekWindows.split(fromMs: fromMs, toMs: toMs).map({ ($0, false) }) {
            weeks.append(WeekSeries(range: range, previous: previous, series: try await store.timingSeries(trust: trust, fromMs: range.fromMs, toMs: range.toMs)))
        }
        let current = try await periodFacts(trust: trust, period)
        let before = try await periodFacts(trust: trust, previousPeriod)
        var codes = Set(weeks.flatMap { $0.series.map(\.trust) })
        if let trust {
            codes = [trust]
        } else {
            codes.formUnion(try await store.trustCodes())
            if let requested { codes.insert(requested) }
        }
        var facts: [String: TrustFacts] = [:]
        for code in codes {
            let counts = try await store.counts(trust: code)
            facts[code] = TrustFacts(devicesKnown: counts.devices, newestEventMs: counts.newestEventMs)
        }
        return ReportAssembler(model: model).assemble(
            period: period, previousPeriod: previousPeriod, weeks: weeks, current: current, previous: before, facts: facts, nowMs: nowMs)
    }

    private func periodFacts(trust: String?, _ range: ReportRange) async throws -> PeriodFacts {
        PeriodFacts(
            activity: try await store.deviceActivity(trust: trust, fromMs: range.fromMs, toMs: range.toMs),
            estate: try await store.estate(trust: trust, fromMs: range.fromMs, toMs: range.toMs),
            models: try await store.modelTimings(trust: trust, fromMs: range.fromMs, toMs: range.toMs))
    }
}
