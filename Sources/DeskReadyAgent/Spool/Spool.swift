import DeskReadyModel

/// The agent's durable, on-disk queue (SQLite, WAL). An event is committed here before anyone is told it was
/// recorded, and leaves only when the collector acknowledged the batch that carried it.
public final class Spool {
    let db: SQLiteConnection
    let clock: any AgentClock
    /// Made on first use: `mark` writes no events and should not pay for an encoder.
    private lazy var encoder = WireCoding.encoder()

    public var path: String { db.path }

    public init(path: String, clock: any AgentClock = SystemClock()) throws {
        self.clock = clock
        db = try SQLiteConnection(path: path)
        var version: Int64 = 0
        try db.prepare("PRAGMA user_version").query { version = $0.int64(0) }
        if version < SpoolSchema.version { try migrate() }
    }

    /// Creates or upgrades the tables. The version is read again inside the transaction: the daemon and a PAM
    /// `mark` may open a new spool at the same moment, and only one of them may run each step.
    private func migrate() throws {
        try db.transaction {
            var version: Int64 = 0
            try db.prepare("PRAGMA user_version").query { version = $0.int64(0) }
            guard version < SpoolSchema.version else { return }
            if version < 1 {
                try db.execute(SpoolSchema.create)
                version = 1
            }
            for step in SpoolSchema.steps.dropFirst(Int(version) - 1) {
                try db.execute(step.replacing("$NOW", with: String(clock.nowMs())))
            }
            try db.execute("PRAGMA user_version = \(SpoolSchema.version)")
        }
    }

    // MARK: - Writing

    /// Commits one event to disk. When this returns, the event survives a crash.
    public func append(_ event: MeasurementEvent) throws {
        try append(contentsOf: [event])
    }

    /// Commits events to disk in one transaction.
    public func append(contentsOf events: [MeasurementEvent]) throws {
        guard !events.isEmpty else { return }
        let now = clock.nowMs()
        try db.transaction { try insert(events, createdMs: now) }
    }

    private func insert(_ events: [MeasurementEvent], createdMs: Int64) throws {
        let statement = try db.prepare("INSERT INTO events (event_id, kind, created_ms, size, body) VALUES (?, ?, ?, ?, ?)")
        for event in events {
            let json = Array(try encoder.encode(event))
            try statement.run([.blob(uuidBytes(event.id)), .text(event.kind.rawValue), .integer(createdMs), .integer(Int64(json.count)), .blob(json)])
        }
    }

    // MARK: - Batches

    /// The batch to send next: the one already in flight (same id, same events) or a new one of up to `maxEvents`
    /// events and about `maxBytes` bytes, whose id is committed before it is returned. Nil when the spool is empty.
    public func nextBatch(maxEvents: Int, maxBytes: Int) throws -> PendingBatch? {
        if let pending = try inFlightBatch() { return pending }
        try reportDrops()
        var firstSeq: Int64?
        var lastSeq: Int64 = 0
        var bytes = 0
        var count = 0
        var full = false
        try db.prepare("SELECT seq, size FROM events ORDER BY seq LIMIT ?").query([.integer(Int64(maxEvents))]) { row in
            let size = Int(row.int64(1))
            guard !full else { return }
            if count > 0 && bytes + size > maxBytes {
                full = true
                return
            }
            if firstSeq == nil { firstSeq = row.int64(0) }
            lastSeq = row.int64(0)
            bytes += size
            count += 1
        }
        guard let firstSeq else { return nil }
        let batchId = UUIDv7.make(unixMs: clock.nowMs())
        try db.prepare("INSERT INTO outbox (batch_id, first_seq, last_seq, created_ms) VALUES (?, ?, ?, ?)")
            .run([.text(batchId.uuidString), .integer(firstSeq), .integer(lastSeq), .integer(clock.nowMs())])
        return try inFlightBatch()
    }

