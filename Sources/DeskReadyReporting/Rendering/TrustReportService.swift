import DeskReadyStore
import DeskReadyModel

/// Serves graded reports over HTTP (`GET /v1/trusts/{ods}/report`) in every format, and the national export
/// (`GET /v1/indicators`) trust by trust, against one maturity model, keeping graded trusts in `cache` between requests.
public struct TrustReportService: ReportRendering, IndicatorExporting, ReportCacheStatistics {
    public let store: any MeasurementReading & BaselineStore
    public let model: MaturityModel
    /// Graded trusts kept between reports; nil grades every report from the store.
    public let cache: GradedTrustCache?
    /// How long the store keeps its aggregates, which reports state.
    public let windows: AggregateWindows

    public init(store: any MeasurementReading & BaselineStore, model: MaturityModel, cache: GradedTrustCache? = GradedTrustCache(),
                windows: AggregateWindows = AggregateWindows()) {
        self.store = store
        self.model = model
        self.cache = cache
        self.windows = windows
    }

    public var formats: [String] { ReportFormat.allCases.map(\.rawValue) }
    public var exportFormats: [String] { ReportStreamWriter.formats.map(\.rawValue) }

    /// The builder every report of this service goes through (and the background refresh of peer grades).
    public var builder: GradedReportBuilder { GradedReportBuilder(store: store, model: model, cache: cache, windows: windows) }

    public func render(_ query: ReportQuery) async throws -> RenderedReport {
        guard let reportFormat = ReportFormat(rawValue: query.format) else {
            throw ReportQueryError(field: "format", "'\(query.format)' is not a report format; use one of \(formats.joined(separator: ", "))")
        }
        let saved = try await query.trust.flatMap { trust in query.baseline.map { (trust, $0) } }
            .asyncMap { try await BaselineLookup(store: store).snapshot(trust: $0.0, name: $0.1) }
        let report = try await builder
            .report(trust: query.trust, fromMs: query.period.fromMs, toMs: query.period.toMs, baseline: saved, peers: query.peers)
        try Task.checkCancellation()
        return RenderedReport(contentType: reportFormat.mediaType, body: try reportFormat.render(report))
    }

    public func reportCacheCounts() async -> ReportCacheCounts? {
        guard let cache else { return nil }
        return ReportCacheCounts(hits: await cache.hits, misses: await cache.misses, wholeReports: await cache.fullEntries,
                                 periodGrades: await cache.periodEntries)
    }

    public func prepareExport(_ query: ReportQuery) async throws -> PreparedExport {
        guard let format = ReportFormat(rawValue: query.format), let writer = ReportStreamWriter(format: format) else {
            throw ReportQueryError(field: "format", "'\(query.format)' is not an export format; use one of \(exportFormats.joined(separator: ", "))")
        }
        let builder = self.builder
        let (fromMs, toMs, peers) = (query.period.fromMs, query.period.toMs, query.peers)
        if let cache = builder.cache, cache.fullCapacity >= (try await store.trustCodes().count) {
            // Every trust graded now, inside the caller's limits; writing then takes each from the cache. (When the
            // cache cannot hold every trust, they are graded as they are written instead, once.)
            try await builder.eachTrust(fromMs: fromMs, toMs: toMs, peers: peers, begin: { _ in }, each: { _ in })
        }
        return PreparedExport(contentType: format.mediaType) { sink in
            try await builder.stream(writer, fromMs: fromMs, toMs: toMs, peers: peers, to: sink)
        }
    }
}

extension GradedReportBuilder {
    /// Trusts rendered at once while streaming: encoding is most of a kept export's time, and each trust's piece is
    /// independent of the others (measured at 220 trusts: see BENCHMARKS.md), so a few are encoded side by side and
    /// written in order; memory holds only this many rendered trusts.
    static let renderWindow = 8

    /// Every trust's report written piece by piece in a streamed format.
    public func stream(_ writer: ReportStreamWriter, fromMs: Int64, toMs: Int64, nowMs: Int64 = WallClock.nowMs(), peers: Bool,
                       to sink: (String) async throws -> Void) async throws {
        var head: GradedReport?
        var window: [GradedTrust] = []
        var written = 0
        func flush() async throws {
            guard let head, !window.isEmpty else { return }
            let first = written
            let pieces = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for (offset, trust) in window.enumerated() {
                    group.addTask { (offset, try writer.trust(trust, index: first + offset, head: head)) }
                }
                var pieces = [String](repeating: "", count: window.count)
                for try await (offset, piece) in group { pieces[offset] = piece }
                return pieces
            }
            for piece in pieces { try await sink(piece) }
            written += window.count
            window.removeAll(keepingCapacity: true)
        }
        try await eachTrust(fromMs: fromMs, toMs: toMs, nowMs: nowMs, peers: peers, begin: { report in
            head = report
            try await sink(try writer.begin(report))
        }, each: { trust in
            window.append(trust)
            if window.count == Self.renderWindow { try await flush() }
        })
        try await flush()
        if let head { try await sink(try writer.end(head)) }
    }
}

extension ReportFormat {
    /// The media type each format is served with.
    public var mediaType: String {
        switch self {
        case .text: "text/plain; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        case .json: "application/json"
        case .csv: "text/csv; charset=utf-8"
        case .fhir: "application/fhir+json"
        }
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
