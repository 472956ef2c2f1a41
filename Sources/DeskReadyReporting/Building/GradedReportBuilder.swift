import DeskReadyStore
import DeskReadyModel

/// Builds a `GradedReport` from a store's aggregates: reads the period and the period before it week by week (so
/// the weekly trend needs no extra reads), the devices that reported, their estate and the timings per device model,
/// computes the statistics per trust and site, and grades them against the model. With a `GradedTrustCache`, trusts
/// graded before and unchanged since are taken from it (see there for the rules).
public struct GradedReportBuilder: Sendable {
    /// Trusts graded side by side when a report covers many: grading is reads and arithmetic per trust, independent
    /// of the others, so a national export uses the machine's cores instead of one (BENCHMARKS.md, reports at
    /// national size); each trust's rows are held only while it is graded.
    static let gradingWidth = 4

    public var store: any MeasurementReading
    public var model: MaturityModel
    /// Where graded trusts are kept between reports; nil grades everything from the store every time.
    public var cache: GradedTrustCache?
    /// How long the store keeps each resolution of aggregates, which the report states.
    public var windows: AggregateWindows

    public init(store: any MeasurementReading, model: MaturityModel, cache: GradedTrustCache? = nil, windows: AggregateWindows = AggregateWindows()) {
        self.store = store
        self.model = model
        self.cache = cache
        self.windows = windows
    }

    /// The report for one trust (or every trust the store knows) over `[fromMs, toMs)`, beside the period of equal
    /// length before it; with `peers`, each trust's indicators beside the median of the other trusts (graded for the
    /// period alone, never named); with `baseline`, beside that saved baseline.
    public func report(trust: String?, fromMs: Int64, toMs: Int64, nowMs: Int64 = WallClock.nowMs(),
                       baseline: BaselineSnapshot? = nil, peers: Bool = true) async throws -> GradedReport {
        let (period, aggregates) = windows.resolve(try ReportPeriods(fromMs: fromMs, toMs: toMs), nowMs: nowMs)
        var report: GradedReport
        if let trust {
            report = header(period, nowMs: nowMs)
            report.trusts = [try await fullGrade(trust, period, versions: try await versions())]
        } else if cache == nil {
            // From scratch, every trust in one pass over the store.
            report = try await graded(trust: nil, period, nowMs: nowMs)
        } else {
            report = header(period, nowMs: nowMs)
            let versions = try await versions()
            var trusts: [GradedTrust] = []
            try await orderedConcurrentMap(try await store.trustCodes(), width: Self.gradingWidth, { code in
                try await fullGrade(code, period, versions: versions)
            }, each: { _, graded in trusts.append(graded) })
            report.trusts = trusts
        }
        if peers {
            let pool = trust == nil && cache == nil
                ? PeerPool(trusts: report.trusts, gradedAtMs: nowMs)
                : try await peerPool(period, nowMs: nowMs)
            report = pool.compare(report, model: model)
        }
        if let baseline {
            let comparisons = ComparisonBuilder(model: model)
            report.trusts = report.trusts.map { $0.trust == baseline.trust ? comparisons.withBaseline($0, baseline) : $0 }
        }
        report.aggregates = aggregates
        return report
    }

    /// Every trust's report over the period one at a time, each beside its peers, for writers that stream (the
    /// national export): `begin` gets the report with no trusts, then `each` gets the trusts in code order. Only one
    /// trust's full report is held at a time beyond what the cache keeps.
    public func eachTrust(fromMs: Int64, toMs: Int64, nowMs: Int64 = WallClock.nowMs(), peers: Bool = true,
                          begin: (GradedReport) async throws -> Void, each: (GradedTrust) async throws -> Void) async throws {
        let (period, aggregates) = windows.resolve(try ReportPeriods(fromMs: fromMs, toMs: toMs), nowMs: nowMs)
        let pool = peers ? try await peerPool(period, nowMs: nowMs) : nil
        var head = header(period, nowMs: nowMs)
        head.peersGradedAt = pool?.gradedAt
        head.aggregates = aggregates
        try await begin(head)
        let versions = try await versions()
        try await orderedConcurrentMap(try await store.trustCodes(), width: Self.gradingWidth, { code in
            try Task.checkCancellation()
            return try await fullGrade(code, period, versions: versions)
        }, each: { _, graded in
            try await each(pool.map { ComparisonBuilder(model: model).withPeers([graded], among: $0.trusts)[0] } ?? graded)
        })
    }

