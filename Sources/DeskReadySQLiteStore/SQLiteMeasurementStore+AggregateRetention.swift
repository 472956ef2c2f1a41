import DeskReadyModel
import DeskReadyStore
import GRDB

/// Aggregate retention by resolution on SQLite: every table is keyed by trust first, so each delete is a range of
/// the primary key (one trust, older hours or days), never a scan; one day of one trust per write transaction.
extension SQLiteMeasurementStore: AggregateRetention {
    public func deleteAggregates(hourlyBeforeMs: Int64?, dailyBeforeMs: Int64?) async throws -> AggregateDeletion {
        var deletion = AggregateDeletion()
        for trust in try await trustCodes() {
            if let hourlyBeforeMs {
                deletion.hourlyRows += try await trim(trust: trust, tables: [("timing_hours", "hour")], before: hourlyBeforeMs / UTCTime.hourMs,
                                                      step: 24, bumpsVersion: false)
            }
            if let dailyBeforeMs {
                deletion.dailyRows += try await trim(
                    trust: trust, tables: [("timing_days", "day"), ("model_days", "day"), ("device_days", "day")],
                    before: dailyBeforeMs / UTCTime.dayMs, step: 1, bumpsVersion: true)
            }
        }
        return deletion
    }

    /// Deletes the trust's rows of units before `before` from each table, `step` units per transaction from the oldest.
    private func trim(trust: String, tables: [(name: String, unit: String)], before: Int64, step: Int64, bumpsVersion: Bool) async throws -> Int {
        var deleted = 0
        for table in tables {
            guard var start = try await pool.read({ db in
                try Int64.fetchOne(db, sql: "SELECT MIN(\(table.unit)) FROM \(table.name) WHERE trust = ?", arguments: [trust])
            }) else { continue }
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
        }
        return deleted
    }
}
