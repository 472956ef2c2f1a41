import DeskReadyModel
import DeskReadyStore
import PostgresNIO
import Synchronization

/// Stores one group of batches (see `PostgresIngestQueue`) in one transaction, retried whole after a deadlock. When the
/// group fails for any other reason, each batch is stored again in a transaction of its own, so a failing batch fails
/// alone and the others are stored. Counts the transactions committed and the batches they held.
final class PostgresGroupWriter: Sendable {
    private let client: PostgresClient
    private let logger: Logger
    private let committed = Mutex((transactions: 0, batches: 0))

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Transactions committed and the batches they held, since the store opened (their ratio is the mean group size).
    var counts: (transactions: Int, batches: Int) { committed.withLock { $0 } }

    /// Each batch's outcome, in order.
    func write(_ batches: [PreparedBatch]) async -> [Result<BatchAcknowledgement, any Error>] {
        do {
            let acknowledgements = try await store(batches)
            return acknowledgements.map { .success($0) }
        } catch where batches.count > 1 {
            logger.notice("a group of batches failed; storing each alone", metadata: ["batches": "\(batches.count)", "error": "\(error)"])
            var results: [Result<BatchAcknowledgement, any Error>] = []
            for batch in batches {
                do {
                    guard let acknowledgement = try await store([batch]).first else {
                        throw StoreError("storing a batch gave no acknowledgement")
                    }
                    results.append(.success(acknowledgement))
                } catch {
                    results.append(.failure(error))
                }
            }
            return results
        } catch {
            return [.failure(error)]
        }
    }

    /// Stores the group in one transaction, first expecting its events to be new; when one was stored before after
    /// all (the `COPY` breaks the unique key), again skipping those stored.
    private func store(_ batches: [PreparedBatch]) async throws -> [BatchAcknowledgement] {
        do {
            return try await store(PostgresIngestGroup(batches))
        } catch PostgresStoreError.server(sqlState: "23505", _) {
            return try await store(PostgresIngestGroup(batches, eventsMayBeStored: true))
        }
    }

    private func store(_ group: PostgresIngestGroup) async throws -> [BatchAcknowledgement] {
        let acknowledgements = try await PostgresMeasurementStore.transaction(client, logger: logger) { [logger] connection in
            try await group.store(connection, logger: logger)
        }
        committed.withLock { $0 = ($0.transactions + 1, $0.batches + group.batches.count) }
        return acknowledgements
    }
}
