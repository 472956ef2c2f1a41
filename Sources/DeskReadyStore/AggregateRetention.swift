/// A store that trims its aggregates by resolution: hourly rows for a short window (enough for a 28-day period and
/// its edges), daily rows for years. What `RetentionService` needs beside raw-event retention, whichever store.
public protocol AggregateRetention: Sendable {
    /// Deletes hourly timing rows of hours starting before `hourlyBeforeMs`, and daily rows (timings, device days,
    /// model days) of days starting before `dailyBeforeMs`; nil keeps that resolution. Works trust by trust and a day
    /// at a time, each its own short write, so ingest keeps going. A trust whose daily rows go has its data version
    /// moved (its kept reports are graded again); hourly rows are read only for periods that are not whole days, so
    /// trimming them moves nothing.
    func deleteAggregates(hourlyBeforeMs: Int64?, dailyBeforeMs: Int64?) async throws -> AggregateDeletion
}

/// Rows an aggregate retention pass deleted.
public struct AggregateDeletion: Sendable, Equatable {
    public var hourlyRows: Int
    public var dailyRows: Int

    public init(hourlyRows: Int = 0, dailyRows: Int = 0) {
        self.hourlyRows = hourlyRows
        self.dailyRows = dailyRows
    }

    public var isEmpty: Bool { hourlyRows == 0 && dailyRows == 0 }
}
