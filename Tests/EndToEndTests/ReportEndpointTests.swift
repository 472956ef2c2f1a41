import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Logging
import Testing

/// `GET /v1/trusts/{ods}/report`: a reader token reads its own trust's report, in every format, and nothing else.
@Suite("Report endpoint")
struct ReportEndpointTests {
    @Test("Readers read their own trust only; admins read any; devices none; formats and dates are checked")
    func access() async throws {
        let dir = try TemporaryDirectory("deskready-report-endpoint")
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("c.sqlite"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let collector = try await RunningCollector.start(store: store, logger: logger, reports: TrustReportService(store: store, model: try MaturityModel.standard))
        for ods in ["RXA", "RXB"] { _ = try await store.addTrust(ods: ods, name: "Trust \(ods)") }
        let device = DeviceIdentity(id: "ws-1", trust: "RXA", site: "RXA01")
        let deviceToken = try await store.enrolDevice(trust: "RXA", deviceId: device.id, site: device.site, installKey: nil, nowMs: WallClock.nowMs()).token
        let events = (0..<12).map { i in Fixtures.event(durationMs: Int64(i + 1) * 10_000) }
        _ = try await store.ingest(ValidatedBatch(batch: Fixtures.batch(events: events, device: device), acceptedIndices: Array(events.indices), rejected: [], receivedAtMs: WallClock.nowMs()))
        let readerA = try await store.issueToken(role: .reader, trust: "RXA", label: "CIO A", expiresMs: nil).token
        let admin = try await store.issueToken(role: .admin, trust: nil, label: "ops", expiresMs: nil).token
        let client = HTTPClientForTests(base: collector.baseURL)

        let json = try await client.get("/v1/trusts/RXA/report?format=json", token: readerA)
        #expect(json.status == 200)
        let object = try JSONSerialization.jsonObject(with: Data(json.body)) as? [String: Any]
        #expect(object != nil)
        #expect(json.text.contains("\"RXA\""))
        #expect(!json.text.contains("\"RXB\""))
        for format in ["text", "html", "csv", "fhir"] {
            #expect(try await client.get("/v1/trusts/RXA/report?format=\(format)", token: readerA).status == 200)
        }
        #expect(try await client.get("/v1/trusts/RXB/report", token: readerA).status == 403)
        #expect(try await client.get("/v1/trusts/RXB/report", token: admin).status == 200)
        #expect(try await client.get("/v1/trusts/RXA/report", token: deviceToken).status == 403)
        #expect(try await client.get("/v1/trusts/RXA/report").status == 401)
        #expect(try await client.get("/v1/trusts/RXA/report?format=pdf", token: readerA).status == 400)
        #expect(try await client.get("/v1/trusts/RXA/report?from=2026-02-30", token: readerA).status == 400)
        #expect(try await client.get("/v1/trusts/RZZ/report", token: admin).status == 404)

        // Beside a saved baseline: shown when it exists, 404 when the trust has none of that name, 400 for a bad name.
        let before = try await GradedReportBuilder(store: store, model: try MaturityModel.standard)
            .report(trust: "RXA", fromMs: WallClock.nowMs() - 86_400_000 * 7, toMs: WallClock.nowMs() + 1, peers: false)
        let snapshot = BaselineSnapshot(name: "before", trust: try #require(before.trusts.first), report: before, savedAtMs: WallClock.nowMs())
        try await store.saveBaseline(try snapshot.stored(savedAtMs: WallClock.nowMs()))
        let withBaseline = try await client.get("/v1/trusts/RXA/report?format=json&baseline=before", token: readerA)
        #expect(withBaseline.status == 200)
        let decoded = try GradedJSONRenderer().decode(withBaseline.text)
        #expect(decoded.trusts.first?.baseline?.name == "before")
        #expect(decoded.trusts.first?.indicator("logon_p90")?.baseline?.saved.value == snapshot.indicators["logon_p90"]?.value)
        let unknown = try await client.get("/v1/trusts/RXA/report?baseline=after", token: readerA)
        #expect(unknown.status == 404)
        #expect(unknown.text.contains("trust RXA has no baseline named 'after'"))
        #expect(try await client.get("/v1/trusts/RXB/report?baseline=before", token: admin).status == 404, "baselines belong to their trust")
        #expect(try await client.get("/v1/trusts/RXA/report?baseline=a%20b", token: readerA).status == 400)
        try await collector.stop()
    }
}

/// GETs over real HTTP with an optional bearer token.
struct HTTPClientForTests {
    let base: String

    func get(_ path: String, token: String? = nil) async throws -> TestResponse {
        let url = base + path
        return try await blocking {
            let exchange = try CurlTransport().get(url: url, headers: token.map { ["Authorization: Bearer \($0)"] } ?? [], timeoutMs: 20_000, connectTimeoutMs: 2_000)
            return TestResponse(status: exchange.status, body: exchange.body, retryAfter: exchange.retryAfterSeconds)
        }
    }
}

import DeskReadyAgent
