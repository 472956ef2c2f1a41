import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// Site names, estate sizes and the device table, the same on every store.
@Suite("Store contract: sites, estate and devices")
struct OrganisationContractTests {
    @Test("Sites are added and renamed, estate sizes set and cleared, and refusals say what is wrong", arguments: StoreKind.available)
    func sitesAndEstate(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "X Hospitals")
            _ = try await store.addSite(trust: "RXX", ods: "RXX02", name: "Old name")
            #expect(try await store.addSite(trust: "RXX", ods: "RXX02", name: "Community Unit") == SiteRecord(trust: "RXX", ods: "RXX02", name: "Community Unit"))
            try await store.setEstateSize(trust: "RXX", site: "RXX01", devices: 24)
            try await store.setEstateSize(trust: "RXX", site: nil, devices: 96)
            _ = try await store.addSite(trust: "RXX", ods: "RXX01", name: "General Hospital")
            #expect(try await store.sites(trust: "RXX") == [
                SiteRecord(trust: "RXX", ods: "RXX01", name: "General Hospital", estateSize: 24),
                SiteRecord(trust: "RXX", ods: "RXX02", name: "Community Unit"),
            ])
            var directory = try await store.organisationDirectory(trust: nil)
            #expect(directory.trustNames == ["RXX": "X Hospitals"])
            #expect(directory.trustEstateSizes == ["RXX": 96])
            #expect(directory.site("RXX", "RXX01")?.estateSize == 24)
            try await store.setEstateSize(trust: "RXX", site: nil, devices: nil)
            directory = try await store.organisationDirectory(trust: "RXX")
            #expect(directory.trustEstateSizes.isEmpty)
            await #expect(throws: OrganisationError.invalidSite(trust: "RXX", site: "RYY01")) { try await store.addSite(trust: "RXX", ods: "RYY01", name: "x") }
            await #expect(throws: IdentityError.unknownTrust("RZZ")) { try await store.setEstateSize(trust: "RZZ", site: nil, devices: 5) }
            await #expect(throws: OrganisationError.invalidEstateSize(0)) { try await store.setEstateSize(trust: "RXX", site: nil, devices: 0) }
        }
    }

    @Test("The device table lists each device with its newest facts and its logon and boot p90, never a user", arguments: StoreKind.available)
    func deviceTable(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "X")
            let now = WallClock.nowMs()
            let device = DeviceIdentity(id: "ws-1", trust: "RXX", site: "RXX01")
            let inventory = MeasurementEvent(kind: .inventory, name: "device", startedAtMs: now - 60_000, durationMs: 0, attributes: [
                "os_id": "debian", "os_version": "12", "system_disk": "rotational", "memory_mb": "4096", "vendor": "HP", "model": "t640"])
            try await store.ingest([inventory] + (1...10).map { Fixtures.event(durationMs: Int64($0) * 1_000, startedAtMs: now - 120_000) }
                                   + [Fixtures.event(kind: .boot, name: "boot", durationMs: 30_000, startedAtMs: now - 120_000)], device: device)
            let rows = try await store.deviceRows(trust: "RXX", fromMs: now - 86_400_000, toMs: now + 1)
            let row = try #require(rows.first)
            #expect(rows.count == 1)
            #expect(row.deviceId == "ws-1" && row.site == "RXX01")
            #expect(row.systemDisk == "hdd")
            #expect(row.memoryMB == 4096 && row.osId == "debian" && row.model == "t640")
            #expect(row.logons == 10 && row.boots == 1)
            #expect((8_990...9_010).contains(row.logonP90Ms ?? 0))
            #expect(try await store.deviceRows(trust: "RXX", fromMs: now + 1, toMs: now + 2).first?.logons == 0)
        }
    }
}
