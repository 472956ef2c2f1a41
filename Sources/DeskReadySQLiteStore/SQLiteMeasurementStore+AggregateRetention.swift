import DeskReadyModel
import DeskReadyStore
import GRDB

/// Aggregate retention by resolution on SQLite: every table is keyed by trust first, so each delete is a range of
/// the primary key (one trust, older hours or days), never a scan; the pass itself is `AggregateRetentionPass`.
extension SQLiteMeasurementStore: AggregateRetention {
    public func deleteAggregates(hourlyBeforeMs: Int64?, dailyBeforeMs: Int64?) async throws -> AggregateDeletion {
        try await AggregateRetentionPass.run(trusts: try await trustCodes(), hourlyBeforeMs: hourlyBeforeMs, dailyBeforeMs: dailyBeforeMs,
                                             trim: trim)
    }

    /// Deletes the trust's rows of `table` of units before `before`, `step` units per write transaction from the oldest.
    private func trim(trust: String, table: AggregateRetentionPass.Table, before: Int64, step: Int64, bumpsVersion: Bool) async throws -> Int {
        guard var start = try await pool.read({ db in
            try Int64.fetchOne(db, sql: "SELECT MIN(\(table.unit)) FROM \(table.name) WHERE trust = ?", arguments: [trust])
        }) else { return 0 }
        var deleted = 0
        while start < before {
            let end = min(before, start + step)
            deleted += try await pool.write { db in
                try db.execute(sql: "DELETE FROM \(table.name) WHERE trust = ? AND \(table.unit) < ?", arguments: [trust, end])
                let count = db.changesCount
                if count > 0 && bumpsVersion { try SQLiteAggregateWriter.bumpVersion(trust: trust, db) }
                return count
            }
            start = end
        }
        return deleted
    }
}
