import DeskReadyStore
import DeskReadyModel

/// Serves graded reports over HTTP (`GET /v1/trusts/{ods}/report`) in every format, and the national export
/// (`GET /v1/indicators`) trust by trust, against one maturity model, keeping graded trusts in `cache` between requests.
public struct TrustReportService: ReportRendering, IndicatorExporting {
    public let store: any MeasurementStore & BaselineStore
    public let model: MaturityModel
    /// Graded trusts kept between reports; nil grades every report from the store.
    public let cache: GradedTrustCache?
    /// How long the store keeps its aggregates, which reports state.
    public let windows: AggregateWindows

    public init(store: any MeasurementStore & BaselineStore, model: MaturityModel, cache: GradedTrustCache? = GradedTrustCache(),
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

    public func prepareExport(_ query: ReportQuery) async throws -> PreparedExport {
        guard let format = ReportFormat(rawValue: query.format), let writer = ReportStreamWriter(format: format) else {
            throw ReportQueryError(field: "format", "'\(query.format)' is not an export format; use one of \(exportFormats.joined(separator: ", "))")
        }
        let builder = self.builder
        let (fromMs, toMs, peers) = (query.period.fromMs, query.period.toMs, query.peers)
        if builder.cache != nil {
            // Every trust graded now, inside the caller's limits; writing then takes each from the cache.
            try await builder.eachTrust(fromMs: fromMs, toMs: toMs, peers: peers, begin: { _ in }, each: { _ in })
        }
        return PreparedExport(contentType: format.mediaType) { sink in
            try await builder.stream(writer, fromMs: fromMs, toMs: toMs, peers: peers, to: sink)
        }
    }
}

extension GradedReportBuilder {
    /// Every trust's report written piece by piece in a streamed format.
    public func stream(_ writer: ReportStreamWriter, fromMs: Int64, toMs: Int64, nowMs: Int64 = WallClock.nowMs(), peers: Bool,
                       to sink: (String) async throws -> Void) async throws {
        var head: GradedReport?
        var index = 0
        try await eachTrust(fromMs: fromMs, toMs: toMs, nowMs: nowMs, peers: peers, begin: { report in
            head = report
            try await sink(try writer.begin(report))
        }, each: { trust in
            guard let head else { return }
            try await sink(try writer.trust(trust, index: index, head: head))
            index += 1
        })
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
