import DeskReadyModel
import DeskReadyWindowsEvents
import Testing

/// Whether `value` is within a millisecond of `expected` (the fixtures' times are written to the microsecond).
func near(_ value: Int64?, _ expected: Int64, tolerance: Int64 = 1) -> Bool {
    guard let value else { return false }
    return abs(value - expected) <= tolerance
}

@Suite("Windows logons from event fixtures")
struct LogonFixtureTests {
    @Test("A fast logon has every phase from its primary event, and the phases add up to the duration")
    func fastLogon() throws {
        let result = try Fixture.assemble("fast-logon.xml")
        let logon = try #require(result.logons.first)
        #expect(result.logons.count == 1)
        #expect(result.heldBack.isEmpty)
        #expect(logon.outcome == .ok)
        #expect(logon.name == "windows")
        #expect(logon.startedAtMs == Fixture.ms(0))
        #expect(near(logon.durationMs, 8_481))
        let phases = try #require(logon.phases)
        #expect(phases["authentication"] == 31)
        #expect(near(phases["profile_load"], 1_200))
        #expect(near(phases["group_policy"], 80))
        #expect(near(phases["shell_start"], 900))
        #expect(near(phases["desktop_ready"], 6_200))
        #expect(phases.values.reduce(0, +) == logon.durationMs)
        #expect(near(phases["unattributed"], 70, tolerance: 2))
        let attributes = try #require(logon.attributes)
        #expect(attributes["start_source"] == "winlogon-1")
        #expect(attributes["authentication_source"] == "winlogon-1-2")
        #expect(attributes["profile_source"] == "user-profile-service-1-2")
        #expect(attributes["group_policy_source"] == "winlogon-811-812-gpclient")
        #expect(attributes["group_policy_mode"] == "async")
        #expect(near(attributes["group_policy_background_ms"].flatMap { Int64($0) }, 2_490))
        #expect(attributes["shell_start_source"] == "winlogon-811-startshell")
        #expect(attributes["desktop_ready_source"] == "shell-core-62171")
        #expect(attributes["profile_type"] == "local")
        #expect(attributes["session"] == "1")
        #expect(attributes[LogonAttribute.firstLogon] == nil)
        #expect(LogonCohort(attributes: attributes) == .ordinary)
        // Nothing that names the user goes into the attributes.
        #expect(!attributes.values.contains { $0.lowercased().contains("jsmith") })
    }

