import DeskReadyStore
import GRDB

/// Aggregates loaded directly (benchmarks only): the same writer ingest uses, after the devices the delta names.
extension SQLiteMeasurementStore: AggregateLoading {
    package func loadAggregates(_ deltas: [(trust: String, delta: AggregateDelta)], hourly: Bool) async throws {
        try await pool.write { db in
            let device = try db.cachedStatement(sql: """
                INSERT INTO devices (trust, device_id, site, first_seen_ms, last_seen_ms) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(trust, device_id) DO UPDATE SET site = excluded.site, last_seen_ms = MAX(last_seen_ms, excluded.last_seen_ms)
                """)
            for (trust, delta) in deltas {
                var seen: [String: DeviceDayKey] = [:]
                for key in delta.deviceDays where (seen[key.deviceId]?.day ?? .min) < key.day { seen[key.deviceId] = key }
                for (id, key) in seen.sorted(by: { $0.key < $1.key }) {
                    let ms = key.day * AggregateDelta.dayMs
                    try device.execute(arguments: [trust, id, key.site, ms, ms])
                }
                try SQLiteAggregateWriter.apply(delta, trust: trust, db, hourly: hourly)
            }
        }
    }
}
