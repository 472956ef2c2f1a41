/// The partial aggregate rows waiting to be folded into the totals, as `/metrics` shows them.
public struct AggregateFoldBacklog: Sendable, Equatable {
    /// Partial rows appended by ingest and not folded yet, over every partial table.
    public var waitingRows: Int
    /// Seconds since the oldest of them was appended; nil when none waits.
    public var oldestAgeSeconds: Double?

    public init(waitingRows: Int, oldestAgeSeconds: Double?) {
        self.waitingRows = waitingRows
        self.oldestAgeSeconds = oldestAgeSeconds
    }
}

/// A store whose ingest appends partial aggregates that are folded into the totals later (PostgreSQL): how far
/// folding is behind, for `/metrics`. Reports are exact either way; a backlog only makes them slower. A store that
/// writes its totals in the ingest transaction (SQLite) has nothing waiting and does not implement it.
public protocol AggregateFoldStatus: Sendable {
    /// The rows waiting now, or nil when the store cannot say (unreachable, or too slow to answer a scrape).
    func aggregateFoldBacklog() async -> AggregateFoldBacklog?
}
