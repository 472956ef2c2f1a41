import DeskReadyModel
import DeskReadyStore
import Foundation
import PostgresNIO

/// The reads reports make, from the aggregates only. Each read is one statement over the totals and the partial rows
/// not folded yet, so it is exact whenever it runs; rows come in a defined order, as SQLite's do.
extension PostgresMeasurementStore {
    /// Whole UTC days of the range from the daily totals, the hours at either edge from the hourly ones, as SQLite.
    public func timingSeries(trust: String?, fromMs: Int64, toMs: Int64, phases: Set<String>?) async throws -> [TimingSeries] {
        let hourMs = AggregateDelta.hourMs
        let (fromHour, toHour) = (AggregateDelta.ceil(fromMs, hourMs), AggregateDelta.ceil(toMs, hourMs))
        let (fromDay, toDay) = (AggregateDelta.ceil(fromHour, 24), AggregateDelta.floor(toHour, 24))
        // Hours before the first whole day, whole days, hours after the last (only hours when no day is whole).
        let (hoursBefore, days, hoursAfter): ((Int64, Int64), (Int64, Int64), (Int64, Int64)) = fromDay < toDay
            ? ((fromHour, fromDay * 24), (fromDay, toDay), (toDay * 24, toHour))
            : ((fromHour, toHour), (0, 0), (0, 0))
        let phaseList = phases.map { $0.sorted() }
        let columns = "t.trust, t.site, t.kind, t.name, t.cohort, t.phase, t.ok, t.failures, t.incomplete, t.histogram"
        // The filters are bound in each branch (not through a CTE), so the statement is planned with them as constants
        // and reads the totals by their primary key.
        let query: PostgresQuery = """
            SELECT \(unescaped: columns) FROM timing_hours t
            WHERE (\(trust)::text IS NULL OR t.trust = \(trust))
              AND (\(phaseList)::text[] IS NULL OR t.phase = '' OR t.phase = ANY(\(phaseList)::text[]))
              AND ((t.hour >= \(hoursBefore.0) AND t.hour < \(hoursBefore.1)) OR (t.hour >= \(hoursAfter.0) AND t.hour < \(hoursAfter.1)))
            UNION ALL
            SELECT \(unescaped: columns) FROM timing_days t
            WHERE (\(trust)::text IS NULL OR t.trust = \(trust))
              AND (\(phaseList)::text[] IS NULL OR t.phase = '' OR t.phase = ANY(\(phaseList)::text[]))
              AND t.day >= \(days.0) AND t.day < \(days.1)
            UNION ALL
            SELECT \(unescaped: columns) FROM timing_parts t
            WHERE (\(trust)::text IS NULL OR t.trust = \(trust))
              AND (\(phaseList)::text[] IS NULL OR t.phase = '' OR t.phase = ANY(\(phaseList)::text[]))
              AND ((t.hour >= \(hoursBefore.0) AND t.hour < \(hoursBefore.1)) OR (t.hour >= \(hoursAfter.0) AND t.hour < \(hoursAfter.1))
                   OR (t.day >= \(days.0) AND t.day < \(days.1)))
            """
        return try await withConnection { connection in
            var series: [String: TimingSeries] = [:]
            let rows = try await connection.query(query, logger: logger)
            for try await (trust, site, kind, name, cohort, phase, _, failures, incomplete, histogram)
                in rows.decode((String, String, String, String, String, String, Int64, Int64, Int64, ByteBuffer).self) {
                var entry = TimingSeries(trust: trust, site: site, kind: EventKind(rawValue: kind), name: name,
                                         cohort: LogonCohort(rawValue: cohort) ?? .ordinary)
                let key = entry.key
                entry = series[key] ?? entry
                let bytes = Data(histogram.readableBytesView)
                if phase.isEmpty {
                    try entry.durations.mergeEncoded(bytes)
                    entry.failures += Int(failures)
                    entry.incomplete += Int(incomplete)
                } else {
                    try entry.phases[phase, default: TimingHistogram()].mergeEncoded(bytes)
                }
                series[key] = entry
            }
            return series.values.sorted { $0.key < $1.key }
        }
    }

    /// The first day of the daily totals or of the parts not folded yet.
    public func trustDataVersions() async throws -> [String: Int64] {
        try await withConnection { connection in
            let rows = try await connection.query("""
            SELECT t.ods, COALESCE(GREATEST(a.folded_part_id, p.newest_part), 0) + COALESCE(c.version, 0)
            FROM trusts t
            LEFT JOIN trust_activity a ON a.trust = t.ods
            LEFT JOIN (SELECT trust, max(id) AS newest_part FROM trust_activity_parts GROUP BY trust) p ON p.trust = t.ods
            LEFT JOIN trust_changes c ON c.trust = t.ods
            """, logger: logger)
            var versions: [String: Int64] = [:]
            for try await (trust, version) in rows.decode((String, Int64).self) { versions[trust] = version }
            return versions
        }
    }

    public func firstDataDayMs(trust: String) async throws -> Int64? {
        try await withConnection { connection in
            let rows = try await connection.query("""
                SELECT LEAST((SELECT min(day) FROM timing_days WHERE trust = \(trust)), (SELECT min(day) FROM timing_parts WHERE trust = \(trust)))
                """, logger: logger)
            var first: Int64?
            for try await day in rows.decode(Int64?.self) { first = day }
            return first.map { $0 * AggregateDelta.dayMs }
        }
    }

