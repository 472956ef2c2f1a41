import DeskReadyModel
import DeskReadyStore
import GRDB

/// Aggregate retention by resolution on SQLite: every table is keyed by trust first, so each delete is a range of
/// the primary key (one trust, older hours or days), never a scan; the pass itself is `AggregateRetentionPass`.
extension SQLiteMeasurementStore: AggregateRetention {
    public func deleteAggregates(hourlyBeforeMs: Int64?, dailyBeforeMs: Int64?) async throws -> AggregateDeletion {
        try await AggregateRetentionPass.run(trusts: try await trustCodes(), hourlyBeforeMs: hourlyBeforeMs, dailyBeforeMs: dailyBeforeMs,
                                             oldest: oldestUnit, delete: deleteRows)
    }

    /// The oldest unit (hour or day) of the trust's rows in `table`. Table and column names come from
    /// `AggregateRetentionPass`, never from input.
    private func oldestUnit(trust: String, table: AggregateRetentionPass.Table) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(\(table.unit)) FROM \(table.name) WHERE trust = ?", arguments: [trust])
        }
    }

    /// Deletes the trust's rows of `table` of units before `before` in one write transaction.
    private func deleteRows(trust: String, table: AggregateRetentionPass.Table, before: Int64, bumpsVersion: Bool) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM \(table.name) WHERE trust = ? AND \(table.unit) < ?", arguments: [trust, before])
            let count = db.changesCount
            if count > 0 && bumpsVersion { try SQLiteAggregateWriter.bumpVersion(trust: trust, db) }
            return count
        }
    }
}
