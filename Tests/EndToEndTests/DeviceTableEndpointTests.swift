import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Logging
import Testing

/// `GET /v1/trusts/{ods}/devices`: the device table for IT ops, admin tokens only, with its filters.
@Suite("Device table endpoint")
struct DeviceTableEndpointTests {
    @Test("Admins read each device's site, model, OS, disk, memory, last seen and p90s; filters narrow it; no user appears")
    func table() async throws {
        let dir = try TemporaryDirectory("deskready-devices-endpoint")
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("c.sqlite"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let collector = try await RunningCollector.start(store: store, logger: logger, reports: TrustReportService(store: store, model: try MaturityModel.standard))
        _ = try await store.addTrust(ods: "RXA", name: "Trust A")
        let now = WallClock.nowMs()
        let dayMs: Int64 = 86_400_000
        // ws-1: SSD, Ubuntu 24.04, seen now; ws-2: a hard disk from an older agent, Ubuntu 20.04, silent for 10 days.
        let inventory = { (disk: String, version: String, at: Int64) in
            MeasurementEvent(kind: .inventory, name: "device", startedAtMs: at, durationMs: 0, attributes: [
                "os_id": "ubuntu", "os_version": version, "system_disk": disk, "memory_mb": "8192", "vendor": "HP", "model": "EliteDesk 800 G2"])
        }
        try await store.ingest([inventory("ssd", "24.04", now - 3_600_000)] + (1...10).map { Fixtures.event(durationMs: Int64($0) * 1_000, startedAtMs: now - 7_200_000) }
                               + [Fixtures.event(kind: .boot, name: "boot", durationMs: 40_000, startedAtMs: now - 7_200_000)],
                               device: DeviceIdentity(id: "ws-1", trust: "RXA", site: "RXA01"))
        let old = [inventory("rotational", "20.04", now - 10 * dayMs), Fixtures.event(durationMs: 90_000, startedAtMs: now - 10 * dayMs)]
        _ = try await store.ingest(ValidatedBatch(batch: Fixtures.batch(events: old, device: DeviceIdentity(id: "ws-2", trust: "RXA", site: "RXA02")),
                                                  acceptedIndices: Array(old.indices), rejected: [], receivedAtMs: now - 10 * dayMs))
        let admin = try await store.issueToken(role: .admin, trust: nil, label: "ops", expiresMs: nil).token
        let reader = try await store.issueToken(role: .reader, trust: "RXA", label: "CIO", expiresMs: nil).token
        let client = HTTPClientForTests(base: collector.baseURL)

        let json = try await client.get("/v1/trusts/RXA/devices", token: admin)
        #expect(json.status == 200)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.body)) as? [String: Any])
        let devices = try #require(object["devices"] as? [[String: Any]])
        #expect(devices.compactMap { $0["device_id"] as? String } == ["ws-1", "ws-2"])
        let first = devices[0]
        #expect(first["site"] as? String == "RXA01")
        #expect(first["model"] as? String == "EliteDesk 800 G2")
        #expect(first["system_disk"] as? String == "ssd")
        #expect(first["memory_mb"] as? Int == 8192)
        #expect(first["logons"] as? Int == 10)
        #expect((first["logon_p90_ms"] as? Int).map { (8_990...9_010).contains($0) } == true)
        #expect(first["boots"] as? Int == 1)
        #expect(devices[1]["system_disk"] as? String == "hdd", "an older agent's rotational is a hard disk")
        #expect(!json.text.contains(Fixtures.event().user ?? "-"), "no user appears")

        let silent = try await client.get("/v1/trusts/RXA/devices?silent_days=7&format=csv", token: admin)
        #expect(silent.status == 200)
        #expect(silent.text.split(separator: "\r\n").count == 2, "header and ws-2: \(silent.text)")
        #expect(silent.text.contains("ws-2"))
        let hard = try await client.get("/v1/trusts/RXA/devices?hard_disks=true", token: admin)
        #expect(hard.text.contains("ws-2") && !hard.text.contains("ws-1"))
        let unsupported = try await client.get("/v1/trusts/RXA/devices?unsupported_os=true", token: admin)
        #expect(unsupported.text.contains("ws-2") && !unsupported.text.contains("ws-1"))

        #expect(try await client.get("/v1/trusts/RXA/devices", token: reader).status == 403)
        #expect(try await client.get("/v1/trusts/RXA/devices").status == 401)
        let bad = try await client.get("/v1/trusts/RXA/devices?silent_days=0", token: admin)
        #expect(bad.status == 400)
        #expect(bad.text.contains("silent_days must be a whole number of days from 1 to 400"))
        #expect(try await client.get("/v1/trusts/RXA/devices?hard_disks=yes", token: admin).status == 400)
        #expect(try await client.get("/v1/trusts/RXA/devices?format=html", token: admin).status == 400)
        #expect(try await client.get("/v1/trusts/RZZ/devices", token: admin).status == 404)
        try await collector.stop()
    }
}
