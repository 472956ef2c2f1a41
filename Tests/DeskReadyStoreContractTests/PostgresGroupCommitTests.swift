import DeskReadyCollector
import DeskReadyModel
import DeskReadyPostgresStore
import DeskReadyStore
import PostgresNIO
import DeskReadyTestSupport
import Foundation
import Testing

/// Group commit on PostgreSQL: batches stored several to a transaction give exactly what storing them one by one gives.
@Suite("PostgreSQL group commit", .enabled(if: PostgresTestServer.location != nil, "DESKREADY_TEST_POSTGRES_URL is not set: the PostgreSQL store tests are skipped"))
struct PostgresGroupCommitTests {
    /// A PostgreSQL store on a new database with the URL's `query` settings, closed and dropped by `body`'s end.
    static func withPostgres(_ query: String, _ body: (PostgresMeasurementStore) async throws -> Void) async throws {
        try await withPostgres(query) { store, _ in try await body(store) }
    }

    static func withPostgres(_ query: String, _ body: (PostgresMeasurementStore, PostgresStoreLocation) async throws -> Void) async throws {
        let database = try await PostgresTestServer.createDatabase()
        let location = try PostgresStoreLocation(url: database.location.url + "&" + query)
        let store = try await PostgresMeasurementStore.open(location, logger: PostgresTestServer.quietLogger)
        do {
            try await body(store, location)
        } catch {
            await store.close()
            await database.drop()
            throw error
        }
        await store.close()
        await database.drop()
    }

    @Test("A seeded workload stored in groups, in order, acknowledges and reads exactly as SQLite storing it batch by batch",
          arguments: [UInt64(7), 31])
    func groupsEqualOneByOne(seed: UInt64) async throws {
        // Resends, events repeated across and within batches, partial batches, inventories changing models, two trusts.
        let workload = Workload(seed: seed, batchCount: 160)
        let sqlite = try await TestStore.make(.sqlite)
        try await Self.withPostgres("ingest_writers=1") { postgres in
            let expectedAcks = try await DifferentialTests.load(workload, into: sqlite.store, foldAt: nil)
            for trust in Workload.trusts { _ = try await postgres.addTrust(ods: trust, name: "Trust \(trust)") }
            var acknowledgements: [BatchAcknowledgement] = []
            for result in await postgres.ingestTogether(workload.batches) { acknowledgements.append(try result.get()) }
            #expect(acknowledgements == expectedAcks)
            #expect(expectedAcks.contains { $0.duplicateBatch } && expectedAcks.contains { $0.duplicates > 0 && !$0.duplicateBatch })
            // Grouped for real: far fewer transactions than batches (a group holds one batch per device: 14 devices).
            let counts = postgres.groupCommitCounts
            #expect(counts.batches == workload.batches.count)
            #expect(counts.transactions * 4 <= counts.batches, "\(counts.transactions) transactions for \(counts.batches) batches")
            let expected = try await DifferentialTests.reads(sqlite.store)
            DifferentialTests.compare(expected, try await DifferentialTests.reads(postgres), "grouped, unfolded,")
            _ = try await postgres.foldAggregates()
            DifferentialTests.compare(expected, try await DifferentialTests.reads(postgres), "grouped, folded,")
            #expect(try await DifferentialTests.reports(postgres) == (try await DifferentialTests.reports(sqlite.store)))
        }
        await sqlite.remove()
    }

