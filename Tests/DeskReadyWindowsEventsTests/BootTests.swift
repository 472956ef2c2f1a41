import DeskReadyModel
import DeskReadyWindowsEvents
import Testing

@Suite("Windows boots from event fixtures")
struct BootTests {
    @Test("Diagnostics-Performance 100 gives the boot's total, main path, post boot and the main path's parts")
    func bootWith100() throws {
        let result = try Fixture.assemble("boot-with-100.xml")
        let boot = try #require(result.boots.first)
        #expect(result.boots.count == 1)
        #expect(boot.outcome == .ok)
        #expect(boot.startedAtMs == Fixture.ms(20_000.084))
        #expect(boot.durationMs == 52_026)
        #expect(boot.phases == ["main_path": 33_326, "post_boot": 18_700, "winlogon_init": 9_000, "logon_init": 1_500,
                                "machine_profile": 2_826, "user_profile": 9_000, "explorer_init": 11_000])
        #expect(boot.attributes?["identity_check"] == "ok")
        #expect(boot.attributes?["boot_source"] == "diagnostics-performance-100")
        #expect(boot.attributes?["boot_type"] == "cold")
        #expect(boot.attributes?["user_logon_wait_ms"] == "4994")
    }

    @Test("The boot's first logon without Shell-Core 62171 takes desktop ready from event 100's main path")
    func bootLogonDesktopReady() throws {
        let result = try Fixture.assemble("boot-with-100.xml")
        let logon = try #require(result.logons.first)
        #expect(logon.outcome == .ok)
        #expect(logon.attributes?["boot_logon"] == "true")
        #expect(logon.attributes?["desktop_ready_source"] == "diagnostics-performance-100")
        // Logon start = boot start + 9000 + 1500 + 4994 ms; desktop ready = boot start + 33326 + 4994 ms.
        #expect(logon.startedAtMs == Fixture.ms(20_000.084) + 15_494)
        #expect(logon.durationMs == 33_326 - 9_000 - 1_500)
    }

    @Test("Event 100 whose identities fail by more than 5 ms is flagged, not dropped")
    func identityFailure() throws {
        let boot = try #require(try Fixture.assemble("boot-identity-failed.xml").boots.first)
        #expect(boot.attributes?["identity_check"] == "failed:total")
        #expect(boot.durationMs == 40_000)
    }

    @Test("A boot without event 100 comes from Kernel-General 12 with no phases and unavailable timing, once it is over")
    func bootWithout100() throws {
        let result = try Fixture.assemble("boot-without-100.xml", nowMs: Fixture.ms(40_060))
        // The first boot is over (another followed); the second may still write its event 100, so it waits.
        let boot = try #require(result.boots.first)
        #expect(result.boots.count == 1)
        #expect(boot.startedAtMs == Fixture.ms(30_000))
        #expect(boot.phases == nil)
        #expect(boot.outcome == .incomplete)
        #expect(boot.durationMs == 0)
        #expect(boot.attributes?["boot_source"] == "kernel-general-12")
        #expect(boot.attributes?["boot_timing"] == "unavailable")
        #expect(boot.attributes?["boot_type"] == "fast_startup")
        #expect(result.heldBack.map(\.kind) == [.boot])
        let later = try Fixture.assemble("boot-without-100.xml")
        #expect(later.boots.count == 2)
        #expect(later.heldBack.isEmpty)
    }

    @Test("Event ids are deterministic: the same records give the same ids, other computers other ids")
    func deterministicIds() throws {
        let records = try Fixture.read("boot-with-100.xml").records
        let a = WindowsEventAssembler().assemble(records, computer: "ws-0001", nowMs: Fixture.later)
        let b = WindowsEventAssembler().assemble(records.reversed(), computer: "ws-0001", nowMs: Fixture.later + 1)
        let c = WindowsEventAssembler().assemble(records, computer: "ws-0002", nowMs: Fixture.later)
        #expect(a.events.map(\.event.id) == b.events.map(\.event.id))
        #expect(Set(a.events.map(\.event.id)).isDisjoint(with: c.events.map(\.event.id)))
        // Time-ordered like UUIDv7 (for the collector's index), version 8.
        let id = try #require(a.boots.first?.id)
        #expect(UUIDv7.unixMs(of: id) == a.boots.first?.startedAtMs)
        #expect(id.uuid.6 >> 4 == 8)
    }
}
