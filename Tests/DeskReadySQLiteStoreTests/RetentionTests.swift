import DeskReadyModel
import DeskReadySQLiteStore
import DeskReadyStore
import DeskReadyTestSupport
import Foundation
import Testing

/// Raw-event retention: by arrival, in chunks, and never at the aggregates' or the newest data's expense.
@Suite("Raw-event retention")
struct RetentionTests {
    static let dayMs: Int64 = 86_400_000

    @Test("Events received before the cutoff are deleted, in chunks; the rest, the aggregates and the newest data stay")
    func byArrival() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("r.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Test")
        let now = WallClock.nowMs()
        let startedAt = (now / Self.dayMs - 2) * Self.dayMs + 3_600_000
        // Five batches received 10, 8, 6, 4 and 2 days ago, each of 7 logons that started on the same day.
        var receivedAt: [Int64] = []
        for (batchIndex, daysAgo) in [10, 8, 6, 4, 2].enumerated() {
            let events = (0..<7).map { index in
                MeasurementEvent(kind: .logon, name: "x11", startedAtMs: startedAt + Int64(batchIndex * 7 + index),
                                 durationMs: 10_000 + Int64(batchIndex * 7 + index) * 100)
            }
            let batch = Fixtures.batch(events: events, device: Fixtures.device, batchId: UUIDv7.make())
            receivedAt.append(now - Int64(daysAgo) * Self.dayMs)
            _ = try await store.ingest(ValidatedBatch(batch: batch, acceptedIndices: Array(events.indices), rejected: [], receivedAtMs: receivedAt.last!))
        }
        let before = try await store.timingSeries(trust: "RXX", fromMs: startedAt - 3_600_000, toMs: startedAt + 3_600_000)
        let newest = try await store.trustSummary(trust: "RXX").newestEventMs

        #expect(try await store.deleteRawEvents(receivedBefore: now - 11 * Self.dayMs) == 0)
        // Cut between the third and fourth batch, three rows per delete: 21 events in seven chunks.
        #expect(try await store.deleteRawEvents(receivedBefore: now - 5 * Self.dayMs, chunk: 3) == 21)
        #expect(try await store.counts(trust: nil).events == 14)
        #expect(try await store.deleteRawEvents(receivedBefore: now - 5 * Self.dayMs) == 0)

        let after = try await store.timingSeries(trust: "RXX", fromMs: startedAt - 3_600_000, toMs: startedAt + 3_600_000)
        #expect(after.first?.durations.count == 35)
        #expect(after.first?.durations.percentile(50) == before.first?.durations.percentile(50))
        #expect(try await store.trustSummary(trust: "RXX").newestEventMs == newest)
        #expect(newest == startedAt + 34)

        // With gaps left by the first deletion, a later cutoff still finds its boundary exactly.
        #expect(try await store.deleteRawEvents(receivedBefore: now - 3 * Self.dayMs, chunk: 100) == 7)
        #expect(try await store.deleteRawEvents(receivedBefore: now) == 7)
        #expect(try await store.counts(trust: nil).events == 0)
        #expect(try await store.timingSeries(trust: "RXX", fromMs: startedAt - 3_600_000, toMs: startedAt + 3_600_000).first?.durations.count == 35)
    }
}