    @Test("An event id in two batches of one group is stored from the earlier batch, as one by one; within a trust only")
    func sharedIdsInOneGroup() async throws {
        let at = (WallClock.nowMs() / 3_600_000 - 5) * 3_600_000
        let shared = Fixtures.event(durationMs: 10_000, startedAtMs: at)
        var sharedLater = shared
        sharedLater.durationMs = 90_000
        let other = Fixtures.event(durationMs: 20_000, startedAtMs: at + 1)
        let first = DeviceIdentity(id: "ws-1", trust: "RXX", site: "RXX01")
        let second = DeviceIdentity(id: "ws-2", trust: "RXX", site: "RXX02")
        let elsewhere = DeviceIdentity(id: "ws-3", trust: "RYY", site: "RYY01")
        let batches = [
            IngestContractTests.validated([other, shared], device: first, receivedAtMs: at + 10),
            IngestContractTests.validated([sharedLater, Fixtures.event(durationMs: 30_000, startedAtMs: at + 2), sharedLater], device: second,
                                          receivedAtMs: at + 11),
            IngestContractTests.validated([sharedLater], device: elsewhere, receivedAtMs: at + 12),
        ]
        let sqlite = try await TestStore.make(.sqlite)
        try await Self.withPostgres("ingest_writers=1") { postgres in
            var expected: [BatchAcknowledgement] = []
            for trust in ["RXX", "RYY"] {
                _ = try await postgres.addTrust(ods: trust, name: trust)
                _ = try await sqlite.store.addTrust(ods: trust, name: trust)
            }
            for batch in batches { expected.append(try await sqlite.store.ingest(batch)) }
            let stored = try await postgres.ingestTogether(batches).map { try $0.get() }
            #expect(postgres.groupCommitCounts == (transactions: 1, batches: 3))
            #expect(stored == expected)
            #expect(stored.map(\.accepted) == [2, 1, 1] && stored.map(\.duplicates) == [0, 2, 0])
            for trust in ["RXX", "RYY"] {
                let one = try await sqlite.store.timingSeries(trust: trust, fromMs: at, toMs: at + 3_600_000)
                let grouped = try await postgres.timingSeries(trust: trust, fromMs: at, toMs: at + 3_600_000)
                #expect(grouped == one)
                // The raw rows too: each device's events as stored, from the batch that stored them.
                let oneRows = try await sqlite.store.deviceRows(trust: trust, fromMs: at, toMs: at + 3_600_000)
                #expect(try await postgres.deviceRows(trust: trust, fromMs: at, toMs: at + 3_600_000) == oneRows)
            }
            let rxx = try await postgres.timingSeries(trust: "RXX", fromMs: at, toMs: at + 3_600_000)
            #expect(rxx.flatMap { $0.durations.percentile(100).map { [$0] } ?? [] }.allSatisfy { $0 < 31_000 }, "the earlier batch's row is the one stored")
        }
        await sqlite.remove()
    }

