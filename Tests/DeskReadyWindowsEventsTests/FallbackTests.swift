import DeskReadyModel
import DeskReadyWindowsEvents
import Testing

/// Records of one logon built in code, so that each test can leave out the events a fallback rule is for.
struct LogonRecords {
    static let user = "S-1-5-21-1111111111-2222222222-333333333-1001"
    static let t0: Int64 = 1_793_602_800_000_000
    var records: [WindowsEventRecord] = []
    private var next: Int64 = 1

    mutating func add(_ provider: String, _ id: Int, at ms: Double, channel: String = "c", pid: Int? = 1028, sid: String? = nil,
                      activity: String? = nil, _ data: [String: String] = [:]) {
        records.append(WindowsEventRecord(provider: provider, eventID: id, timeUs: Self.t0 + Int64(ms * 1000), recordID: next,
                                          channel: channel, computer: "WS-0001", processID: pid, userSID: sid, activityID: activity, data: data))
        next += 1
    }

    /// Every event of an ordinary logon; `omit` leaves out the named ones.
    static func full(omitting omit: Set<String> = []) -> [WindowsEventRecord] {
        var r = LogonRecords()
        let u = user
        if !omit.contains("wl1") { r.add("Microsoft-Windows-Winlogon", 1, at: 0) }
        if !omit.contains("wl2") { r.add("Microsoft-Windows-Winlogon", 2, at: 30, ["Win32Status": "0"]) }
        if !omit.contains("4624") { r.add("Microsoft-Windows-Security-Auditing", 4624, at: 40, pid: 700, ["TargetUserSid": u, "LogonType": "2", "TargetUserName": "jsmith", "TargetDomainName": "TRUST"]) }
        if !omit.contains("7001") { r.add("Microsoft-Windows-Winlogon", 7001, at: 90, ["TSId": "1", "UserSid": u]) }
        if !omit.contains("811p") { r.add("Microsoft-Windows-Winlogon", 811, at: 100, sid: u, ["Event": "2", "SubscriberName": "Profiles"]) }
        if !omit.contains("ups1") { r.add("Microsoft-Windows-User Profiles Service", 1, at: 100.1, pid: 1500, sid: u, ["Session": "1"]) }
        if !omit.contains("ups2") { r.add("Microsoft-Windows-User Profiles Service", 2, at: 1_100, pid: 1500, sid: u, ["Session": "1"]) }
        if !omit.contains("812p") { r.add("Microsoft-Windows-Winlogon", 812, at: 1_100.1, sid: u, ["Event": "2", "SubscriberName": "Profiles"]) }
        if !omit.contains("gpclient") {
            r.add("Microsoft-Windows-Winlogon", 811, at: 1_101, sid: u, ["Event": "2", "SubscriberName": "GPClient"])
            r.add("Microsoft-Windows-Winlogon", 812, at: 1_181, sid: u, ["Event": "2", "SubscriberName": "GPClient"])
        }
        if !omit.contains("811s") { r.add("Microsoft-Windows-Winlogon", 811, at: 2_000, sid: u, ["Event": "12", "SubscriberName": "Sens"]) }
        if !omit.contains("lsm22") { r.add("Microsoft-Windows-TerminalServices-LocalSessionManager", 22, at: 2_001, ["User": "TRUST\\jsmith", "SessionID": "1"]) }
        if !omit.contains("5324") { r.add("Microsoft-Windows-GroupPolicy", 5324, at: 2_002, ["NotificationType": "3", "SessionId": "1"]) }
        if !omit.contains("62170") { r.add("Microsoft-Windows-Shell-Core", 62170, at: 3_000, pid: 5120, sid: u, ["TaskName": "AllLogonTasks"]) }
        if !omit.contains("62171") { r.add("Microsoft-Windows-Shell-Core", 62171, at: 9_000, pid: 5120, sid: u, ["TaskName": "AllLogonTasks"]) }
        return r.records
    }

    static func assemble(_ records: [WindowsEventRecord]) -> WindowsEventAssembler.AssemblyResult {
        WindowsEventAssembler().assemble(records, computer: "ws-0001", nowMs: t0 / 1000 + 86_400_000)
    }
}

@Suite("Missing-event fallbacks")
struct FallbackTests {
    func logon(omitting omit: Set<String>) throws -> MeasurementEvent {
        let result = LogonRecords.assemble(LogonRecords.full(omitting: omit))
        #expect(result.logons.count == 1)
        return try #require(result.logons.first)
    }

    @Test("Logon start falls back from Winlogon 1 to Security 4624, System 7001, then User Profile Service 1")
    func startFallbacks() throws {
        let all = try logon(omitting: [])
        #expect(all.attributes?["start_source"] == "winlogon-1")
        #expect(all.durationMs == 9_000)
        let no1 = try logon(omitting: ["wl1", "wl2"])
        #expect(no1.attributes?["start_source"] == "security-4624")
        #expect(no1.attributes?["authentication_source"] == "not_observed")
        #expect(no1.phases?["authentication"] == nil)
        #expect(no1.durationMs == 8_960)
        let no4624 = try logon(omitting: ["wl1", "wl2", "4624"])
        #expect(no4624.attributes?["start_source"] == "system-7001")
        #expect(no4624.durationMs == 8_910)
        let onlyProfile = try logon(omitting: ["wl1", "wl2", "4624", "7001"])
        #expect(onlyProfile.attributes?["start_source"] == "user-profile-service-1")
        #expect(onlyProfile.startedAtMs == LogonRecords.t0 / 1000 + 100)
        let onlyWinlogonNotification = try logon(omitting: ["wl1", "wl2", "4624", "7001", "ups1", "ups2"])
        #expect(onlyWinlogonNotification.attributes?["start_source"] == "winlogon-811-profiles")
    }

