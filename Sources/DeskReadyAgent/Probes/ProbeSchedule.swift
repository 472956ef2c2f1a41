/// When each target is probed next: every interval plus or minus a random jitter, so a fleet's probes never fall on
/// the same second, with the first probe after a random part of the first interval (at most two minutes), not
/// during the boot.
public struct ProbeSchedule {
    public let intervalMs: Int64
    public let jitterMs: Int64
    private var due: [String: Int64] = [:]
    private var generator: any RandomNumberGenerator

    public init(intervalSeconds: Int, jitterSeconds: Int, generator: any RandomNumberGenerator = SystemRandomNumberGenerator()) {
        intervalMs = Int64(intervalSeconds) * 1000
        jitterMs = Int64(jitterSeconds) * 1000
        self.generator = generator
    }

    /// Up to `limit` targets due at `nowMs` (monotonic), each rescheduled for its next probe; targets due but over
    /// the limit stay due.
    public mutating func takeDue(_ names: [String], nowMs: Int64, limit: Int = .max) -> [String] {
        var ready: [String] = []
        for name in names {
            if ready.count >= limit { break }
            guard let at = due[name] else {
                due[name] = nowMs + Int64.random(in: 0...min(intervalMs, 120_000), using: &generator)
                continue
            }
            if nowMs >= at {
                ready.append(name)
                due[name] = nowMs + intervalMs + (jitterMs > 0 ? Int64.random(in: -jitterMs...jitterMs, using: &generator) : 0)
            }
        }
        return ready
    }

    /// When a target is next due, once it has been scheduled.
    public func nextDue(_ name: String) -> Int64? { due[name] }
}
