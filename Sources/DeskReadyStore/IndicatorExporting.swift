import DeskReadyModel

/// Writes every trust's graded indicators for the maturity toolkit's national pull (`GET /v1/indicators`). The
/// reporting module provides it; the collector authenticates, bounds and streams what it returns.
public protocol IndicatorExporting: Sendable {
    /// The formats it exports (`json`, `csv`, `fhir`).
    var exportFormats: [String] { get }
    /// Grades what the export needs (the costly part, which the caller bounds in time and concurrency) and returns
    /// what writes it, trust by trust, once the response has started.
    func prepareExport(_ query: ReportQuery) async throws -> PreparedExport
}

/// An export graded and ready to write: its media type and the writer that hands out its text piece by piece.
public struct PreparedExport: Sendable {
    public var contentType: String
    /// Calls `sink` with each piece of the document in order.
    public var write: @Sendable (_ sink: (String) async throws -> Void) async throws -> Void

    public init(contentType: String, write: @escaping @Sendable (_ sink: (String) async throws -> Void) async throws -> Void) {
        self.contentType = contentType
        self.write = write
    }
}