    /// Whether a batch should be sent now: one is in flight, or `maxEvents` events or `maxBytes` bytes are waiting, or
    /// the oldest has waited since `waitingSinceMs`. Reads only the head of the queue, never the whole spool, as it
    /// runs before every send while a backlog drains.
    public func hasDueBatch(maxEvents: Int, maxBytes: Int, waitingSinceMs: Int64) throws -> Bool {
        var inFlight = false
        try db.prepare("SELECT 1 FROM outbox LIMIT 1").query { _ in inFlight = true }
        if inFlight { return true }
        var count = 0
        var bytes: Int64 = 0
        var oldest: Int64?
        try db.prepare("SELECT created_ms, size FROM events ORDER BY seq LIMIT ?").query([.integer(Int64(maxEvents))]) { row in
            if oldest == nil { oldest = row.int64(0) }
            count += 1
            bytes += row.int64(1)
        }
        guard let oldest else { return false }
        return count >= maxEvents || bytes >= Int64(maxBytes) || oldest <= waitingSinceMs
    }

    private func inFlightBatch() throws -> PendingBatch? {
        var header: (id: String, first: Int64, last: Int64, attempts: Int)?
        try db.prepare("SELECT batch_id, first_seq, last_seq, attempts FROM outbox ORDER BY first_seq LIMIT 1").query { row in
            header = (row.text(0) ?? "", row.int64(1), row.int64(2), Int(row.int64(3)))
        }
        guard let header, let batchId = UUID(uuidString: header.id) else { return nil }
        var events: [(id: UUID, json: [UInt8])] = []
        var oldest = Int64.max
        try db.prepare("SELECT event_id, body, created_ms FROM events WHERE seq BETWEEN ? AND ? ORDER BY seq")
            .query([.integer(header.first), .integer(header.last)]) { row in
                events.append((uuid(from: row.blob(0)), row.blob(1)))
                oldest = min(oldest, row.int64(2))
            }
        if events.isEmpty {
            // Every event of the batch was dropped by the spool bounds: nothing left to send.
            try db.prepare("DELETE FROM outbox WHERE batch_id = ?").run([.text(header.id)])
            return try nextBatchAfterEmptyOutbox()
        }
        return PendingBatch(batchId: batchId, firstSeq: header.first, lastSeq: header.last, events: events,
                            attempts: header.attempts, oldestCreatedMs: oldest)
    }

    private func nextBatchAfterEmptyOutbox() throws -> PendingBatch? {
        var remaining = 0
        try db.prepare("SELECT COUNT(*) FROM outbox").query { remaining = Int($0.int64(0)) }
        return remaining > 0 ? try inFlightBatch() : nil
    }

    /// Counts a failed attempt and remembers why, for `status`.
    public func recordFailure(_ batch: PendingBatch?, error: String) throws {
        try db.transaction {
            if let batch {
                try db.prepare("UPDATE outbox SET attempts = attempts + 1 WHERE batch_id = ?").run([.text(batch.batchId.uuidString)])
            }
            try setState(SpoolStateKey.lastError, error)
            try setState(SpoolStateKey.lastErrorMs, String(clock.nowMs()))
        }
    }

    /// The collector acknowledged the batch: its events leave the spool; those it refused one by one go to the
    /// dead-letter table with the collector's reason.
    public func acknowledge(_ batch: PendingBatch, rejected: [RejectedEvent]) throws {
        try db.transaction {
            let insert = try db.prepare("INSERT INTO dead_letter (batch_id, event_id, body, status, reason, created_ms) VALUES (?, ?, ?, 200, ?, ?)")
            for rejection in rejected where batch.events.indices.contains(rejection.index) {
                let event = batch.events[rejection.index]
                try insert.run([.text(batch.batchId.uuidString), .blob(uuidBytes(event.id)), .blob(event.json), .text(rejection.reason), .integer(clock.nowMs())])
            }
            try removeBatch(batch)
            try addToState(SpoolStateKey.rejectedTotal, Int64(rejected.count))
            try addToState(SpoolStateKey.uploadedTotal, Int64(batch.count - rejected.count))
            try setState(SpoolStateKey.lastUploadMs, String(clock.nowMs()))
            try db.prepare("DELETE FROM state WHERE key IN (?, ?)").run([.text(SpoolStateKey.lastError), .text(SpoolStateKey.lastErrorMs)])
        }
    }

