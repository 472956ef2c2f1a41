import DeskReadyStore
import Foundation
import GRDB
internal import GRDBSQLite

/// The stored form of an empty histogram: the format byte alone.
nonisolated(unsafe) private let emptyHistogram: UnsafeMutableRawPointer = {
    let pointer = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
    pointer.storeBytes(of: TimingHistogram.formatVersion, as: UInt8.self)
    return pointer
}()

/// Writes an `AggregateDelta` inside the caller's write transaction: upserts that add counts and merge histograms
/// (through the `deskready_histogram_merge` SQL function), so concurrent batches of the same hour simply add up.
enum SQLiteAggregateWriter {
    /// The SQL function every connection gets: `deskready_histogram_merge(a, b)` merges two encoded histograms (NULL
    /// counts as empty). Registered through the C API: it runs once per aggregate row an ingest touches, and reads
    /// both blobs in place.
    /// Marks the trust's data as changed (`trust_versions`): reports kept from before are graded again.
    static func bumpVersion(trust: String, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO trust_versions (trust, version) VALUES (?, 1) ON CONFLICT (trust) DO UPDATE SET version = version + 1
            """).execute(arguments: [trust])
    }

    static func addHistogramMerge(_ db: Database) throws {
        let code = sqlite3_create_function_v2(
            db.sqliteConnection, "deskready_histogram_merge", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil,
            { context, argc, argv in
                guard let argv, argc == 2 else { return }
                func blob(_ value: OpaquePointer?) -> UnsafeRawBufferPointer {
                    guard sqlite3_value_type(value) != SQLITE_NULL else { return UnsafeRawBufferPointer(start: emptyHistogram, count: 1) }
                    // sqlite3_value_blob before sqlite3_value_bytes, as SQLite asks.
                    let start = sqlite3_value_blob(value)
                    let count = Int(sqlite3_value_bytes(value))
                    return UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count)
                }
                do {
                    let merged = try TimingHistogram.mergeEncoded(blob(argv[0]), blob(argv[1]))
                    merged.withUnsafeBytes { bytes in
                        sqlite3_result_blob(context, bytes.baseAddress, Int32(bytes.count), SQLITE_TRANSIENT)
                    }
                } catch {
                    sqlite3_result_error(context, "\(error)", -1)
                }
            }, nil, nil, nil)
        guard code == SQLITE_OK else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot register deskready_histogram_merge")
        }
    }

    /// Writes the delta's aggregates; `hourly` false leaves out the hourly rows (the national-shape generator writes
    /// days older than the hourly window as retention would have left them).
    static func apply(_ delta: AggregateDelta, trust: String, _ db: Database, hourly: Bool = true) throws {
        // When anything is stored, a graded report of this trust kept from before is out of date.
        if delta.newestStartedAtMs != nil { try bumpVersion(trust: trust, db) }
        if let newest = delta.newestStartedAtMs {
            try db.cachedStatement(sql: """
                INSERT INTO trust_activity (trust, newest_started_at_ms) VALUES (?, ?)
                ON CONFLICT (trust) DO UPDATE SET newest_started_at_ms = MAX(newest_started_at_ms, excluded.newest_started_at_ms)
                """).execute(arguments: [trust, newest])
        }
        if !delta.timings.isEmpty {
            if hourly { try upsertTimings(delta.timings, into: "timing_hours", unit: "hour", trust: trust, db) }
            // The daily rollup, which reports over whole days read (24 times fewer rows).
            try upsertTimings(delta.dailyTimings(), into: "timing_days", unit: "day", trust: trust, db)
        }
        if !delta.deviceDays.isEmpty {
            let statement = try db.cachedStatement(sql: """
                INSERT INTO device_days (trust, day, device_id, site) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)
            for key in delta.deviceDays {
                try statement.execute(arguments: [trust, key.day, key.deviceId, key.site])
            }
        }
        if !delta.modelDays.isEmpty {
            let statement = try db.cachedStatement(sql: """
                INSERT INTO model_days (trust, day, model, kind, ok, failures, histogram) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET ok = ok + excluded.ok, failures = failures + excluded.failures,
                    histogram = deskready_histogram_merge(histogram, excluded.histogram)
                """)
            for (key, value) in delta.modelDays {
                try statement.execute(arguments: [trust, key.day, key.model, key.kind, value.ok, value.failures, value.histogram.encoded()])
            }
        }
        if !delta.facts.isEmpty {
            let statement = try db.cachedStatement(sql: """
                INSERT INTO device_facts (trust, device_id, observed_ms, os_id, os_version, os_name, kernel, memory_mb,
                                          system_disk, vendor, model)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(trust, device_id) DO UPDATE SET observed_ms = excluded.observed_ms, os_id = excluded.os_id,
                    os_version = excluded.os_version, os_name = excluded.os_name, kernel = excluded.kernel,
                    memory_mb = excluded.memory_mb, system_disk = excluded.system_disk, vendor = excluded.vendor,
                    model = excluded.model
                WHERE excluded.observed_ms >= device_facts.observed_ms
                """)
            for (device, facts) in delta.facts {
                try statement.execute(arguments: [
                    trust, device, facts.observedMs, facts.osId, facts.osVersion, facts.osName, facts.kernel, facts.memoryMB,
                    facts.systemDisk, facts.vendor, facts.model,
                ])
            }
        }
    }

    /// Adds timing aggregates to `table` (`timing_hours` by `hour`, `timing_days` by `day`; the key's `hour` holds
    /// that unit), bound straight to the statement: thousands of rows per transaction.
    private static func upsertTimings(_ rows: [TimingAggregateKey: TimingAccumulator], into table: String, unit: String,
                                      trust: String, _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO \(table) (trust, \(unit), site, kind, name, cohort, phase, ok, failures, incomplete, histogram)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET ok = ok + excluded.ok, failures = failures + excluded.failures,
                incomplete = incomplete + excluded.incomplete,
                histogram = deskready_histogram_merge(histogram, excluded.histogram)
            """)
        let bind = Binder(statement: statement.sqliteStatement)
        sqlite3_reset(statement.sqliteStatement)
        for (key, value) in rows {
            bind.text(1, trust)
            bind.int(2, key.hour)
            bind.text(3, key.site)
            bind.text(4, key.kind)
            bind.text(5, key.name)
            bind.text(6, key.cohort)
            bind.text(7, key.phase)
            bind.int(8, Int64(value.ok))
            bind.int(9, Int64(value.failures))
            bind.int(10, Int64(value.incomplete))
            bind.bytes(11, value.histogram.encodedBytes())
            try bind.run(db, sql: statement.sql)
        }
    }

    /// The model name of a device as last inventoried, for the per-model timings.
    static func modelName(trust: String, deviceId: String, _ db: Database) throws -> String {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT vendor, model FROM device_facts WHERE trust = ? AND device_id = ?"), arguments: [trust, deviceId])
        return DeviceFacts.modelName(vendor: row?["vendor"], model: row?["model"])
    }
}
