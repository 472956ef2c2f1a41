import DeskReadyModel
import DeskReadyStore
import PostgresNIO

/// Ingest: one transaction per batch, exactly once per (trust, event id) and per (trust, batch id), however many
/// collectors receive the batch at once.
extension PostgresMeasurementStore {
    /// The batch record is claimed first (`ON CONFLICT DO NOTHING`): a second delivery of the same batch, on this
    /// collector or another, waits for the first to commit, then finds the batch and its events stored and answers as
    /// a duplicate. Events go in one `UNNEST` insert in event-id order (concurrent batches sharing ids lock them in one
    /// order, so they never deadlock), and their aggregates are appended as partial rows, never updated in place. A
    /// device's site and last-seen time are those of its latest batch by arrival, whichever collector stores last.
    public func ingest(_ validated: ValidatedBatch) async throws -> BatchAcknowledgement {
        let batch = PreparedBatch(validated)
        try StorableText.check(batch)
        return try await transaction { connection in try await Self.store(batch, connection, logger: logger) }
    }

    static func store(_ batch: PreparedBatch, _ connection: PostgresConnection, logger: Logger) async throws -> BatchAcknowledgement {
        // One statement claims the batch (first), upserts the device (second), and reads the device's model.
        let head = try await connection.query("""
            WITH claim AS (
                INSERT INTO batches (trust, batch_id, device_id, received_at_ms, sent_at_ms, event_count, accepted)
                VALUES (\(batch.trust), \(batch.batchId), \(batch.deviceId), \(batch.receivedAtMs), \(batch.sentAtMs), \(batch.eventCount), 0)
                ON CONFLICT (trust, batch_id) DO NOTHING RETURNING 1
            ), device AS (
                INSERT INTO devices (trust, device_id, site, first_seen_ms, last_seen_ms, agent_version)
                VALUES (\(batch.trust), \(batch.deviceId), \(batch.site), \(batch.receivedAtMs), \(batch.receivedAtMs), \(batch.agentVersion))
                ON CONFLICT (trust, device_id) DO UPDATE
                    SET site = CASE WHEN excluded.last_seen_ms >= devices.last_seen_ms THEN excluded.site ELSE devices.site END,
                        agent_version = CASE WHEN excluded.last_seen_ms >= devices.last_seen_ms
                                             THEN COALESCE(excluded.agent_version, devices.agent_version)
                                             ELSE COALESCE(devices.agent_version, excluded.agent_version) END,
                        last_seen_ms = GREATEST(devices.last_seen_ms, excluded.last_seen_ms)
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM claim), (SELECT count(*) FROM device), f.vendor, f.model
            FROM (SELECT 1) AS one LEFT JOIN device_facts f ON f.trust = \(batch.trust) AND f.device_id = \(batch.deviceId)
            """, logger: logger)
        var duplicateBatch = true
        var storedModel = DeviceFacts.modelName(vendor: nil, model: nil)
        for try await (claims, _, vendor, modelName) in head.decode((Int64, Int64, String?, String?).self) {
            duplicateBatch = claims == 0
            storedModel = DeviceFacts.modelName(vendor: vendor, model: modelName)
        }
        let model = batch.inventoriedModel ?? storedModel
        let inserted = try await insertEvents(batch, connection, logger: logger)
        let accepted = inserted.filter { $0 }.count
        var delta: AggregateDelta
        if accepted == batch.rows.count {
            delta = batch.fullDelta
            delta.setModel(model)
        } else {
            // Some rows were stored before: the aggregates count only those inserted now.
            delta = AggregateDelta()
            for (row, isNew) in zip(batch.rows, inserted) where isNew {
                delta.add(row.event, site: batch.site, deviceId: batch.deviceId, model: model)
            }
        }
        try await PostgresAggregateAppender.append(delta, trust: batch.trust, batchId: batch.batchId,
                                                   accepted: duplicateBatch ? nil : accepted, connection, logger: logger)
        return BatchAcknowledgement(batchId: batch.batchId, accepted: accepted, duplicates: batch.rows.count - accepted,
                                    rejected: batch.rejected, duplicateBatch: duplicateBatch)
    }

