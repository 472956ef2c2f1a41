import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import Foundation

/// The collector's own write transaction without HTTP, gzip, JSON or validation: the same kind of rows as the HTTP
/// run, grouped as the collector's group commit grouped them, written through `SQLiteMeasurementStore.bulkLoad`
/// (savepoint per batch, dedupe, batch records, hourly and daily aggregates) into a fresh database. Preparation
/// (JSON columns, aggregate deltas) is done before the clock starts, as the HTTP path does it off the writer.
struct WritePathBenchmark {
    let events: Int
    let batchSize: Int
    let batchesPerTransaction: Int
    let devices: Int
    let spread: EventTimeSpread
    let directory: String

    /// Events per second.
    func run() async throws -> Double {
        let path = directory + "/write-path-\(batchesPerTransaction).sqlite"
        let store = try SQLiteMeasurementStore(path: path)
        let identities = try await IngestBenchmark.enrolDevices(devices, in: store).map(\.0)
        var random = SystemRandomNumberGenerator()
        let now = WallClock.nowMs()
        let batches = (0..<(events / batchSize)).map { index in
            let batchEvents = IngestBenchmark.makeEvents(batchSize, now: now, spread: spread, using: &random)
            return ValidatedBatch(batch: Batch(batchId: UUIDv7.make(), device: identities[index % identities.count], sentAtMs: now, events: batchEvents),
                                  acceptedIndices: Array(batchEvents.indices), rejected: [], receivedAtMs: now)
        }
        let groups = stride(from: 0, to: batches.count, by: batchesPerTransaction).map {
            BulkLoadGroup(Array(batches[$0..<min($0 + batchesPerTransaction, batches.count)]))
        }
        let started = Date()
        for group in groups { _ = try await store.bulkLoad(group) }
        return Double(batches.count * batchSize) / Date().timeIntervalSince(started)
    }
}
