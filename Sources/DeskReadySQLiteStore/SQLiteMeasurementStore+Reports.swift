import DeskReadyModel
import DeskReadyStore
import Foundation
import GRDB

/// The reads reports make: aggregates only, never raw events, so raw retention can be short.
extension SQLiteMeasurementStore {
    /// Whole UTC days of the range come from the daily rollup, the hours at either edge from the hourly rows.
    public func timingSeries(trust: String?, fromMs: Int64, toMs: Int64, phases: Set<String>?) async throws -> [TimingSeries] {
        let hourMs = AggregateDelta.hourMs
        let (fromHour, toHour) = (Self.ceil(fromMs, hourMs), Self.ceil(toMs, hourMs))
        let (fromDay, toDay) = (Self.ceil(fromHour, 24), AggregateDelta.floor(toHour, 24))
        let parts: [(table: String, column: String, from: Int64, to: Int64)] = fromDay < toDay
            ? [("timing_hours", "hour", fromHour, fromDay * 24), ("timing_days", "day", fromDay, toDay), ("timing_hours", "hour", toDay * 24, toHour)]
            : [("timing_hours", "hour", fromHour, toHour)]
        return try await pool.read { db in
            var series: [String: TimingSeries] = [:]
            for part in parts where part.from < part.to {
                try Self.mergeTimings(db, table: part.table, column: part.column, trust: trust, from: part.from, to: part.to,
                                      phases: phases, into: &series)
            }
            return series.values.sorted { $0.key < $1.key }
        }
    }

    private static func mergeTimings(_ db: Database, table: String, column: String, trust: String?, from: Int64, to: Int64,
                                     phases: Set<String>?, into series: inout [String: TimingSeries]) throws {
        let filter = trust == nil ? "" : "trust = ? AND "
        let phaseList = phases.map { $0.sorted() } ?? []
        let phaseFilter = phases == nil ? "" : " AND (phase = ''" + String(repeating: " OR phase = ?", count: phaseList.count) + ")"
        var arguments: StatementArguments = trust.map { [$0] } ?? []
        arguments += [from, to]
        for phase in phaseList { arguments += [phase] }
        let rows = try Row.fetchCursor(db, sql: """
            SELECT trust, site, kind, name, cohort, phase, ok, failures, incomplete, histogram FROM \(table)
            WHERE \(filter)\(column) >= ? AND \(column) < ?\(phaseFilter)
            """, arguments: arguments)
        while let row = try rows.next() {
            var entry = TimingSeries(
                trust: row[0], site: row[1], kind: EventKind(rawValue: row[2]), name: row[3],
                cohort: LogonCohort(rawValue: row[4]) ?? .ordinary)
            let key = entry.key
            entry = series[key] ?? entry
            let phase: String = row[5]
            let histogram: Data = row[9]
            if phase.isEmpty {
                try entry.durations.mergeEncoded(histogram)
                entry.failures += row[7] as Int
                entry.incomplete += row[8] as Int
            } else {
                try entry.phases[phase, default: TimingHistogram()].mergeEncoded(histogram)
            }
            series[key] = entry
        }
    }

    public func trustDataVersions() async throws -> [String: Int64] {
        try await pool.read { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT trust, version FROM trust_versions").map { ($0[0], $0[1]) }, uniquingKeysWith: max)
        }
    }

