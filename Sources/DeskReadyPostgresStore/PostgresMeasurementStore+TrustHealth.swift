import DeskReadyStore

extension PostgresMeasurementStore: TrustHealthReading {
    /// One query over the trusts, their devices and the newest-data rows (totals and parts): no raw event is read.
    public func trustHealth(silentBeforeMs: Int64) async throws -> [TrustHealth] {
        try await withConnection { connection in
            let rows = try await connection.query("""
                SELECT t.ods,
                       (SELECT count(*) FROM devices d WHERE d.trust = t.ods),
                       (SELECT count(*) FROM devices d WHERE d.trust = t.ods AND d.last_seen_ms < \(silentBeforeMs)),
                       GREATEST((SELECT newest_started_at_ms FROM trust_activity a WHERE a.trust = t.ods),
                                (SELECT max(newest_started_at_ms) FROM trust_activity_parts p WHERE p.trust = t.ods))
                FROM trusts t ORDER BY t.ods
                """, logger: logger)
            var health: [TrustHealth] = []
            for try await (trust, known, silent, newest) in rows.decode((String, Int64, Int64, Int64?).self) {
                health.append(TrustHealth(trust: trust, devicesKnown: Int(known), devicesSilent: Int(silent), newestEventMs: newest))
            }
            return health
        }
    }
}
