import Foundation

/// Renders reports as JSON for machines.
public struct JSONReportRenderer: Sendable {
    public init() {}

    public func render(_ reports: [TrustReport]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(["reports": reports])
    }
}
