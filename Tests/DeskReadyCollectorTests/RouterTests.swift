import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// The collector's routes in process, without sockets (HummingbirdTesting's router mode): authentication by route group,
/// trust binding, report queries and their limits, audit lines. The live tests over libcurl are in the other suites.
@Suite("Router")
struct RouterTests {
    /// Renders the query it gets back as text, after an optional pause: enough to see what the route passed on, and to
    /// hold report slots.
    struct EchoReports: ReportRendering {
        var pause: Duration = .zero
        /// Counts renders begun, so a test can wait for one instead of guessing how long it takes to start.
        var started = RenderCount()
        var formats: [String] { ["json", "csv", "text"] }
        func render(_ query: ReportQuery) async throws -> RenderedReport {
            started.add()
            if pause > .zero { try await Task.sleep(for: pause) }
            return RenderedReport(contentType: "text/plain", body: "\(query.trust ?? "*") \(CivilDay.format(query.period.fromMs)) \(CivilDay.format(query.period.toMs)) \(query.format)")
        }
    }

    struct Setup: Sendable {
        let store: SQLiteMeasurementStore
        let directory: TemporaryDirectory
        let log: CapturedLog
        var tokens: [String: String] = [:]
    }

    func withRouter(reports: EchoReports = EchoReports(), configuration: CollectorConfiguration = CollectorConfiguration(),
                    _ body: @escaping @Sendable (Setup, any TestClientProtocol) async throws -> Void) async throws {
        let directory = try TemporaryDirectory("deskready-router")
        defer { directory.remove() }
        let store = try SQLiteMeasurementStore(path: directory.file("c.sqlite"))
        for ods in ["RXA", "RXB"] { _ = try await store.addTrust(ods: ods, name: "Trust \(ods)") }
        let log = CapturedLog()
        var setup = Setup(store: store, directory: directory, log: log)
        setup.tokens["readerA"] = try await store.issueToken(role: .reader, trust: "RXA", label: "CIO A", expiresMs: nil).token
        setup.tokens["admin"] = try await store.issueToken(role: .admin, trust: nil, label: "ops", expiresMs: nil).token
        setup.tokens["enrolA"] = try await store.issueToken(role: .enrolment, trust: "RXA", label: "wave 1", expiresMs: nil).token
        setup.tokens["importerA"] = try await store.issueToken(role: .importer, trust: "RXA", label: "wef", expiresMs: nil).token
        setup.tokens["deviceA"] = try await store.enrolDevice(trust: "RXA", deviceId: "ws-1", site: "RXA01", installKey: nil, nowMs: WallClock.nowMs()).token
        let router = CollectorServer.router(store: store, configuration: configuration, metrics: CollectorMetrics(), reports: reports,
                                            audit: AuditLog(logger: log.logger(label: "deskready.audit")))
        let app = Application(router: router)
        let ready = setup
        try await app.test(.router) { client in try await body(ready, client) }
    }

