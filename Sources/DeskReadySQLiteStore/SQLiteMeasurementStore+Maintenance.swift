import DeskReadyModel
import DeskReadyStore
import Foundation
import GRDB

extension SQLiteMeasurementStore: RawEventRetention {
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

    /// Deletes raw events the collector received before `cutoffMs`; returns how many. The aggregates (and so every
    /// report) keep them.
    ///
    /// Events are stored in arrival order, so those received before the cutoff are the rows up to one id: it is
    /// found by binary search over the primary key (a few dozen lookups, no index by time to keep up at every
    /// insert), and the rows are deleted in chunks of `chunk`, each its own short write, so ingest keeps going.
    @discardableResult
    public func deleteRawEvents(receivedBefore cutoffMs: Int64, chunk: Int64 = 50_000) async throws -> Int {
        let range: (first: Int64, last: Int64)? = try await pool.read { db in
            func next(from id: Int64) throws -> (id: Int64, receivedAtMs: Int64)? {
                try Row.fetchOne(db, sql: "SELECT id, received_at_ms FROM events WHERE id >= ? ORDER BY id LIMIT 1", arguments: [id])
                    .map { ($0[0], $0[1]) }
            }
            guard let first = try next(from: Int64.min), first.receivedAtMs < cutoffMs,
                  var high = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM events") else { return nil }
            var low = first.id  // the largest id known to have arrived before the cutoff
            while low < high {
                let middle = low + (high - low + 1) / 2
                if let row = try next(from: middle), row.receivedAtMs < cutoffMs {
                    low = row.id
                } else {
                    high = middle - 1
                }
            }
            return (first.id, low)
        }
        guard let range else { return 0 }
        var deleted = 0
        var start = range.first
        while start <= range.last {
            let (first, end) = (start, min(range.last, start + chunk - 1))
            deleted += try await pool.write { db in
                try db.execute(sql: "DELETE FROM events WHERE id BETWEEN ? AND ?", arguments: [first, end])
                return db.changesCount
            }
            start = end + 1
        }
        return deleted
    }
}

extension SQLiteMeasurementStore {
    /// Rows in the hourly timing aggregates, for benchmarks and health.
    public func aggregateRowCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM timing_hours") ?? 0 }
    }
}
