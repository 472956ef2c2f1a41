import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Logging
import Testing

/// `GET /v1/trusts` and `GET /v1/indicators` over real HTTP: the maturity toolkit's token reads every trust's
/// indicators and the list of trusts, and nothing else; readers and devices read neither; every read is audited.
@Suite("National export endpoints")
struct NationalExportEndpointTests {
    @Test("A toolkit token pulls every trust's indicators (JSON, CSV, FHIR) and the trust list, and nothing else")
    func toolkitPull() async throws {
        let dir = try TemporaryDirectory("deskready-national-endpoint")
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("c.sqlite"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let log = CapturedLog()
        let service = TrustReportService(store: store, model: try MaturityModel.standard)
        let collector = try await RunningCollector.start(store: store, logger: logger, reports: service,
                                                         audit: AuditLog(logger: log.logger(label: "deskready.audit")))
        let trusts = ["RXA", "RXB", "RXC", "RXD"]
        for (index, ods) in trusts.enumerated() {
            _ = try await store.addTrust(ods: ods, name: "Trust \(ods)")
            let device = DeviceIdentity(id: "ws-1", trust: ods, site: "\(ods)01")
            let events = (0..<15).map { i in Fixtures.event(durationMs: Int64(i + 1) * 4_000 * Int64(index + 1)) }
            try await store.ingest(events, device: device)
        }
        _ = try await store.addTrust(ods: "RXE", name: "Trust without data")
        let toolkit = try await store.issueToken(role: .toolkit, trust: nil, label: "maturity toolkit", expiresMs: nil).token
        let admin = try await store.issueToken(role: .admin, trust: nil, label: "ops", expiresMs: nil).token
        let reader = try await store.issueToken(role: .reader, trust: "RXA", label: "CIO", expiresMs: nil).token
        let importer = try await store.issueToken(role: .importer, trust: "RXA", label: "wef", expiresMs: nil).token
        let device = try await store.enrolDevice(trust: "RXA", deviceId: "ws-9", site: "RXA01", installKey: nil, nowMs: WallClock.nowMs()).token
        let client = HTTPClientForTests(base: collector.baseURL)

        // The list: every trust set up, with its newest data; the one without data has none.
        let list = try await client.get("/v1/trusts", token: toolkit)
        #expect(list.status == 200)
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(list.body)) as? [String: [[String: Any]]])
        #expect(listed["trusts"]?.compactMap { $0["ods"] as? String } == trusts + ["RXE"])
        #expect(listed["trusts"]?.first?["newest_data_at"] is String)
        #expect(listed["trusts"]?.last?["newest_data_at"] == nil)

        // JSON: the all-trusts report of the same grades the service would give, each trust beside its peers.
        let json = try await client.get("/v1/indicators?format=json", token: toolkit)
        #expect(json.status == 200)
        let report = try GradedJSONRenderer().decode(json.text)
        // Every trust set up is in it; the one without data is not graded but still sees the median of the others.
        #expect(report.trusts.map(\.trust) == trusts + ["RXE"])
        #expect(report.trusts.map { $0.indicator("logon_p90")?.peers?.trusts } == [3, 3, 3, 3, 4])
        #expect(report.trusts.last?.indicator("logon_p90")?.status == .insufficientData)
        #expect(report.peersGradedAt != nil)
        let csv = try await client.get("/v1/indicators?format=csv", token: toolkit)
        #expect(csv.status == 200)
        #expect(csv.text.hasPrefix(CSVReportRenderer.header.joined(separator: ",")))
        // The trust is the fifth column, before any quoted field.
        let rows = csv.text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        #expect(Set(rows.map { $0.components(separatedBy: ",")[4] }) == Set(trusts + ["RXE"]))
        let fhir = try await client.get("/v1/indicators?format=fhir", token: admin)
        #expect(fhir.status == 200)
        let bundle = try JSONDecoder().decode(FHIRBundle.self, from: Data(fhir.body))
        #expect(bundle.entry.filter { if case .measureReport = $0.resource { true } else { false } }.count == 2 * 5)

        // Bad queries are problems naming the parameter; other roles are refused both routes.
        #expect(try await client.get("/v1/indicators?format=html", token: toolkit).status == 400)
        #expect(try await client.get("/v1/indicators?from=2026-02-30", token: toolkit).status == 400)
        #expect(try await client.get("/v1/indicators").status == 401)
        for token in [reader, importer, device] {
            #expect(try await client.get("/v1/indicators", token: token).status == 403)
            #expect(try await client.get("/v1/trusts", token: token).status == 403)
        }
        // The toolkit reads indicators only: no trust's report page, no device table.
        #expect(try await client.get("/v1/trusts/RXA/report", token: toolkit).status == 403)
        #expect(try await client.get("/v1/trusts/RXA/devices", token: toolkit).status == 403)

        // The pulls graded every trust once, then took them from the cache; /metrics says so.
        let metrics = try await client.get("/metrics").text
        let hits = metrics.split(separator: "\n").first { $0.hasPrefix("deskready_report_cache_hits_total ") }
        #expect((hits?.split(separator: " ").last).flatMap { Double($0) }.map { $0 > 0 } == true, "\(metrics.suffix(1500))")
        #expect(metrics.contains(#"deskready_report_cache_entries{kind="whole_report"} 5"#))
        let actions = log.audit.map { $0.metadata["action"] ?? "" }
        #expect(actions.filter { $0 == "indicators.export" }.count == 3)
        #expect(actions.filter { $0 == "trusts.list" }.count == 1)
        #expect(log.audit.first { $0.metadata["action"] == "indicators.export" }?.metadata["actor"]?.contains("maturity toolkit") == true)
        try await collector.stop()
    }
}
