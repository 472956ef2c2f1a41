import DeskReadyStore
import DeskReadyModel
import PostgresNIO

/// Aggregate retention by resolution on PostgreSQL. The totals are keyed by trust first, so each delete is a range of
/// one trust's primary key; one day of one trust per transaction. Partial rows are left to the roller: one older
/// than the window that is folded later makes a total that the next pass deletes.
extension PostgresMeasurementStore: AggregateRetention {
    public func deleteAggregates(hourlyBeforeMs: Int64?, dailyBeforeMs: Int64?) async throws -> AggregateDeletion {
        var deletion = AggregateDeletion()
        for trust in try await trustCodes() {
            if let hourlyBeforeMs {
                deletion.hourlyRows += try await trim(trust: trust, tables: [("timing_hours", "hour")], before: hourlyBeforeMs / UTCTime.hourMs,
                                                      step: 24, bumpsVersion: false)
            }
            if let dailyBeforeMs {
                deletion.dailyRows += try await trim(
                    trust: trust, tables: [("timing_days", "day"), ("model_days", "day"), ("device_days", "day")],
                    before: dailyBeforeMs / UTCTime.dayMs, step: 1, bumpsVersion: true)
            }
        }
        return deletion
    }

    /// Deletes the trust's rows of units before `before` from each table, `step` units per transaction from the oldest.
    /// Table and column names come from the list above, never from input.
    private func trim(trust: String, tables: [(name: String, unit: String)], before: Int64, step: Int64, bumpsVersion: Bool) async throws -> Int {
        var deleted = 0
        for table in tables {
            var oldest: Int64?
            try await withConnection { connection in
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT min(\(table.unit)) FROM \(table.name) WHERE trust = $1", binds: Self.binds(trust)), logger: logger)
                for try await value in rows.decode(Int64?.self) { oldest = value }
            }
            guard var start = oldest else { continue }
            while start < before {
                let end = min(before, start + step)
                deleted += try await client.withTransaction(logger: logger) { connection in
                    var binds = Self.binds(trust)
                    binds.append(end)
                    let count = try await connection.query(
                        PostgresQuery(unsafeSQL: "DELETE FROM \(table.name) WHERE trust = $1 AND \(table.unit) < $2 RETURNING 1", binds: binds),
                        logger: logger).collect().count
                    if count > 0 && bumpsVersion {
                        try await connection.query("""
                            INSERT INTO trust_changes (trust, version) VALUES (\(trust), 1)
                            ON CONFLICT (trust) DO UPDATE SET version = trust_changes.version + 1
                            """, logger: logger)
                    }
                    return count
                }
                start = end
            }
        }
        return deleted
    }

    private static func binds(_ trust: String) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(trust)
        return binds
    }
}
