/// The bounds a batch must respect. The collector enforces them; the agent keeps within them.
public struct WireLimits: Sendable, Hashable {
    public var maxEventsPerBatch = 5_000
    public var maxNameLength = 128
    public var maxAttributes = 32
    public var maxAttributeKeyLength = 64
    public var maxAttributeValueLength = 512
    public var maxPhases = 16
    /// 24 hours: no measured wait is longer.
    public var maxDurationMs: Int64 = UTCTime.dayMs
    /// Events older than this (30 days) are refused: they would fall outside any report.
    public var maxEventAgeMs: Int64 = 30 * UTCTime.dayMs
    /// Events further ahead of the collector's clock than this (1 day) are refused: the agent's clock is wrong.
    public var maxFutureSkewMs: Int64 = UTCTime.dayMs

    public init() {}

    public static let standard = WireLimits()
}