    public func trustSummary(trust: String) async throws -> TrustSummary {
        try await withConnection { connection in
            let rows = try await connection.query("""
                SELECT (SELECT count(*) FROM devices WHERE trust = \(trust)),
                       GREATEST((SELECT newest_started_at_ms FROM trust_activity WHERE trust = \(trust)),
                                (SELECT max(newest_started_at_ms) FROM trust_activity_parts WHERE trust = \(trust)))
                """, logger: logger)
            for try await (devices, newest) in rows.decode((Int64, Int64?).self) {
                return TrustSummary(devicesKnown: Int(devices), newestEventMs: newest)
            }
            return TrustSummary(devicesKnown: 0, newestEventMs: nil)
        }
    }

    /// Per trust first, then per site, each in key order.
    public func deviceActivity(trust: String?, fromMs: Int64, toMs: Int64) async throws -> [DeviceActivity] {
        let (fromDay, toDay) = (AggregateDelta.ceil(fromMs, AggregateDelta.dayMs), AggregateDelta.ceil(toMs, AggregateDelta.dayMs))
        return try await withConnection { connection in
            let rows = try await connection.query("""
                SELECT trust, site, devices FROM (
                    SELECT trust, NULL::text AS site, count(DISTINCT device_id) AS devices, 0 AS level FROM device_days
                    WHERE (\(trust)::text IS NULL OR trust = \(trust)) AND day >= \(fromDay) AND day < \(toDay) GROUP BY trust
                    UNION ALL
                    SELECT trust, site, count(DISTINCT device_id), 1 FROM device_days
                    WHERE (\(trust)::text IS NULL OR trust = \(trust)) AND day >= \(fromDay) AND day < \(toDay) GROUP BY trust, site
                ) a ORDER BY level, trust COLLATE "C", site COLLATE "C"
                """, logger: logger)
            var activity: [DeviceActivity] = []
            for try await (trust, site, devices) in rows.decode((String, String?, Int64).self) {
                activity.append(DeviceActivity(trust: trust, site: site, devices: Int(devices)))
            }
            return activity
        }
    }

    /// In key order, devices without an inventory (nil facts) first, as SQLite orders NULL.
    public func estate(trust: String?, fromMs: Int64, toMs: Int64) async throws -> [EstateCount] {
        let (fromDay, toDay) = (AggregateDelta.ceil(fromMs, AggregateDelta.dayMs), AggregateDelta.ceil(toMs, AggregateDelta.dayMs))
        return try await withConnection { connection in
            let rows = try await connection.query("""
                SELECT dv.trust, dv.site, f.os_id, f.os_version, f.system_disk, f.memory_mb, count(*)
                FROM devices dv LEFT JOIN device_facts f ON f.trust = dv.trust AND f.device_id = dv.device_id
                WHERE (\(trust)::text IS NULL OR dv.trust = \(trust)) AND EXISTS (
                    SELECT 1 FROM device_days dd
                    WHERE dd.trust = dv.trust AND dd.device_id = dv.device_id AND dd.day >= \(fromDay) AND dd.day < \(toDay))
                GROUP BY 1, 2, 3, 4, 5, 6
                ORDER BY 1, 2, 3 NULLS FIRST, 4 NULLS FIRST, 5 NULLS FIRST, 6 NULLS FIRST
                """, logger: logger)
            var counts: [EstateCount] = []
            for try await (trust, site, osId, osVersion, disk, memory, devices)
                in rows.decode((String, String, String?, String?, String?, Int64?, Int64).self) {
                counts.append(EstateCount(trust: trust, site: site, osId: osId, osVersion: osVersion, systemDisk: disk,
                                          memoryMB: memory.map { Int($0) }, devices: Int(devices)))
            }
            return counts
        }
    }

    public func modelTimings(trust: String?, fromMs: Int64, toMs: Int64) async throws -> [ModelTiming] {
        let (fromDay, toDay) = (AggregateDelta.ceil(fromMs, AggregateDelta.dayMs), AggregateDelta.ceil(toMs, AggregateDelta.dayMs))
        return try await withConnection { connection in
            let rows = try await connection.query("""
                SELECT trust, model, kind, failures, histogram FROM model_days
                WHERE (\(trust)::text IS NULL OR trust = \(trust)) AND day >= \(fromDay) AND day < \(toDay)
                UNION ALL
                SELECT trust, model, kind, failures, histogram FROM model_day_parts
                WHERE (\(trust)::text IS NULL OR trust = \(trust)) AND day >= \(fromDay) AND day < \(toDay)
                """, logger: logger)
            var timings: [String: ModelTiming] = [:]
            for try await (trust, model, kind, failures, histogram) in rows.decode((String, String, String, Int64, ByteBuffer).self) {
                let key = "\(trust)\u{1F}\(model)\u{1F}\(kind)"
                var entry = timings[key] ?? ModelTiming(trust: trust, model: model, kind: EventKind(rawValue: kind))
                entry.failures += Int(failures)
                try entry.durations.mergeEncoded(Data(histogram.readableBytesView))
                timings[key] = entry
            }
            return timings.values.sorted { ($0.trust, $0.model, $0.kind.rawValue) < ($1.trust, $1.model, $1.kind.rawValue) }
        }
    }

    public func trustCodes() async throws -> [String] {
        try await withConnection { connection in
            var codes: [String] = []
            for try await code in try await connection.query("SELECT ods FROM trusts ORDER BY ods", logger: logger).decode(String.self) {
                codes.append(code)
            }
            return codes
        }
    }
}
