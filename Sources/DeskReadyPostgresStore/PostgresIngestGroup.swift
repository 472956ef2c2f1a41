import DeskReadyModel
import DeskReadyStore
import PostgresNIO

/// One transaction's batches (at most one per device and per batch id, see `PostgresIngestQueue`), stored in three
/// statements whatever their number: the claim of every batch record with its device, one insert of every event, and
/// one append of the aggregates.
///
/// Every transaction takes its row locks in one order, the same in every collector: batch records by (trust, batch
/// id), devices by (trust, device id), events by (trust, event id); then the append statement's parts, which
/// PostgreSQL runs main query first and the `WITH` statements nobody reads last to first: the claimed batch records
/// (this transaction's own), device facts by (trust, device id), device days by (trust, day, device id), and the
/// partial aggregate rows (inserts that lock no shared key). Transactions that share rows therefore wait for each
/// other instead of deadlocking.
///
/// Each batch is stored as if alone: a batch record already claimed (by an earlier delivery, on any collector) makes
/// the batch a duplicate; an event id stored before, or earlier in the group, is a duplicate of that event; the
/// aggregates count only events inserted now, under the device's model as stored before the group (one batch per
/// device, so no batch of the group changes another's model).
struct PostgresIngestGroup {
    let batches: [PreparedBatch]
    /// Whether some events may have been stored before (then they are inserted skipping those stored).
    let eventsMayBeStored: Bool
    /// Each batch's trust as its rank among the group's trusts in byte order (as PostgreSQL's `COLLATE "C"` compares).
    private let trustRanks: [Int]

