import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadyPostgresStore
import DeskReadyReporting
import DeskReadyTestSupport
import Foundation
import Logging
import Testing

/// Two collectors serving HTTP on 127.0.0.1, one PostgreSQL database behind both.
@Suite("Two collectors, one PostgreSQL", .enabled(if: PostgresTestServer.location != nil, "DESKREADY_TEST_POSTGRES_URL is not set: the two-collector test is skipped"))
struct TwoCollectorsTests {
    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]
    }

    static func post(_ url: String, _ body: [UInt8], token: String) async throws -> Reply {
        try await blocking {
            let exchange = try CurlTransport().post(url: url + "/v1/batches", headers: ["Content-Type: application/json", "Authorization: Bearer \(token)"],
                                                    body: body, timeoutMs: 20_000, connectTimeoutMs: 2_000)
            return Reply(status: exchange.status, body: exchange.body)
        }
    }

    static func get(_ url: String, _ path: String, token: String) async throws -> Reply {
        try await blocking {
            let exchange = try CurlTransport().get(url: url + path, headers: ["Authorization: Bearer \(token)"], timeoutMs: 20_000, connectTimeoutMs: 2_000)
            return Reply(status: exchange.status, body: exchange.body)
        }
    }

    @Test("The same batch sent to both at once is stored once and both acknowledge it; reports read the same from either")
    func sameBatchTwice() async throws {
        let database = try await PostgresTestServer.createDatabase()
        var logger = Logger(label: "test.collectors")
        logger.logLevel = .critical
        let stores = [try await PostgresMeasurementStore.open(database.location, logger: logger),
                      try await PostgresMeasurementStore.open(database.location, logger: logger)]
        var collectors: [RunningCollector] = []
        for store in stores {
            collectors.append(try await RunningCollector.start(store: store, logger: logger,
                                                               reports: TrustReportService(store: store, model: try MaturityModel.standard)))
        }
        let device = Fixtures.device
        _ = try await stores[0].addTrust(ods: device.trust, name: "Test")
        let deviceToken = try await stores[1].enrolDevice(trust: device.trust, deviceId: device.id, site: device.site, installKey: nil, nowMs: WallClock.nowMs()).token
        let adminToken = try await stores[0].issueToken(role: .admin, trust: nil, label: "test", expiresMs: nil).token
        let hour = WallClock.nowMs() / 3_600_000 * 3_600_000 - 2 * 3_600_000
        for round in 0..<5 {
            let events = (0..<100).map { Fixtures.event(durationMs: 5_000 + Int64(round * 100 + $0) * 37, startedAtMs: hour + Int64($0)) }
            let body = try Fixtures.json(Fixtures.batch(events: events, device: device))
            async let a = Self.post(collectors[0].baseURL, body, token: deviceToken)
            async let b = Self.post(collectors[1].baseURL, body, token: deviceToken)
            let replies = try await [a, b]
            #expect(replies.map(\.status) == [200, 200], "\(replies.map { String(decoding: $0.body, as: UTF8.self) })")
            let acks = try replies.map { try JSONDecoder().decode(BatchAcknowledgement.self, from: Data($0.body)) }
            #expect(acks.map(\.accepted).sorted() == [0, 100], "stored by exactly one collector")
            #expect(acks.filter(\.duplicateBatch).count == 1 && acks.contains { $0.duplicates == 100 })
        }
        #expect(try await stores[0].counts(trust: device.trust).events == 500)
        #expect(try await stores[1].counts(trust: device.trust).batches == 5)
        let path = "/v1/trusts/\(device.trust)/report?format=json"
        var bodies: [[String: Any]] = []
        for collector in collectors {
            let reply = try await Self.get(collector.baseURL, path, token: adminToken)
            #expect(reply.status == 200)
            var json = try #require(try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])
            json["generated_at"] = nil
            json["peers_graded_at"] = nil
            bodies.append(json)
        }
        #expect(NSDictionary(dictionary: bodies[0]).isEqual(to: bodies[1]))
        let series = try await stores[1].timingSeries(trust: device.trust, fromMs: hour, toMs: hour + 3_600_000)
        #expect(series.first?.durations.count == 500)
        for collector in collectors { try await collector.stop() }
        for store in stores { await store.close() }
        await database.drop()
    }
}
