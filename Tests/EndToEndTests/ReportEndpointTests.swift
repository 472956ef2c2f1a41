import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
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
        let deviceToken = try await store.enrolDevice(trust: "RXA", deviceId: device.id, site: device.site, nowMs: WallClock.nowMs()).token
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
