import DeskReadyStore
import DeskReadyModel
import PostgresNIO

/// Aggregate retention by resolution on PostgreSQL (the pass itself is `AggregateRetentionPass`). The totals are keyed
/// by trust first, so each delete is a range of one trust's primary key. Partial rows are left to the roller: one older
/// than the window that is folded later makes a total that the next pass deletes.
extension PostgresMeasurementStore: AggregateRetention {
    public func deleteAggregates(hourlyBeforeMs: Int64?, dailyBeforeMs: Int64?) async throws -> AggregateDeletion {
        try await AggregateRetentionPass.run(trusts: try await trustCodes(), hourlyBeforeMs: hourlyBeforeMs, dailyBeforeMs: dailyBeforeMs,
                                             trim: trim)
    }

    /// Deletes the trust's rows of `table` of units before `before`, `step` units per transaction from the oldest.
    /// Table and column names come from `AggregateRetentionPass`, never from input.
    private func trim(trust: String, table: AggregateRetentionPass.Table, before: Int64, step: Int64, bumpsVersion: Bool) async throws -> Int {
        var oldest: Int64?
        try await withConnection { connection in
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT min(\(table.unit)) FROM \(table.name) WHERE trust = $1", binds: Self.binds(trust)), logger: logger)
            for try await value in rows.decode(Int64?.self) { oldest = value }
        }
        guard var start = oldest else { return 0 }
        var deleted = 0
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
        return deleted
    }

    private static func binds(_ trust: String) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(trust)
        return binds
    }
}
