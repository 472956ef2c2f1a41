import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Synchronization
import Testing

/// A clock tests move by hand.
final class ManualClock: AgentClock {
    let now: Mutex<Int64>
    init(_ start: Int64 = 1_790_000_000_000) { now = Mutex(start) }
    func nowMs() -> Int64 { now.withLock { $0 } }
    func monotonicMs() -> Int64 { now.withLock { $0 } - 1_789_000_000_000 }
    func advance(_ ms: Int64) { now.withLock { $0 += ms } }
}

@Suite("Spool")
struct SpoolTests {
    func event(_ i: Int, at ms: Int64 = 1_790_000_000_000) -> MeasurementEvent {
        MeasurementEvent(kind: .appStart, name: "app\(i)", startedAtMs: ms, durationMs: Int64(i))
    }

    @Test("Events survive reopening, and a batch keeps its id until acknowledged")
    func batchIdSurvivesRestart() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("spool.sqlite")
        let first: PendingBatch
        do {
            let spool = try Spool(path: path)
            try spool.append(contentsOf: (0..<5).map { event($0) })
            first = try #require(try spool.nextBatch(maxEvents: 3, maxBytes: 1 << 20))
            #expect(first.count == 3)
        }
        // A new process (the agent restarted after a crash) sees the same batch with the same id.
        let reopened = try Spool(path: path)
        let again = try #require(try reopened.nextBatch(maxEvents: 3, maxBytes: 1 << 20))
        #expect(again.batchId == first.batchId)
        #expect(again.events.map(\.id) == first.events.map(\.id))
        try reopened.acknowledge(again, rejected: [])
        let rest = try #require(try reopened.nextBatch(maxEvents: 10, maxBytes: 1 << 20))
        #expect(rest.batchId != first.batchId)
        #expect(rest.count == 2)
        try reopened.acknowledge(rest, rejected: [])
        #expect(try reopened.nextBatch(maxEvents: 10, maxBytes: 1 << 20) == nil)
        #expect(try reopened.status().uploadedTotal == 5)
    }

    @Test("Batches close on bytes, keeping events in order")
    func byteBound() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let spool = try Spool(path: dir.file("spool.sqlite"))
        try spool.append(contentsOf: (0..<10).map { event($0) })
        let size = try #require(try spool.nextBatch(maxEvents: 1, maxBytes: 1 << 20)).events[0].json.count
        try spool.acknowledge(try #require(try spool.nextBatch(maxEvents: 1, maxBytes: 1 << 20)), rejected: [])
        let batch = try #require(try spool.nextBatch(maxEvents: 100, maxBytes: size * 3 + 1))
        #expect(batch.count == 3)
        let body = String(decoding: batch.body(device: .init(id: "d", trust: "RXX", site: "RXX01"), sentAtMs: 5), as: UTF8.self)
        let decoded = try WireCoding.decoder().decode(Batch.self, from: Data(body.utf8))
        #expect(decoded.events.map(\.name) == ["app1", "app2", "app3"])
        #expect(decoded.batchId == batch.batchId)
    }

    @Test("Rejected events and refused batches go to the dead-letter table with the reason")
    func deadLetters() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let spool = try Spool(path: dir.file("spool.sqlite"))
        try spool.append(contentsOf: (0..<4).map { event($0) })
        let batch = try #require(try spool.nextBatch(maxEvents: 2, maxBytes: 1 << 20))
        try spool.acknowledge(batch, rejected: [RejectedEvent(index: 1, eventId: batch.events[1].id, reason: "bad name")])
        let next = try #require(try spool.nextBatch(maxEvents: 2, maxBytes: 1 << 20))
        try spool.deadLetter(next, status: 400, reason: "schema")
        let status = try spool.status()
        #expect(status.depth == 0)
        #expect(status.rejectedTotal == 3)
        #expect(status.deadLetters == 3)
        #expect(status.uploadedTotal == 1)
        #expect(try spool.deadLetters().map(\.reason).sorted() == ["bad name", "schema", "schema"])
    }

    @Test("A week of outage: age and size bounds drop the oldest events and account for them exactly")
    func boundsAccounting() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let spool = try Spool(path: dir.file("spool.sqlite"), clock: clock)
        // One event an hour for seven days, with the collector down throughout.
        for hour in 0..<(7 * 24) {
            try spool.append(event(hour, at: clock.nowMs()))
            clock.advance(3_600_000)
            try spool.enforceBounds(maxBytes: 1 << 30, maxAgeMs: 3 * 86_400_000)
        }
        let status = try spool.status()
        // Events older than three days were dropped; each drop was recorded by an agent event.
        let agentEvents = try drainAll(spool).filter { $0.kind == .agent }
        let dropped = agentEvents.compactMap { Int($0.attributes?["dropped"] ?? "") }.reduce(0, +)
        #expect(Int64(dropped) == status.droppedTotal)
        #expect(status.droppedTotal == Int64(7 * 24 - 3 * 24))
        #expect(agentEvents.allSatisfy { $0.name == "spool_dropped" && $0.attributes?["reason"] == "age" })
    }

    @Test("The size bound drops the oldest events first")
    func sizeBound() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let spool = try Spool(path: dir.file("spool.sqlite"))
        try spool.append(contentsOf: (0..<100).map { event($0) })
        let before = try spool.status()
        let dropped = try spool.enforceBounds(maxBytes: before.bytes / 2, maxAgeMs: 86_400_000 * 365)
        #expect(dropped >= 50)
        let remaining = try drainAll(spool)
        let names = remaining.filter { $0.kind == .appStart }.map(\.name)
        #expect(names.first == "app\(dropped)")
        #expect(names.last == "app99")
        #expect(remaining.last?.kind == .agent)
        #expect(remaining.last?.attributes?["reason"] == "size")
    }

    func drainAll(_ spool: Spool) throws -> [MeasurementEvent] {
        var all: [MeasurementEvent] = []
        while let batch = try spool.nextBatch(maxEvents: 1000, maxBytes: 1 << 24) {
            all += try batch.events.map { try WireCoding.decoder().decode(MeasurementEvent.self, from: Data($0.json)) }
            try spool.acknowledge(batch, rejected: [])
        }
        return all
    }

    @Test("An unwritable spool fails with a message that says what to fix")
    func unwritable() throws {
        do {
            _ = try Spool(path: "/proc/deskready-cannot-exist/spool.sqlite")
            Issue.record("opening should fail")
        } catch let error as SpoolError {
            #expect(error.message.contains("cannot open the spool"))
            #expect(error.message.contains("writable"))
        }
    }
}

