import DeskReadyModel

/// Renders a trust's report for `GET /v1/trusts/{ods}/report`. The reporting module provides it; the collector only
/// authenticates, authorises, bounds and serves what it returns.
public protocol ReportRendering: Sendable {
    /// The formats it renders (`text`, `html`, `json`, `csv`, `fhir`).
    var formats: [String] { get }
    /// The report a checked query asks for. Honours task cancellation between its reads.
    func render(_ query: ReportQuery) async throws -> RenderedReport
}

/// A rendered report and the media type it is served with.
public struct RenderedReport: Sendable {
    public var contentType: String
    public var body: String

    public init(contentType: String, body: String) {
        self.contentType = contentType
        self.body = body
    }
}
