import Foundation

/// FHIR R4 `Bundle` of type `collection` holding DeskReady's Measures and MeasureReports.
public struct FHIRBundle: Codable, Sendable, Equatable {
    public var resourceType = "Bundle"
    public var id: String
    public var type: String
    public var timestamp: String
    public var entry: [Entry]

    /// One resource in the bundle.
    public struct Entry: Codable, Sendable, Equatable {
        public var fullUrl: String
        public var resource: FHIRResource
    }
}

/// A resource in DeskReady's bundle, told apart by its `resourceType`.
public enum FHIRResource: Codable, Sendable, Equatable {
    case measure(FHIRMeasure)
    case measureReport(FHIRMeasureReport)

    private enum Keys: String, CodingKey { case resourceType }

    public init(from decoder: any Decoder) throws {
        let type = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .resourceType)
        switch type {
        case "Measure": self = .measure(try FHIRMeasure(from: decoder))
        case "MeasureReport": self = .measureReport(try FHIRMeasureReport(from: decoder))
        default:
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath + [Keys.resourceType], debugDescription: "unexpected resourceType '\(type)'"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .measure(let measure): try measure.encode(to: encoder)
        case .measureReport(let report): try report.encode(to: encoder)
        }
    }
}
