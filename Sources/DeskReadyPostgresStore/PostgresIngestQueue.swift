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
/// A group holds at most one batch per device and per batch id, so each device row and each batch record is written
/// once per statement, exactly as if the batches were stored one by one; a later batch of the same device waits for
/// the next group.
final class PostgresIngestQueue: Sendable {
    /// How one group is written: each batch's outcome, in order.
    typealias GroupWriter = @Sendable ([PreparedBatch]) async -> [Result<BatchAcknowledgement, any Error>]

    private struct Job: Sendable {
        let batch: PreparedBatch
        let continuation: CheckedContinuation<BatchAcknowledgement, any Error>
    }

    private struct State: Sendable {
        var jobs: [Job] = []
        var writers = 0
    }

    private let state = Mutex(State())
    private let write: GroupWriter
    let maxWriters: Int
    let maxBatchesPerGroup: Int
    let maxEventsPerGroup: Int

    init(maxWriters: Int, maxBatchesPerGroup: Int = 32, maxEventsPerGroup: Int = 16_000, write: @escaping GroupWriter) {
        self.maxWriters = max(1, maxWriters)
        self.maxBatchesPerGroup = max(1, maxBatchesPerGroup)
        self.maxEventsPerGroup = max(1, maxEventsPerGroup)
        self.write = write
    }

    /// Queues `batch` and returns its acknowledgement once the transaction holding it has committed.
    func submit(_ batch: PreparedBatch) async throws -> BatchAcknowledgement {
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

    /// One writer: takes a group, writes it, answers its batches, until nothing waits.
    private func drain() async {
        while true {
            let jobs = state.withLock { state in
                let group = Self.takeGroup(from: &state.jobs, maxBatches: maxBatchesPerGroup, maxEvents: maxEventsPerGroup)
                if group.isEmpty { state.writers -= 1 }
                return group
            }
            if jobs.isEmpty { return }
            let results = await write(jobs.map(\.batch))
            for (job, result) in zip(jobs, results) { job.continuation.resume(with: result) }
        }
    }

    /// The oldest waiting jobs, in arrival order, that fit one group; those skipped stay queued, in order.
    private static func takeGroup(from jobs: inout [Job], maxBatches: Int, maxEvents: Int) -> [Job] {
        let taken = groupIndices(jobs.map(\.batch), maxBatches: maxBatches, maxEvents: maxEvents)
        let group = taken.map { jobs[$0] }
        let takenSet = Set(taken)
        jobs = jobs.indices.filter { !takenSet.contains($0) }.map { jobs[$0] }
        return group
    }

    /// The indices, in order, of the batches that form the next group: within the bounds (the first always fits),
    /// and none sharing a device or a batch id with an earlier one of the group.
    static func groupIndices(_ batches: [PreparedBatch], maxBatches: Int, maxEvents: Int) -> [Int] {
        var taken: [Int] = []
        var devices = Set<DeviceKey>()
        var batchIds = Set<BatchKey>()
        var events = 0
        for (index, batch) in batches.enumerated() {
            let device = DeviceKey(trust: batch.trust, deviceId: batch.deviceId)
            let batchKey = BatchKey(trust: batch.trust, batchId: batch.batchId)
            let fits = taken.isEmpty || (taken.count < maxBatches && events + batch.rows.count <= maxEvents)
            guard fits, !devices.contains(device), !batchIds.contains(batchKey) else { continue }
            taken.append(index)
            devices.insert(device)
            batchIds.insert(batchKey)
            events += batch.rows.count
        }
        return taken
    }

    private struct DeviceKey: Hashable {
        let trust: String
        let deviceId: String
    }

    private struct BatchKey: Hashable {
        let trust: String
        let batchId: UUID
    }
}
