import DeskReadyModel
import DeskReadyStore
import PostgresNIO

/// Writes what one ingest transaction adds to the aggregates, without updating any shared row: timings, model days
/// and the trusts' newest events are appended as partial rows (folded later by `PostgresAggregateRoller`); device
/// days are inserted if new and device facts upserted, both in sorted key order.
enum PostgresAggregateAppender {
    /// A batch record this transaction claimed, and how many of its events were new.
    struct AcceptedCount {
        let trust: String
        let batchId: UUID
        let accepted: Int64
    }

    /// Appends each trust's delta (`deltas` in trust order) and records the claimed batches' accepted counts, in one
    /// statement: one round trip whatever the deltas hold (empty arrays insert nothing).
    static func append(_ deltas: [(trust: String, delta: AggregateDelta)], accepted: [AcceptedCount], _ connection: PostgresConnection,
                       logger: Logger) async throws {
        var columns = AggregateColumns()
        columns.accepted = accepted
        for (trust, delta) in deltas {
            columns.timings.append(trust, delta.timings.map { ($0.key, $0.value) })
            columns.models.append(trust, delta.modelDays.map { ($0.key, $0.value) })
            // Locked rows (device days, device facts) in key order within each trust, trusts in order.
            columns.days.append(trust, delta.deviceDays.sorted { ($0.day, $0.deviceId) < ($1.day, $1.deviceId) }.map { ($0, ()) })
            columns.facts.append(trust, delta.facts.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value) })
            if let ms = delta.newestStartedAtMs { columns.newest.append((trust, ms)) }
        }
        _ = try await connection.execute(AppendAggregatesStatement(columns), logger: logger)
    }

    /// One transaction's aggregate rows as parallel columns, each row with its trust.
    struct AggregateColumns {
        var timings = Columns<TimingAggregateKey, TimingAccumulator>()
        var models = Columns<ModelDayKey, TimingAccumulator>()
        var days = Columns<DeviceDayKey, Void>()
        var facts = Columns<String, DeviceFacts>()
        var newest: [(trust: String, ms: Int64)] = []
        var accepted: [AcceptedCount] = []
    }

    /// Appends the partial rows, inserts device days, upserts device facts, and sets the claimed batches' counts.
    struct AppendAggregatesStatement: InterpolatedStatement {
        static let name = "deskready_append_aggregates"
        typealias Row = ()
        static let sql = query(AggregateColumns()).sql
        let bindings: PostgresBindings

        init(_ columns: AggregateColumns) { bindings = Self.query(columns).binds }

        func decodeRow(_ row: PostgresRow) throws -> Row {}

        static func query(_ columns: AggregateColumns) -> PostgresQuery {
            let timings = columns.timings, models = columns.models, days = columns.days, facts = columns.facts
            let newest = columns.newest, accepted = columns.accepted
            let fact = facts.values
            return """
                    WITH activity AS (
                        INSERT INTO trust_activity_parts (trust, newest_started_at_ms)
                        SELECT * FROM unnest(\(newest.map(\.trust))::text[], \(newest.map(\.ms))::int8[])
                    ), timing AS (
                        INSERT INTO timing_parts (trust, hour, day, site, kind, name, cohort, phase, ok, failures, incomplete, histogram)
                        SELECT * FROM unnest(\(timings.trusts)::text[], \(timings.keys.map(\.hour))::int8[],
                            \(timings.keys.map { AggregateDelta.floor($0.hour, 24) })::int8[],
                            \(timings.keys.map(\.site))::text[], \(timings.keys.map(\.kind))::text[], \(timings.keys.map(\.name))::text[],
                            \(timings.keys.map(\.cohort))::text[], \(timings.keys.map(\.phase))::text[], \(timings.values.map { Int64($0.ok) })::int8[],
                            \(timings.values.map { Int64($0.failures) })::int8[], \(timings.values.map { Int64($0.incomplete) })::int8[],
                            \(timings.values.map { ByteBuffer(bytes: $0.histogram.encoded()) })::bytea[])
                    ), model AS (
                        INSERT INTO model_day_parts (trust, day, model, kind, ok, failures, histogram)
                        SELECT * FROM unnest(\(models.trusts)::text[], \(models.keys.map(\.day))::int8[], \(models.keys.map(\.model))::text[],
                            \(models.keys.map(\.kind))::text[], \(models.values.map { Int64($0.ok) })::int8[],
                            \(models.values.map { Int64($0.failures) })::int8[],
                            \(models.values.map { ByteBuffer(bytes: $0.histogram.encoded()) })::bytea[])
                    ), device_day AS (
                        INSERT INTO device_days (trust, day, device_id, site)
                        SELECT d.trust, d.day, d.device_id, d.site
                        FROM unnest(\(days.trusts)::text[], \(days.keys.map(\.day))::int8[], \(days.keys.map(\.deviceId))::text[],
                                    \(days.keys.map(\.site))::text[])
                             WITH ORDINALITY AS d(trust, day, device_id, site, position)
                        ORDER BY d.position
                        ON CONFLICT (trust, day, device_id) DO NOTHING
                    ), facts AS (
                        INSERT INTO device_facts (trust, device_id, observed_ms, os_id, os_version, os_name, kernel, memory_mb,
                                                  system_disk, vendor, model)
                        SELECT f.trust, f.device_id, f.observed_ms,
                               CASE WHEN f.nulls & 1 = 0 THEN f.os_id END, CASE WHEN f.nulls & 2 = 0 THEN f.os_version END,
                               CASE WHEN f.nulls & 4 = 0 THEN f.os_name END, CASE WHEN f.nulls & 8 = 0 THEN f.kernel END,
                               CASE WHEN f.nulls & 16 = 0 THEN f.memory_mb END, CASE WHEN f.nulls & 32 = 0 THEN f.system_disk END,
                               CASE WHEN f.nulls & 64 = 0 THEN f.vendor END, CASE WHEN f.nulls & 128 = 0 THEN f.model END
                        FROM unnest(\(facts.trusts)::text[], \(facts.keys)::text[], \(fact.map(\.observedMs))::int8[],
                                    \(fact.map { $0.osId ?? "" })::text[], \(fact.map { $0.osVersion ?? "" })::text[],
                                    \(fact.map { $0.osName ?? "" })::text[], \(fact.map { $0.kernel ?? "" })::text[],
                                    \(fact.map { Int64($0.memoryMB ?? 0) })::int8[], \(fact.map { $0.systemDisk ?? "" })::text[],
                                    \(fact.map { $0.vendor ?? "" })::text[], \(fact.map { $0.model ?? "" })::text[],
                                    \(fact.map(PostgresAggregateAppender.nulls))::int8[])
                             WITH ORDINALITY AS f(trust, device_id, observed_ms, os_id, os_version, os_name, kernel, memory_mb,
                                                  system_disk, vendor, model, nulls, position)
                        ORDER BY f.position
                        ON CONFLICT (trust, device_id) DO UPDATE SET observed_ms = excluded.observed_ms, os_id = excluded.os_id,
                            os_version = excluded.os_version, os_name = excluded.os_name, kernel = excluded.kernel,
                            memory_mb = excluded.memory_mb, system_disk = excluded.system_disk, vendor = excluded.vendor,
                            model = excluded.model
                        WHERE excluded.observed_ms >= device_facts.observed_ms
                    )
                    UPDATE batches SET accepted = a.accepted
                    FROM unnest(\(accepted.map(\.trust))::text[], \(accepted.map(\.batchId))::uuid[], \(accepted.map(\.accepted))::int8[])
                         AS a(trust, batch_id, accepted)
                    WHERE batches.trust = a.trust AND batches.batch_id = a.batch_id
                """
        }
    }

    /// Which of a device's optional facts are absent, one bit each in column order (postgres-nio's arrays carry no
    /// NULL elements, so the statement makes them from these bits).
    static func nulls(_ facts: DeviceFacts) -> Int64 {
        let absent = [facts.osId == nil, facts.osVersion == nil, facts.osName == nil, facts.kernel == nil, facts.memoryMB == nil,
                      facts.systemDisk == nil, facts.vendor == nil, facts.model == nil]
        return absent.enumerated().reduce(0) { $0 | ($1.element ? Int64(1) << $1.offset : 0) }
    }

    /// Rows of one table as parallel columns, each row with its trust.
    struct Columns<Key, Value> {
        var trusts: [String] = []
        var keys: [Key] = []
        var values: [Value] = []

        mutating func append(_ trust: String, _ rows: [(Key, Value)]) {
            for (key, value) in rows {
                trusts.append(trust)
                keys.append(key)
                values.append(value)
            }
        }
    }
}
