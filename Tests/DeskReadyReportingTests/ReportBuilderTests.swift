import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import DeskReadyTestSupport
import Testing

@Suite("Report builder")
struct ReportBuilderTests {
    @Test("Indicators per trust and site, computed from what the store holds")
    func indicators() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("r.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Test trust")
        let now = WallClock.nowMs()
        let logons: [Int64] = (1...20).map { Int64($0) * 5_000 }  // 5 s … 100 s
        var events = logons.map { Fixtures.event(durationMs: $0, phases: ["authentication": 1_000, "session_start": $0 - 1_000]) }
        events.append(Fixtures.event(durationMs: 3_000, outcome: .incomplete))
        events += [30_000, 40_000].map { Fixtures.event(kind: .boot, name: "graphical.target", durationMs: $0) }
        events += [7_000, 9_000].map { Fixtures.event(kind: .appStart, name: "epr", durationMs: $0) }
        events.append(Fixtures.event(kind: .appStart, name: "epr", durationMs: 120_000, outcome: .timeout))
        let other = DeviceIdentity(id: "ws-2", trust: "RXX", site: "RXX02")
        let otherEvents = [Fixtures.event(durationMs: 500_000)]
        for (batchEvents, device) in [(events, Fixtures.device), (otherEvents, other)] {
            let batch = Fixtures.batch(events: batchEvents, device: device)
            _ = try await store.ingest(ValidatedBatch(batch: batch, acceptedIndices: Array(batchEvents.indices), rejected: [], receivedAtMs: now))
        }
        let reports = try await ReportBuilder(store: store, logonTargetMs: 60_000).reports(trust: "RXX", fromMs: now - 86_400_000, toMs: now)
        let report = try #require(reports.first)
        #expect(reports.count == 1)
        #expect(report.devicesReporting == 2)
        let all = logons + [500_000]
        #expect(report.logon.timing.count == 21)
        #expect(report.logon.timing.p50Ms == Percentiles(all).value(50))
        #expect(report.logon.timing.p90Ms == 95_000)
        #expect(report.logon.withinTargetShare == 12.0 / 21.0)
        #expect(report.logon.incompleteShare == 1.0 / 22.0)
        #expect(report.logon.phaseMediansMs["authentication"] == 1_000)
        #expect(report.boot.count == 2)
        #expect(report.boot.p50Ms == 30_000)
        #expect(report.applications.map(\.name) == ["epr"])
        #expect(report.applications[0].timing.failures == 1)
        #expect(report.sites.map(\.site) == ["RXX01", "RXX02"])
        #expect(report.sites[1].logon.timing.p50Ms == 500_000)
    }
}
