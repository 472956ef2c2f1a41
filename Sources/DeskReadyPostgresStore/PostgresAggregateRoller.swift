import DeskReadyModel
import DeskReadyStore
import Foundation
import PostgresNIO

/// Folds the partial aggregate rows that ingest appends into the hourly, daily and per-model totals and the trusts'
/// newest event, on whichever collector takes the fold lock (the others skip the round).
///
/// One round is one transaction: take the oldest parts (`DELETE … RETURNING`, committed rows only), merge them by key
/// in Swift with the same histogram merge as SQLite, read the current totals of those keys, and write the sums back in
/// sorted key order. A crash folds nothing twice and loses nothing; a report reading at the same time sees either
/// the parts or the totals they became, never both (each read is one statement).
struct PostgresAggregateRoller: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// Parts taken per table per round.
    var limit = 20_000

    static let foldLock: Int64 = 0x4445_534B_0002

    /// One round; returns how many parts it folded (0 when another collector holds the lock or nothing waits).
    func rollUp() async throws -> Int {
        try await client.withTransaction(logger: logger) { connection in
            let locked = try await connection.query("SELECT pg_try_advisory_xact_lock(\(Self.foldLock))", logger: logger)
            var held = false
            for try await value in locked.decode(Bool.self) { held = value }
            guard held else { return 0 }
            var folded = try await foldTimings(connection)
            folded += try await foldModelDays(connection)
            folded += try await foldActivity(connection)
            return folded
        }
    }

    /// Rounds until nothing is left; false when another collector held the lock.
    func rollUpAll() async throws -> Bool {
        while true {
            let folded = try await rollUp()
            if folded == 0 {
                // Nothing folded: either nothing waits, or the lock is held elsewhere.
                let rows = try await client.query("SELECT (SELECT count(*) FROM timing_parts) + (SELECT count(*) FROM model_day_parts) + (SELECT count(*) FROM trust_activity_parts)", logger: logger)
                var left: Int64 = 0
                for try await value in rows.decode(Int64.self) { left = value }
                return left == 0
            }
        }
    }

    private struct TimingKey: Hashable, Comparable {
        var trust: String, unit: Int64, site: String, kind: String, name: String, cohort: String, phase: String

        static func < (a: TimingKey, b: TimingKey) -> Bool {
            let (x, y) = ((a.trust, a.unit, a.site, a.kind, a.name, a.cohort), (b.trust, b.unit, b.site, b.kind, b.name, b.cohort))
            return x == y ? a.phase < b.phase : x < y
        }
    }

    private struct Totals {
        var ok: Int64 = 0, failures: Int64 = 0, incomplete: Int64 = 0
        var histogram = TimingHistogram()

        mutating func add(ok: Int64, failures: Int64, incomplete: Int64, histogram: ByteBuffer) throws {
            self.ok += ok
            self.failures += failures
            self.incomplete += incomplete
            try self.histogram.mergeEncoded(Data(histogram.readableBytesView))
        }
    }

    private func foldTimings(_ connection: PostgresConnection) async throws -> Int {
        let parts = try await connection.query("""
            DELETE FROM timing_parts WHERE id IN (SELECT id FROM timing_parts ORDER BY id LIMIT \(Int64(limit)))
            RETURNING trust, hour, day, site, kind, name, cohort, phase, ok, failures, incomplete, histogram
            """, logger: logger)
        var hours: [TimingKey: Totals] = [:]
        var days: [TimingKey: Totals] = [:]
        var taken = 0
        for try await (trust, hour, day, site, kind, name, cohort, phase, ok, failures, incomplete, histogram)
            in parts.decode((String, Int64, Int64, String, String, String, String, String, Int64, Int64, Int64, ByteBuffer).self) {
            taken += 1
            try hours[TimingKey(trust: trust, unit: hour, site: site, kind: kind, name: name, cohort: cohort, phase: phase), default: Totals()]
                .add(ok: ok, failures: failures, incomplete: incomplete, histogram: histogram)
            try days[TimingKey(trust: trust, unit: day, site: site, kind: kind, name: name, cohort: cohort, phase: phase), default: Totals()]
                .add(ok: ok, failures: failures, incomplete: incomplete, histogram: histogram)
        }
        guard taken > 0 else { return 0 }
        try await addTimings(hours, table: "timing_hours", unit: "hour", connection)
        try await addTimings(days, table: "timing_days", unit: "day", connection)
        return taken
    }

    /// Adds `sums` to the totals in `table`: reads the stored rows of those keys, merges, writes them back.
    private func addTimings(_ sums: [TimingKey: Totals], table: String, unit: String, _ connection: PostgresConnection) async throws {
        var sums = sums
        let keys = sums.keys.sorted()
        let stored = try await connection.query(PostgresQuery(unsafeSQL: """
            SELECT t.trust, t.\(unit), t.site, t.kind, t.name, t.cohort, t.phase, t.ok, t.failures, t.incomplete, t.histogram
            FROM \(table) t JOIN unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                 AS k(trust, unit, site, kind, name, cohort, phase)
              ON t.trust = k.trust AND t.\(unit) = k.unit AND t.site = k.site AND t.kind = k.kind AND t.name = k.name
                 AND t.cohort = k.cohort AND t.phase = k.phase
            """, binds: Self.keyBindings(keys)), logger: logger)
        for try await (trust, value, site, kind, name, cohort, phase, ok, failures, incomplete, histogram)
            in stored.decode((String, Int64, String, String, String, String, String, Int64, Int64, Int64, ByteBuffer).self) {
            try sums[TimingKey(trust: trust, unit: value, site: site, kind: kind, name: name, cohort: cohort, phase: phase)]?
                .add(ok: ok, failures: failures, incomplete: incomplete, histogram: histogram)
        }
        let totals = keys.map { sums[$0]! }
        var binds = Self.keyBindings(keys)
        binds.append(totals.map(\.ok))
        binds.append(totals.map(\.failures))
        binds.append(totals.map(\.incomplete))
        binds.append(totals.map { ByteBuffer(bytes: $0.histogram.encoded()) })
        try await connection.query(PostgresQuery(unsafeSQL: """
            INSERT INTO \(table) (trust, \(unit), site, kind, name, cohort, phase, ok, failures, incomplete, histogram)
            SELECT * FROM unnest($1::text[], $2::int8[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                 $8::int8[], $9::int8[], $10::int8[], $11::bytea[])
            ON CONFLICT (trust, \(unit), site, kind, name, cohort, phase) DO UPDATE
                SET ok = excluded.ok, failures = excluded.failures, incomplete = excluded.incomplete, histogram = excluded.histogram
            """, binds: binds), logger: logger)
    }

    private static func keyBindings(_ keys: [TimingKey]) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(keys.map(\.trust))
        binds.append(keys.map(\.unit))
        binds.append(keys.map(\.site))
        binds.append(keys.map(\.kind))
        binds.append(keys.map(\.name))
        binds.append(keys.map(\.cohort))
        binds.append(keys.map(\.phase))
        return binds
    }

    private struct ModelKey: Hashable {
        var trust: String, day: Int64, model: String, kind: String
    }

    private func foldModelDays(_ connection: PostgresConnection) async throws -> Int {
        let parts = try await connection.query("""
            DELETE FROM model_day_parts WHERE id IN (SELECT id FROM model_day_parts ORDER BY id LIMIT \(Int64(limit)))
            RETURNING trust, day, model, kind, ok, failures, histogram
            """, logger: logger)
        var sums: [ModelKey: Totals] = [:]
        var taken = 0
        for try await (trust, day, model, kind, ok, failures, histogram) in parts.decode((String, Int64, String, String, Int64, Int64, ByteBuffer).self) {
            taken += 1
            try sums[ModelKey(trust: trust, day: day, model: model, kind: kind), default: Totals()]
                .add(ok: ok, failures: failures, incomplete: 0, histogram: histogram)
        }
        guard taken > 0 else { return 0 }
        let keys = sums.keys.sorted { ($0.trust, $0.day, $0.model, $0.kind) < ($1.trust, $1.day, $1.model, $1.kind) }
        let stored = try await connection.query("""
            SELECT m.trust, m.day, m.model, m.kind, m.ok, m.failures, m.histogram
            FROM model_days m JOIN unnest(\(keys.map(\.trust))::text[], \(keys.map(\.day))::int8[], \(keys.map(\.model))::text[],
                                          \(keys.map(\.kind))::text[]) AS k(trust, day, model, kind)
              ON m.trust = k.trust AND m.day = k.day AND m.model = k.model AND m.kind = k.kind
            """, logger: logger)
        for try await (trust, day, model, kind, ok, failures, histogram) in stored.decode((String, Int64, String, String, Int64, Int64, ByteBuffer).self) {
            try sums[ModelKey(trust: trust, day: day, model: model, kind: kind)]?.add(ok: ok, failures: failures, incomplete: 0, histogram: histogram)
        }
        let totals = keys.map { sums[$0]! }
        try await connection.query("""
            INSERT INTO model_days (trust, day, model, kind, ok, failures, histogram)
            SELECT * FROM unnest(\(keys.map(\.trust))::text[], \(keys.map(\.day))::int8[], \(keys.map(\.model))::text[],
                                 \(keys.map(\.kind))::text[], \(totals.map(\.ok))::int8[], \(totals.map(\.failures))::int8[],
                                 \(totals.map { ByteBuffer(bytes: $0.histogram.encoded()) })::bytea[])
            ON CONFLICT (trust, day, model, kind) DO UPDATE
                SET ok = excluded.ok, failures = excluded.failures, histogram = excluded.histogram
            """, logger: logger)
        return taken
    }

    private func foldActivity(_ connection: PostgresConnection) async throws -> Int {
        let parts = try await connection.query("""
            DELETE FROM trust_activity_parts WHERE id IN (SELECT id FROM trust_activity_parts ORDER BY id LIMIT \(Int64(limit)))
            RETURNING trust, newest_started_at_ms, id
            """, logger: logger)
        var newest: [String: (started: Int64, id: Int64)] = [:]
        var taken = 0
        for try await (trust, started, id) in parts.decode((String, Int64, Int64).self) {
            taken += 1
            let known = newest[trust] ?? (started, id)
            newest[trust] = (max(known.started, started), max(known.id, id))
        }
        guard taken > 0 else { return 0 }
        let trusts = newest.keys.sorted()
        // The newest part id stays as the trust's data version once its part is gone (see migration 7).
        try await connection.query("""
            INSERT INTO trust_activity (trust, newest_started_at_ms, folded_part_id)
            SELECT * FROM unnest(\(trusts)::text[], \(trusts.map { newest[$0]?.started ?? 0 })::int8[],
                                 \(trusts.map { newest[$0]?.id ?? 0 })::int8[])
            ON CONFLICT (trust) DO UPDATE
                SET newest_started_at_ms = GREATEST(trust_activity.newest_started_at_ms, excluded.newest_started_at_ms),
                    folded_part_id = GREATEST(trust_activity.folded_part_id, excluded.folded_part_id)
            """, logger: logger)
        return taken
    }
}