    /// The collector refused the whole batch for good (400, 413, 422): it moves to the dead-letter table with the
    /// reason, so it never blocks the events behind it.
    public func deadLetter(_ batch: PendingBatch, status: Int, reason: String) throws {
        try db.transaction {
            let insert = try db.prepare("INSERT INTO dead_letter (batch_id, event_id, body, status, reason, created_ms) VALUES (?, ?, ?, ?, ?, ?)")
            for event in batch.events {
                try insert.run([.text(batch.batchId.uuidString), .blob(uuidBytes(event.id)), .blob(event.json), .integer(Int64(status)), .text(reason), .integer(clock.nowMs())])
            }
            try removeBatch(batch)
            try addToState(SpoolStateKey.rejectedTotal, Int64(batch.count))
            try setState(SpoolStateKey.lastError, "batch \(batch.batchId) refused by the collector (\(status)): \(reason)")
            try setState(SpoolStateKey.lastErrorMs, String(clock.nowMs()))
        }
    }

    private func removeBatch(_ batch: PendingBatch) throws {
        try db.prepare("DELETE FROM events WHERE seq BETWEEN ? AND ?").run([.integer(batch.firstSeq), .integer(batch.lastSeq)])
        try db.prepare("DELETE FROM outbox WHERE batch_id = ?").run([.text(batch.batchId.uuidString)])
    }

    // MARK: - Bounds

    /// Drops the oldest events beyond the size and age bounds. The drops are counted at once (see `status`) and
    /// reported to the collector as one `agent` event when the next batch is formed; those accounting events are
    /// never dropped themselves, so the count the collector sees is exact. Returns how many events were dropped.
    @discardableResult
    public func enforceBounds(maxBytes: Int64, maxAgeMs: Int64) throws -> Int {
        let now = clock.nowMs()
        return try db.transaction {
            let kept = EventKind.agent.rawValue
            var droppedForAge = 0
            var oldestDropped: Int64?
            try db.prepare("SELECT COUNT(*), MIN(created_ms) FROM events WHERE created_ms < ? AND kind <> ?")
                .query([.integer(now - maxAgeMs), .text(kept)]) { row in
                    droppedForAge = Int(row.int64(0))
                    if !row.isNull(1) { oldestDropped = row.int64(1) }
                }
            if droppedForAge > 0 {
                try db.prepare("DELETE FROM events WHERE created_ms < ? AND kind <> ?").run([.integer(now - maxAgeMs), .text(kept)])
            }
            var droppedForSize = 0
            var total: Int64 = 0
            try db.prepare("SELECT COALESCE(SUM(size), 0) FROM events").query { total = $0.int64(0) }
            if total > maxBytes {
                // Walk from the oldest event until enough bytes are freed.
                var excess = total - maxBytes
                var doomed: [Int64] = []
                try db.prepare("SELECT seq, size, created_ms FROM events WHERE kind <> ? ORDER BY seq").query([.text(kept)]) { row in
                    guard excess > 0 else { return }
                    doomed.append(row.int64(0))
                    excess -= row.int64(1)
                    if oldestDropped == nil { oldestDropped = row.int64(2) }
                }
                if let last = doomed.last {
                    try db.prepare("DELETE FROM events WHERE seq <= ? AND kind <> ?").run([.integer(last), .text(kept)])
                }
                droppedForSize = doomed.count
            }
            let dropped = droppedForAge + droppedForSize
            if dropped > 0 {
                try addToState(SpoolStateKey.droppedTotal, Int64(dropped))
                try addToState(SpoolStateKey.unreportedDroppedAge, Int64(droppedForAge))
                try addToState(SpoolStateKey.unreportedDroppedSize, Int64(droppedForSize))
                if let oldestDropped {
                    let previous = try state(SpoolStateKey.unreportedOldestDroppedMs).flatMap { Int64($0) } ?? .max
                    try setState(SpoolStateKey.unreportedOldestDroppedMs, String(min(previous, oldestDropped)))
                }
            }
            return dropped
        }
    }

