import DeskReadyModel
import Foundation
import GRDB

extension SQLiteMeasurementStore {
    /// Copies the live database to `destination` with SQLite's online backup, while it keeps serving.
    public func backup(to destination: String) async throws {
        if FileManager.default.fileExists(atPath: destination) {
            throw StoreError("\(destination) already exists; choose a new file name so no backup is overwritten")
        }
        let target = try DatabaseQueue(path: destination)
        try pool.backup(to: target)
        try target.close()
    }

    /// SQLite's integrity check: `["ok"]` when the database is sound, otherwise each problem found.
    public func integrityCheck() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// Deletes raw events that started before `cutoffMs`; returns how many.
    @discardableResult
    public func deleteRawEvents(startedBefore cutoffMs: Int64) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM events WHERE started_at_ms < ?", arguments: [cutoffMs])
            return db.changesCount
        }
    }
}

extension SQLiteMeasurementStore {
    /// Rows in the hourly timing aggregates, for benchmarks and health.
    public func aggregateRowCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM timing_hours") ?? 0 }
    }
}