    init(_ batches: [PreparedBatch], eventsMayBeStored: Bool = false) {
        self.batches = batches
        self.eventsMayBeStored = eventsMayBeStored
        let trusts = Set(batches.map(\.trust)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let rankOf = Dictionary(uniqueKeysWithValues: trusts.enumerated().map { ($1, $0) })
        trustRanks = batches.map { rankOf[$0.trust] ?? 0 }
    }

    func store(_ connection: PostgresConnection, logger: Logger) async throws -> [BatchAcknowledgement] {
        let head = try await claim(connection, logger: logger)
        // A duplicate batch's events are stored already; otherwise a stored event is rare (a partial resend).
        let inserted = try await insertEvents(expectAllNew: !eventsMayBeStored && head.claimed.allSatisfy { $0 }, connection, logger: logger)
        var deltas: [String: AggregateDelta] = [:]
        var acceptedCounts: [PostgresAggregateAppender.AcceptedCount] = []
        var acknowledgements: [BatchAcknowledgement] = []
        acknowledgements.reserveCapacity(batches.count)
        for (index, batch) in batches.enumerated() {
            let isNew = inserted[index]
            let accepted = isNew.lazy.filter { $0 }.count
            let model = batch.inventoriedModel ?? head.storedModels[index]
            var delta: AggregateDelta
            if accepted == batch.rows.count {
                delta = batch.fullDelta
                delta.setModel(model)
            } else {
                // Some rows were stored before: the aggregates count only those inserted now.
                delta = AggregateDelta()
                for (row, new) in zip(batch.rows, isNew) where new {
                    delta.add(row.event, site: batch.site, deviceId: batch.deviceId, model: model)
                }
            }
            if deltas[batch.trust] == nil {
                deltas[batch.trust] = delta
            } else {
                deltas[batch.trust]?.merge(delta)
            }
            let duplicateBatch = !head.claimed[index]
            if !duplicateBatch {
                acceptedCounts.append(.init(trust: batch.trust, batchId: batch.batchId, accepted: Int64(accepted)))
            }
            acknowledgements.append(BatchAcknowledgement(batchId: batch.batchId, accepted: accepted, duplicates: batch.rows.count - accepted,
                                                         rejected: batch.rejected, duplicateBatch: duplicateBatch))
        }
        let ordered = deltas.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { (trust: $0.key, delta: $0.value) }
        try await PostgresAggregateAppender.append(ordered, accepted: acceptedCounts, connection, logger: logger)
        return acknowledgements
    }

    /// What the claim statement found, per batch in group order: whether this transaction claimed its record (false:
    /// a duplicate batch), and its device's stored model.
    private struct Head {
        var claimed: [Bool]
        var storedModels: [String]
    }

    /// One statement claims every batch record (first), upserts every device (after the main query, so second), and
    /// reads each device's stored model.
    private func claim(_ connection: PostgresConnection, logger: Logger) async throws -> Head {
        let byBatch = batches.indices.sorted { a, b in
            (trustRanks[a], batches[a].batchId.orderKey) < (trustRanks[b], batches[b].batchId.orderKey)
        }
        let byDevice = batches.indices.sorted { a, b in
            trustRanks[a] != trustRanks[b]
                ? trustRanks[a] < trustRanks[b]
                : batches[a].deviceId.utf8.lexicographicallyPrecedes(batches[b].deviceId.utf8)
        }
        let rows = try await connection.execute(ClaimBatchesStatement(BatchColumns(claims: byBatch.map { batches[$0] },
                                                                                devices: byDevice.map { batches[$0] })), logger: logger)
        var head = Head(claimed: Array(repeating: false, count: batches.count),
                        storedModels: Array(repeating: DeviceFacts.modelName(vendor: nil, model: nil), count: batches.count))
        var answered = 0
        for try await (position, claimed, vendor, model) in rows {
            guard let sorted = Int(exactly: position - 1), byBatch.indices.contains(sorted) else {
                throw StoreError("the claim statement answered for batch \(position) of \(byBatch.count)")
            }
            head.claimed[byBatch[sorted]] = claimed
            head.storedModels[byBatch[sorted]] = DeviceFacts.modelName(vendor: vendor, model: model)
            answered += 1
        }
        guard answered == batches.count else {
            throw StoreError("the claim statement answered for \(answered) of \(batches.count) batches; nothing was stored")
        }
        return head
    }

    /// Inserts the rows not stored yet and says, per batch and row in group order, whether it was inserted now (an
    /// id repeated within the group counts once, at its first row, as storing the batches one by one would).
    ///
    /// When no row can have been stored before (`expectAllNew`, and no id repeated within the group), the rows go in
    /// by `COPY` (see `EventCopyRows`); one stored before after all fails it and the writer stores the group again.
    private func insertEvents(expectAllNew: Bool, _ connection: PostgresConnection, logger: Logger) async throws -> [[Bool]] {
        let total = batches.reduce(0) { $0 + $1.rows.count }
        guard total > 0 else { return batches.map { _ in [] } }
        // (trust, event id) order, ties in group order, so the first of a repeated id is the one stored. The key is
        // made once per row: comparing `uuidString`s made two strings per comparison.
        var keys: [RowKey] = []
        keys.reserveCapacity(total)
        for (batchIndex, batch) in batches.enumerated() {
            let trust = trustRanks[batchIndex]
            for (rowIndex, row) in batch.rows.enumerated() {
                keys.append(RowKey(trust: trust, id: row.event.id.orderKey, batch: batchIndex, row: rowIndex))
            }
        }
        keys.sort()
        let repeated = keys.indices.dropFirst().contains { keys[$0 - 1].trust == keys[$0].trust && keys[$0 - 1].id == keys[$0].id }
        let allNew = batches.map { [Bool](repeating: true, count: $0.rows.count) }
        if expectAllNew && !repeated {
            var rows = EventCopyRows(batches: batches, capacity: total)
            for key in keys { rows.append(batches[key.batch].rows[key.row], batchIndex: key.batch) }
            let buffer = rows.buffer
            try await connection.copyFrom(table: "events", columns: EventCopyRows.columns, logger: logger) { writer in
                try await writer.write(buffer)
            }
            return allNew
        }
        var columns = EventColumns(capacity: total, batches: batches)
        for key in keys { columns.append(batches[key.batch].rows[key.row], batchPosition: key.batch) }
        var inserted = batches.map { [Bool](repeating: false, count: $0.rows.count) }
        for try await (count, trusts, storedIds) in try await connection.execute(InsertEventsSkippingStoredStatement(columns), logger: logger) {
            // Every row new: the common case answers with one number, not every id.
            if count == Int64(total) { return allNew }
            var new = Set<StoredEvent>()
            for (trust, id) in zip(trusts ?? [], storedIds ?? []) { new.insert(StoredEvent(trust: trust, id: id)) }
            for (batchIndex, batch) in batches.enumerated() {
                for (rowIndex, row) in batch.rows.enumerated() where new.remove(StoredEvent(trust: batch.trust, id: row.event.id)) != nil {
                    inserted[batchIndex][rowIndex] = true
                }
            }
        }
        return inserted
    }

    /// A row's place in the insert order.
    private struct RowKey: Comparable {
        let trust: Int
        let id: UUID.OrderKey
        let batch: Int
        let row: Int

        static func < (a: RowKey, b: RowKey) -> Bool {
            if a.trust != b.trust { return a.trust < b.trust }
            if a.id != b.id { return a.id < b.id }
            return (a.batch, a.row) < (b.batch, b.row)
        }
    }

    private struct StoredEvent: Hashable {
        let trust: String
        let id: UUID
    }
}
