import DeskReadyModel
import DeskReadyStore
import PostgresNIO

/// The device table in PostgreSQL: devices with their facts, and their logon and boot p90 from the period's raw
/// events, as SQLite lists it.
extension PostgresMeasurementStore {
    public func deviceRows(trust: String, fromMs: Int64, toMs: Int64) async throws -> [DeviceRow] {
        try await withConnection { connection in
            var timings: [String: (logons: TimingHistogram, boots: TimingHistogram)] = [:]
            for try await (device, kind, duration) in try await connection.query("""
                SELECT device_id, kind, duration_ms FROM events
                WHERE trust = \(trust) AND kind IN ('logon', 'boot') AND outcome = 'ok'
                  AND started_at_ms >= \(fromMs) AND started_at_ms < \(toMs)
                """, logger: logger).decode((String, String, Int64).self) {
                var entry = timings[device] ?? (TimingHistogram(), TimingHistogram())
                if kind == EventKind.logon.rawValue { entry.logons.record(duration) } else { entry.boots.record(duration) }
                timings[device] = entry
            }
            var rows: [DeviceRow] = []
            for try await (device, site, lastSeen, vendor, model, osId, osVersion, osName, disk, memory, agent) in try await connection.query("""
                SELECT dv.device_id, dv.site, dv.last_seen_ms, f.vendor, f.model, f.os_id, f.os_version, f.os_name, f.system_disk, f.memory_mb,
                    dv.agent_version
                FROM devices dv LEFT JOIN device_facts f ON f.trust = dv.trust AND f.device_id = dv.device_id
                WHERE dv.trust = \(trust) ORDER BY dv.site, dv.device_id
                """, logger: logger).decode((String, String, Int64, String?, String?, String?, String?, String?, String?, Int64?, String?).self) {
                let timing = timings[device]
                rows.append(DeviceRow(
                    deviceId: device, site: site, vendor: vendor, model: model, osId: osId, osVersion: osVersion, osName: osName,
                    systemDisk: disk.map { $0 == "rotational" ? "hdd" : $0 }, memoryMB: memory.map { Int($0) }, agentVersion: agent, lastSeenMs: lastSeen,
                    logons: timing?.logons.count ?? 0, logonP90Ms: timing?.logons.percentile(90),
                    boots: timing?.boots.count ?? 0, bootP90Ms: timing?.boots.percentile(90)))
            }
            return rows
        }
    }
}
