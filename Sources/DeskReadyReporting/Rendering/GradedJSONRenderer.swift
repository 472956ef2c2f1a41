import Foundation

/// Renders a graded report as JSON, in the stable schema of `collector/indicators.schema.json`.
public struct GradedJSONRenderer: Sendable {
    public init() {}

    public func render(_ report: GradedReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    /// Reads a report back, for tools and tests.
    public func decode(_ text: String) throws -> GradedReport {
        try JSONDecoder().decode(GradedReport.self, from: Data(text.utf8))
    }
}