    @Test("The assembled user is the SID; the event sent carries its 32-hex-digit pseudonym and never the name")
    func pseudonymisedUser() throws {
        let assembled = try #require(try Fixture.assemble("fast-logon.xml").events.first { $0.event.kind == .logon })
        #expect(assembled.userSID == "S-1-5-21-1111111111-2222222222-333333333-1001")
        #expect(assembled.userName == "TRUST\\jsmith")
        #expect(assembled.event.user == nil)
        let pseudonymizer = Pseudonymizer(key: "trust-secret-key-0001")
        let sent = assembled.measurementEvent(pseudonymizer: pseudonymizer)
        let user = try #require(sent.user)
        #expect(user == pseudonymizer.pseudonym(for: "S-1-5-21-1111111111-2222222222-333333333-1001"))
        #expect(user.utf8.count == 32 && user.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    }

    @Test("A roaming profile with synchronous Group Policy: the policy run is on the path, with its slowest extensions and scripts")
    func roamingSynchronousPolicy() throws {
        let result = try Fixture.assemble("roaming-sync-gp.xml")
        let logon = try #require(result.logons.first)
        let phases = try #require(logon.phases)
        let attributes = try #require(logon.attributes)
        #expect(logon.outcome == .ok)
        #expect(attributes["profile_type"] == "roaming")
        #expect(near(phases["profile_load"], 9_000))
        #expect(attributes["group_policy_source"] == "grouppolicy-4001-8001")
        #expect(attributes["group_policy_mode"] == "sync")
        #expect(attributes["group_policy_sync_reason"] == "1")
        #expect(near(phases["group_policy"], 12_000))
        #expect(attributes["group_policy_slowest_cses"] == "Folder Redirection=7400; Drive Maps=2100; Scripts=1500")
        #expect(attributes["group_policy_logon_scripts_s"] == "3")
        #expect(attributes["group_policy_background_ms"] == nil)
        #expect(phases.values.reduce(0, +) == logon.durationMs)
    }

    @Test("A first logon is flagged first_logon and falls in the first-logon cohort, out of the headline")
    func firstLogon() throws {
        let logon = try #require(try Fixture.assemble("first-logon.xml").logons.first)
        #expect(logon.attributes?[LogonAttribute.firstLogon] == "true")
        #expect(LogonCohort(attributes: logon.attributes) == .first)
        #expect(near(logon.phases?["desktop_ready"], 45_000))
    }

    @Test("A failed authentication is a failed attempt with its Win32Status, not a logon")
    func failedLogon() throws {
        let result = try Fixture.assemble("failed-logon.xml")
        let attempt = try #require(result.events.first?.event)
        #expect(result.events.count == 1)
        #expect(attempt.outcome == .failed)
        #expect(attempt.durationMs == 500)
        #expect(attempt.attributes?["win32_status"] == "0xc000006d")
        #expect(attempt.user == nil)
    }

    @Test("A logon that never reaches desktop ready is held back while recent, then incomplete with what was seen")
    func withoutDesktopReady() throws {
        let start = Fixture.ms(14_400)
        let recent = try Fixture.assemble("no-desktop-ready.xml", nowMs: start + 60_000)
        #expect(recent.logons.isEmpty)
        let held = try #require(recent.heldBack.first)
        #expect(held.kind == .logon)
        #expect(try #require(recent.keepFromUs) < start * 1000)

        let late = try Fixture.assemble("no-desktop-ready.xml", nowMs: start + 3 * 3_600_000)
        let logon = try #require(late.logons.first)
        #expect(late.heldBack.isEmpty)
        #expect(logon.outcome == .incomplete)
        #expect(logon.attributes?["last_seen"] == "shell_start")
        #expect(logon.attributes?["desktop_ready_source"] == nil)
        #expect(near(logon.attributes?["explorer_started_ms"].flatMap { Int64($0) }, 3_781))
        #expect(logon.phases?["desktop_ready"] == nil)
        #expect(near(logon.durationMs, 2_281))
        // The same logon keeps its id whether it was held back first or not.
        #expect(logon.id == recent.events.first?.event.id || recent.events.isEmpty)
    }

    @Test("A backward clock step inside a logon is corrected and does not break the pairing")
    func clockStep() throws {
        let logon = try #require(try Fixture.assemble("clock-step.xml").logons.first)
        #expect(logon.outcome == .ok)
        #expect(logon.attributes?["start_source"] == "winlogon-1")
        #expect(logon.attributes?["clock_step"] == "corrected")
        #expect(logon.phases?["authentication"] == 31)
        #expect(near(logon.durationMs, 8_481, tolerance: 2))
        #expect(logon.startedAtMs == Fixture.ms(50_000))
    }

    @Test("Overlapping exports give each logon once, with the same ids as one complete export")
    func overlappingExports() throws {
        let both = try Fixture.assemble("overlap-a.xml", "overlap-b.xml")
        let twice = try Fixture.assemble("overlap-a.xml", "overlap-b.xml", "overlap-b.xml", "overlap-a.xml")
        #expect(both.logons.count == 2)
        #expect(both.logons.allSatisfy { $0.outcome == .ok })
        #expect(Set(both.logons.map(\.id)) == Set(twice.logons.map(\.id)))
        #expect(twice.events.count == both.events.count)
        // Only the first export: the second user's logon is still in progress and held back, not output.
        let first = try Fixture.assemble("overlap-a.xml", nowMs: Fixture.ms(60_040))
        #expect(first.heldBack.count == 1)
        #expect(first.logons.allSatisfy { both.logons.map(\.id).contains($0.id) })
    }

    @Test("A Windows Event Forwarding export of two computers gives one logon per computer")
    func forwardedEvents() throws {
        let (records, issues) = try Fixture.read("wef-two-computers.xml")
        #expect(issues.isEmpty)
        let computers = Dictionary(grouping: records, by: \.computer)
        #expect(computers.keys.sorted() == ["WS-0002.trust.nhs.uk", "WS-0003.trust.nhs.uk"])
        var ids: Set<UUID> = []
        for (computer, records) in computers {
            let result = WindowsEventAssembler().assemble(records, computer: computer, nowMs: Fixture.later)
            #expect(result.logons.count == 1)
            #expect(result.logons.first?.outcome == .ok)
            ids.formUnion(result.logons.map(\.id))
        }
        #expect(ids.count == 2)
    }

    @Test("Every renderer's formatting gives the same logon", arguments: [
        "renderer-python-evtx.xml", "renderer-rust-evtx.xml", "renderer-evtxecmd.xml", "renderer-powershell-utf16.xml",
    ])
    func renderers(file: String) throws {
        let reference = try #require(try Fixture.assemble("renderer-windows.xml").logons.first)
        let (records, issues) = try Fixture.read(file)
        #expect(issues.isEmpty)
        let logon = try #require(WindowsEventAssembler().assemble(records, computer: "ws-0001", nowMs: Fixture.later).logons.first)
        #expect(logon.startedAtMs == reference.startedAtMs)
        #expect(logon.durationMs == reference.durationMs)
        #expect(logon.phases == reference.phases)
        #expect(logon.attributes == reference.attributes)
        #expect(logon.attributes?["group_policy_mode"] == "sync")
    }
}
