import DeskReadyStore
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
        var report = try await graded(trust: trust, fromMs: fromMs, toMs: toMs, nowMs: nowMs)
        let comparisons = ComparisonBuilder(model: model)
        if peers {
            // Every trust's report has every other trust in it; one trust's report grades the others lightly.
            let pool = trust == nil ? report.trusts : try await peerGrades(fromMs: fromMs, toMs: toMs)
            report.trusts = comparisons.withPeers(report.trusts, among: pool)
        }
        if let baseline {
            report.trusts = report.trusts.map { $0.trust == baseline.trust ? comparisons.withBaseline($0, baseline) : $0 }
        }
        return report
    }

    /// Every trust's indicators for the period alone: one read of the whole period, no weeks, sites or previous
    /// period, which is all a peer median needs.
    private func peerGrades(fromMs: Int64, toMs: Int64) async throws -> [GradedTrust] {
        let period = ReportRange(fromMs: fromMs, toMs: toMs)
        // Only the phase an indicator grades (a probe's first byte); the other phases are figures, not grades.
        let series = Dictionary(grouping: try await store.timingSeries(trust: nil, fromMs: fromMs, toMs: toMs, phases: ["ttfb"]), by: \.trust)
        let facts = try await periodFacts(trust: nil, period)
        let grader = TrustGrader(model: model, period: period, previousPeriod: ReportRange(fromMs: fromMs - (toMs - fromMs), toMs: fromMs))
        var grades: [GradedTrust] = []
        for code in Set(series.keys).union(try await store.trustCodes()).sorted() {
            try Task.checkCancellation()
            let summary = try await store.trustSummary(trust: code)
            grades.append(grader.grade(
                trust: code, site: nil, current: series[code] ?? [], previous: [], currentFacts: facts.of(code), previousFacts: PeriodFacts(),
                devicesKnown: summary.devicesKnown, newestDataAt: nil, weekly: [], sites: []))
        }
        return grades
    }

    private func graded(trust: String?, fromMs: Int64, toMs: Int64, nowMs: Int64) async throws -> GradedReport {
        guard fromMs < toMs else { throw ReportQueryError(field: "from", "a report period must not be empty: from must be before to") }
        let period = ReportRange(fromMs: fromMs, toMs: toMs)
        let previousPeriod = ReportRange(fromMs: fromMs - (toMs - fromMs), toMs: fromMs)
        var weeks: [WeekSeries] = []
        for (range, previous) in WeekWindows.split(fromMs: previousPeriod.fromMs, toMs: previousPeriod.toMs).map({ ($0, true) })
            + WeekWindows.split(fromMs: fromMs, toMs: toMs).map({ ($0, false) }) {
            try Task.checkCancellation()
            weeks.append(WeekSeries(range: range, previous: previous, series: try await store.timingSeries(trust: trust, fromMs: range.fromMs, toMs: range.toMs)))
        }
        let current = try await periodFacts(trust: trust, period)
        let before = try await periodFacts(trust: trust, previousPeriod)
        var codes = Set(weeks.flatMap { $0.series.map(\.trust) })
        if let trust {
            codes = [trust]
        } else {
            codes.formUnion(try await store.trustCodes())
        }
        var facts: [String: TrustFacts] = [:]
        for code in codes {
            let summary = try await store.trustSummary(trust: code)
            facts[code] = TrustFacts(devicesKnown: summary.devicesKnown, newestEventMs: summary.newestEventMs)
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
