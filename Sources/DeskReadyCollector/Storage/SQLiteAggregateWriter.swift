import Foundation
import GRDB

/// Writes an `AggregateDelta` inside the caller's write transaction: upserts that add counts and merge histograms
/// (through the `deskready_histogram_merge` SQL function), so concurrent batches of the same hour simply add up.
enum SQLiteAggregateWriter {
    /// The SQL function every connection gets: merges two encoded histograms into one.
    static let histogramMerge = DatabaseFunction("deskready_histogram_merge", argumentCount: 2, pure: true) { values in
        // NULL counts as an empty histogram, as before; any stored bytes must carry the format byte.
        let encoded = values.map { Data.fromDatabaseValue($0) ?? Data([TimingHistogram.formatVersion]) }
        let merged = try encoded[0].withUnsafeBytes { a in
            try encoded[1].withUnsafeBytes { b in try TimingHistogram.mergeEncoded(a, b) }
        }
        return Data(merged)
    }

    static func apply(_ delta: AggregateDelta, trust: String, _ db: Database) throws {
        if !delta.timings.isEmpty {
            let statement = try db.cachedStatement(sql: """
                INSERT INTO timing_hours (trust, hour, site, kind, name, cohort, phase, ok, failures, incomplete, histogram)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET ok = ok + excluded.ok, failures = failures + excluded.failures,
                    incomplete = incomplete + excluded.incomplete,
                    histogram = deskready_histogram_merge(histogram, excluded.histogram)
                """)
            for (key, value) in delta.timings {
                try statement.execute(arguments: [
                    trust, key.hour, key.site, key.kind, key.name, key.cohort, key.phase,
                    value.ok, value.failures, value.incomplete, value.histogram.encoded(),
                ])
            }
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

    /// The model name of a device as last inventoried, for the per-model timings.
    static func modelName(trust: String, deviceId: String, _ db: Database) throws -> String {
        let row = try Row.fetchOne(
            db, sql: "SELECT vendor, model FROM device_facts WHERE trust = ? AND device_id = ?", arguments: [trust, deviceId])
        return DeviceFacts.modelName(vendor: row?["vendor"], model: row?["model"])
    }
}
