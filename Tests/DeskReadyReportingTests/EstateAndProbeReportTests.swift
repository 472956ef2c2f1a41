import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Testing
@testable import DeskReadyReporting

/// The estate, network-target and device-model figures, from a store through the report.
@Suite("Estate, probes and models in the report")
struct EstateAndProbeReportTests {
    @Test("Estate shares, probe phases and the slowest models come from what the devices sent")
    func figures() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("e.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Test")
        let dayMs: Int64 = 86_400_000
        let today = WallClock.nowMs() / dayMs * dayMs
        // 12 devices: 3 on spinning disks with an old OS and model A (slow logons); 9 on SSD with model B.
        for index in 0..<12 {
            let slow = index < 3
            let device = DeviceIdentity(id: "ws-\(index)", trust: "RXX", site: index % 2 == 0 ? "RXX01" : "RXX02")
            var events = [MeasurementEvent(kind: .inventory, name: "device", startedAtMs: today - 3 * dayMs, durationMs: 0, attributes: [
                "os_id": "ubuntu", "os_version": slow ? "20.04" : "24.04", "system_disk": slow ? "rotational" : "ssd",
                "memory_mb": slow ? "4096" : "16384", "vendor": "HP", "model": slow ? "A" : "B",
            ])]
            events += (0..<4).map { Fixtures.event(durationMs: slow ? 120_000 : 20_000, startedAtMs: today - 2 * dayMs + Int64($0) * 60_000) }
            events += (0..<3).map { i in
                MeasurementEvent(kind: .probe, name: "epr", startedAtMs: today - dayMs + Int64(i), durationMs: 300,
                                 phases: ["dns": 5, "connect": 10, "tls": 40, "ttfb": 200 + Int64(index) * 10])
            }
            if index == 0 {
                events.append(MeasurementEvent(kind: .probe, name: "epr", startedAtMs: today - dayMs, durationMs: 5_000, outcome: .failed))
            }
            try await store.ingest(events, device: device)
        }
        var model = try MaturityModel.standard
        model.supportedOS = [OSRequirement(id: "ubuntu", minimumVersion: "22.04")]
        let report = try await GradedReportBuilder(store: store, model: model).report(trust: "RXX", fromMs: today - 7 * dayMs, toMs: today, peers: false)
        let trust = try #require(report.trusts.first)
        let estate = trust.statistics.estate
        #expect(estate.devicesReporting == 12 && estate.devicesInventoried == 12)
        #expect(estate.ssdShare == 0.75)
        #expect(estate.supportedOSShare == 0.75)
        #expect(estate.medianMemoryMB == 16_384)
        #expect(trust.indicator("estate_ssd")?.value == 75)
        #expect(trust.indicator("estate_supported_os")?.level == 2, "75% meets level 2 (75% or more)")

        let probe = try #require(trust.statistics.probes.first)
        #expect(probe.name == "epr" && probe.timing.count == 36 && probe.timing.failures == 1)
        #expect(probe.phases["dns"]?.p50Ms == 5)
        let ttfb = try #require(probe.phases["ttfb"]?.p95Ms)
        #expect(ttfb >= 300 && ttfb <= 310)
        #expect(trust.indicator("probe_ttfb_p95")?.detail == "epr")
        #expect(abs((trust.indicator("probe_failure")?.value ?? 0) - 100.0 / 37) < 0.01)

        #expect(trust.statistics.slowestModels.map(\.model) == ["HP A", "HP B"])
        #expect(trust.statistics.slowestModels.first?.logon.count == 12)
        #expect(trust.sites.allSatisfy { $0.statistics.slowestModels.isEmpty })
        // Each site's estate is its own devices'.
        #expect(trust.sites.map(\.statistics.estate.devicesReporting) == [6, 6])

        let text = GradedTextRenderer().render(report)
        for heading in ["Network targets", "Estate", "Slowest device models", "Slowest sites"] {
            #expect(text.contains(heading), "\(heading) missing from the text report")
        }
        let html = HTMLReportRenderer().render(report)
        #expect(html.contains("<h3>Slowest device models (by logon p90)</h3>"))
    }
}
