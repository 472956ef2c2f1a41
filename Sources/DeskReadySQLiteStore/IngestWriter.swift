import DeskReadyModel
import DeskReadyStore
import Foundation
import GRDB
internal import GRDBSQLite
import Synchronization

/// The collector's single writer with group commit: batches queue here, and one drain loop takes every batch waiting
/// (up to a bound) into one write transaction and acknowledges each only after the commit. A batch that fails fails
/// alone; the others commit (see `writeGroup`). Each batch is stored exactly as it
/// would be alone, in arrival order, so dedupe (of events and of batch ids, also between batches of the same
/// transaction) and partial-success acknowledgements are unchanged. Aggregates of the batches of one transaction are
/// merged in memory and written once at its end.
final class IngestWriter: Sendable {
    private struct Job: Sendable {
        let batch: PreparedBatch
        let continuation: CheckedContinuation<BatchAcknowledgement, any Error>
    }

    private struct Queue: Sendable {
        var jobs: [Job] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let queue = Mutex(Queue())
    /// Write transactions committed, and the batches they held (their ratio is the mean group size).
    let transactions = Atomic<Int>(0)
    let batches = Atomic<Int>(0)
    /// Bounds on one transaction.
    let maxBatchesPerTransaction: Int
    let maxEventsPerTransaction: Int

    init(pool: DatabasePool, maxBatchesPerTransaction: Int = 64, maxEventsPerTransaction: Int = 32_000) {
        self.pool = pool
        self.maxBatchesPerTransaction = maxBatchesPerTransaction
        self.maxEventsPerTransaction = maxEventsPerTransaction
    }

    func submit(_ batch: PreparedBatch) async throws -> BatchAcknowledgement {
        try await withCheckedThrowingContinuation { continuation in
            let startDrain = queue.withLock { queue in
                queue.jobs.append(Job(batch: batch, continuation: continuation))
                if queue.draining { return false }
                queue.draining = true
                return true
            }
            if startDrain { Task { await self.drain() } }
        }
    }

    private func drain() async {
        var lastGroup = 0
        while true {
            if lastGroup >= 2 { await gatherGroup() }
            let jobs: [Job] = queue.withLock { queue in
                guard !queue.jobs.isEmpty else {
                    queue.draining = false
                    return []
                }
                var taken = 0
                var events = 0
                while taken < queue.jobs.count, taken < maxBatchesPerTransaction {
                    events += queue.jobs[taken].batch.rows.count
                    taken += 1
                    if events >= maxEventsPerTransaction { break }
                }
                let jobs = Array(queue.jobs.prefix(taken))
                queue.jobs.removeFirst(taken)
                return jobs
            }
            if jobs.isEmpty { return }
            lastGroup = jobs.count
            do {
                let results = try await Self.writeGroup(jobs.map(\.batch), pool)
                transactions.add(1, ordering: .relaxed)
                batches.add(jobs.count, ordering: .relaxed)
                for (job, result) in zip(jobs, results) { job.continuation.resume(with: result) }
            } catch {
                for job in jobs { job.continuation.resume(throwing: error) }
            }
        }
    }

    /// Under load (the last transaction held several batches), waits a moment before the next transaction while
    /// batches keep arriving: the senders just acknowledged are already sending their next batch, and a transaction
    /// twice as large writes each hot page once instead of twice (PostgreSQL's `commit_delay`, for the same reason).
    /// Stops as soon as no batch arrived for `quietMicroseconds`, the group is full, or `maxWaitMicroseconds` passed,
    /// so a lone sender never waits.
    private func gatherGroup() async {
        let started = ContinuousClock.now
        var seen = queue.withLock { $0.jobs.count }
        var quietSince = started
        while seen < maxBatchesPerTransaction {
            try? await Task.sleep(for: .microseconds(250))
            let now = ContinuousClock.now
            let count = queue.withLock { $0.jobs.count }
            if count > seen {
                seen = count
                quietSince = now
            } else if now - quietSince >= .microseconds(Self.quietMicroseconds) {
                return
            }
            if now - started >= .microseconds(Self.maxWaitMicroseconds) { return }
        }
    }

    static let quietMicroseconds = 4_000
    static let maxWaitMicroseconds = 12_000