    /// Every trust's indicators for the period alone, for peer medians: from the cache where it may be used, and one
    /// read of the store for the rest.
    /// `exact` grades again every trust whose data changed, however young its kept grade: what the background
    /// refresh does, so that requests find young grades.
    public func peerPool(fromMs: Int64, toMs: Int64, nowMs: Int64 = WallClock.nowMs(), exact: Bool = false) async throws -> PeerPool {
        try await peerPool(try ReportPeriods(fromMs: fromMs, toMs: toMs), nowMs: nowMs, exact: exact)
    }

    private func peerPool(_ period: ReportPeriods, nowMs: Int64, exact: Bool = false) async throws -> PeerPool {
        // Versions first: data that changes while the grades are made leaves them out of date, never wrongly current.
        let versions = try await versions()
        let codes = try await store.trustCodes()
        guard let cache else { return PeerPool(trusts: try await periodGrades(period, trust: nil), gradedAtMs: nowMs) }
        var kept: [String: GradedTrust] = [:]
        var oldest = nowMs
        for code in codes {
            if let entry = await cache.entry(key(code, period, .period), version: versions[code] ?? 0, nowMs: nowMs, exact: exact) {
                kept[code] = entry.graded
                oldest = min(oldest, entry.gradedAtMs)
            }
        }
        // One trust at a time, each kept as soon as it is graded: memory holds one trust's rows, not every trust's,
        // and a report cut off by its time limit leaves the trusts graded so far for the next. At 220 trusts (bench
        // report --national) one pass over every trust took 5.7-7.5 s and left the serving collector at 392 MB after
        // the first national pull; trust by trust it takes 4.6-4.9 s and leaves it at 117-121 MB.
        // A few trusts are graded side by side (`gradingWidth`), still each kept as soon as it is graded.
        try await orderedConcurrentMap(codes.filter { kept[$0] == nil }, width: Self.gradingWidth, { code in
            try await periodGrades(period, trust: code)
        }, each: { _, grades in
            for trust in grades {
                kept[trust.trust] = trust
                await cache.keep(trust, key(trust.trust, period, .period), version: versions[trust.trust] ?? 0, gradedAtMs: nowMs)
            }
        })
        return PeerPool(trusts: codes.compactMap { kept[$0] }, gradedAtMs: oldest)
    }

    /// The indicators of one trust (every trust when nil) for the period alone: one read of the period, no weeks,
    /// sites or previous period, and only the phases an indicator grades.
    private func periodGrades(_ period: ReportPeriods, trust: String?) async throws -> [GradedTrust] {
        // Only the phase an indicator grades (a probe's first byte); the other phases are figures, not grades.
        let series = Dictionary(grouping: try await store.timingSeries(
            trust: trust, fromMs: period.current.fromMs, toMs: period.current.toMs, phases: ["ttfb"]), by: \.trust)
        let facts = try await periodFacts(trust: trust, period.current)
        let directory = try await (store as? any OrganisationStore)?.organisationDirectory(trust: trust) ?? OrganisationDirectory()
        let grader = TrustGrader(model: model, period: period.current, previousPeriod: period.previous)
        var grades: [GradedTrust] = []
        var codes: [String]
        if let trust { codes = [trust] } else { codes = try await store.trustCodes().sorted() }
        for code in codes {
            try Task.checkCancellation()
            let summary = try await store.trustSummary(trust: code)
            grades.append(grader.grade(
                trust: code, site: nil, current: series[code] ?? [], previous: [], currentFacts: facts.of(code), previousFacts: PeriodFacts(),
                devicesKnown: summary.devicesKnown, newestDataAt: nil, weekly: [], sites: [], estateSize: directory.trustEstateSizes[code]))
        }
        return grades
    }

    /// One trust's whole report, from the cache while its data is unchanged.
    private func fullGrade(_ code: String, _ period: ReportPeriods, versions: [String: Int64]) async throws -> GradedTrust {
        let key = key(code, period, .full)
        let version = versions[code] ?? 0
        let nowMs = WallClock.nowMs()
        if let cache, let entry = await cache.entry(key, version: version, nowMs: nowMs) { return entry.graded }
        guard let graded = try await graded(trust: code, period, nowMs: nowMs).trusts.first else {
            throw ReportQueryError(field: "trust", "trust \(code) could not be graded")
        }
        await cache?.keep(graded, key, version: version, gradedAtMs: nowMs)
        return graded
    }

