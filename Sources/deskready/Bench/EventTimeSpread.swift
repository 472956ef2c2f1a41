import ArgumentParser

/// When the benchmark's events happened, relative to when they are sent, which decides where their keys land in the
/// indexes and how many hourly aggregates a transaction touches.
enum EventTimeSpread: String, ExpressibleByArgument, Codable, CaseIterable {
    /// As agents send: an online workstation closes a batch within 10 s (`batch_max_age_seconds`), so 95% of events
    /// were recorded in the last 15 minutes; the other 5% come from workstations that were offline, from any time in
    /// the last 7 days. The id (UUIDv7) is made when the agent records the event, at its end.
    case recent
    /// Pessimistic: every event started at a uniformly random time in the last 7 days, its id made at that time, as
    /// if every agent were sending a week's backlog at once.
    case week

    /// The event's start and the time its id was made, for an event of `durationMs` sent at `nowMs`.
    func draw(nowMs: Int64, durationMs: Int64, using random: inout some RandomNumberGenerator) -> (startMs: Int64, recordedMs: Int64) {
        switch self {
        case .recent:
            let window: Int64 = Int.random(in: 0..<100, using: &random) < 95 ? 15 * 60_000 : 7 * 86_400_000
            let recorded = nowMs - Int64.random(in: 0..<window, using: &random)
            return (recorded - durationMs, recorded)
        case .week:
            let start = nowMs - Int64.random(in: 0..<(7 * 86_400_000), using: &random)
            return (start, start)
        }
    }
}
