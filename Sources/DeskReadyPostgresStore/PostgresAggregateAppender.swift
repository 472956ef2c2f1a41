import DeskReadyCollector
import DeskReadyModel
import PostgresNIO

/// Writes what one ingest transaction adds to the aggregates, without updating any shared row: timings, model days
/// and the trust's newest event are appended as partial rows (folded later by `PostgresAggregateRoller`); device days
/// are inserted if new and device facts upserted, both per device and in sorted key order.
enum PostgresAggregateAppender {
    static func append(_ delta: AggregateDelta, trust: String, _ connection: PostgresConnection, logger: Logger) async throws {
        if let newest = delta.newestStartedAtMs {
            try await connection.query(
                "INSERT INTO trust_activity_parts (trust, newest_started_at_ms) VALUES (\(trust), \(newest))", logger: logger)
        }
        if !delta.timings.isEmpty { try await appendTimings(delta.timings, trust: trust, connection, logger: logger) }
        if !delta.modelDays.isEmpty { try await appendModelDays(delta.modelDays, trust: trust, connection, logger: logger) }
        if !delta.deviceDays.isEmpty {
            let days = delta.deviceDays.sorted { ($0.day, $0.deviceId) < ($1.day, $1.deviceId) }
            try await connection.query("""
                INSERT INTO device_days (trust, day, device_id, site)
                SELECT \(trust), d.day, d.device_id, d.site
                FROM unnest(\(days.map(\.day))::int8[], \(days.map(\.deviceId))::text[], \(days.map(\.site))::text[])
                     WITH ORDINALITY AS d(day, device_id, site, position)
                ORDER BY d.position
                ON CONFLICT (trust, day, device_id) DO NOTHING
                """, logger: logger)
        }
        for (device, facts) in delta.facts.sorted(by: { $0.key < $1.key }) {
            try await connection.query("""
                INSERT INTO device_facts (trust, device_id, observed_ms, os_id, os_version, os_name, kernel, memory_mb,
                                          system_disk, vendor, model)
                VALUES (\(trust), \(device), \(facts.observedMs), \(facts.osId), \(facts.osVersion), \(facts.osName), \(facts.kernel),
                        \(facts.memoryMB.map(Int64.init)), \(facts.systemDisk), \(facts.vendor), \(facts.model))
                ON CONFLICT (trust, device_id) DO UPDATE SET observed_ms = excluded.observed_ms, os_id = excluded.os_id,
                    os_version = excluded.os_version, os_name = excluded.os_name, kernel = excluded.kernel,
                    memory_mb = excluded.memory_mb, system_disk = excluded.system_disk, vendor = excluded.vendor,
                    model = excluded.model
                WHERE excluded.observed_ms >= device_facts.observed_ms
                """, logger: logger)
        }
    }

    private static func appendTimings(_ timings: [TimingAggregateKey: TimingAccumulator], trust: String,
                                      _ connection: PostgresConnection, logger: Logger) async throws {
        let rows = timings.map { ($0.key, $0.value) }
        try await connection.query("""
            INSERT INTO timing_parts (trust, hour, day, site, kind, name, cohort, phase, ok, failures, incomplete, histogram)
            SELECT \(trust), * FROM unnest(\(rows.map(\.0.hour))::int8[], \(rows.map { AggregateDelta.floor($0.0.hour, 24) })::int8[],
                \(rows.map(\.0.site))::text[], \(rows.map(\.0.kind))::text[], \(rows.map(\.0.name))::text[],
                \(rows.map(\.0.cohort))::text[], \(rows.map(\.0.phase))::text[], \(rows.map { Int64($0.1.ok) })::int8[],
                \(rows.map { Int64($0.1.failures) })::int8[], \(rows.map { Int64($0.1.incomplete) })::int8[],
                \(rows.map { ByteBuffer(bytes: $0.1.histogram.encoded()) })::bytea[])
            """, logger: logger)
    }

    private static func appendModelDays(_ days: [ModelDayKey: TimingAccumulator], trust: String,
                                        _ connection: PostgresConnection, logger: Logger) async throws {
        let rows = days.map { ($0.key, $0.value) }
        try await connection.query("""
            INSERT INTO model_day_parts (trust, day, model, kind, ok, failures, histogram)
            SELECT \(trust), * FROM unnest(\(rows.map(\.0.day))::int8[], \(rows.map(\.0.model))::text[], \(rows.map(\.0.kind))::text[],
                \(rows.map { Int64($0.1.ok) })::int8[], \(rows.map { Int64($0.1.failures) })::int8[],
                \(rows.map { ByteBuffer(bytes: $0.1.histogram.encoded()) })::bytea[])
            """, logger: logger)
    }
}
