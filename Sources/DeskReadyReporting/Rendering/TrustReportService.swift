import DeskReadyStore
import DeskReadyModel

/// Serves graded reports over HTTP (`GET /v1/trusts/{ods}/report`), in every format, against one maturity model.
public struct TrustReportService: ReportRendering {
    public let store: any MeasurementStore & BaselineStore
    public let model: MaturityModel
    public init(store: any MeasurementStore & BaselineStore, model: MaturityModel) {
        self.store = store
        self.model = model
    }

    public var formats: [String] { ReportFormat.allCases.map(\.rawValue) }

    public func render(_ query: ReportQuery) async throws -> RenderedReport {
        guard let reportFormat = ReportFormat(rawValue: query.format) else {
            throw ReportQueryError(field: "format", "'\(query.format)' is not a report format; use one of \(formats.joined(separator: ", "))")
        }
        let saved = try await query.trust.flatMap { trust in query.baseline.map { (trust, $0) } }
            .asyncMap { try await BaselineLookup(store: store).snapshot(trust: $0.0, name: $0.1) }
        let report = try await GradedReportBuilder(store: store, model: model)
            .report(trust: query.trust, fromMs: query.period.fromMs, toMs: query.period.toMs, baseline: saved, peers: query.peers)
        try Task.checkCancellation()
        return RenderedReport(contentType: reportFormat.mediaType, body: try reportFormat.render(report))
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
