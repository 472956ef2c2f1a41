import DeskReadyStore
import DeskReadyModel
import PostgresNIO

/// Aggregate retention by resolution on PostgreSQL (the pass itself is `AggregateRetentionPass`). The totals are keyed
/// by trust first, so each delete is a range of one trust's primary key. Partial rows are left to the roller: one older
/// than the window that is folded later makes a total that the next pass deletes.
extension PostgresMeasurementStore: AggregateRetention {
    public func deleteAggregates(hourlyBeforeMs: Int64?, dailyBeforeMs: Int64?) async throws -> AggregateDeletion {
        try await AggregateRetentionPass.run(trusts: try await trustCodes(), hourlyBeforeMs: hourlyBeforeMs, dailyBeforeMs: dailyBeforeMs,
                                             oldest: oldestUnit, delete: deleteRows)
    }

    /// The oldest unit (hour or day) of the trust's rows in `table`. Table and column names come from
    /// `AggregateRetentionPass`, never from input.
    private func oldestUnit(trust: String, table: AggregateRetentionPass.Table) async throws -> Int64? {
        var oldest: Int64?
        try await withConnection { connection in
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT min(\(table.unit)) FROM \(table.name) WHERE trust = $1", binds: Self.binds(trust)), logger: logger)
            for try await value in rows.decode(Int64?.self) { oldest = value }
        }
        return oldest
    }

    /// Deletes the trust's rows of `table` of units before `before` in one transaction.
    private func deleteRows(trust: String, table: AggregateRetentionPass.Table, before: Int64, bumpsVersion: Bool) async throws -> Int {
        try await client.withTransaction(logger: logger) { connection in
            var binds = Self.binds(trust)
            binds.append(before)
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
    }

    private static func binds(_ trust: String) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(trust)
        return binds
    }
}
