/// Renders a trust's report for `GET /v1/trusts/{ods}/report`. The reporting module provides it; the collector only
/// authenticates, authorises and serves what it returns.
public protocol ReportRendering: Sendable {
    /// The formats it renders (`text`, `html`, `json`, `csv`, `fhir`).
    var formats: [String] { get }
    /// The report of one trust for `[fromMs, toMs)` (nil: the default period), beside a saved baseline when named,
    /// with its media type.
    func render(trust: String, format: String, fromMs: Int64?, toMs: Int64?, baseline: String?) async throws -> (contentType: String, body: String)
}
