import DeskReadyModel
import DeskReadyStore
import GRDB

/// The device table in SQLite: devices with their facts, and their logon and boot p90 from the period's raw events
/// (one pass over the trust's events of those kinds; an admin's occasional read, not a report's hot path).
extension SQLiteMeasurementStore {
    public func deviceRows(trust: String, fromMs: Int64, toMs: Int64) async throws -> [DeviceRow] {
        try await pool.read { db in
            var timings: [String: (logons: TimingHistogram, boots: TimingHistogram)] = [:]
            let events = try Row.fetchCursor(db, sql: """
                SELECT device_id, kind, duration_ms FROM events
                WHERE trust = ? AND kind IN ('logon', 'boot') AND outcome = 'ok' AND started_at_ms >= ? AND started_at_ms < ?
                """, arguments: [trust, fromMs, toMs])
            while let row = try events.next() {
                let device: String = row[0]
                var entry = timings[device] ?? (TimingHistogram(), TimingHistogram())
                if (row[1] as String) == EventKind.logon.rawValue { entry.logons.record(row[2]) } else { entry.boots.record(row[2]) }
                timings[device] = entry
            }
            return try Row.fetchAll(db, sql: """
                SELECT dv.device_id, dv.site, dv.last_seen_ms, f.vendor, f.model, f.os_id, f.os_version, f.os_name, f.system_disk, f.memory_mb,
                    dv.agent_version
                FROM devices dv LEFT JOIN device_facts f ON f.trust = dv.trust AND f.device_id = dv.device_id
                WHERE dv.trust = ? ORDER BY dv.site, dv.device_id
                """, arguments: [trust]).map { row in
                let device: String = row[0]
                let timing = timings[device]
                return DeviceRow(
                    deviceId: device, site: row[1], vendor: row[3], model: row[4], osId: row[5], osVersion: row[6], osName: row[7],
                    systemDisk: (row[8] as String?).map { $0 == "rotational" ? "hdd" : $0 }, memoryMB: row[9], agentVersion: row[10], lastSeenMs: row[2],
                    logons: timing?.logons.count ?? 0, logonP90Ms: timing?.logons.percentile(90),
                    boots: timing?.boots.count ?? 0, bootP90Ms: timing?.boots.percentile(90))
            }
        }
    }
}
