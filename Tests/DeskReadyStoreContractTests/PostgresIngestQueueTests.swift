import DeskReadyCollector
import DeskReadyModel
import DeskReadyPostgresStore
import DeskReadyStore
import DeskReadyTestSupport
import Foundation
import Synchronization
import Testing

/// How the PostgreSQL ingest queue forms groups, with a writer that only records them (no database).
@Suite("PostgreSQL ingest queue")
struct PostgresIngestQueueTests {
    static func batch(_ device: String, events: Int, batchId: UUID = UUIDv7.make()) -> PreparedBatch {
        let at = WallClock.nowMs() - 3_600_000
        let rows = (0..<events).map { Fixtures.event(startedAtMs: at + Int64($0)) }
        return PreparedBatch(IngestContractTests.validated(rows, device: DeviceIdentity(id: device, trust: "RXX", site: "RXX01"), batchId: batchId))
    }

    @Test("A batch that does not fit holds back its device's later batches; a repeated batch id waits too")
    func groupOrder() {
        let big = Self.batch("ws-y", events: 10)
        let first = Self.batch("ws-x", events: 8)
        let second = Self.batch("ws-x", events: 1)
        let other = Self.batch("ws-z", events: 1)
        // The event bound leaves `first` out; `second` must not overtake it, `other` may join.
        #expect(PostgresIngestQueue.groupIndices([big, first, second, other], maxBatches: 32, maxEvents: 16) == [0, 3])
        #expect(PostgresIngestQueue.groupIndices([first, second, other], maxBatches: 32, maxEvents: 16) == [0, 2])
        #expect(PostgresIngestQueue.groupIndices([second], maxBatches: 32, maxEvents: 16) == [0])
        // The first that may go always goes, whatever its size; the batch bound holds.
        #expect(PostgresIngestQueue.groupIndices([big, other], maxBatches: 32, maxEvents: 4) == [0])
        #expect(PostgresIngestQueue.groupIndices([first, big, other], maxBatches: 2, maxEvents: 100) == [0, 1])
        let resent = Self.batch("ws-w", events: 1, batchId: other.batchId)
        #expect(PostgresIngestQueue.groupIndices([other, resent], maxBatches: 32, maxEvents: 100) == [0])
    }

    @Test("With two writers, a device's next batch waits for the group still writing its previous one")
    func busyDeviceWaits() async throws {
        let written = Mutex<[[UUID]]>([])
        let release = Mutex(false)
        let firstX = Self.batch("ws-x", events: 2)
        let secondX = Self.batch("ws-x", events: 2)
        let y = Self.batch("ws-y", events: 2)
        let queue = PostgresIngestQueue(maxWriters: 2) { batches in
            if batches.contains(where: { $0.batchId == firstX.batchId }) {
                while !release.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
            }
            written.withLock { $0.append(batches.map(\.batchId)) }
            return batches.map { .success(BatchAcknowledgement(batchId: $0.batchId, accepted: $0.rows.count, duplicates: 0, rejected: [], duplicateBatch: false)) }
        }
        async let a = queue.submit(firstX)
        try await Task.sleep(for: .milliseconds(100))
        async let b = queue.submit(secondX)
        async let c = queue.submit(y)
        // The second writer takes the other device at once and leaves ws-x's second batch waiting.
        let deadline = ContinuousClock.now + .seconds(20)
        while written.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(200))
        #expect(written.withLock { $0 } == [[y.batchId]])
        release.withLock { $0 = true }
        let acknowledgements = try await [a, b, c]
        #expect(acknowledgements.map(\.batchId) == [firstX.batchId, secondX.batchId, y.batchId])
        #expect(written.withLock { $0 } == [[y.batchId], [firstX.batchId], [secondX.batchId]])
    }

    @Test("A writer that answers for fewer batches than it was given fails the rest, never leaves them waiting")
    func shortAnswer() async throws {
        let queue = PostgresIngestQueue(maxWriters: 1) { _ in [] }
        await #expect(throws: StoreError.self) { try await queue.submit(Self.batch("ws-x", events: 1)) }
    }
}

