/// Decides when a load has stayed under a threshold for a whole window: the rule behind a responsive desktop
/// (machine CPU under 50% for 2 s) and an application whose CPU use has settled. Fed one measured interval at a
/// time; pure, so the rule is tested on made-up loads.
public struct QuietWindow: Sendable, Equatable {
    /// The load (percent) that counts as quiet when below it.
    public let thresholdPercent: Double
    /// How long the load must stay quiet, in milliseconds.
    public let windowMs: Int64
    /// Start (monotonic milliseconds) of the quiet stretch under way, if any.
    public private(set) var quietSinceMs: Int64?

    public init(thresholdPercent: Double, windowMs: Int64) {
        self.thresholdPercent = thresholdPercent
        self.windowMs = windowMs
    }

    /// Adds the load measured from `fromMs` to `toMs`. Returns the start of the quiet stretch once it has lasted
    /// the whole window: the moment the load dropped and stayed down. A busy interval starts the wait over.
    public mutating func add(percent: Double, fromMs: Int64, toMs: Int64) -> Int64? {
        guard percent < thresholdPercent else {
            quietSinceMs = nil
            return nil
        }
        let since = quietSinceMs ?? fromMs
        quietSinceMs = since
        return toMs - since >= windowMs ? since : nil
    }
}
