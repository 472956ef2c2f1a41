import DeskReadyStore
import GRDB

extension SQLiteMeasurementStore: TrustHealthReading {
    /// One pass over the trusts, their devices' primary key rows and `trust_activity`: no raw event is read.
    public func trustHealth(silentBeforeMs: Int64) async throws -> [TrustHealth] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.ods,
                       (SELECT COUNT(*) FROM devices d WHERE d.trust = t.ods),
                       (SELECT COUNT(*) FROM devices d WHERE d.trust = t.ods AND COALESCE(d.last_seen_ms, 0) < ?),
                       (SELECT newest_started_at_ms FROM trust_activity a WHERE a.trust = t.ods)
                FROM trusts t ORDER BY t.ods
                """, arguments: [silentBeforeMs]).map { row in
                TrustHealth(trust: row[0], devicesKnown: row[1], devicesSilent: row[2], newestEventMs: row[3])
            }
        }
    }
}