    func get(_ client: some TestClientProtocol, _ uri: String, token: String? = nil, method: HTTPRequest.Method = .get) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: headers) { response in
            (response.status, String(buffer: response.body), response.headers)
        }
    }

    @Test("A from after today is a 400 that says so, not a crash (the regression of issue 19)")
    func fromAfterToday() async throws {
        try await withRouter { setup, client in
            let tomorrow = CivilDay.format(WallClock.nowMs() + UTCTime.dayMs)
            let (status, body, headers) = try await get(client, "/v1/trusts/RXA/report?from=\(tomorrow)", token: setup.tokens["readerA"])
            #expect(status == .badRequest)
            #expect(headers[.contentType] == "application/problem+json")
            #expect(body.contains("after today"))
            // The collector is still there.
            let status1 = try await get(client, "/healthz").0
            #expect(status1 == .ok)
        }
    }

    @Test("Hostile report parameters are 400s that name the parameter, as reader and as admin", arguments: [
        "from=0001-01-01&to=2026-11-01", "from=2026-02-29", "from=2026-13-01", "to=1970-01-01", "from=2026-11-10&to=2026-11-01",
        "to=9999-12-31", "from=\u{2603}", "from=2026-01-01%00", "format=pdf", "format=", "baseline=..%2F..", "baseline=" + String(repeating: "a", count: 65),
        "from=" + String(repeating: "9", count: 4000),
    ])
    func hostileParameters(query: String) async throws {
        try await withRouter { setup, client in
            for token in [setup.tokens["readerA"], setup.tokens["admin"]] {
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["+"])) ?? query
                let (status, body, headers) = try await get(client, "/v1/trusts/RXA/report?\(encoded)", token: token)
                #expect(status == .badRequest || status == .notFound, "\(query): \(status) \(body)")
                #expect(headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test("Roles are checked by route group: each token reaches only its own endpoints")
    func rolesByGroup() async throws {
        try await withRouter { setup, client in
            let report = "/v1/trusts/RXA/report"
            let status2 = try await get(client, report).0
            #expect(status2 == .unauthorized)
            let status3 = try await get(client, report, token: "drr_not-a-token").0
            #expect(status3 == .unauthorized)
            let status4 = try await get(client, report, token: setup.tokens["readerA"]).0
            #expect(status4 == .ok)
            let status5 = try await get(client, report, token: setup.tokens["admin"]).0
            #expect(status5 == .ok)
            for role in ["deviceA", "enrolA", "importerA"] {
                let status6 = try await get(client, report, token: setup.tokens[role]).0
                #expect(status6 == .forbidden, "\(role)")
            }
            let status7 = try await get(client, "/v1/trusts/RXB/report", token: setup.tokens["readerA"]).0
            #expect(status7 == .forbidden)
            let status8 = try await get(client, "/v1/trusts/RXB/report", token: setup.tokens["admin"]).0
            #expect(status8 == .ok)
            let status9 = try await get(client, "/v1/trusts/RZZ/report", token: setup.tokens["admin"]).0
            #expect(status9 == .notFound)
        }
    }

    @Test("The route hands the report service a checked query: the default period, the format")
    func queryPassedOn() async throws {
        try await withRouter { setup, client in
            let (status, body, _) = try await get(client, "/v1/trusts/RXA/report?format=csv", token: setup.tokens["readerA"])
            #expect(status == .ok)
            let today = WallClock.nowMs()
            #expect(body == "RXA \(CivilDay.format(today - 27 * UTCTime.dayMs)) \(CivilDay.format(today + UTCTime.dayMs)) csv")
        }
    }

    @Test("Every report read is an audit line naming the credential, the trust and the format")
    func auditLines() async throws {
        try await withRouter { setup, client in
            _ = try await get(client, "/v1/trusts/RXA/report?format=text", token: setup.tokens["readerA"])
            _ = try await get(client, "/v1/trusts/RXB/report", token: setup.tokens["admin"])
            let lines = setup.log.audit.filter { $0.metadata["action"] == "report.read" }
            #expect(lines.count == 2)
            #expect(lines.first?.metadata["trust"] == "RXA")
            #expect(lines.first?.metadata["format"] == "text")
            #expect(lines.first?.metadata["actor"]?.hasPrefix("reader#") == true)
            #expect(lines.last?.metadata["actor"]?.hasPrefix("admin#") == true)
            #expect(lines.last?.metadata["trust"] == "RXB")
        }
    }

    @Test("Reports beyond the concurrency limit get 503 with Retry-After; one past its time limit is cancelled with 503")
    func boundedRendering() async throws {
        var limits = CollectorConfiguration()
        limits.maxConcurrentReports = 1
        limits.reportTimeLimitSeconds = 2
        let reports = EchoReports(pause: .seconds(10))
        try await withRouter(reports: reports, configuration: limits) { setup, client in
            let token = setup.tokens["readerA"]
            async let first = get(client, "/v1/trusts/RXA/report", token: token)
            // The second request goes once the first holds the only slot (a fixed wait raced a busy machine).
            let deadline = ContinuousClock.now + .seconds(20)
            while reports.started.value == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(reports.started.value == 1)
            let (busy, _, busyHeaders) = try await get(client, "/v1/trusts/RXA/report", token: token)
            #expect(busy == .serviceUnavailable)
            #expect(busyHeaders[.retryAfter] != nil)
            let (late, body, _) = try await first
            #expect(late == .serviceUnavailable)
            #expect(body.contains("time limit") || body.contains("limit of"))
        }
    }

    @Test("HEAD is answered on the health, readiness and metrics routes")
    func head() async throws {
        try await withRouter { _, client in
            for path in ["/healthz", "/readyz", "/metrics"] {
                let (status, body, _) = try await get(client, path, method: .head)
                #expect(status == .ok, "\(path)")
                #expect(body.isEmpty)
            }
        }
    }

    @Test("An importer writes batches for any device of its trust and none of another; a device only for itself")
    func importerScope() async throws {
        try await withRouter { setup, client in
            func post(_ device: DeviceIdentity, token: String?) async throws -> HTTPResponse.Status {
                let body = try Fixtures.json(Fixtures.batch(events: [Fixtures.event()], device: device))
                return try await client.execute(uri: "/v1/batches", method: .post,
                                                headers: [.authorization: "Bearer \(token ?? "")", .contentType: "application/json"],
                                                body: ByteBuffer(bytes: body)) { $0.status }
            }
            let status10 = try await post(DeviceIdentity(id: "win-0042", trust: "RXA", site: "RXA02"), token: setup.tokens["importerA"])
            #expect(status10 == .ok)
            let status11 = try await post(DeviceIdentity(id: "win-0042", trust: "RXB", site: "RXB01"), token: setup.tokens["importerA"])
            #expect(status11 == .forbidden)
            let status12 = try await post(DeviceIdentity(id: "ws-1", trust: "RXA", site: "RXA01"), token: setup.tokens["deviceA"])
            #expect(status12 == .ok)
            let status13 = try await post(DeviceIdentity(id: "ws-2", trust: "RXA", site: "RXA01"), token: setup.tokens["deviceA"])
            #expect(status13 == .forbidden)
            let storedInRXA = try await setup.store.counts(trust: "RXA").events
            #expect(storedInRXA == 2)
            #expect(try await setup.store.counts(trust: "RXB").events == 0)
        }
    }

    @Test("A batch acknowledgement echoes the batch id in lower case")
    func lowerCaseBatchId() async throws {
        try await withRouter { setup, client in
            let batch = Fixtures.batch(events: [Fixtures.event()], device: DeviceIdentity(id: "ws-1", trust: "RXA", site: "RXA01"))
            let text = try await client.execute(uri: "/v1/batches", method: .post,
                                                headers: [.authorization: "Bearer \(setup.tokens["deviceA"] ?? "")", .contentType: "application/json"],
                                                body: ByteBuffer(bytes: try Fixtures.json(batch))) { String(buffer: $0.body) }
            #expect(text.contains(batch.batchId.uuidString.lowercased()))
        }
    }
}

/// A counter shared between a test and the report renderer it installs.
final class RenderCount: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func add() { count.withLock { $0 += 1 } }
}
