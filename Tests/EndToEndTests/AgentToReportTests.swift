import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import DeskReadyTestSupport
import Foundation
import Synchronization
import Testing

/// Delivers each request for real, then loses the first `lose` responses, as a network that drops a reply would.
final class LosingTransport: HTTPTransport {
    let inner = CurlTransport()
    let remaining: Mutex<Int>
    let sent = Mutex<[UUID]>([])

    init(lose: Int) { remaining = Mutex(lose) }

    func post(url: String, headers: [String], body: [UInt8], timeoutMs: Int, connectTimeoutMs: Int) throws(TransportError) -> HTTPExchange {
        let exchange = try inner.post(url: url, headers: headers, body: body, timeoutMs: timeoutMs, connectTimeoutMs: connectTimeoutMs)
        let lose = remaining.withLock { value -> Bool in
            defer { value -= 1 }
            return value > 0
        }
        if lose { throw TransportError("simulated: the response was lost") }
        return exchange
    }
}

@Suite("Agent to collector to report, end to end")
struct AgentToReportTests {
    @Test("Spooled events arrive once through lost responses, bad input changes nothing, and the report matches the inputs")
    func endToEnd() async throws {
        let collector = try await TestCollector.start()
        let dir = try TemporaryDirectory("deskready-e2e")
        defer { dir.remove() }

        // Two devices of one trust, one of another, each with its own spool, as on real workstations.
        let now = WallClock.nowMs()
        var random = SystemRandomNumberGenerator()
        var expected: [String: [Int64]] = [:]
        var expectedApps: [Int64] = []
        let devices = [("ws-a1", "RXA", "RXA01"), ("ws-a2", "RXA", "RXA02"), ("ws-b1", "RXB", "RXB01")]
        for trust in ["RXA", "RXB"] { try await collector.ensureTrust(trust) }
        for (id, trust, site) in devices {
            var config = AgentConfig()
            config.enrolmentToken = try await collector.store.issueToken(role: .enrolment, trust: trust, label: "e2e", expiresMs: nil).token
            config.collectorURL = collector.url
            config.trust = trust
            config.site = site
            config.deviceID = id
            config.pseudonymKey = "end-to-end-test-key-\(trust)"
            config.spoolPath = dir.file("\(id).sqlite")
            config.batchMaxEvents = 7
            var events: [MeasurementEvent] = []
            for i in 0..<25 {
                let logon = Int64.random(in: 5_000...180_000, using: &random)
                expected[trust, default: []].append(logon)
                events.append(MeasurementEvent(kind: .logon, name: "x11", startedAtMs: now - Int64(i) * 600_000 - 1_000, durationMs: logon,
                                               phases: ["authentication": 1_000, "session_start": logon - 1_000]))
                if trust == "RXA" {
                    let app = Int64.random(in: 1_000...30_000, using: &random)
                    expectedApps.append(app)
                    events.append(MeasurementEvent(kind: .appStart, name: "epr", startedAtMs: now - Int64(i) * 600_000, durationMs: app))
                }
            }
            // The first two responses are lost: the agent must resend the same batches, and the collector must not store them twice.
            let transport = LosingTransport(lose: 2)
            let (results, status) = try await blocking { [config, events] in
                let spool = try Spool(path: config.spoolPath)
                try spool.append(contentsOf: events)
                let uploader = Uploader(spool: spool, config: config, transport: transport)
                var results: [Uploader.Result] = []
                while true {
                    let result = try uploader.sendNext()
                    if result == .idle { break }
                    results.append(result)
                }
                return (results, try spool.status())
            }
            #expect(results.filter { if case .retry = $0 { true } else { false } }.count == 2)
            #expect(status.depth == 0)
            #expect(status.uploadedTotal == Int64(events.count))
        }
        #expect(try await collector.storedEventCount(trust: "RXA") == 100)
        #expect(try await collector.storedEventCount(trust: "RXB") == 25)

        // A malformed batch is refused whole and changes nothing.
        let token = try await collector.enrol(DeviceIdentity(id: "ws-a9", trust: "RXA", site: "RXA01"))
        let malformed = try await collector.post("/v1/batches", body: Array(#"{"schema_version":1,"batch_id":"x"}"#.utf8), token: token)
        #expect(malformed.status == 400)
        #expect(try await collector.storedEventCount() == 125)

        // The report's percentiles equal those computed straight from the inputs, within the histograms' precision.
        let report = try await GradedReportBuilder(store: collector.store, model: try MaturityModel.standard)
            .report(trust: nil, fromMs: now - 86_400_000, toMs: now + 1)
        #expect(report.trusts.map(\.trust) == ["RXA", "RXB"])
        func close(_ value: Int64?, _ exact: Int64?) -> Bool {
            guard let value, let exact else { return false }
            return abs(value - exact) <= exact / 1000 + 1
        }
        for trust in report.trusts {
            let statistics = trust.statistics
            let inputs = ExactPercentiles(expected[trust.trust] ?? [])
            #expect(statistics.logon.timing.count == inputs.count)
            #expect(close(statistics.logon.timing.p50Ms, inputs.value(50)))
            #expect(close(statistics.logon.timing.p90Ms, inputs.value(90)))
            #expect(close(statistics.logon.timing.p95Ms, inputs.value(95)))
            // The bucket holding the target (60000 to 60031 ms) counts as within it.
            let share = try #require(statistics.logon.withinTargetShare)
            #expect(share >= (inputs.share(atOrBelow: 60_000) ?? 0) && share <= (inputs.share(atOrBelow: 60_031) ?? 0))
        }
        let epr = try #require(report.trusts[0].statistics.applications.first)
        #expect(close(epr.timing.p90Ms, ExactPercentiles(expectedApps).value(90)))
        #expect(report.trusts[0].sites.map(\.site) == ["RXA01", "RXA02"])
        try await collector.stop()
    }

    @Test("A collector that is down keeps everything in the spool; when it is back, everything arrives once")
    func collectorDownThenUp() async throws {
        let dir = try TemporaryDirectory("deskready-down")
        defer { dir.remove() }
        var config = AgentConfig()
        config.collectorURL = "http://127.0.0.1:9"  // nothing listens on the discard port
        config.trust = "RXX"
        config.site = "RXX01"
        config.deviceID = "ws-down"
        config.pseudonymKey = "down-then-up-test-key"
        config.spoolPath = dir.file("spool.sqlite")
        config.connectTimeoutSeconds = 1
        config.deviceToken = "drd_issued-before-the-outage"
        let (down, downStatus) = try await blocking { [config] in
            let spool = try Spool(path: config.spoolPath)
            try spool.append(contentsOf: (0..<30).map { i in Fixtures.event(durationMs: Int64(i) * 1000 + 1000) })
            return (try Uploader(spool: spool, config: config, transport: CurlTransport()).sendNext(), try spool.status())
        }
        guard case .retry(let reason, _) = down else {
            Issue.record("expected a retry, got \(down)")
            return
        }
        #expect(reason.contains("cannot reach the collector"))
        #expect(downStatus.depth == 30)
        #expect(downStatus.lastError?.contains("cannot reach") == true)

        let collector = try await TestCollector.start()
        config.collectorURL = collector.url
        config.deviceToken = try await collector.enrol(DeviceIdentity(id: "ws-down", trust: "RXX", site: "RXX01"))
        let (up, upStatus) = try await blocking { [config] in
            let spool = try Spool(path: config.spoolPath)
            return (try Uploader(spool: spool, config: config, transport: CurlTransport()).drain(), try spool.status())
        }
        #expect(up != .idle)
        #expect(upStatus.depth == 0)
        #expect(upStatus.lastError == nil)
        #expect(try await collector.storedEventCount() == 30)
        try await collector.stop()
    }
}
