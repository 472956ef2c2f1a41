import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadyPostgresStore
import DeskReadyTestSupport
import Foundation
import Logging
import Testing

/// What only the PostgreSQL store has: several collectors (clients) on one database, migrations, NUL, bad locations.
@Suite("PostgreSQL store", .enabled(if: PostgresTestServer.location != nil, "DESKREADY_TEST_POSTGRES_URL is not set: the PostgreSQL store tests are skipped"))
struct PostgresStoreTests {
    static let hourMs: Int64 = 3_600_000

    /// `count` stores ("replicas") opened at once on one new database.
    static func replicas(_ count: Int) async throws -> (PostgresTestServer.Database, [PostgresMeasurementStore]) {
        let database = try await PostgresTestServer.createDatabase()
        let stores = try await withThrowingTaskGroup(of: PostgresMeasurementStore.self) { group in
            for _ in 0..<count {
                group.addTask { try await PostgresMeasurementStore.open(database.location, logger: PostgresTestServer.quietLogger) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        return (database, stores)
    }

    static func close(_ database: PostgresTestServer.Database, _ stores: [PostgresMeasurementStore]) async {
        for store in stores { await store.close() }
        await database.drop()
    }

    @Test("Collectors opening a new database together migrate it once")
    func migratesOnce() async throws {
        let (database, stores) = try await Self.replicas(4)
        #expect(try await stores[0].trustCodes().isEmpty)
        await Self.close(database, stores)
    }

    @Test("Three replicas taking every batch twice at once, resends included, while folding, end equal to SQLite fed the batches once each")
    func replicasAgreeWithSQLite() async throws {
        let (database, stores) = try await Self.replicas(3)
        let sqlite = try await TestStore.make(.sqlite)
        let workload = Workload(seed: 99, batchCount: 120, forCollectors: true)
        for trust in Workload.trusts {
            _ = try await stores[0].addTrust(ods: trust, name: "Trust \(trust)")
            _ = try await sqlite.store.addTrust(ods: trust, name: "Trust \(trust)")
        }
        for batch in workload.batches { _ = try await sqlite.store.ingest(batch) }
        // Every batch to two replicas at once, spread round-robin; a roller runs beside them.
        let done = ManagedFlag()
        let roller = Task {
            while !done.isSet {
                _ = try? await stores[2].foldAggregates()
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        let acknowledgements = try await withThrowingTaskGroup(of: [BatchAcknowledgement].self) { group in
            for (index, batch) in workload.batches.enumerated() {
                group.addTask {
                    async let first = stores[index % 3].ingest(batch)
                    async let second = stores[(index + 1) % 3].ingest(batch)
                    return try await [first, second]
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        done.set()
        await roller.value
        #expect(acknowledgements.count == 2 * workload.batches.count)
        // Each batch id claimed by exactly one delivery (resends included), every accepted event stored once.
        let claims = Dictionary(grouping: acknowledgements.filter { !$0.duplicateBatch }, by: \.batchId)
        #expect(claims.count == Set(workload.batches.map(\.batch.batchId)).count && claims.values.allSatisfy { $0.count == 1 })
        #expect(acknowledgements.reduce(0) { $0 + $1.accepted } == (try await sqlite.store.counts(trust: nil).events))
        #expect(try await stores[0].counts(trust: nil) == (try await sqlite.store.counts(trust: nil)))
        let expected = try await DifferentialTests.reads(sqlite.store)
        let actual = try await DifferentialTests.reads(stores[1])
        DifferentialTests.compare(expected, actual, "replicas, unfolded,")
        _ = try await stores[0].foldAggregates()
        DifferentialTests.compare(expected, try await DifferentialTests.reads(stores[0]), "replicas, folded,")
        await sqlite.remove()
        await Self.close(database, stores)
    }

    @Test("Text with a NUL character is refused with a clear error, and the store goes on working")
    func nul() async throws {
        let test = try await TestStore.make(.postgres)
        let store = test.store
        _ = try await store.addTrust(ods: "RXX", name: "X")
        let bad = [Fixtures.event(name: "x\u{0}11"), Fixtures.event()]
        await #expect(throws: PostgresStoreError.unstorableText(field: "event 0's name")) { try await store.ingest(bad) }
        var attribute = Fixtures.event()
        attribute.attributes = ["model": "a\u{0}b"]
        await #expect(throws: PostgresStoreError.self) { try await store.ingest([attribute]) }
        await #expect(throws: PostgresStoreError.self) { try await store.addTrust(ods: "RYY", name: "nul\u{0}") }
        await #expect(throws: PostgresStoreError.self) {
            try await store.enrolDevice(trust: "RXX", deviceId: "ws\u{0}", site: "RXX01", installKey: nil, nowMs: 0)
        }
        #expect(try await store.ingest([Fixtures.event()]).accepted == 1)
        #expect(try await store.counts(trust: nil).events == 1)
        await test.remove()
    }

    @Test("The fold backlog counts the partial rows waiting and the age of the oldest, is empty once folded, and /metrics shows it and the group commits")
    func foldBacklog() async throws {
        let test = try await TestStore.make(.postgres)
        let store = try #require(test.store as? PostgresMeasurementStore)
        let empty = AggregateFoldBacklog(waitingRows: 0, oldestAgeSeconds: nil)
        #expect(await store.aggregateFoldBacklog() == empty)
        var logger = Logger(label: "test.collector")
        logger.logLevel = .critical
        // No `run()`: nothing folds until the test does.
        let collector = try await RunningCollector.start(store: store, logger: logger)
        _ = try await store.addTrust(ods: Fixtures.device.trust, name: "X")
        let hour = WallClock.nowMs() / Self.hourMs * Self.hourMs - Self.hourMs
        try await store.ingest([Fixtures.event(startedAtMs: hour + 1_000), Fixtures.event(durationMs: 30_000, startedAtMs: hour + 2_000)])
        // One row each: the logons' hour, their model's day, and the trust's newest event.
        let waiting = try #require(await store.aggregateFoldBacklog())
        #expect(waiting.waitingRows == 3)
        let age = try #require(waiting.oldestAgeSeconds)
        #expect(age >= 0 && age < 60, "\(age)")
        var metrics = try await Self.metrics(collector.baseURL)
        #expect(metrics["deskready_aggregate_fold_backlog_rows"] == 3)
        #expect(try #require(metrics["deskready_aggregate_fold_lag_seconds"]) >= 0)
        // Group commit is counted as on SQLite: one transaction, one batch.
        #expect(metrics["deskready_write_transactions_total"] == 1 && metrics["deskready_write_transaction_batches_total"] == 1)
        #expect(try await store.foldAggregates())
        #expect(await store.aggregateFoldBacklog() == empty)
        metrics = try await Self.metrics(collector.baseURL)
        #expect(metrics["deskready_aggregate_fold_backlog_rows"] == 0 && metrics["deskready_aggregate_fold_lag_seconds"] == 0)
        try await collector.stop()
        await test.remove()
    }

    /// The unlabelled samples of a collector's `/metrics`, by name.
    static func metrics(_ baseURL: String) async throws -> [String: Double] {
        let text = try await blocking {
            String(decoding: try CurlTransport().get(url: baseURL + "/metrics", headers: [], timeoutMs: 10_000, connectTimeoutMs: 2_000).body, as: UTF8.self)
        }
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.contains("{") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Double(parts[1]) { samples[String(parts[0])] = value }
        }
        return samples
    }

    @Test("A server that is not there, a password in the URL and a bad URL each say what is wrong")
    func badLocations() async throws {
        let refused = try PostgresStoreLocation(url: "postgres://deskready@127.0.0.1:1/deskready", environment: [:])
        do {
            _ = try await PostgresMeasurementStore.open(refused, logger: PostgresTestServer.quietLogger)
            Issue.record("opened a store on a closed port")
        } catch let error as PostgresStoreError {
            #expect("\(error)".contains("cannot connect to PostgreSQL at postgres://deskready@127.0.0.1:1/deskready"))
            #expect("\(error)".contains("pg_isready"))
        }
        #expect(throws: PostgresStoreError.self) { try PostgresStoreLocation(url: "postgres://u:secret@h/db", environment: [:]) }
        #expect(throws: PostgresStoreError.self) { try PostgresStoreLocation(url: "postgres://u@h/db?sslmode=maybe", environment: [:]) }
        let socket = try PostgresStoreLocation(url: "postgres://u@/db?host=/tmp/pg", environment: ["PGPASSWORD": "pw"])
        #expect(socket.endpoint == .socket(folder: "/tmp/pg", port: 5432) && socket.password == "pw" && socket.database == "db")
        #expect(!socket.description.contains("pw"))
    }
}

/// A flag set once, read from other tasks.
final class ManagedFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

import Synchronization
