import DeskReadyCollector
import DeskReadyPostgresStore
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

/// The stores every contract scenario runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The kinds this run can test: PostgreSQL only when `DESKREADY_TEST_POSTGRES_URL` names a server (see
    /// `PostgresTestServer`); without it the PostgreSQL cases are left out and `PostgresTestServer`'s own test says so.
    static var available: [StoreKind] { PostgresTestServer.location == nil ? [.sqlite] : allCases }
}

/// A store under test, the same protocols whatever its kind, plus what the contract needs beyond them.
protocol ContractStore: CollectorStore, RawEventRetention, AggregateRetention {
    /// Brings partial aggregates into their totals where the store keeps them apart (PostgreSQL); nothing for SQLite.
    func foldAggregates() async throws -> Bool
}

extension SQLiteMeasurementStore: ContractStore {
    func foldAggregates() async throws -> Bool { true }
}

extension PostgresMeasurementStore: ContractStore {}

/// A fresh, empty store of one kind, removed by `remove()`: a SQLite file in a temporary folder, or a new database on
/// the test PostgreSQL server (so tests run in parallel and leave nothing behind).
struct TestStore: Sendable {
    let kind: StoreKind
    let store: any ContractStore
    private let cleanup: @Sendable () async -> Void

    static func make(_ kind: StoreKind) async throws -> TestStore {
        switch kind {
        case .sqlite:
            let directory = try TemporaryDirectory("deskready-contract")
            let store = try SQLiteMeasurementStore(path: directory.file("store.sqlite"))
            return TestStore(kind: kind, store: store) { directory.remove() }
        case .postgres:
            let database = try await PostgresTestServer.createDatabase()
            let store = try await PostgresMeasurementStore.open(database.location, logger: PostgresTestServer.quietLogger)
            return TestStore(kind: kind, store: store) {
                await store.close()
                await database.drop()
            }
        }
    }

    func remove() async { await cleanup() }
}

/// Runs `body` with a fresh store of `kind`, removing it afterwards whatever happens.
func withStore(_ kind: StoreKind, _ body: (any ContractStore) async throws -> Void) async throws {
    let test = try await TestStore.make(kind)
    do {
        try await body(test.store)
    } catch {
        await test.remove()
        throw error
    }
    await test.remove()
}

/// The PostgreSQL server the tests use, from `DESKREADY_TEST_POSTGRES_URL` (`eval "$(.ci/pg-start)"` starts a
/// throwaway one and sets it). Each test gets a database of its own, dropped afterwards.
enum PostgresTestServer {
    static let location: PostgresStoreLocation? = {
        guard let url = ProcessInfo.processInfo.environment["DESKREADY_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return try? PostgresStoreLocation(url: url)
    }()

    static var quietLogger: Logger {
        var logger = Logger(label: "test.postgres")
        logger.logLevel = .critical
        return logger
    }

    /// A database made for one test.
    struct Database: Sendable {
        let location: PostgresStoreLocation
        let name: String

        func drop() async {
            try? await PostgresTestServer.admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    static func createDatabase() async throws -> Database {
        guard let location else { throw StoreError("DESKREADY_TEST_POSTGRES_URL is not set") }
        let name = "deskready_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await admin("CREATE DATABASE \(name)")
        return Database(location: location.database(name), name: name)
    }

    /// One statement on the server's own database (names made here only, never from input).
    static func admin(_ sql: String) async throws {
        guard let location else { return }
        let connection = try await PostgresConnection.connect(configuration: location.connectionConfiguration(), id: 1, logger: quietLogger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: quietLogger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}

@Suite("PostgreSQL test server")
struct PostgresTestServerTests {
    // Without a server the PostgreSQL cases of every contract test are left out; this test is skipped with the reason.
    @Test("The PostgreSQL cases run (start a server with `eval \"$(.ci/pg-start)\"` to include them)",
          .enabled(if: PostgresTestServer.location != nil, "DESKREADY_TEST_POSTGRES_URL is not set: the PostgreSQL store tests are skipped"))
    func serverAnswers() async throws {
        let database = try await PostgresTestServer.createDatabase()
        let store = try await PostgresMeasurementStore.open(database.location, logger: PostgresTestServer.quietLogger)
        #expect(await store.isWritable())
        #expect(try await store.trustCodes().isEmpty)
        await store.close()
        await database.drop()
    }
}
