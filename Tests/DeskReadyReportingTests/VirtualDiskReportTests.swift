import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Testing
@testable import DeskReadyReporting

/// Virtual disks in the estate: counted apart, never in the SSD share.
@Suite("Virtual disks in the report")
struct VirtualDiskReportTests {
    @Test("Devices on virtual disks are left out of the SSD share's denominator and shown apart; older agents' rotational is a hard disk")
    func virtualApart() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("v.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Test")
        let dayMs: Int64 = 86_400_000
        let today = WallClock.nowMs() / dayMs * dayMs
        // 10 SSD, 5 hard disks (2 from an older agent as `rotational`), 10 VDI desktops on virtual disks.
        let disks = Array(repeating: "ssd", count: 10) + ["hdd", "hdd", "hdd", "rotational", "rotational"] + Array(repeating: "virtual", count: 10)
        for (index, disk) in disks.enumerated() {
            let device = DeviceIdentity(id: "ws-\(index)", trust: "RXX", site: "RXX01")
            try await store.ingest([MeasurementEvent(kind: .inventory, name: "device", startedAtMs: today - 3 * dayMs, durationMs: 0,
                                                     attributes: ["os_id": "ubuntu", "os_version": "24.04", "system_disk": disk,
                                                                  "system_disk_evidence": disk == "virtual" ? "virtio disk vda" : "rotational=0"])],
                                   device: device)
        }
        let report = try await GradedReportBuilder(store: store, model: try MaturityModel.standard)
            .report(trust: "RXX", fromMs: today - 7 * dayMs, toMs: today, peers: false)
        let trust = try #require(report.trusts.first)
        let estate = trust.statistics.estate
        #expect(estate.devicesInventoried == 25)
        #expect(estate.physicalDiskDevices == 15)
        #expect(estate.virtualDiskDevices == 10)
        #expect(abs((estate.ssdShare ?? 0) - 10.0 / 15) < 1e-9, "virtual disks are not counted as hard disks")
        #expect(trust.indicator("estate_ssd")?.n == 15)
        let text = GradedTextRenderer().render(report)
        #expect(text.contains("virtual disks left out"))
        let json = try GradedJSONRenderer().render(report)
        #expect(json.contains("\"virtual_disk_devices\":10") || json.contains("\"virtual_disk_devices\" : 10"))
    }
}
