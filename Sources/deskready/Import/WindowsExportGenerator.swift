import Foundation

/// Writes a synthetic Windows event export, as `wevtutil qe /f:xml` on an Event Forwarding collector would (with
/// `RenderingInfo`): per computer and day, a boot (Kernel-General 12, Kernel-Boot 27, Diagnostics-Performance 100)
/// and a logon with every event the assembler uses, plus events it does not use. For `deskready bench import` and
/// the demo's Windows trust.
struct WindowsExportGenerator {
    var computers: [String]
    /// Midnight UTC (ms) of the first day.
    var firstDayMs: Int64
    var days: Int
    /// Multiplies a computer's profile load, policy and desktop times (by computer index).
    var slowness: (Int) -> Double = { _ in 1 }
    var seed: UInt64 = 42

    /// Writes the export to `handle`, stopping once `limitBytes` have been written (nil: every day of every computer).
    @discardableResult
    func write(to handle: FileHandle, limitBytes: Int64? = nil) -> Int64 {
        var written: Int64 = 0
        var buffer = ""
        var random = seed
        func next() -> Double {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(random >> 11) / Double(1 << 53)
        }
        var record: Int64 = 1
        var round = 0
        while true {
            for day in 0..<days {
                for (index, computer) in computers.enumerated() {
                    let slow = slowness(index) * (0.8 + 0.4 * next())
                    let dayStart = firstDayMs + Int64(day + round * days) * 86_400_000 + 7 * 3_600_000 + Int64(next() * 3_600_000)
                    events(computer: computer, index: index, startMs: dayStart, slow: slow, record: &record, random: next) { buffer += $0 }
                    if buffer.utf8.count > 1 << 20 {
                        handle.write(Data(buffer.utf8))
                        written += Int64(buffer.utf8.count)
                        buffer = ""
                        if let limitBytes, written >= limitBytes { return written }
                    }
                }
            }
            guard let limitBytes, written + Int64(buffer.utf8.count) < limitBytes else { break }
            round += 1
        }
        handle.write(Data(buffer.utf8))
        return written + Int64(buffer.utf8.count)
    }