    /// Stores a group of batches in one write transaction. Optimistically first, without a savepoint per batch
    /// (each savepoint journals every page its batch touches, the hot ones again and again); if any batch fails,
    /// that transaction is rolled back whole and the group is written again with a savepoint per batch, so only the
    /// failing batch fails. A single batch needs no savepoint: its transaction is its own.
    static func writeGroup(_ batches: [PreparedBatch], _ pool: DatabasePool) async throws -> [Result<BatchAcknowledgement, any Error>] {
        do {
            return try await pool.write { db in try write(batches, db, isolated: false) }
        } catch where batches.count > 1 {
            return try await pool.write { db in try write(batches, db, isolated: true) }
        }
    }

    /// Stores the batches in the caller's write transaction and returns each one's outcome. With `isolated`, each
    /// batch is in a savepoint and a failing batch fails alone; without, the first failure is thrown.
    static func write(_ batches: [PreparedBatch], _ db: Database, isolated: Bool = true) throws -> [Result<BatchAcknowledgement, any Error>] {
        var pending: [String: AggregateDelta] = [:]
        var results: [Result<BatchAcknowledgement, any Error>] = []
        results.reserveCapacity(batches.count)
        for batch in batches {
            // The model lookup must see the inventories of earlier batches in this transaction.
            if pending[batch.trust]?.facts[batch.deviceId] != nil, let delta = pending.removeValue(forKey: batch.trust) {
                try SQLiteAggregateWriter.apply(delta, trust: batch.trust, db)
            }
            var delta = AggregateDelta()
            if isolated {
                do {
                    var acknowledgement: BatchAcknowledgement?
                    try db.inSavepoint {
                        let stored = try store(batch, db)
                        (acknowledgement, delta) = (stored.0, stored.1)
                        return .commit
                    }
                    guard let acknowledgement else { throw StoreError("the batch's savepoint committed without an acknowledgement") }
                    results.append(.success(acknowledgement))
                } catch {
                    results.append(.failure(error))
                    continue
                }
            } else {
                let acknowledgement: BatchAcknowledgement
                (acknowledgement, delta) = try store(batch, db)
                results.append(.success(acknowledgement))
            }
            pending[batch.trust, default: AggregateDelta()].merge(delta)
        }
        for (trust, delta) in pending where !delta.isEmpty {
            try SQLiteAggregateWriter.apply(delta, trust: trust, db)
        }
        return results
    }

