import DeskReadyModel
import DeskReadyStore
import PostgresNIO

/// Ingest: batches grouped into transactions by `PostgresIngestQueue`, each stored exactly once per (trust, event id)
/// and per (trust, batch id), however many collectors receive it at once.
extension PostgresMeasurementStore: WriterStatistics {
    public func ingest(_ validated: ValidatedBatch) async throws -> BatchAcknowledgement {
        let batch = PreparedBatch(validated)
        try StorableText.check(batch)
        return try await ingestQueue.submit(batch)
    }

    /// Stores `batches` as a busy collector does batches waiting together: in the queue's groups, in order, each
    /// group in one transaction. `ingest` is the way in; this is for the tests of grouping.
    package func ingestTogether(_ batches: [ValidatedBatch]) async -> [Result<BatchAcknowledgement, any Error>] {
        var results = [Result<BatchAcknowledgement, any Error>?](repeating: nil, count: batches.count)
        var waiting: [(index: Int, batch: PreparedBatch)] = []
        for (index, validated) in batches.enumerated() {
            let batch = PreparedBatch(validated)
            do {
                try StorableText.check(batch)
                waiting.append((index, batch))
            } catch {
                results[index] = .failure(error)
            }
        }
        while !waiting.isEmpty {
            let group = ingestQueue.takeGroup(from: &waiting, batch: \.batch)
            let stored = await groupWriter.write(group.map(\.batch))
            for (member, result) in zip(group, stored) { results[member.index] = result }
        }
        return results.map { $0 ?? .failure(StoreError("a batch was left out of every group")) }
    }

    public var groupCommitCounts: (transactions: Int, batches: Int) { groupWriter.counts }
}

extension UUID {
    /// The id's 16 bytes as two big-endian integers: they order exactly as the id's text does (hex digits sort as
    /// their values) and as PostgreSQL orders `uuid`, so every collector locks rows in one order.
    var orderKey: OrderKey {
        withUnsafeBytes(of: uuid) { bytes in
            OrderKey(high: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self).bigEndian,
                     low: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self).bigEndian)
        }
    }

    /// See `orderKey`.
    struct OrderKey: Comparable {
        var high: UInt64
        var low: UInt64

        static func < (a: OrderKey, b: OrderKey) -> Bool { (a.high, a.low) < (b.high, b.low) }
    }
}