    private func events(computer: String, index: Int, startMs: Int64, slow: Double, record: inout Int64, random: () -> Double, emit: (String) -> Void) {
        let sid = "S-1-5-21-1111111111-2222222222-333333333-\(1000 + index % 50)"
        let user = "TRUST\\user\(index % 50)"
        let pid = 600 + index % 400
        func event(_ provider: (name: String, guid: String, channel: String), _ id: Int, _ ms: Double, sid: String = "S-1-5-18",
                   pid: Int = pid, activity: String? = nil, data: [(String, String)] = [], userData: [(String, String)]? = nil) {
            record += 1
            let time = Self.time(startMs, ms)
            var xml = "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><Provider Name=\"\(provider.name)\" Guid=\"\(provider.guid)\"/>"
            xml += "<EventID>\(id)</EventID><Version>0</Version><Level>4</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>"
            xml += "<TimeCreated SystemTime=\"\(time)\"/><EventRecordID>\(record)</EventRecordID>"
            xml += activity.map { "<Correlation ActivityID=\"{\($0)}\"/>" } ?? "<Correlation/>"
            xml += "<Execution ProcessID=\"\(pid)\" ThreadID=\"\(pid + 4)\"/><Channel>\(provider.channel)</Channel><Computer>\(computer).trust.nhs.uk</Computer><Security UserID=\"\(sid)\"/></System>"
            if let userData {
                xml += "<UserData><EventXML xmlns=\"Event_NS\">" + userData.map { "<\($0.0)>\($0.1)</\($0.0)>" }.joined() + "</EventXML></UserData>"
            } else {
                xml += "<EventData>" + data.map { "<Data Name=\"\($0.0)\">\($0.1)</Data>" }.joined() + "</EventData>"
            }
            xml += "<RenderingInfo Culture=\"en-GB\"><Message>\(provider.name) event \(id)</Message><Level>Information</Level><Task></Task><Opcode>Info</Opcode><Channel>\(provider.channel)</Channel><Provider>\(provider.name)</Provider><Keywords><Keyword>Classic</Keyword></Keywords></RenderingInfo></Event>\n"
            emit(xml)
        }
        let activity = String(format: "%08x-a09e-48c6-b2ee-%012x", index, Int(startMs / 1000) & 0xFFFF_FFFF_FFFF)
        let mainPath = 20_000 + Int(12_000 * slow), post = 15_000 + Int(10_000 * random())
        let winlogon = 8_000 + Int(3_000 * slow), other = 1_200, wait = 3_000 + Int(20_000 * random())
        let machine = 1_500, userProfile = Int(Double(mainPath - winlogon - other - machine) * 0.4)
        let explorer = mainPath - winlogon - other - machine - userProfile
        event(Self.kernelGeneral, 12, 0, pid: 4, data: [("MajorVersion", "10"), ("StartTime", Self.time(startMs, 0))])
        event(Self.kernelBoot, 27, 200, pid: 4, data: [("BootType", "0")])
        // Noise a subscription of the whole System log would bring.
        event(Self.serviceControl, 7036, 900, pid: 720, data: [("param1", "Windows Update"), ("param2", "running")])
        let logon = Double(winlogon + other + wait) + 84
        event(Self.winlogonOp, 1, logon)
        event(Self.winlogonOp, 2, logon + 31, data: [("Win32Status", "0")])
        event(Self.security, 4624, logon + 40, pid: 700, data: [("TargetUserSid", sid), ("TargetUserName", "user\(index % 50)"), ("TargetDomainName", "TRUST"), ("LogonType", "2"), ("LogonProcessName", "User32 ")])
        event(Self.systemWinlogon, 7001, logon + 94, data: [("TSId", "1"), ("UserSid", sid)])
        event(Self.winlogonOp, 811, logon + 100, sid: sid, data: [("Event", "2"), ("SubscriberName", "Profiles")])
        event(Self.profiles, 1, logon + 100.1, sid: sid, pid: 1500, data: [("Session", "1")])
        event(Self.profiles, 67, logon + 300, sid: sid, pid: 1500, data: [("LogonType", "Interactive"), ("LocalPath", "C:\\Users\\user\(index % 50)"), ("ProfileType", index % 4 == 0 ? "Roaming" : "Regular")])
        let profileEnd = logon + 100 + Double(userProfile) * 0.5
        event(Self.profiles, 2, profileEnd, sid: sid, pid: 1500, data: [("Session", "1")])
        event(Self.winlogonOp, 812, profileEnd + 0.1, sid: sid, data: [("Event", "2"), ("SubscriberName", "Profiles")])
        event(Self.winlogonOp, 811, profileEnd + 1, sid: sid, data: [("Event", "2"), ("SubscriberName", "GPClient")])
        let policyEnd = profileEnd + 1 + Double(machine) * slow
        event(Self.groupPolicy, 4001, profileEnd + 5, activity: activity, data: [("PolicyActivityId", "{\(activity)}"), ("PrincipalSamName", user), ("IsMachine", "0"), ("IsAsyncProcessing", "false"), ("ReasonForSyncProcessing", "2")])
        event(Self.groupPolicy, 5016, policyEnd - 10, activity: activity, data: [("CSEElaspedTimeInMilliSeconds", String(Int(Double(machine) * slow * 0.7))), ("ErrorCode", "0"), ("CSEExtensionName", "Folder Redirection")])
        event(Self.groupPolicy, 8001, policyEnd - 2, activity: activity, data: [("PolicyElaspedTimeInSeconds", "1"), ("ErrorCode", "0"), ("PrincipalSamName", user), ("IsMachine", "0")])
        event(Self.winlogonOp, 812, policyEnd, sid: sid, data: [("Event", "2"), ("SubscriberName", "GPClient")])
        let shell = policyEnd + 400 * slow
        event(Self.winlogonOp, 811, shell, sid: sid, data: [("Event", "12"), ("SubscriberName", "Sens")])
        event(Self.sessionManager, 22, shell + 1, userData: [("User", user), ("SessionID", "1"), ("Address", "LOCAL")])
        event(Self.shellCore, 62170, shell + 900, sid: sid, pid: 5120, data: [("LogonType", "131072"), ("TaskName", "AllLogonTasks")])
        let ready = shell + Double(explorer) * 0.6 * slow
        event(Self.shellCore, 62171, ready, sid: sid, pid: 5120, data: [("LogonType", "131072"), ("TaskName", "AllLogonTasks")])
        event(Self.shellCore, 9707, ready + 500, sid: sid, pid: 5120, data: [("Command", "\"C:\\Program Files\\Teams\\Teams.exe\" --autostart")])
        event(Self.diagnostics, 100, Double(mainPath + post + wait) + 2_000, sid: "S-1-5-19", pid: 3580, data: [
            ("BootTsVersion", "2"), ("BootStartTime", Self.time(startMs, 84)), ("BootEndTime", Self.time(startMs, Double(mainPath + post + wait))),
            ("BootTime", String(mainPath + post)), ("MainPathBootTime", String(mainPath)), ("BootPostBootTime", String(post)),
            ("BootKernelInitTime", "1100"), ("BootDriverInitTime", "900"), ("BootDevicesInitTime", "40"),
            ("BootUserProfileProcessingTime", String(userProfile)), ("BootMachineProfileProcessingTime", String(machine)),
            ("BootExplorerInitTime", String(explorer)), ("BootIsDegradation", "false"), ("WinLogonStartTimeMS", String(winlogon)),
            ("OtherLogonInitActivityDuration", String(other)), ("UserLogonWaitDuration", String(wait)),
        ])
    }

