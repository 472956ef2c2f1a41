import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadyPostgresStore
import DeskReadyTestSupport
import Foundation
import Synchronization
import Testing

/// Three `deskready serve` processes on one PostgreSQL database, one killed with SIGKILL mid-run and restarted.
@Suite("Collectors on PostgreSQL survive a kill", .enabled(if: PostgresTestServer.location != nil, "DESKREADY_TEST_POSTGRES_URL is not set: the collector fault test is skipped"))
struct CollectorFaultTests {
    /// A `deskready serve` process on a fixed port, restartable.
    final class Collector: Sendable {
        let port: Int
        let database: String
        private let process = Mutex<Process?>(nil)

        init(port: Int, database: String) {
            self.port = port
            self.database = database
        }

        var base: String { "http://127.0.0.1:\(port)" }

        func start() async throws {
            let server = Process()
            server.executableURL = URL(fileURLWithPath: try BuiltProducts.executable("deskready"))
            server.arguments = ["serve", "--db", database, "--listen", "127.0.0.1:\(port)", "--log-level", "critical"]
            try server.run()
            process.withLock { $0 = server }
            for _ in 0..<200 {
                let base = self.base
                if (try? await blocking { try CurlTransport().get(url: base + "/readyz", headers: [], timeoutMs: 500, connectTimeoutMs: 200).status }) == 200 { return }
                try await Task.sleep(for: .milliseconds(25))
            }
            throw ProcessFailure("deskready serve did not become ready on port \(port)")
        }

        func kill() {
            process.withLock { server in
                guard let server else { return }
                Foundation.kill(server.processIdentifier, SIGKILL)
                server.waitUntilExit()
            }
        }

        func stop() {
            process.withLock { server in
                guard let server, server.isRunning else { return }
                server.terminate()
                server.waitUntilExit()
            }
        }
    }

    @Test("Every batch acknowledged and stored once, and every read and report equal to one SQLite store fed the same batches")
    func killOneOfThree() async throws {
        let database = try await PostgresTestServer.createDatabase()
        let url = database.location.url
        let deskready = try BuiltProducts.executable("deskready")
        let endMs = WallClock.nowMs() / 86_400_000 * 86_400_000
        let workload = Workload(seed: 4242, batchCount: 150, forCollectors: true, endMs: endMs)
        let sqlite = try await TestStore.make(.sqlite)
        // The trusts through the command line, as an operator sets them up; devices through the store.
        for trust in Workload.trusts {
            let added = try await run(deskready, ["trust", "add", trust, "--name", "Trust \(trust)", "--db", url])
            #expect(added.status == 0, "\(added.stderr)")
            _ = try await sqlite.store.addTrust(ods: trust, name: "Trust \(trust)")
        }
        let admin = try await PostgresMeasurementStore.open(database.location, logger: PostgresTestServer.quietLogger)
        var tokens: [String: String] = [:]
        for device in workload.devices {
            tokens[device.id] = try await admin.enrolDevice(trust: device.trust, deviceId: device.id, site: device.site, installKey: nil, nowMs: WallClock.nowMs()).token
        }
        let deviceTokens = tokens
        let collectors = try (0..<3).map { _ in Collector(port: try freeLoopbackPort(), database: url) }
        for collector in collectors { try await collector.start() }

        // Six agents post the batches round-robin; a refused connection or 5xx moves on to the next collector, as an
        // agent behind a load balancer retries. Collector 1 is killed a third of the way in and restarted later.
        let state = AgentsState()
        let bodies = try workload.batches.map { try Fixtures.json($0.batch) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for agent in 0..<6 {
                group.addTask {
                    while true {
                        let index = state.next.add(1, ordering: .relaxed).oldValue
                        guard index < bodies.count else { return }
                        if index == bodies.count / 3 { collectors[1].kill() }
                        if index == 2 * bodies.count / 3 { try await collectors[1].start() }
                        let token = deviceTokens[workload.batches[index].batch.device.id]!
                        var attempt = 0
                        while true {
                            let collector = collectors[(index + agent + attempt) % collectors.count]
                            let reply = try? await blocking {
                                try CurlTransport().post(url: collector.base + "/v1/batches",
                                                         headers: ["Content-Type: application/json", "Authorization: Bearer \(token)"],
                                                         body: bodies[index], timeoutMs: 20_000, connectTimeoutMs: 1_000)
                            }
                            if let reply, reply.status == 200 {
                                let ack = try JSONDecoder().decode(BatchAcknowledgement.self, from: Data(reply.body))
                                state.acknowledgements.withLock { $0.append(ack) }
                                break
                            }
                            #expect(reply == nil || reply!.status >= 500, "status \(reply?.status ?? 0): \(reply.map { String(decoding: $0.body, as: UTF8.self) } ?? "")")
                            attempt += 1
                            state.retries.add(1, ordering: .relaxed)
                            try await Task.sleep(for: .milliseconds(20))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        for collector in collectors { collector.stop() }
        // The reference takes what the collectors' validator accepts: every event once (a repeat in a batch is refused).
        for batch in workload.batches {
            var seen = Set<UUID>()
            let accepted = batch.batch.events.indices.filter { seen.insert(batch.batch.events[$0].id).inserted }
            _ = try await sqlite.store.ingest(ValidatedBatch(batch: batch.batch, acceptedIndices: accepted, rejected: [],
                                                             receivedAtMs: batch.receivedAtMs))
        }
        let acks = state.acknowledgements.withLock { $0 }
        #expect(state.retries.load(ordering: .relaxed) > 0, "the kill made some agents retry")
        #expect(acks.count == workload.batches.count)
        #expect(acks.allSatisfy { $0.rejected.allSatisfy { $0.reason.contains("appears twice") } }, "\(acks.flatMap(\.rejected).map(\.reason))")
        // A batch stored just before its collector was killed is acknowledged on retry as a duplicate: so the stored
        // count is compared store to store, and each acknowledgement must account for every event of its batch.
        let reference = try await sqlite.store.counts(trust: nil).events
        #expect(try await admin.counts(trust: nil).events == reference, "every event stored exactly once")
        #expect(acks.reduce(0) { $0 + $1.accepted } <= reference)
        let sizes = Dictionary(workload.batches.map { ($0.batch.batchId, $0.batch.events.count) }, uniquingKeysWith: { first, _ in first })
        #expect(acks.allSatisfy { $0.accepted + $0.duplicates + $0.rejected.count == sizes[$0.batchId] }, "every event of a batch accounted for")
        // Device records carry the collectors' clocks (enrolment, last seen); every other read must be equal.
        let expected = try await DifferentialTests.reads(sqlite.store, endMs: endMs).filter { if case .devices = $0 { false } else { true } }
        let actual = try await DifferentialTests.reads(admin, endMs: endMs).filter { if case .devices = $0 { false } else { true } }
        DifferentialTests.compare(expected, actual, "PostgreSQL behind three collectors")
        let sqliteReports = try await DifferentialTests.reports(sqlite.store, endMs: endMs)
        let postgresReports = try await DifferentialTests.reports(admin, endMs: endMs)
        #expect(sqliteReports == postgresReports, "every report format byte-identical")
        await admin.close()
        await sqlite.remove()
        await database.drop()
    }
}

/// What the simulated agents share: the next batch to send, the acknowledgements, and how often they retried.
final class AgentsState: Sendable {
    let next = Atomic<Int>(0)
    let acknowledgements = Mutex<[BatchAcknowledgement]>([])
    let retries = Atomic<Int>(0)
}
