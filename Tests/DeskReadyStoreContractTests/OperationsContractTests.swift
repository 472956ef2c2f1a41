import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// What operations read from every store: the agent version per device, and the per-trust health behind `/metrics`.
@Suite("Store contract: operations")
struct OperationsContractTests {
    @Test("A device's agent version is stored, replaced by a newer one, and kept when a batch names none", arguments: StoreKind.available)
    func agentVersion(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "Test")
            var device = Fixtures.device
            let now = WallClock.nowMs()
            func send(_ version: String?, at: Int64) async throws -> String? {
                device.agentVersion = version
                _ = try await store.ingest(IngestContractTests.validated([Fixtures.event()], device: device, receivedAtMs: at))
                return try await store.devices(trust: "RXX").first?.agentVersion
            }
            #expect(try await send(nil, at: now) == nil)
            #expect(try await send("1.0.0 (aaaaaaaaaaaa)", at: now + 1) == "1.0.0 (aaaaaaaaaaaa)")
            #expect(try await send("1.1.0 (bbbbbbbbbbbb)", at: now + 2) == "1.1.0 (bbbbbbbbbbbb)")
            #expect(try await send(nil, at: now + 3) == "1.1.0 (bbbbbbbbbbbb)", "an older agent's batch keeps the version")
            // The device table for IT ops shows it too.
            let rows = try await store.deviceRows(trust: "RXX", fromMs: now - 86_400_000, toMs: now + 86_400_000)
            #expect(rows.first { $0.deviceId == device.id }?.agentVersion == "1.1.0 (bbbbbbbbbbbb)")
        }
    }

    @Test("Trust health: devices known and silent since a cut-off, and the newest event, per trust", arguments: StoreKind.available)
    func trustHealth(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "Test")
            _ = try await store.addTrust(ods: "RYY", name: "Empty")
            let now = WallClock.nowMs()
            let started = now - 3_600_000
            _ = try await store.ingest(IngestContractTests.validated([Fixtures.event(startedAtMs: started)], receivedAtMs: now - 10 * 86_400_000))
            let fresh = DeviceIdentity(id: "ws-fresh", trust: "RXX", site: "RXX01")
            _ = try await store.ingest(IngestContractTests.validated([Fixtures.event(startedAtMs: started - 5)], device: fresh, receivedAtMs: now))
            let reading = try #require(store as? any TrustHealthReading)
            let health = try await reading.trustHealth(silentBeforeMs: now - 7 * 86_400_000)
            #expect(health == [
                TrustHealth(trust: "RXX", devicesKnown: 2, devicesSilent: 1, newestEventMs: started),
                TrustHealth(trust: "RYY", devicesKnown: 0, devicesSilent: 0, newestEventMs: nil),
            ])
        }
    }
}