    @Test("Only interactive Security 4624 logons (types 2, 10, 11) count as a logon start; a network logon does not")
    func networkLogonIgnored() throws {
        let records = LogonRecords.full(omitting: ["wl1", "wl2"]).map { record in
            guard record.eventID == 4624 else { return record }
            var network = record
            network.data["LogonType"] = "3"
            return network
        }
        let logon = try #require(LogonRecords.assemble(records).logons.first)
        #expect(logon.attributes?["start_source"] == "system-7001")
    }

    @Test("Profile load falls back from User Profile Service 1/2 to Winlogon's Profiles subscriber 811/812")
    func profileFallback() throws {
        let primary = try logon(omitting: [])
        #expect(primary.attributes?["profile_source"] == "user-profile-service-1-2")
        #expect(primary.phases?["profile_load"] == 999)
        let fallback = try logon(omitting: ["ups1", "ups2"])
        #expect(fallback.attributes?["profile_source"] == "winlogon-811-812-profiles")
        #expect(fallback.phases?["profile_load"] == 1_000)
        let neither = try logon(omitting: ["ups1", "ups2", "812p"])
        #expect(neither.attributes?["profile_source"] == "not_observed")
        #expect(neither.phases?["profile_load"] == nil)
    }

    @Test("Group Policy without any policy event is 'not observed', not zero seconds measured")
    func policyNotObserved() throws {
        let withWait = try logon(omitting: [])
        #expect(withWait.phases?["group_policy"] == 80)
        #expect(withWait.attributes?["group_policy_source"] == "winlogon-811-812-gpclient")
        let none = try logon(omitting: ["gpclient"])
        #expect(none.phases?["group_policy"] == nil)
        #expect(none.attributes?["group_policy_source"] == "not_observed")
        #expect(none.phases?["shell_start"] == 900)
    }

    @Test("Shell start falls back from Winlogon 811 StartShell to LocalSessionManager 22, then GroupPolicy 5324")
    func shellFallbacks() throws {
        #expect(try logon(omitting: []).attributes?["shell_start_source"] == "winlogon-811-startshell")
        let lsm = try logon(omitting: ["811s"])
        #expect(lsm.attributes?["shell_start_source"] == "localsessionmanager-22")
        #expect(lsm.phases?["desktop_ready"] == 6_999)
        let gp = try logon(omitting: ["811s", "lsm22"])
        #expect(gp.attributes?["shell_start_source"] == "grouppolicy-5324")
        let none = try logon(omitting: ["811s", "lsm22", "5324"])
        #expect(none.attributes?["shell_start_source"] == "not_observed")
        #expect(none.outcome == .ok)
        #expect(none.phases?["shell_start"] == nil)
        #expect(none.phases?.values.reduce(0, +) == none.durationMs)
    }

    @Test("Without Shell-Core 62171 a logon is incomplete, never fast; 62170 is only the explorer start")
    func desktopReadyMissing() throws {
        let incomplete = try logon(omitting: ["62171"])
        #expect(incomplete.outcome == .incomplete)
        #expect(incomplete.attributes?["explorer_started_ms"] == "3000")
        #expect(incomplete.durationMs == 2_000)
        let nothing = try logon(omitting: ["62171", "62170"])
        #expect(nothing.outcome == .incomplete)
        #expect(nothing.attributes?["explorer_started_ms"] == nil)
    }

    @Test("A later logon of the same user closes an open logon as incomplete without waiting for the timeout")
    func supersededByNextLogon() throws {
        var records = LogonRecords.full(omitting: ["62171"])
        let second = LogonRecords.full().map { record in
            var record = record
            record.timeUs += 600_000_000
            record.recordID += 1_000
            return record
        }
        records += second
        let result = WindowsEventAssembler().assemble(records, computer: "ws-0001", nowMs: LogonRecords.t0 / 1000 + 601_000 + 9_000)
        #expect(result.logons.map(\.outcome) == [.incomplete, .ok])
        #expect(result.heldBack.isEmpty)
    }

    @Test("A logon held back completes with the same id once the rest of its events arrive")
    func heldBackCompletes() throws {
        let all = LogonRecords.full()
        let early = all.filter { $0.eventID != 62171 }
        let nowMs = LogonRecords.t0 / 1000 + 5_000
        let first = WindowsEventAssembler().assemble(early, computer: "ws-0001", nowMs: nowMs)
        #expect(first.logons.isEmpty)
        let keepFrom = try #require(first.keepFromUs)
        let kept = early.filter { $0.timeUs >= keepFrom }
        #expect(kept.count == early.count)
        let second = WindowsEventAssembler().assemble(kept + all, computer: "ws-0001", nowMs: nowMs + 10_000)
        let complete = try #require(second.logons.first)
        #expect(complete.outcome == .ok)
        #expect(complete.id == LogonRecords.assemble(all).logons.first?.id)
    }

    @Test("Record ids restarting after a log was cleared neither merge nor lose events")
    func recordIdRestart() throws {
        let day: Int64 = 86_400_000_000
        let first = LogonRecords.full()
        // The same record ids again a day later, with other times: a cleared log.
        let again = first.map { record in
            var record = record
            record.timeUs += day
            return record
        }
        let result = WindowsEventAssembler().assemble(first + again, computer: "ws-0001", nowMs: LogonRecords.t0 / 1000 + 2 * 86_400_000)
        #expect(result.logons.count == 2)
        #expect(Set(result.logons.map(\.id)).count == 2)
        #expect(result.logons.allSatisfy { $0.outcome == .ok && $0.durationMs == 9_000 })
    }
}
