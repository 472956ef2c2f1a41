import DeskReadyCollector
import DeskReadyModel

/// Serves graded reports over HTTP (`GET /v1/trusts/{ods}/report`), in every format, against one maturity model.
public struct TrustReportService: ReportRendering {
    public let store: any MeasurementStore & BaselineStore
    public let model: MaturityModel
    /// The default period, in days, ending with today (UTC).
    public var defaultDays: Int64 = 28

    public init(store: any MeasurementStore & BaselineStore, model: MaturityModel) {
        self.store = store
        self.model = model
    }

    public var formats: [String] { ReportFormat.allCases.map(\.rawValue) }

    public func render(trust: String, format: String, fromMs: Int64?, toMs: Int64?, baseline: String?) async throws -> (contentType: String, body: String) {
        guard let reportFormat = ReportFormat(rawValue: format) else { throw StoreError("unknown report format \(format)") }
        let now = WallClock.nowMs()
        let to = toMs ?? (now / 86_400_000 + 1) * 86_400_000
        let from = fromMs ?? (to - defaultDays * 86_400_000)
        let saved = try await baseline.asyncMap { try await BaselineLookup(store: store).snapshot(trust: trust, name: $0) }
        let report = try await GradedReportBuilder(store: store, model: model)
            .report(trust: trust, fromMs: from, toMs: to, nowMs: now, baseline: saved)
        return (reportFormat.mediaType, try reportFormat.render(report))
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
