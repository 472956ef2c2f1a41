import DeskReadyModel
import DeskReadyStore
import PostgresNIO

/// Counts, health and raw-event retention.
extension PostgresMeasurementStore: RawEventRetention {
    public func counts(trust: String?) async throws -> StoreCounts {
        try await withConnection { connection in
            let rows = try await connection.query("""
                SELECT (SELECT count(*) FROM events WHERE \(trust)::text IS NULL OR trust = \(trust)),
                       (SELECT count(*) FROM batches WHERE \(trust)::text IS NULL OR trust = \(trust)),
                       (SELECT count(*) FROM devices WHERE \(trust)::text IS NULL OR trust = \(trust)),
                       GREATEST((SELECT max(newest_started_at_ms) FROM trust_activity WHERE \(trust)::text IS NULL OR trust = \(trust)),
                                (SELECT max(newest_started_at_ms) FROM trust_activity_parts WHERE \(trust)::text IS NULL OR trust = \(trust)))
                """, logger: logger)
            for try await (events, batches, devices, newest) in rows.decode((Int64, Int64, Int64, Int64?).self) {
                return StoreCounts.make(events: Int(events), batches: Int(batches), devices: Int(devices), newestEventMs: newest)
            }
            return StoreCounts.make(events: 0, batches: 0, devices: 0, newestEventMs: nil)
        }
    }

    /// The database's size as PostgreSQL reports it (tables, indexes and their free space).
    public func databaseBytes() async -> Int64? {
        await answer(within: 5) { try await self.readDatabaseBytes() } ?? nil
    }

    private func readDatabaseBytes() async throws -> Int64? {
        try await withConnection { connection in
            var bytes: Int64?
            for try await value in try await connection.query("SELECT pg_database_size(current_database())", logger: logger).decode(Int64.self) {
                bytes = value
            }
            return bytes
        }
    }

    public func unavailability() async -> String? {
        await isWritable() ? nil : "the PostgreSQL database \(location) does not take writes (unreachable, or a read-only standby); check it with `pg_isready`, and that the collector points at the primary"
    }

    /// True when the server answers within 5 s and takes writes (not a read-only standby).
    public func isWritable() async -> Bool {
        await answer(within: 5) { try await self.takesWrites() } ?? false
    }

    private func takesWrites() async throws -> Bool {
        try await withConnection { connection in
            var writable = false
            for try await readOnly in try await connection.query("SELECT current_setting('transaction_read_only') = 'on' OR pg_is_in_recovery()", logger: logger).decode(Bool.self) {
                writable = !readOnly
            }
            return writable
        }
    }

    /// Deletes raw events the collector received before `cutoffMs`, in chunks of `chunk` rows, each its own short
    /// transaction; returns how many. The aggregates (and so every report) keep them.
    @discardableResult
    public func deleteRawEvents(receivedBefore cutoffMs: Int64, chunk: Int64 = 50_000) async throws -> Int {
        var deleted = 0
        while true {
            let count = try await withConnection { connection in
                try await connection.query("""
                    DELETE FROM events WHERE (trust, event_id) IN (
                        SELECT trust, event_id FROM events WHERE received_at_ms < \(cutoffMs) LIMIT \(chunk))
                    RETURNING 1
                    """, logger: logger).collect().count
            }
            deleted += count
            if count < chunk { return deleted }
        }
    }

    /// Rows in the hourly timing totals plus the partial rows not folded yet, for benchmarks and health.
    public func aggregateRowCount() async throws -> Int {
        try await withConnection { connection in
            var count: Int64 = 0
            for try await value in try await connection.query(
                "SELECT (SELECT count(*) FROM timing_hours) + (SELECT count(*) FROM timing_parts)", logger: logger).decode(Int64.self) {
                count = value
            }
            return Int(count)
        }
    }
}

/// How far folding is behind, for `/metrics`: the partial rows waiting, and the age of the oldest.
extension PostgresMeasurementStore: AggregateFoldStatus {
    /// Counts the rows of every partial table (small while folding keeps up) and reads the oldest one's `appended_ms`
    /// by id; the age is measured on the server's clock, so the collectors' clocks do not matter. Nil when the server
    /// does not answer within 5 s.
    public func aggregateFoldBacklog() async -> AggregateFoldBacklog? {
        await answer(within: 5) { try await self.readFoldBacklog() }
    }

    private func readFoldBacklog() async throws -> AggregateFoldBacklog {
        let tables = PostgresSchema.partTables
        let waiting = tables.map { "(SELECT count(*) FROM \($0))" }.joined(separator: " + ")
        let oldest = tables.map { "(SELECT appended_ms FROM \($0) ORDER BY id LIMIT 1)" }.joined(separator: ", ")
        return try await withConnection { connection in
            let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT \(waiting), LEAST(\(oldest)), (extract(epoch FROM clock_timestamp()) * 1000)::int8
                """), logger: logger)
            var backlog = AggregateFoldBacklog(waitingRows: 0, oldestAgeSeconds: nil)
            for try await (count, oldestMs, nowMs) in rows.decode((Int64, Int64?, Int64).self) {
                backlog = AggregateFoldBacklog(waitingRows: Int(count), oldestAgeSeconds: oldestMs.map { Double(max(0, nowMs - $0)) / 1000 })
            }
            return backlog
        }
    }
}