    /// One batch: its device, its new events (duplicates skipped), its batch record. Returns the acknowledgement and
    /// the aggregates of the events actually inserted.
    static func store(_ batch: PreparedBatch, _ db: Database) throws -> (BatchAcknowledgement, AggregateDelta) {
        let batchBlob = batch.batchId.blob
        // Statements of every batch are cached: the writer is the one serial resource.
        let duplicateBatch = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT 1 FROM batches WHERE trust = ? AND batch_id = ?"), arguments: [batch.trust, batchBlob]) ?? false
        try db.cachedStatement(sql: """
            INSERT INTO devices (trust, device_id, site, first_seen_ms, last_seen_ms, agent_version) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(trust, device_id) DO UPDATE SET site = excluded.site, last_seen_ms = excluded.last_seen_ms,
                agent_version = COALESCE(excluded.agent_version, devices.agent_version)
            """).execute(arguments: [batch.trust, batch.deviceId, batch.site, batch.receivedAtMs, batch.receivedAtMs, batch.agentVersion])
        let insert = try db.cachedStatement(sql: """
            INSERT INTO events (trust, site, device_id, event_id, batch_id, kind, name, started_at_ms, duration_ms,
                                outcome, user, phases, attributes, received_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(trust, event_id) DO NOTHING
            """)
        let model = try batch.inventoriedModel ?? SQLiteAggregateWriter.modelName(trust: batch.trust, deviceId: batch.deviceId, db)
        // Bound straight to the prepared statement: no StatementArguments boxing per row.
        let statement = insert.sqliteStatement
        let connection = db.sqliteConnection
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        let binder = Binder(statement: statement)
        // Values shared by every row are bound once; sqlite3_reset keeps bindings.
        binder.text(1, batch.trust)
        binder.text(2, batch.site)
        binder.text(3, batch.deviceId)
        binder.blob(5, batchBlob)
        sqlite3_bind_int64(statement, 14, batch.receivedAtMs)
        var inserted: [Bool]?
        var accepted = 0
        for (index, row) in batch.rows.enumerated() {
            let event = row.event
            withUnsafeBytes(of: event.id.uuid) { id in
                _ = sqlite3_bind_blob(statement, 4, id.baseAddress, Int32(id.count), SQLITE_TRANSIENT)
            }
            binder.text(6, event.kind.rawValue)
            binder.text(7, event.name)
            sqlite3_bind_int64(statement, 8, event.startedAtMs)
            sqlite3_bind_int64(statement, 9, event.durationMs)
            binder.text(10, event.outcome.rawValue)
            binder.text(11, event.user)
            binder.text(12, row.phases)
            binder.text(13, row.attributes)
            let code = sqlite3_step(statement)
            sqlite3_reset(statement)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)),
                                    sql: insert.sql)
            }
            if sqlite3_changes(connection) > 0 {
                accepted += 1
            } else {
                if inserted == nil { inserted = Array(repeating: true, count: batch.rows.count) }
                inserted?[index] = false
            }
        }
        sqlite3_clear_bindings(statement)
        var delta: AggregateDelta
        if let inserted {
            // Some rows were stored before: the aggregates count only those inserted now.
            delta = AggregateDelta()
            for (row, isNew) in zip(batch.rows, inserted) where isNew {
                delta.add(row.event, site: batch.site, deviceId: batch.deviceId, model: model)
            }
        } else {
            delta = batch.fullDelta
            delta.setModel(model)
        }
        if !duplicateBatch {
            try db.cachedStatement(sql: """
                INSERT INTO batches (trust, batch_id, device_id, received_at_ms, sent_at_ms, event_count, accepted)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [batch.trust, batchBlob, batch.deviceId, batch.receivedAtMs, batch.sentAtMs, batch.eventCount, accepted])
        }
        let acknowledgement = BatchAcknowledgement(
            batchId: batch.batchId, accepted: accepted, duplicates: batch.rows.count - accepted,
            rejected: batch.rejected, duplicateBatch: duplicateBatch)
        return (acknowledgement, delta)
    }
}

/// SQLite copies the bytes of transient bindings at once.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// Binds values straight to a prepared statement (one-based indexes), without `StatementArguments`.
struct Binder {
    let statement: OpaquePointer

    @inline(__always) func int(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    @inline(__always) func bytes(_ index: Int32, _ value: [UInt8]) {
        value.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(statement, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), SQLITE_TRANSIENT)
        }
    }

    /// Runs the bound statement to completion, resets it and clears its bindings.
    func run(_ db: Database, sql: @autoclosure () -> String) throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql())
        }
    }

    @inline(__always) func text(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(statement, index)
            return
        }
        value.withUTF8 { bytes in
            if bytes.isEmpty {
                _ = sqlite3_bind_text(statement, index, "", 0, SQLITE_TRANSIENT)
            } else {
                _ = bytes.withMemoryRebound(to: CChar.self) { chars in
                    sqlite3_bind_text(statement, index, chars.baseAddress, Int32(chars.count), SQLITE_TRANSIENT)
                }
            }
        }
    }

    @inline(__always) func blob(_ index: Int32, _ value: Data) {
        value.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(statement, index, bytes.baseAddress, Int32(bytes.count), SQLITE_TRANSIENT)
        }
    }
}

extension SQLiteMeasurementStore: WriterStatistics {
    /// Ingest write transactions committed and the batches they held, since this store was opened.
    public var groupCommitCounts: (transactions: Int, batches: Int) {
        (writer.transactions.load(ordering: .relaxed), writer.batches.load(ordering: .relaxed))
    }

    /// Stores validated batches in one write transaction through the ingest writer's own path (savepoints, dedupe,
    /// aggregates), without HTTP or JSON: for loading a large database fast (`deskready bench ingest --grow-to`).
    public func bulkLoad(_ batches: [ValidatedBatch]) async throws -> [BatchAcknowledgement] {
        try await bulkLoad(BulkLoadGroup(batches))
    }

    /// As `bulkLoad(_:)` with the batches already prepared, so that only the write transaction is timed: what the
    /// ingest writer itself does for a group commit of these batches.
    public func bulkLoad(_ group: BulkLoadGroup) async throws -> [BatchAcknowledgement] {
        let results = try await IngestWriter.writeGroup(group.prepared, pool)
        return try results.map { try $0.get() }
    }
}

/// Batches prepared for one write transaction (JSON columns and aggregate deltas made), as the HTTP path prepares
/// them before they reach the ingest writer.
public struct BulkLoadGroup: Sendable {
    let prepared: [PreparedBatch]

    public init(_ batches: [ValidatedBatch]) {
        prepared = batches.map(PreparedBatch.init)
    }
}
