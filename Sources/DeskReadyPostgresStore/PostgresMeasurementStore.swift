import DeskReadyModel
import DeskReadyStore
import Logging
import PostgresNIO
import ServiceLifecycle

/// The store for several collectors on one PostgreSQL database: the same protocols, reads and exactly-once ingest as
/// the SQLite store, on postgres-nio's pooled `PostgresClient`.
///
/// `open` starts the connection pool and migrates. As a `Service` (in the collector's `ServiceGroup`), `run()` folds
/// the partial aggregates every `rollInterval` on whichever collector holds the fold lock; without it, reads stay
/// exact (they add the rows not folded yet), only slower as those rows grow. `close()` stops the pool.
public final class PostgresMeasurementStore: CollectorStore, Service {
    let client: PostgresClient
    public let location: PostgresStoreLocation
    let logger: Logger
    let rollInterval: Duration
    /// Token uses noted in memory and written a second later in one statement (see `TokenUseRecorder`).
    let tokenUse = TokenUseRecorder()
    /// Group commit of ingest: the queue gathers batches, the writer stores each group (see `PostgresIngestQueue`).
    let ingestQueue: PostgresIngestQueue
    let groupWriter: PostgresGroupWriter
    private let clientTask: Task<Void, Never>

    private init(client: PostgresClient, location: PostgresStoreLocation, logger: Logger, rollInterval: Duration, clientTask: Task<Void, Never>) {
        self.client = client
        self.location = location
        self.logger = logger
        self.rollInterval = rollInterval
        self.clientTask = clientTask
        let groupWriter = PostgresGroupWriter(client: client, logger: logger)
        self.groupWriter = groupWriter
        ingestQueue = PostgresIngestQueue(maxWriters: location.ingestWriters) { batches in await groupWriter.write(batches) }
    }

    deinit {
        clientTask.cancel()
    }

    /// Connects (saying why when it cannot), migrates under the migration lock, and returns the open store.
    public static func open(_ location: PostgresStoreLocation, logger: Logger = Logger(label: "deskready.postgres"),
                            rollInterval: Duration = .seconds(2)) async throws -> PostgresMeasurementStore {
        // The pool starts first; the probe's round trip gives its `run()` time to begin before the first lease.
        let client = PostgresClient(configuration: location.clientConfiguration, backgroundLogger: logger)
        let clientTask = Task { await client.run() }
        let store = PostgresMeasurementStore(client: client, location: location, logger: logger, rollInterval: rollInterval, clientTask: clientTask)
        do {
            try await probe(location, logger: logger)
        } catch {
            await store.close()
            throw error
        }
        do {
            let applied = try await PostgresSchema.migrate(client, logger: logger)
            if !applied.isEmpty { logger.info("postgres schema migrated", metadata: ["versions": "\(applied)", "database": "\(location)"]) }
        } catch {
            await store.close()
            throw PostgresStoreError.describe(error)
        }
        return store
    }

    /// One direct connection, so a store that cannot connect says why at once (the pool would retry for a minute).
    private static func probe(_ location: PostgresStoreLocation, logger: Logger) async throws {
        do {
            let connection = try await PostgresConnection.connect(configuration: location.connectionConfiguration(), id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw PostgresStoreError.cannotConnect(location: location.description, reason: PostgresStoreError.connectionReason(error))
        }
    }

    /// Folds partial aggregates every `rollInterval` until shutdown, then once more, then closes the pool.
    public func run() async throws {
        let roller = PostgresAggregateRoller(client: client, logger: logger)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            var folded = 0
            do {
                folded = try await roller.rollUp()
            } catch {
                logger.error("folding aggregates failed; reports stay exact, the next round retries", metadata: ["error": "\(PostgresStoreError.describe(error))"])
            }
            // A full round means more is waiting: go on at once.
            if folded < roller.limit {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.rollInterval) }
            }
        }
        _ = try? await roller.rollUp()
        await close()
    }

    /// Folds every partial aggregate row into the totals now (on whichever caller holds the fold lock; false when
    /// another collector held it). Reports are exact either way; this keeps them fast.
    @discardableResult
    public func foldAggregates() async throws -> Bool {
        do {
            return try await PostgresAggregateRoller(client: client, logger: logger).rollUpAll()
        } catch {
            throw PostgresStoreError.describe(error)
        }
    }

    /// Stops the connection pool; queries after this fail.
    public func close() async {
        clientTask.cancel()
        await clientTask.value
    }

    /// Runs `body` in a transaction, retrying (whole) after a deadlock or serialisation failure, and turns server
    /// errors into the store's messages.
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await Self.transaction(client, logger: logger, body)
    }

    /// See `transaction(_:)`.
    static func transaction<Result: Sendable>(_ client: PostgresClient, logger: Logger,
                                              _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        var attempt = 0
        while true {
            do {
                return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
            } catch {
                let state = PostgresStoreError.sqlState(error)
                attempt += 1
                if (state == "40P01" || state == "40001"), attempt < 5 { continue }
                throw PostgresStoreError.describe(error)
            }
        }
    }

    /// `body`'s answer, or nil when it fails or takes longer than `seconds` (health checks must answer even when the
    /// server does not).
    func answer<Result: Sendable>(within seconds: Int, _ body: @escaping @Sendable () async throws -> Result) async -> Result? {
        await withTaskGroup(of: Result?.self) { group in
            group.addTask { try? await body() }
            group.addTask {
                try? await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Runs one read or write outside a transaction, turning server errors into the store's messages.
    func withConnection<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw PostgresStoreError.describe(error)
        }
    }
}
