/// How a measured operation ended.
public struct Outcome: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }

    public static let ok = Outcome(rawValue: "ok")
    public static let failed = Outcome(rawValue: "failed")
    public static let timeout = Outcome(rawValue: "timeout")
    /// Started but never completed (for example a logon whose desktop never became ready).
    public static let incomplete = Outcome(rawValue: "incomplete")

    public static let known: Set<Outcome> = [.ok, .failed, .timeout, .incomplete]
}