    public func firstDataDayMs(trust: String) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(day) FROM timing_days WHERE trust = ?", arguments: [trust]).map { $0 * UTCTime.dayMs }
        }
    }

    public func trustSummary(trust: String) async throws -> TrustSummary {
        try await pool.read { db in
            let devices = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM devices WHERE trust = ?", arguments: [trust]) ?? 0
            // Kept by the ingest transaction beside the aggregates, so raw-event retention never makes it older.
            let newest = try Int64.fetchOne(db, sql: "SELECT newest_started_at_ms FROM trust_activity WHERE trust = ?", arguments: [trust])
            return TrustSummary(devicesKnown: devices, newestEventMs: newest)
        }
    }

    public func deviceActivity(trust: String?, fromMs: Int64, toMs: Int64) async throws -> [DeviceActivity] {
        let (fromDay, toDay) = (Self.ceil(fromMs, AggregateDelta.dayMs), Self.ceil(toMs, AggregateDelta.dayMs))
        return try await pool.read { db in
            let filter = trust == nil ? "" : "trust = ? AND "
            let arguments: StatementArguments = (trust.map { [$0] } ?? []) + [fromDay, toDay]
            let bySite = try Row.fetchAll(db, sql: """
                SELECT trust, site, COUNT(DISTINCT device_id) FROM device_days WHERE \(filter)day >= ? AND day < ?
                GROUP BY trust, site ORDER BY trust, site
                """, arguments: arguments).map { DeviceActivity(trust: $0[0], site: $0[1], devices: $0[2]) }
            let byTrust = try Row.fetchAll(db, sql: """
                SELECT trust, COUNT(DISTINCT device_id) FROM device_days WHERE \(filter)day >= ? AND day < ? GROUP BY trust ORDER BY trust
                """, arguments: arguments).map { DeviceActivity(trust: $0[0], site: nil, devices: $0[1]) }
            return byTrust + bySite
        }
    }

    public func estate(trust: String?, fromMs: Int64, toMs: Int64) async throws -> [EstateCount] {
        let (fromDay, toDay) = (Self.ceil(fromMs, AggregateDelta.dayMs), Self.ceil(toMs, AggregateDelta.dayMs))
        return try await pool.read { db in
            let arguments: StatementArguments = (trust.map { [$0] } ?? []) + [fromDay, toDay]
            // Each device that reported in the period once, at its current site: one index probe per known device.
            let deviceFilter = trust == nil ? "" : "dv.trust = ? AND "
            return try Row.fetchAll(db, sql: """
                SELECT dv.trust, dv.site, f.os_id, f.os_version, f.system_disk, f.memory_mb, COUNT(*)
                FROM devices dv LEFT JOIN device_facts f ON f.trust = dv.trust AND f.device_id = dv.device_id
                WHERE \(deviceFilter)EXISTS (
                    SELECT 1 FROM device_days dd
                    WHERE dd.trust = dv.trust AND dd.device_id = dv.device_id AND dd.day >= ? AND dd.day < ?)
                GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
                """, arguments: arguments).map {
                EstateCount(trust: $0[0], site: $0[1], osId: $0[2], osVersion: $0[3], systemDisk: $0[4], memoryMB: $0[5], devices: $0[6])
            }
        }
    }

    public func modelTimings(trust: String?, fromMs: Int64, toMs: Int64) async throws -> [ModelTiming] {
        let (fromDay, toDay) = (Self.ceil(fromMs, AggregateDelta.dayMs), Self.ceil(toMs, AggregateDelta.dayMs))
        return try await pool.read { db in
            let filter = trust == nil ? "" : "trust = ? AND "
            let arguments: StatementArguments = (trust.map { [$0] } ?? []) + [fromDay, toDay]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT trust, model, kind, failures, histogram FROM model_days WHERE \(filter)day >= ? AND day < ?
                """, arguments: arguments)
            var timings: [String: ModelTiming] = [:]
            while let row = try rows.next() {
                let key = "\(row[0] as String)\u{1F}\(row[1] as String)\u{1F}\(row[2] as String)"
                var entry = timings[key] ?? ModelTiming(trust: row[0], model: row[1], kind: EventKind(rawValue: row[2]))
                entry.failures += row[3] as Int
                try entry.durations.mergeEncoded(row[4])
                timings[key] = entry
            }
            return timings.values.sorted { ($0.trust, $0.model, $0.kind.rawValue) < ($1.trust, $1.model, $1.kind.rawValue) }
        }
    }

    /// The first whole unit at or after `ms` (periods start on a unit boundary in practice).
    static func ceil(_ ms: Int64, _ unit: Int64) -> Int64 {
        AggregateDelta.ceil(ms, unit)
    }
}
