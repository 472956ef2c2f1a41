/// How a measured operation ended.
public struct Outcome: OpenStringValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let ok = Outcome(rawValue: "ok")
    public static let failed = Outcome(rawValue: "failed")
    public static let timeout = Outcome(rawValue: "timeout")
    /// Started but never completed (for example a logon whose desktop never became ready).
    public static let incomplete = Outcome(rawValue: "incomplete")

    public static let known: Set<Outcome> = [.ok, .failed, .timeout, .incomplete]
}