    /// Inserts the rows not stored yet and says, per row in batch order, whether it was inserted now (a repeated id
    /// within the batch counts once, at its first row, as SQLite's row-by-row insert does).
    private static func insertEvents(_ batch: PreparedBatch, _ connection: PostgresConnection, logger: Logger) async throws -> [Bool] {
        guard !batch.rows.isEmpty else { return [] }
        // Event-id order (ties in batch order, so the first of a repeated id is the one stored). The key is made once
        // per row: comparing `uuidString`s made two strings per comparison, about nine thousand per 500-event batch.
        let keys = batch.rows.map(\.event.id.orderKey)
        let order = batch.rows.indices.sorted { a, b in keys[a] == keys[b] ? a < b : keys[a] < keys[b] }
        let rows = order.map { batch.rows[$0] }
        let ids = rows.map(\.event.id)
        let kinds = rows.map(\.event.kind.rawValue)
        let names = rows.map(\.event.name)
        let starts = rows.map(\.event.startedAtMs)
        let durations = rows.map(\.event.durationMs)
        let outcomes = rows.map(\.event.outcome.rawValue)
        let users = rows.map { $0.event.user ?? "" }
        let noUser = rows.map { $0.event.user == nil }
        let phases = rows.map { $0.phases ?? "" }
        let noPhases = rows.map { $0.phases == nil }
        let attributes = rows.map { $0.attributes ?? "" }
        let noAttributes = rows.map { $0.attributes == nil }
        let stored = try await connection.query("""
            INSERT INTO events (trust, event_id, site, device_id, batch_id, kind, name, started_at_ms, duration_ms, outcome,
                                "user", phases, attributes, received_at_ms)
            SELECT \(batch.trust), e.id, \(batch.site), \(batch.deviceId), \(batch.batchId), e.kind, e.name, e.started, e.duration,
                   e.outcome, CASE WHEN e.no_user THEN NULL ELSE e.usr END, CASE WHEN e.no_phases THEN NULL ELSE e.phases END,
                   CASE WHEN e.no_attributes THEN NULL ELSE e.attributes END, \(batch.receivedAtMs)
            FROM unnest(\(ids)::uuid[], \(kinds)::text[], \(names)::text[], \(starts)::int8[], \(durations)::int8[],
                        \(outcomes)::text[], \(users)::text[], \(noUser)::bool[], \(phases)::text[], \(noPhases)::bool[],
                        \(attributes)::text[], \(noAttributes)::bool[])
                 WITH ORDINALITY AS e(id, kind, name, started, duration, outcome, usr, no_user, phases, no_phases,
                                      attributes, no_attributes, position)
            ORDER BY e.position
            ON CONFLICT (trust, event_id) DO NOTHING
            RETURNING event_id
            """, logger: logger)
        var new = Set<UUID>()
        for try await id in stored.decode(UUID.self) { new.insert(id) }
        var inserted = [Bool](repeating: false, count: batch.rows.count)
        for (index, row) in batch.rows.enumerated() where new.remove(row.event.id) != nil {
            inserted[index] = true
        }
        return inserted
    }
}

extension UUID {
    /// The id's 16 bytes as two big-endian integers: they order exactly as the id's text does (hex digits sort as
    /// their values) and as PostgreSQL orders `uuid`, so every collector locks a batch's rows in one order.
    var orderKey: OrderKey {
        withUnsafeBytes(of: uuid) { bytes in
            OrderKey(high: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).bigEndian,
                     low: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).bigEndian)
        }
    }

    /// See `orderKey`.
    struct OrderKey: Comparable {
        var high: UInt64
        var low: UInt64

        static func < (a: OrderKey, b: OrderKey) -> Bool { (a.high, a.low) < (b.high, b.low) }
    }
}