    /// `2026-11-02T07:00:00.1234567Z` for `startMs` plus `offsetMs`.
    static func time(_ startMs: Int64, _ offsetMs: Double) -> String {
        let totalUs = startMs * 1000 + Int64(offsetMs * 1000)
        let days = totalUs / 86_400_000_000
        var rest = totalUs % 86_400_000_000
        let hour = rest / 3_600_000_000; rest %= 3_600_000_000
        let minute = rest / 60_000_000; rest %= 60_000_000
        let second = rest / 1_000_000, micro = rest % 1_000_000
        // Civil from days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = z / 146_097, doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return String(format: "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%06lld0Z", year, month, day, hour, minute, second, micro)
    }

    typealias Provider = (name: String, guid: String, channel: String)
    static let winlogonOp: Provider = ("Microsoft-Windows-Winlogon", "{dbe9b383-7cf3-4331-91cc-a3cb16a3b538}", "Microsoft-Windows-Winlogon/Operational")
    static let systemWinlogon: Provider = ("Microsoft-Windows-Winlogon", "{dbe9b383-7cf3-4331-91cc-a3cb16a3b538}", "System")
    static let profiles: Provider = ("Microsoft-Windows-User Profiles Service", "{89b1e9f0-5aff-44a6-9b44-0a07a7ce5845}", "Microsoft-Windows-User Profile Service/Operational")
    static let groupPolicy: Provider = ("Microsoft-Windows-GroupPolicy", "{aea1b4fa-97d1-45f2-a64c-4d69fffd92c9}", "Microsoft-Windows-GroupPolicy/Operational")
    static let sessionManager: Provider = ("Microsoft-Windows-TerminalServices-LocalSessionManager", "{5d896912-022d-40aa-a3a8-4fa5515c76d7}", "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational")
    static let shellCore: Provider = ("Microsoft-Windows-Shell-Core", "{30336ed4-e327-447c-9de0-51b652c86108}", "Microsoft-Windows-Shell-Core/Operational")
    static let diagnostics: Provider = ("Microsoft-Windows-Diagnostics-Performance", "{cfc18ec0-96b1-4eba-961b-622caee05b0a}", "Microsoft-Windows-Diagnostics-Performance/Operational")
    static let kernelGeneral: Provider = ("Microsoft-Windows-Kernel-General", "{a68ca8b7-004f-d7b6-a698-07e2de0f1f5d}", "System")
    static let kernelBoot: Provider = ("Microsoft-Windows-Kernel-Boot", "{15ca44ff-4d7a-4baa-bba5-0998955e531e}", "System")
    static let serviceControl: Provider = ("Service Control Manager", "{555908d1-a6d7-4695-8e1e-26931d2012f4}", "System")
    static let security: Provider = ("Microsoft-Windows-Security-Auditing", "{54849625-5478-4994-a5ba-3e3b0328c30d}", "Security")
}
