import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// Ingest, the same on every store: each event stored once per trust, duplicates acknowledged, never an error.
@Suite("Store contract: ingest")
struct IngestContractTests {
    static let hourMs: Int64 = 3_600_000

    static func validated(_ events: [MeasurementEvent], device: DeviceIdentity = Fixtures.device, batchId: UUID = UUIDv7.make(),
                          accepted: [Int]? = nil, rejected: [RejectedEvent] = [], receivedAtMs: Int64 = WallClock.nowMs()) -> ValidatedBatch {
        ValidatedBatch(batch: Fixtures.batch(events: events, device: device, batchId: batchId),
                       acceptedIndices: accepted ?? Array(events.indices), rejected: rejected, receivedAtMs: receivedAtMs)
    }

    @Test("A batch is stored once; the same batch again, and its events in a new batch, are duplicates", arguments: StoreKind.available)
    func duplicatesAcrossBatches(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "Test")
            let at = (WallClock.nowMs() / Self.hourMs - 3) * Self.hourMs
            let events = (0..<5).map { Fixtures.event(durationMs: 10_000 + Int64($0), startedAtMs: at + Int64($0)) }
            let batchId = UUIDv7.make()
            let first = try await store.ingest(Self.validated(events, batchId: batchId))
            #expect(first == BatchAcknowledgement(batchId: batchId, accepted: 5, duplicates: 0, rejected: [], duplicateBatch: false))
            let again = try await store.ingest(Self.validated(events, batchId: batchId))
            #expect(again == BatchAcknowledgement(batchId: batchId, accepted: 0, duplicates: 5, rejected: [], duplicateBatch: true))
            // Two old events and one new in a new batch.
            let mixed = [events[0], Fixtures.event(durationMs: 12_345, startedAtMs: at + 10), events[4]]
            let third = try await store.ingest(Self.validated(mixed))
            #expect(third.accepted == 1 && third.duplicates == 2 && !third.duplicateBatch)
            let counts = try await store.counts(trust: "RXX")
            #expect(counts.events == 6 && counts.batches == 2 && counts.devices == 1)
            #expect(counts.newestEventMs == at + 10)
            let series = try await store.timingSeries(trust: "RXX", fromMs: at, toMs: at + Self.hourMs)
            #expect(series.map(\.durations.count) == [6])
        }
    }

    @Test("An event repeated inside one batch is stored once, from its first row", arguments: StoreKind.available)
    func duplicatesWithinBatch(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "Test")
            let at = (WallClock.nowMs() / Self.hourMs - 3) * Self.hourMs
            let a = Fixtures.event(durationMs: 10_000, startedAtMs: at)
            var aLater = a
            aLater.durationMs = 99_000
            let b = Fixtures.event(durationMs: 20_000, startedAtMs: at + 1)
            let ack = try await store.ingest(Self.validated([a, b, aLater, b]))
            #expect(ack.accepted == 2 && ack.duplicates == 2)
            let series = try #require(try await store.timingSeries(trust: "RXX", fromMs: at, toMs: at + Self.hourMs).first)
            #expect(series.durations.count == 2)
            #expect(series.durations.percentile(100)! < 21_000, "the first row of a repeated id is the one stored")
        }
    }

    @Test("A partly valid batch stores its accepted events and acknowledges the refused ones as given", arguments: StoreKind.available)
    func partialBatch(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "Test")
            let at = (WallClock.nowMs() / Self.hourMs - 3) * Self.hourMs
            let events = (0..<4).map { Fixtures.event(durationMs: 10_000, startedAtMs: at + Int64($0)) }
            let rejected = [RejectedEvent(index: 1, eventId: events[1].id, reason: "duration_ms out of range")]
            let ack = try await store.ingest(Self.validated(events, accepted: [0, 2, 3], rejected: rejected))
            #expect(ack.accepted == 3 && ack.duplicates == 0 && ack.rejected == rejected)
            #expect(try await store.counts(trust: "RXX").events == 3)
            // An empty batch (every event refused) is still a batch: stored once, acknowledged.
            let empty = try await store.ingest(Self.validated(events, accepted: [], rejected: rejected))
            #expect(empty.accepted == 0 && !empty.duplicateBatch)
            #expect(try await store.counts(trust: "RXX").batches == 2)
        }
    }

    @Test("The same batch sent many times at once is stored once; every answer is an acknowledgement", arguments: StoreKind.available)
    func concurrentDuplicates(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "Test")
            let at = (WallClock.nowMs() / Self.hourMs - 3) * Self.hourMs
            let events = (0..<200).map { Fixtures.event(durationMs: 1_000 + Int64($0), startedAtMs: at + Int64($0)) }
            let batch = Self.validated(events)
            // Also overlapping batches: each shares half its events with the next, in another order.
            let overlapping = (0..<3).map { index in
                Self.validated(Array(events[(index * 50)..<(index * 50 + 100)].reversed()))
            }
            let acks = try await withThrowingTaskGroup(of: BatchAcknowledgement.self) { group in
                for _ in 0..<8 { group.addTask { try await store.ingest(batch) } }
                for other in overlapping { group.addTask { try await store.ingest(other) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let same = acks.filter { $0.batchId == batch.batch.batchId }
            #expect(same.filter { !$0.duplicateBatch }.count == 1)
            #expect(same.filter(\.duplicateBatch).allSatisfy { $0.accepted == 0 && $0.duplicates == 200 })
            #expect(acks.reduce(0) { $0 + $1.accepted } == 200, "every event stored by exactly one request")
            #expect(try await store.counts(trust: "RXX").events == 200)
            _ = try await store.foldAggregates()
            let series = try await store.timingSeries(trust: "RXX", fromMs: at, toMs: at + Self.hourMs)
            #expect(series.map(\.durations.count) == [200])
        }
    }

    @Test("Event ids are unique per trust: the same id in two trusts is two events", arguments: StoreKind.available)
    func perTrust(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "Test")
            _ = try await store.addTrust(ods: "RYY", name: "Other")
            let event = Fixtures.event()
            let batchId = UUIDv7.make()
            #expect(try await store.ingest(Self.validated([event], batchId: batchId)).accepted == 1)
            let other = DeviceIdentity(id: "ws-9", trust: "RYY", site: "RYY01")
            #expect(try await store.ingest(Self.validated([event], device: other, batchId: batchId)).accepted == 1)
            #expect(try await store.counts(trust: nil).events == 2)
            #expect(try await store.trustCodes() == ["RXX", "RYY"])
        }
    }
}
