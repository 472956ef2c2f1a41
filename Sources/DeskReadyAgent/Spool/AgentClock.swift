import DeskReadyModel

/// Where the agent reads time, so tests can move it (a week of outage) without waiting.
public protocol AgentClock: Sendable {
    /// Wall clock, UTC milliseconds.
    func nowMs() -> Int64
    /// Monotonic milliseconds, comparable across processes of one boot.
    func monotonicMs() -> Int64
}

/// The system's clocks.
public struct SystemClock: AgentClock {
    public init() {}
    public func nowMs() -> Int64 { WallClock.nowMs() }
    public func monotonicMs() -> Int64 { WallClock.monotonicMs() }
}
