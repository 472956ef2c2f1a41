import DeskReadyModel

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

/// The aggregate tables each resolution trims and the unit their rows are keyed by, and the pass every store runs:
/// trust by trust, each table from its oldest unit, hourly rows a day (24 units) per write and daily rows a day per
/// write. Each store supplies only its two statements: the oldest unit of one trust's rows in a table, and the delete
/// of that trust's rows before a unit in one transaction (moving the trust's data version when asked and something
/// went).
package enum AggregateRetentionPass {
    package typealias Table = (name: String, unit: String)

    static let hourly: [Table] = [("timing_hours", "hour")]
    static let daily: [Table] = [("timing_days", "day"), ("model_days", "day"), ("device_days", "day")]

    package static func run(
        trusts: [String], hourlyBeforeMs: Int64?, dailyBeforeMs: Int64?,
        oldest: (_ trust: String, _ table: Table) async throws -> Int64?,
        delete: (_ trust: String, _ table: Table, _ before: Int64, _ bumpsVersion: Bool) async throws -> Int
    ) async throws -> AggregateDeletion {
        /// One trust's rows of `table` before unit `before`, `step` units per delete from the oldest.
        func trim(_ trust: String, _ table: Table, before: Int64, step: Int64, bumpsVersion: Bool) async throws -> Int {
            guard var start = try await oldest(trust, table) else { return 0 }
            var deleted = 0
            while start < before {
                let end = min(before, start + step)
                deleted += try await delete(trust, table, end, bumpsVersion)
                start = end
            }
            return deleted
        }
        var deletion = AggregateDeletion()
        for trust in trusts {
            if let hourlyBeforeMs {
                for table in hourly {
                    deletion.hourlyRows += try await trim(trust, table, before: hourlyBeforeMs / UTCTime.hourMs, step: 24, bumpsVersion: false)
                }
            }
            if let dailyBeforeMs {
                for table in daily {
                    deletion.dailyRows += try await trim(trust, table, before: dailyBeforeMs / UTCTime.dayMs, step: 1, bumpsVersion: true)
                }
            }
        }
        return deletion
    }
}
