import DeskReadyModel
import DeskReadyStore
import Synchronization

/// Group commit for one collector on PostgreSQL: batches queue here and at most `maxWriters` writers each take every
/// batch waiting (up to a bound) into one transaction, acknowledging each only after its commit.
///
/// Under load the writers are busy, so batches gather while they wait and a transaction holds several: one commit
/// (one WAL flush), one claim statement, one event insert and one aggregate append for all of them instead of five
/// round trips each. A lone sender never waits: an idle writer takes its batch at once.
///
/// A device's batches are stored in arrival order, one transaction after another, as if stored one by one: a group
/// holds at most one batch per device and per batch id, and a batch whose device or batch id is in a group still being
/// written, or in an earlier batch left waiting, waits for a later group.
package final class PostgresIngestQueue: Sendable {
    /// How one group is written: each batch's outcome, in order.
    package typealias GroupWriter = @Sendable ([PreparedBatch]) async -> [Result<BatchAcknowledgement, any Error>]

    private struct Job: Sendable {
        let batch: PreparedBatch
        let continuation: CheckedContinuation<BatchAcknowledgement, any Error>
    }

    private struct State: Sendable {
        var jobs: [Job] = []
        var writers = 0
        /// The devices and batch ids of the groups being written now.
        var busy = GroupKeys()
    }

    private let state = Mutex(State())
    private let write: GroupWriter
    let maxWriters: Int
    let maxBatchesPerGroup: Int
    let maxEventsPerGroup: Int

    package init(maxWriters: Int, maxBatchesPerGroup: Int = 32, maxEventsPerGroup: Int = 16_000, write: @escaping GroupWriter) {
        self.maxWriters = max(1, maxWriters)
        self.maxBatchesPerGroup = max(1, maxBatchesPerGroup)
        self.maxEventsPerGroup = max(1, maxEventsPerGroup)
        self.write = write
    }

    /// Queues `batch` and returns its acknowledgement once the transaction holding it has committed.
    package func submit(_ batch: PreparedBatch) async throws -> BatchAcknowledgement {
        try await withCheckedThrowingContinuation { continuation in
            let startWriter = state.withLock { state in
                state.jobs.append(Job(batch: batch, continuation: continuation))
                guard state.writers < maxWriters else { return false }
                state.writers += 1
                return true
            }
            if startWriter { Task { await self.drain() } }
        }
    }

    /// One writer: takes a group, writes it, answers its batches, until nothing it may take waits. A batch held back
    /// by this writer's group is taken by this writer's next round, so nothing is left waiting without a writer.
    private func drain() async {
        var finished: [PreparedBatch] = []
        while true {
            let jobs = state.withLock { state in
                state.busy.remove(finished)
                let group = takeGroup(from: &state.jobs, batch: \.batch, excluding: state.busy)
                state.busy.insert(group.map(\.batch))
                if group.isEmpty { state.writers -= 1 }
                return group
            }
            if jobs.isEmpty { return }
            let results = await write(jobs.map(\.batch))
            for (index, job) in jobs.enumerated() {
                job.continuation.resume(with: results.indices.contains(index)
                    ? results[index] : .failure(StoreError("the group writer gave no outcome for this batch; nothing is known stored, send it again")))
            }
            finished = jobs.map(\.batch)
        }
    }

    /// Removes the next group (see `groupIndices`) from `items`, in order, and returns it; the rest stay, in order.
    func takeGroup<Item>(from items: inout [Item], batch: (Item) -> PreparedBatch, excluding busy: GroupKeys = GroupKeys()) -> [Item] {
        let taken = Self.groupIndices(items.map(batch), excluding: busy, maxBatches: maxBatchesPerGroup, maxEvents: maxEventsPerGroup)
        let takenSet = Set(taken)
        let group = taken.map { items[$0] }
        items = items.indices.filter { !takenSet.contains($0) }.map { items[$0] }
        return group
    }

    /// The indices, in order, of the batches that form the next group: within the bounds (the first that may go
    /// always fits), and none sharing a device or a batch id with `excluding` or with an earlier batch of the list,
    /// taken or not (so a device's batches never overtake each other).
    package static func groupIndices(_ batches: [PreparedBatch], excluding busy: GroupKeys = GroupKeys(), maxBatches: Int,
                                     maxEvents: Int) -> [Int] {
        var taken: [Int] = []
        var seen = busy
        var events = 0
        for (index, batch) in batches.enumerated() {
            let free = !seen.contains(batch)
            seen.insert([batch])
            let fits = taken.isEmpty || (taken.count < maxBatches && events + batch.rows.count <= maxEvents)
            guard free, fits else { continue }
            taken.append(index)
            events += batch.rows.count
        }
        return taken
    }

    /// The devices and batch ids of a set of batches.
    package struct GroupKeys: Sendable {
        private var devices = Set<DeviceKey>()
        private var batchIds = Set<BatchKey>()

        package init() {}

        func contains(_ batch: PreparedBatch) -> Bool {
            devices.contains(DeviceKey(batch)) || batchIds.contains(BatchKey(batch))
        }

        mutating func insert(_ batches: [PreparedBatch]) {
            for batch in batches {
                devices.insert(DeviceKey(batch))
                batchIds.insert(BatchKey(batch))
            }
        }

        mutating func remove(_ batches: [PreparedBatch]) {
            for batch in batches {
                devices.remove(DeviceKey(batch))
                batchIds.remove(BatchKey(batch))
            }
        }
    }

    private struct DeviceKey: Hashable, Sendable {
        let trust: String
        let deviceId: String

        init(_ batch: PreparedBatch) {
            trust = batch.trust
            deviceId = batch.deviceId
        }
    }

    private struct BatchKey: Hashable, Sendable {
        let trust: String
        let batchId: UUID

        init(_ batch: PreparedBatch) {
            trust = batch.trust
            batchId = batch.batchId
        }
    }
}