    @Test("Text with backslashes, quotes, \\N and other scripts is stored exactly, by COPY and by the insert that skips stored rows")
    func textStoredExactly() async throws {
        let at = WallClock.nowMs() - 7_200_000
        func event(_ name: String, user: String?, phases: [String: Int64]?, attributes: [String: String]?, offset: Int64) -> MeasurementEvent {
            MeasurementEvent(kind: .appStart, name: name, startedAtMs: at + offset, durationMs: 1_000 + offset, phases: phases, user: user, attributes: attributes)
        }
        let tricky = [
            event(#"C:\Program Files\App\app.exe"#, user: "0123456789abcdef0123456789abcdef", phases: [#"shell\start"#: 5, "load": 7],
                  attributes: ["path": #"\\srv\share\"#, "quote": #"say "hi" 'there'"#], offset: 0),
            event(#"\N"#, user: nil, phases: nil, attributes: nil, offset: 1),
            event("Ωmega école 日本 ✓", user: nil, phases: ["étape": 3], attributes: ["ends": #"back\"#, "null": #"\N"#], offset: 2),
        ]
        let device = DeviceIdentity(id: #"ws-\01"#, trust: "RXX", site: #"Main\Wing"#)
        // The first batch goes in by COPY; the second holds one of its events, so its new rows go in by the insert.
        let first = IngestContractTests.validated(tricky, device: device)
        let more = [event(#"second\\path"#, user: nil, phases: ["a": 1], attributes: ["k": #"v\"#], offset: 3),
                    event("plain", user: "fedcba9876543210fedcba9876543210", phases: nil, attributes: ["x": "y"], offset: 4)]
        let second = IngestContractTests.validated([tricky[0]] + more, device: device)
        try await Self.withPostgres("ingest_writers=1") { postgres, location in
            _ = try await postgres.addTrust(ods: "RXX", name: "Test")
            #expect(try await postgres.ingest(first).accepted == 3)
            let again = try await postgres.ingest(second)
            #expect(again.accepted == 2 && again.duplicates == 1)
            var expected: [UUID: [String?]] = [:]
            for batch in [PreparedBatch(first), PreparedBatch(second)] {
                for row in batch.rows where expected[row.event.id] == nil {
                    expected[row.event.id] = [row.event.name, row.event.user, row.phases, row.attributes, batch.site, batch.deviceId,
                                              batch.batchId.uuidString.lowercased()]
                }
            }
            let connection = try await PostgresConnection.connect(configuration: location.connectionConfiguration(), id: 9,
                                                                  logger: PostgresTestServer.quietLogger)
            var stored: [UUID: [String?]] = [:]
            let rows = try await connection.query("""
                SELECT event_id, name, "user", phases, attributes, site, device_id, batch_id::text FROM events
                """, logger: PostgresTestServer.quietLogger)
            for try await (id, name, user, phases, attributes, site, deviceId, batchId) in rows.decode((UUID, String, String?, String?, String?, String, String, String).self) {
                stored[id] = [name, user, phases, attributes, site, deviceId, batchId]
            }
            try await connection.close()
            #expect(stored == expected)
        }
    }

    @Test("A batch that fails inside a group fails alone: the others of its group are stored and acknowledged")
    func failingBatchFailsAlone() async throws {
        try await Self.withPostgres("ingest_writers=1") { postgres in
            _ = try await postgres.addTrust(ods: "RXX", name: "Test")
            let at = WallClock.nowMs() - 7_200_000
            let devices = (0..<4).map { DeviceIdentity(id: "ws-\($0)", trust: "RXX", site: "RXX01") }
            // A device of a trust the database does not hold: its rows break the trusts foreign key.
            let stranger = DeviceIdentity(id: "ws-9", trust: "RQQ", site: "RQQ01")
            var batches = devices.map { device in
                IngestContractTests.validated((0..<3).map { Fixtures.event(durationMs: 1_000 + Int64($0), startedAtMs: at + Int64($0)) }, device: device)
            }
            batches.insert(IngestContractTests.validated([Fixtures.event(startedAtMs: at)], device: stranger), at: 2)
            let results = await postgres.ingestTogether(batches)
            #expect(results.count == 5)
            for (index, result) in results.enumerated() {
                switch result {
                case .success(let acknowledgement):
                    #expect(index != 2, "the stranger's batch was stored")
                    #expect(acknowledgement.accepted == 3 && !acknowledgement.duplicateBatch)
                case .failure(let error):
                    #expect(index == 2, "batch \(index) failed: \(error)")
                    #expect("\(error)".contains("SQLSTATE 23503"))
                }
            }
            #expect(try await postgres.counts(trust: "RXX").events == 12)
            #expect(try await postgres.counts(trust: nil).batches == 4)
        }
    }

    @Test("Batches arriving together through ingest are grouped: every one acknowledged once, in fewer transactions")
    func concurrentIngestGroups() async throws {
        let workload = Workload(seed: 5, batchCount: 120, forCollectors: true)
        let sqlite = try await TestStore.make(.sqlite)
        try await Self.withPostgres("ingest_writers=1") { postgres in
            for trust in Workload.trusts {
                _ = try await postgres.addTrust(ods: trust, name: "Trust \(trust)")
                _ = try await sqlite.store.addTrust(ods: trust, name: "Trust \(trust)")
            }
            for batch in workload.batches { _ = try await sqlite.store.ingest(batch) }
            let acknowledgements = try await withThrowingTaskGroup(of: BatchAcknowledgement.self) { group in
                for batch in workload.batches { group.addTask { try await postgres.ingest(batch) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let claims = Dictionary(grouping: acknowledgements.filter { !$0.duplicateBatch }, by: \.batchId)
            #expect(claims.count == Set(workload.batches.map(\.batch.batchId)).count && claims.values.allSatisfy { $0.count == 1 })
            let counts = postgres.groupCommitCounts
            #expect(counts.batches == workload.batches.count && counts.transactions < counts.batches,
                    "\(counts.transactions) transactions for \(counts.batches) batches")
            DifferentialTests.compare(try await DifferentialTests.reads(sqlite.store), try await DifferentialTests.reads(postgres), "grouped by the queue,")
        }
        await sqlite.remove()
    }

    @Test("Devices sending in parallel, each its batches in turn with inventories changing its model, end as SQLite fed them one by one")
    func parallelDevicesWithInventories() async throws {
        let at = (WallClock.nowMs() / 3_600_000 - 6) * 3_600_000
        let models = [("Dell", "OptiPlex 7010"), ("HP", "EliteDesk 800 G6"), ("Lenovo", "ThinkCentre M70q")]
        // Per device five batches: an inventory in the second and fourth (a new model each time), boots and logons in all.
        let devices = (0..<8).map { DeviceIdentity(id: "ws-\($0)", trust: $0 % 3 == 0 ? "RYY" : "RXX", site: $0 % 3 == 0 ? "RYY01" : "RXX0\($0 % 2 + 1)") }
        let plans: [[ValidatedBatch]] = devices.enumerated().map { index, device in
            (0..<5).map { step in
                let start = at + Int64(step * 600_000 + index * 1_000)
                var events = [Fixtures.event(kind: .boot, name: "boot", durationMs: 30_000 + Int64(index * 100 + step), startedAtMs: start),
                              Fixtures.event(durationMs: 20_000 + Int64(index * 100 + step), startedAtMs: start + 1)]
                if step == 1 || step == 3 {
                    let model = models[(index + step) % models.count]
                    events.insert(MeasurementEvent(kind: .inventory, name: "device", startedAtMs: start - 1, durationMs: 0,
                                                   attributes: ["vendor": model.0, "model": model.1, "memory_mb": "\(8192 * (step + 1))"]), at: 0)
                }
                return IngestContractTests.validated(events, device: device, receivedAtMs: start + 5_000)
            }
        }
        let sqlite = try await TestStore.make(.sqlite)
        try await Self.withPostgres("ingest_writers=2") { postgres in
            for trust in ["RXX", "RYY"] {
                _ = try await postgres.addTrust(ods: trust, name: trust)
                _ = try await sqlite.store.addTrust(ods: trust, name: trust)
            }
            for plan in plans { for batch in plan { _ = try await sqlite.store.ingest(batch) } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for plan in plans {
                    group.addTask { for batch in plan { _ = try await postgres.ingest(batch) } }
                }
                try await group.waitForAll()
            }
            let from = at - 3_600_000, to = at + 4 * 3_600_000
            for trust in ["RXX", "RYY"] {
                #expect(try await postgres.deviceRows(trust: trust, fromMs: from, toMs: to) == (try await sqlite.store.deviceRows(trust: trust, fromMs: from, toMs: to)))
            }
            _ = try await postgres.foldAggregates()
            DifferentialTests.compare(try await DifferentialTests.reads(sqlite.store, endMs: to), try await DifferentialTests.reads(postgres, endMs: to),
                                      "parallel devices with inventories,")
        }
        await sqlite.remove()
    }

    @Test("The URL's pool and writer settings are checked")
    func writerSettings() throws {
        let location = try PostgresStoreLocation(url: "postgres://u@h/db?pool_max=6", environment: [:])
        #expect(location.maximumConnections == 6 && location.ingestWriters == 2)
        #expect(try PostgresStoreLocation(url: "postgres://u@h/db?pool_max=1", environment: [:]).ingestWriters == 1)
        #expect(try PostgresStoreLocation(url: location.url, environment: [:]).ingestWriters == 2)
        #expect(try PostgresStoreLocation(url: "postgres://u@h/db?pool_max=6&ingest_writers=6", environment: [:]).ingestWriters == 6)
        for bad in ["pool_max=0", "pool_max=many", "ingest_writers=0", "pool_max=4&ingest_writers=5"] {
            #expect(throws: PostgresStoreError.self) { try PostgresStoreLocation(url: "postgres://u@h/db?\(bad)", environment: [:]) }
        }
    }
}