@Suite("When a batch is due")
struct BatchDueTests {
    @Test("Due on count, on bytes, on age, or with a batch in flight; not on an empty spool")
    func due() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let spool = try Spool(path: dir.file("spool.sqlite"), clock: clock)
        let now = clock.nowMs()
        #expect(try !spool.hasDueBatch(maxEvents: 3, maxBytes: 1 << 20, waitingSinceMs: now))
        try spool.append(contentsOf: (0..<2).map { MeasurementEvent(kind: .appStart, name: "a\($0)", startedAtMs: now, durationMs: 1) })
        #expect(try !spool.hasDueBatch(maxEvents: 3, maxBytes: 1 << 20, waitingSinceMs: now - 1))
        #expect(try spool.hasDueBatch(maxEvents: 3, maxBytes: 1 << 20, waitingSinceMs: now))
        #expect(try spool.hasDueBatch(maxEvents: 2, maxBytes: 1 << 20, waitingSinceMs: now - 1))
        #expect(try spool.hasDueBatch(maxEvents: 3, maxBytes: 100, waitingSinceMs: now - 1))
        _ = try spool.nextBatch(maxEvents: 1, maxBytes: 1 << 20)
        #expect(try spool.hasDueBatch(maxEvents: 500, maxBytes: 1 << 20, waitingSinceMs: now - 1))
    }
}
