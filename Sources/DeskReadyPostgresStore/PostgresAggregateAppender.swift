import DeskReadyModel
import DeskReadyStore
import PostgresNIO

/// Writes what one ingest transaction adds to the aggregates, without updating any shared row: timings, model days
/// and the trust's newest event are appended as partial rows (folded later by `PostgresAggregateRoller`); device days
/// are inserted if new and device facts upserted, both per device and in sorted key order.
enum PostgresAggregateAppender {
    /// Appends `delta` and records the batch's accepted count (`accepted` nil: a duplicate batch, whose record stays)
    /// in one statement: one round trip whatever the delta holds (empty arrays and NULLs insert nothing).
    static func append(_ delta: AggregateDelta, trust: String, batchId: UUID, accepted: Int?, _ connection: PostgresConnection,
                       logger: Logger) async throws {
        let timings = delta.timings.map { ($0.key, $0.value) }
        let models = delta.modelDays.map { ($0.key, $0.value) }
        let days = delta.deviceDays.sorted { ($0.day, $0.deviceId) < ($1.day, $1.deviceId) }
        // A batch is one device's, so it carries at most one device's newest inventory.
        let fact = delta.facts.sorted { $0.key < $1.key }.first
        try await connection.query("""
            WITH activity AS (
                INSERT INTO trust_activity_parts (trust, newest_started_at_ms)
                SELECT \(trust), n FROM (SELECT \(delta.newestStartedAtMs)::int8 AS n) AS a WHERE n IS NOT NULL
            ), timing AS (
                INSERT INTO timing_parts (trust, hour, day, site, kind, name, cohort, phase, ok, failures, incomplete, histogram)
                SELECT \(trust), * FROM unnest(\(timings.map(\.0.hour))::int8[], \(timings.map { AggregateDelta.floor($0.0.hour, 24) })::int8[],
                    \(timings.map(\.0.site))::text[], \(timings.map(\.0.kind))::text[], \(timings.map(\.0.name))::text[],
                    \(timings.map(\.0.cohort))::text[], \(timings.map(\.0.phase))::text[], \(timings.map { Int64($0.1.ok) })::int8[],
                    \(timings.map { Int64($0.1.failures) })::int8[], \(timings.map { Int64($0.1.incomplete) })::int8[],
                    \(timings.map { ByteBuffer(bytes: $0.1.histogram.encoded()) })::bytea[])
            ), model AS (
                INSERT INTO model_day_parts (trust, day, model, kind, ok, failures, histogram)
                SELECT \(trust), * FROM unnest(\(models.map(\.0.day))::int8[], \(models.map(\.0.model))::text[], \(models.map(\.0.kind))::text[],
                    \(models.map { Int64($0.1.ok) })::int8[], \(models.map { Int64($0.1.failures) })::int8[],
                    \(models.map { ByteBuffer(bytes: $0.1.histogram.encoded()) })::bytea[])
            ), device_day AS (
                INSERT INTO device_days (trust, day, device_id, site)
                SELECT \(trust), d.day, d.device_id, d.site
                FROM unnest(\(days.map(\.day))::int8[], \(days.map(\.deviceId))::text[], \(days.map(\.site))::text[])
                     WITH ORDINALITY AS d(day, device_id, site, position)
                ORDER BY d.position
                ON CONFLICT (trust, day, device_id) DO NOTHING
            ), facts AS (
                INSERT INTO device_facts (trust, device_id, observed_ms, os_id, os_version, os_name, kernel, memory_mb,
                                          system_disk, vendor, model)
                SELECT \(trust), \(fact?.key)::text, \(fact?.value.observedMs)::int8, \(fact?.value.osId)::text, \(fact?.value.osVersion)::text,
                       \(fact?.value.osName)::text, \(fact?.value.kernel)::text, \(fact?.value.memoryMB.map(Int64.init))::int8,
                       \(fact?.value.systemDisk)::text, \(fact?.value.vendor)::text, \(fact?.value.model)::text
                WHERE \(fact?.key)::text IS NOT NULL
                ON CONFLICT (trust, device_id) DO UPDATE SET observed_ms = excluded.observed_ms, os_id = excluded.os_id,
                    os_version = excluded.os_version, os_name = excluded.os_name, kernel = excluded.kernel,
                    memory_mb = excluded.memory_mb, system_disk = excluded.system_disk, vendor = excluded.vendor,
                    model = excluded.model
                WHERE excluded.observed_ms >= device_facts.observed_ms
            )
            UPDATE batches SET accepted = \(accepted.map(Int64.init))::int8
            WHERE \(accepted.map(Int64.init))::int8 IS NOT NULL AND trust = \(trust) AND batch_id = \(batchId)
            """, logger: logger)
    }
}
