import DeskReadyModel
import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode through GRDB, on the system libsqlite3.
public final class SQLiteMeasurementStore: CollectorStore {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating when needed) and migrates the database at `path`.
    public init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            db.add(function: SQLiteAggregateWriter.histogramMerge)
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError("cannot open the database at \(path): \(error). Check that its folder exists and is writable, or pass --db PATH.")
        }
        try CollectorSchema.migrator().migrate(pool)
    }

    public func ingest(_ validated: ValidatedBatch) async throws -> BatchAcknowledgement {
        let batch = validated.batch
        let batchBlob = batch.batchId.blob
        // Encode outside the write transaction: the writer is the one serial resource.
        let rows: [(event: MeasurementEvent, phases: String?, attributes: String?)] = validated.acceptedIndices.map { index in
            let event = batch.events[index]
            return (event, event.phases.map(CompactJSON.object), event.attributes.map(CompactJSON.object))
        }
        return try await pool.write { db in
            let duplicateBatch = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM batches WHERE trust = ? AND batch_id = ?", arguments: [batch.device.trust, batchBlob]) ?? false
            try db.execute(
                sql: """
                    INSERT INTO devices (trust, device_id, site, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(trust, device_id) DO UPDATE SET site = excluded.site, last_seen_ms = excluded.last_seen_ms
                    """,
                arguments: [batch.device.trust, batch.device.id, batch.device.site, validated.receivedAtMs, validated.receivedAtMs])
            let insert = try db.cachedStatement(sql: """
                INSERT INTO events (trust, site, device_id, event_id, batch_id, kind, name, started_at_ms, duration_ms,
                                    outcome, user, phases, attributes, received_at_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(trust, event_id) DO NOTHING
                """)
            var accepted = 0
            var delta = AggregateDelta()
            let inventoried = rows.last { $0.event.kind == .inventory }?.event.attributes.map { DeviceFacts(observedMs: 0, attributes: $0).modelName }
            let model = try inventoried ?? SQLiteAggregateWriter.modelName(trust: batch.device.trust, deviceId: batch.device.id, db)
            for row in rows {
                try insert.execute(arguments: [
                    batch.device.trust, batch.device.site, batch.device.id, row.event.id.blob, batchBlob,
                    row.event.kind.rawValue, row.event.name, row.event.startedAtMs, row.event.durationMs,
                    row.event.outcome.rawValue, row.event.user, row.phases, row.attributes, validated.receivedAtMs,
                ])
                if db.changesCount > 0 {
                    accepted += 1
                    delta.add(row.event, site: batch.device.site, deviceId: batch.device.id, model: model)
                }
            }
            try SQLiteAggregateWriter.apply(delta, trust: batch.device.trust, db)
            if !duplicateBatch {
                try db.execute(
                    sql: """
                        INSERT INTO batches (trust, batch_id, device_id, received_at_ms, sent_at_ms, event_count, accepted)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [batch.device.trust, batchBlob, batch.device.id, validated.receivedAtMs, batch.sentAtMs,
                                batch.events.count, accepted])
            }
            return BatchAcknowledgement(
                batchId: batch.batchId, accepted: accepted, duplicates: rows.count - accepted,
                rejected: validated.rejected, duplicateBatch: duplicateBatch)
        }
    }

    public func trustCodes() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT ods FROM trusts ORDER BY ods") }
    }

    public func counts(trust: String?) async throws -> StoreCounts {
        try await pool.read { db in
            let filter = trust == nil ? "" : " WHERE trust = ?"
            let arguments: StatementArguments = trust.map { [$0] } ?? []
            let events = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events" + filter, arguments: arguments) ?? 0
            let batches = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batches" + filter, arguments: arguments) ?? 0
            let devices = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM devices" + filter, arguments: arguments) ?? 0
            let newest = try Int64.fetchOne(db, sql: "SELECT MAX(started_at_ms) FROM events" + filter, arguments: arguments)
            return StoreCounts(events: events, batches: batches, devices: devices, newestEventMs: newest)
        }
    }

    public func databaseBytes() async -> Int64? {
        let sizes = [path, path + "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int64 }
        return sizes.isEmpty ? nil : sizes.reduce(0, +)
    }

    public func isWritable() async -> Bool {
        do {
            try await pool.write { db in try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS readyz_probe(x); DROP TABLE readyz_probe") }
            return true
        } catch {
            return false
        }
    }
}

/// A storage failure with what to do about it.
public struct StoreError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension UUID {
    /// The 16 raw bytes, for compact BLOB keys.
    var blob: Data { withUnsafeBytes(of: uuid) { Data($0) } }
}