    /// Turns the drops counted since the last report into one `agent` event, in the spool.
    private func reportDrops() throws {
        let forAge = try state(SpoolStateKey.unreportedDroppedAge).flatMap { Int64($0) } ?? 0
        let forSize = try state(SpoolStateKey.unreportedDroppedSize).flatMap { Int64($0) } ?? 0
        guard forAge + forSize > 0 else { return }
        let now = clock.nowMs()
        let oldest = try state(SpoolStateKey.unreportedOldestDroppedMs).flatMap { Int64($0) } ?? now
        var reasons: [String] = []
        if forAge > 0 { reasons.append("age") }
        if forSize > 0 { reasons.append("size") }
        let accounting = MeasurementEvent(
            id: UUIDv7.make(unixMs: now), kind: .agent, name: "spool_dropped", startedAtMs: now, durationMs: 0, outcome: .ok,
            attributes: [
                "dropped": String(forAge + forSize), "dropped_for_age": String(forAge), "dropped_for_size": String(forSize),
                "reason": reasons.joined(separator: "+"), "oldest_dropped_ms": String(oldest),
            ])
        try db.transaction {
            try insert([accounting], createdMs: now)
            try db.prepare("DELETE FROM state WHERE key IN (?, ?, ?)").run([
                .text(SpoolStateKey.unreportedDroppedAge), .text(SpoolStateKey.unreportedDroppedSize), .text(SpoolStateKey.unreportedOldestDroppedMs),
            ])
        }
    }

    // MARK: - Logon marks