    private func versions() async throws -> [String: Int64] {
        cache == nil ? [:] : try await store.trustDataVersions()
    }

    private func key(_ trust: String, _ period: ReportPeriods, _ depth: GradedTrustCache.Depth) -> GradedTrustCache.Key {
        GradedTrustCache.Key(model: "\(model.id)\u{1F}\(model.version)", trust: trust, fromMs: period.current.fromMs,
                             toMs: period.current.toMs, depth: depth)
    }

    private func header(_ period: ReportPeriods, nowMs: Int64) -> GradedReport {
        ReportAssembler(model: model).assemble(period: period.current, previousPeriod: period.previous, weeks: [], facts: [:], nowMs: nowMs)
    }

    private func graded(trust: String?, _ period: ReportPeriods, nowMs: Int64) async throws -> GradedReport {
        var weeks: [WeekSeries] = []
        for (range, previous) in WeekWindows.split(fromMs: period.previous.fromMs, toMs: period.previous.toMs).map({ ($0, true) })
            + WeekWindows.split(fromMs: period.current.fromMs, toMs: period.current.toMs).map({ ($0, false) }) {
            try Task.checkCancellation()
            weeks.append(WeekSeries(range: range, previous: previous, series: try await store.timingSeries(trust: trust, fromMs: range.fromMs, toMs: range.toMs)))
        }
        let current = try await periodFacts(trust: trust, period.current)
        let before = try await periodFacts(trust: trust, period.previous)
        var codes = Set(weeks.flatMap { $0.series.map(\.trust) })
        if let trust {
            codes = [trust]
        } else {
            codes.formUnion(try await store.trustCodes())
        }
        var facts: [String: TrustFacts] = [:]
        // Names and estate sizes, from a store that keeps them.
        let directory = try await (store as? any OrganisationStore)?.organisationDirectory(trust: trust) ?? OrganisationDirectory()
        for code in codes {
            let summary = try await store.trustSummary(trust: code)
            facts[code] = TrustFacts(devicesKnown: summary.devicesKnown, newestEventMs: summary.newestEventMs, name: directory.trustNames[code],
                                     estateSize: directory.trustEstateSizes[code], sites: directory.sites[code] ?? [:])
        }
        return ReportAssembler(model: model).assemble(
            period: period.current, previousPeriod: period.previous, weeks: weeks, current: current, previous: before, facts: facts, nowMs: nowMs)
    }

    private func periodFacts(trust: String?, _ range: ReportRange) async throws -> PeriodFacts {
        PeriodFacts(
            activity: try await store.deviceActivity(trust: trust, fromMs: range.fromMs, toMs: range.toMs),
            estate: try await store.estate(trust: trust, fromMs: range.fromMs, toMs: range.toMs),
            models: try await store.modelTimings(trust: trust, fromMs: range.fromMs, toMs: range.toMs))
    }
}

/// A report's period and the period of equal length before it.
struct ReportPeriods: Sendable {
    var current: ReportRange
    var previous: ReportRange

    init(fromMs: Int64, toMs: Int64) throws {
        guard fromMs < toMs else { throw ReportQueryError(field: "from", "a report period must not be empty: from must be before to") }
        current = ReportRange(fromMs: fromMs, toMs: toMs)
        previous = ReportRange(fromMs: fromMs - (toMs - fromMs), toMs: fromMs)
    }
}

/// Every trust's indicators for one period, which peer medians are taken from, and when the oldest was graded.
public struct PeerPool: Sendable {
    public var trusts: [GradedTrust]
    public var gradedAtMs: Int64

    /// When the oldest grade was made, ISO 8601 UTC.
    public var gradedAt: String { CivilDay.dateTime(gradedAtMs) }

    /// The report with each trust's indicators beside the median of the others in the pool.
    func compare(_ report: GradedReport, model: MaturityModel) -> GradedReport {
        var report = report
        report.trusts = ComparisonBuilder(model: model).withPeers(report.trusts, among: trusts)
        report.peersGradedAt = gradedAt
        return report
    }
}