    /// Commits a timing mark (from PAM or the desktop autostart).
    public func recordMark(_ mark: LogonMark) throws {
        try db.prepare("INSERT INTO marks (name, session, user, session_type, wall_ms, mono_ms, boot_id, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .run([.text(mark.name), mark.session.map(SQLiteValue.text) ?? .null, mark.user.map(SQLiteValue.text) ?? .null,
                  mark.sessionType.map(SQLiteValue.text) ?? .null,
                  .integer(mark.wallMs), .integer(mark.monotonicMs), .text(mark.bootId),
                  MarkAttributesText.encode(mark.attributes).map(SQLiteValue.text) ?? .null])
    }

    /// Every mark not yet joined into a logon, oldest first.
    public func openMarks() throws -> [LogonMark] {
        var marks: [LogonMark] = []
        try db.prepare("SELECT id, name, session, user, session_type, wall_ms, mono_ms, boot_id, attributes FROM marks ORDER BY id").query { row in
            marks.append(LogonMark(id: row.int64(0), name: row.text(1) ?? "", session: row.text(2), user: row.text(3),
                                   sessionType: row.text(4), wallMs: row.int64(5), monotonicMs: row.int64(6), bootId: row.text(7) ?? "",
                                   attributes: MarkAttributesText.decode(row.text(8))))
        }
        return marks
    }

    /// Adds attributes to a mark already recorded (a decision about it, such as the responsive rule that gave up
    /// waiting), so they survive a restart of the daemon. A mark already joined into a logon is left alone.
    public func annotateMark(id: Int64, with attributes: [String: String]) throws {
        guard !attributes.isEmpty else { return }
        try db.transaction {
            var current: [String: String]?
            try db.prepare("SELECT attributes FROM marks WHERE id = ?").query([.integer(id)]) { current = MarkAttributesText.decode($0.text(0)) }
            guard let current else { return }
            let merged = current.merging(attributes) { _, new in new }
            try db.prepare("UPDATE marks SET attributes = ? WHERE id = ?")
                .run([MarkAttributesText.encode(merged).map(SQLiteValue.text) ?? .null, .integer(id)])
        }
    }

    /// Stores the logon events built from marks and removes those marks, in one transaction. With `flagging`, the
    /// same transaction sets `first_logon` and `after_upgrade` and records the logons' users and system (see
    /// `LogonFlagRule`). Local facts (attributes starting with `_`) never leave the device: they are removed here.
    public func completeLogons(_ events: [MeasurementEvent], consumedMarkIDs: [Int64], flagging: LogonFlagging? = nil) throws {
        guard !events.isEmpty || !consumedMarkIDs.isEmpty else { return }
        let now = clock.nowMs()
        try db.transaction {
            let flagged = try flagging.map { try flagLogons(events, $0) } ?? events
            try insert(flagged.map(Self.withoutLocalFacts), createdMs: now)
            let delete = try db.prepare("DELETE FROM marks WHERE id = ?")
            for id in consumedMarkIDs { try delete.run([.integer(id)]) }
        }
    }

    static func withoutLocalFacts(_ event: MeasurementEvent) -> MeasurementEvent {
        guard let attributes = event.attributes, attributes.keys.contains(where: LocalFact.isLocal) else { return event }
        var event = event
        event.attributes = attributes.filter { !LocalFact.isLocal($0.key) }
        return event
    }

    // MARK: - State and status

    public func state(_ key: String) throws -> String? {
        var value: String?
        try db.prepare("SELECT value FROM state WHERE key = ?").query([.text(key)]) { value = $0.text(0) }
        return value
    }

    public func setState(_ key: String, _ value: String) throws {
        try db.prepare("INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .run([.text(key), .text(value)])
    }

    public func removeState(_ key: String) throws {
        try db.prepare("DELETE FROM state WHERE key = ?").run([.text(key)])
    }

    private func addToState(_ key: String, _ amount: Int64) throws {
        guard amount != 0 else { return }
        let current = Int64(try state(key) ?? "0") ?? 0
        try setState(key, String(current + amount))
    }

    public func status() throws -> SpoolStatus {
        var status = SpoolStatus(depth: 0, bytes: 0, oldestCreatedMs: nil, pendingBatchId: nil, pendingAttempts: 0,
                                 lastUploadMs: nil, lastError: nil, lastErrorMs: nil, droppedTotal: 0, rejectedTotal: 0,
                                 uploadedTotal: 0, deadLetters: 0, openMarks: 0)
        try db.prepare("SELECT COUNT(*), COALESCE(SUM(size), 0), MIN(created_ms) FROM events").query { row in
            status.depth = Int(row.int64(0))
            status.bytes = row.int64(1)
            status.oldestCreatedMs = row.isNull(2) ? nil : row.int64(2)
        }
        try db.prepare("SELECT batch_id, attempts FROM outbox ORDER BY first_seq LIMIT 1").query { row in
            status.pendingBatchId = row.text(0)
            status.pendingAttempts = Int(row.int64(1))
        }
        try db.prepare("SELECT COUNT(*) FROM dead_letter").query { status.deadLetters = Int($0.int64(0)) }
        try db.prepare("SELECT COUNT(*) FROM marks").query { status.openMarks = Int($0.int64(0)) }
        status.lastUploadMs = try state(SpoolStateKey.lastUploadMs).flatMap { Int64($0) }
        status.lastError = try state(SpoolStateKey.lastError)
        status.lastErrorMs = try state(SpoolStateKey.lastErrorMs).flatMap { Int64($0) }
        status.droppedTotal = try state(SpoolStateKey.droppedTotal).flatMap { Int64($0) } ?? 0
        status.rejectedTotal = try state(SpoolStateKey.rejectedTotal).flatMap { Int64($0) } ?? 0
        status.uploadedTotal = try state(SpoolStateKey.uploadedTotal).flatMap { Int64($0) } ?? 0
        return status
    }

    /// Dead-lettered events with the collector's reasons, newest first.
    public func deadLetters(limit: Int = 50) throws -> [(batchId: String, status: Int, reason: String)] {
        var rows: [(String, Int, String)] = []
        try db.prepare("SELECT batch_id, status, reason FROM dead_letter ORDER BY id DESC LIMIT ?").query([.integer(Int64(limit))]) { row in
            rows.append((row.text(0) ?? "", Int(row.int64(1)), row.text(2) ?? ""))
        }
        return rows.map { (batchId: $0.0, status: $0.1, reason: $0.2) }
    }
}

func uuidBytes(_ id: UUID) -> [UInt8] {
    withUnsafeBytes(of: id.uuid) { Array($0) }
}

func uuid(from bytes: [UInt8]) -> UUID {
    guard bytes.count == 16 else { return UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) }
    return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                       bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
}
