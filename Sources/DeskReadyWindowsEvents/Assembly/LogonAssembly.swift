import DeskReadyModel

/// Turns each logon cluster into a logon with phases, by the rules of `shared/reference/windows-events.md` §5.2:
/// every boundary's source event (and the fallback used) goes into the attributes, time no phase covers is the
/// `unattributed` phase, and a logon that never reaches desktop ready is `incomplete` with what was seen.
struct LogonAssembly {
    let records: ComputerRecords
    let computer: String
    let boots: [BootAssembly.DiagnosticsBoot]

    /// A boundary: when, and which event (or rule) gave it.
    struct Mark {
        var us: Int64
        var source: String
    }

    /// How long before the logon's announcement its authentication may have started.
    static let authenticationWindowUs: Int64 = 10 * 60_000_000
    /// How far after the announcement the logon's later boundaries are looked for.
    static let logonWindowUs: Int64 = 6 * 3_600_000_000
    /// A boot logon's start is this close to the start event 100 predicts.
    static let bootLinkUs: Int64 = 60_000_000

    func assemble(_ clusters: [LogonClusters.Cluster], nowMs: Int64, holdTimeoutMs: Int64) -> (events: [AssembledEvent], held: [HeldBack]) {
        var events: [AssembledEvent] = []
        var held: [HeldBack] = []
        let bootStarts = (records.of(EventCatalog.kernelGeneral, 12).map(\.timeUs) + boots.map(\.startUs)).sorted()
        // The next logon of the same user, by cluster index.
        var nextOfUser: [Int: Int64] = [:]
        var laterBySID: [String: Int64] = [:]
        for index in clusters.indices.reversed() {
            nextOfUser[index] = laterBySID[clusters[index].sid]
            laterBySID[clusters[index].sid] = clusters[index].earliestUs
        }
        for (index, cluster) in clusters.enumerated() {
            // The logon is over, complete or not, once the same user logs on again or the computer boots again.
            let nextLogonUs = nextOfUser[index]
            let nextBootUs = bootStarts.first { $0 > cluster.anchorUs }
            let limitUs = min(nextLogonUs ?? .max, nextBootUs ?? .max, cluster.anchorUs + Self.logonWindowUs)
            let logon = assembleLogon(cluster, limitUs: limitUs)
            if logon.event.event.outcome == .ok {
                events.append(logon.event)
            } else if nextLogonUs != nil || nextBootUs != nil || nowMs - logon.event.event.startedAtMs > holdTimeoutMs {
                events.append(logon.event)
            } else {
                held.append(HeldBack(kind: .logon, startedAtUs: logon.startUs, keepFromUs: logon.startUs - Self.authenticationWindowUs,
                                     reason: "logon at \(logon.event.event.startedAtMs) ms has not reached desktop ready yet"))
            }
        }
        return (events, held)
    }

    /// Failed authentication attempts: Winlogon 2 with a non-zero `Win32Status`, timed from its Winlogon 1.
    func failedAttempts() -> [AssembledEvent] {
        records.of(EventCatalog.winlogon, 2).compactMap { stop in
            guard let status = stop.integer("Win32Status"), status != 0 else { return nil }
            let start = records.last(EventCatalog.winlogon, 1, before: stop.timeUs, since: stop.timeUs - Self.authenticationWindowUs) {
                $0.processID == stop.processID
            }
            let startUs = start?.timeUs ?? stop.timeUs
            let span = records.clock.span(from: startUs, to: stop.timeUs)
            let startedAtMs = startUs / 1000
            var attributes = [WindowsEventAttribute.source: "windows-events",
                              WindowsEventAttribute.win32Status: "0x" + String(UInt32(truncatingIfNeeded: status), radix: 16),
                              WindowsEventAttribute.startSource: start == nil ? "winlogon-2" : "winlogon-1"]
            if span.stepped { attributes[WindowsEventAttribute.clockStep] = "corrected" }
            return AssembledEvent(event: MeasurementEvent(
                id: StableEventID.make(computer: computer, kind: "logon-failed", sourceIdentity: stop.identity, startedAtMs: startedAtMs),
                kind: .logon, name: "windows", startedAtMs: startedAtMs, durationMs: span.us / 1000,
                phases: [WindowsLogonPhase.authentication.rawValue: span.us / 1000], outcome: .failed, attributes: attributes))
        }
    }

    private func assembleLogon(_ cluster: LogonClusters.Cluster, limitUs: Int64) -> (event: AssembledEvent, startUs: Int64) {
        var attributes = [WindowsEventAttribute.source: "windows-events"]
        let sid = cluster.sid
        let anchor = cluster.anchorUs
        let session = cluster.session
        if let session { attributes[WindowsEventAttribute.session] = session }
        let isUser: (WindowsEventRecord) -> Bool = { $0.userSID == sid }

        // Winlogon's process for this session: from its Profiles notification, or the last successful
        // authentication before the announcement.
        let successfulStop = { (record: WindowsEventRecord) in record.integer("Win32Status") == 0 }
        let winlogonPID = cluster.profilesNotification?.processID
            ?? records.last(EventCatalog.winlogon, 2, before: anchor, since: anchor - Self.authenticationWindowUs, where: successfulStop)?.processID
        let samePID: (WindowsEventRecord) -> Bool = { winlogonPID != nil && $0.processID == winlogonPID }

        // Authentication: Winlogon 1 to 2 of that process.
        let authStop = winlogonPID == nil ? nil : records.last(EventCatalog.winlogon, 2, before: anchor, since: anchor - Self.authenticationWindowUs) {
            samePID($0) && successfulStop($0)
        }
        let authStart = authStop.flatMap { stop in
            records.last(EventCatalog.winlogon, 1, before: stop.timeUs, since: stop.timeUs - Self.authenticationWindowUs, where: samePID)
        }

        // Logon start, with its fallbacks in order.
        let start: Mark
        if let authStart {
            start = Mark(us: authStart.timeUs, source: "winlogon-1")
        } else if let record = cluster.securityLogon {
            start = Mark(us: record.timeUs, source: "security-4624")
        } else if let record = cluster.systemNotification {
            start = Mark(us: record.timeUs, source: "system-7001")
        } else if let record = cluster.profileStart {
            start = Mark(us: record.timeUs, source: "user-profile-service-1")
        } else {
            start = Mark(us: cluster.profilesNotification?.timeUs ?? anchor, source: "winlogon-811-profiles")
        }
        attributes[WindowsEventAttribute.startSource] = start.source

        var boundaries: [(phase: WindowsLogonPhase, from: Int64, to: Int64)] = []
        var lastSeen: (phase: String, us: Int64) = ("logon_start", start.us)
        if let authStart, let authStop {
            boundaries.append((.authentication, authStart.timeUs, authStop.timeUs))
            attributes[WindowsEventAttribute.authenticationSource] = "winlogon-1-2"
            lastSeen = ("authentication", authStop.timeUs)
        } else {
            attributes[WindowsEventAttribute.authenticationSource] = "not_observed"
        }

        // Profile load: User Profile Service 1 to 2, or Winlogon's Profiles subscriber.
        var profileEnd: Int64?
        if let profileStart = cluster.profileStart,
           let stop = records.first(EventCatalog.userProfiles, 2, after: profileStart.timeUs, before: limitUs, where: {
               isUser($0) && (session == nil || $0.field("Session") == session)
           }) {
            boundaries.append((.profileLoad, profileStart.timeUs, stop.timeUs))
            attributes[WindowsEventAttribute.profileSource] = "user-profile-service-1-2"
            profileEnd = stop.timeUs
        } else if let begin = cluster.profilesNotification,
                  let stop = records.first(EventCatalog.winlogon, 812, after: begin.timeUs, before: limitUs, where: {
                      samePID($0) && $0.field("Event") == "2" && $0.field("SubscriberName")?.lowercased() == "profiles"
                  }) {
            boundaries.append((.profileLoad, begin.timeUs, stop.timeUs))
            attributes[WindowsEventAttribute.profileSource] = "winlogon-811-812-profiles"
            profileEnd = stop.timeUs
        } else {
            attributes[WindowsEventAttribute.profileSource] = "not_observed"
        }
        if let profileEnd { lastSeen = ("profile_load", profileEnd) }
        if let type = records.first(EventCatalog.userProfiles, 67, after: anchor - 5_000_000, before: min(limitUs, (profileEnd ?? anchor) + 5_000_000), where: isUser)?
            .field("ProfileType") {
            attributes[WindowsEventAttribute.profileType] = Self.profileType(type)
        }

        // Shell start: Winlogon 811 Event=12, LocalSessionManager 22, GroupPolicy 5324 type 3.
        let shellFrom = profileEnd ?? anchor
        var shell: Mark?
        if let record = records.first(EventCatalog.winlogon, 811, after: shellFrom, before: limitUs, where: { samePID($0) && $0.field("Event") == "12" }) {
            shell = Mark(us: record.timeUs, source: "winlogon-811-startshell")
        } else if let session, let record = records.first(EventCatalog.localSessionManager, 22, after: shellFrom, before: limitUs, where: { $0.field("SessionID") == session }) {
            shell = Mark(us: record.timeUs, source: "localsessionmanager-22")
        } else if let session, let record = records.first(EventCatalog.groupPolicy, 5324, after: shellFrom, before: limitUs, where: {
            $0.field("SessionId") == session && $0.field("NotificationType") == "3"
        }) {
            shell = Mark(us: record.timeUs, source: "grouppolicy-5324")
        }
        let userName = userName(cluster: cluster, session: session, anchor: anchor, limitUs: limitUs)

        // Group policy: what the logon waited for.
        var policyEnd: Int64?
        let policyWindowEnd = min(limitUs, shell?.us ?? limitUs)
        if let policy = groupPolicy(from: anchor - 5_000_000, before: policyWindowEnd, limitUs: limitUs, userName: userName, winlogonPID: winlogonPID, attributes: &attributes) {
            boundaries.append((.groupPolicy, policy.from, policy.to))
            policyEnd = policy.to
            lastSeen = ("group_policy", policy.to)
        }

        if let shell {
            let from = policyEnd ?? profileEnd ?? authStop?.timeUs ?? start.us
            boundaries.append((.shellStart, from, shell.us))
            attributes[WindowsEventAttribute.shellStartSource] = shell.source
            lastSeen = ("shell_start", shell.us)
        } else {
            attributes[WindowsEventAttribute.shellStartSource] = "not_observed"
        }

        // Desktop ready: Shell-Core 62171 AllLogonTasks for the user; on the boot logon, event 100's main path end.
        let readyFrom = shell?.us ?? shellFrom
        let allLogonTasks = { (record: WindowsEventRecord) in isUser(record) && record.field("TaskName") == "AllLogonTasks" }
        var ready: Mark?
        if let record = records.first(EventCatalog.shellCore, 62171, after: readyFrom, before: limitUs, where: allLogonTasks) {
            ready = Mark(us: record.timeUs, source: "shell-core-62171")
        } else if let boot = bootOf(start.us), let end = boot.desktopReadyUs, end >= readyFrom {
            ready = Mark(us: end, source: "diagnostics-performance-100")
        }
        if bootOf(start.us) != nil { attributes[WindowsEventAttribute.bootLogon] = LogonAttribute.flagSet }
        if let shell, let ready {
            boundaries.append((.desktopReady, shell.us, ready.us))
        }
        if let ready { attributes[WindowsEventAttribute.desktopReadySource] = ready.source }

        // First logon: explorer ran the user's first-run tasks, or the cloud experience host's pages appeared.
        let firstRunEnd = ready?.us ?? limitUs
        let firstRun = records.first(EventCatalog.shellCore, 62170, after: anchor, before: firstRunEnd) {
            isUser($0) && ["UserOobeTasks", "LaunchUserOobe"].contains($0.field("TaskName") ?? "")
        } ?? ComputerRecords.first(in: records.cloudExperience, after: anchor, before: firstRunEnd, where: isUser)
        if firstRun != nil { attributes[LogonAttribute.firstLogon] = LogonAttribute.flagSet }

        // Phases from the boundaries, corrected for clock steps; the rest of the span is `unattributed`.
        var phases: [String: Int64] = [:]
        var stepped = false, negative = false
        for boundary in boundaries {
            let span = records.clock.span(from: boundary.from, to: boundary.to)
            stepped = stepped || span.stepped
            negative = negative || span.negative
            phases[boundary.phase.rawValue, default: 0] += span.us / 1000
        }
        let end = ready?.us ?? lastSeen.us
        let total = records.clock.span(from: start.us, to: end)
        stepped = stepped || total.stepped
        negative = negative || total.negative
        let durationMs = total.us / 1000
        let covered = phases.values.reduce(0, +)
        phases[WindowsLogonPhase.unattributed.rawValue] = max(0, durationMs - covered)
        if negative {
            attributes[WindowsEventAttribute.clockStep] = "suspected"
        } else if stepped {
            attributes[WindowsEventAttribute.clockStep] = "corrected"
        }
        let outcome: Outcome
        if ready != nil {
            outcome = .ok
        } else {
            outcome = .incomplete
            attributes[WindowsEventAttribute.lastSeen] = lastSeen.phase
            if let explorer = records.first(EventCatalog.shellCore, 62170, after: readyFrom, before: limitUs, where: allLogonTasks) {
                attributes[WindowsEventAttribute.explorerStartedMs] = String(records.clock.span(from: start.us, to: explorer.timeUs).us / 1000)
            }
        }
        let startedAtMs = start.us / 1000
        let identity = cluster.identityRecord?.identity ?? "\(sid)|\(anchor)"
        let event = MeasurementEvent(
            id: StableEventID.make(computer: computer, kind: "logon", sourceIdentity: identity, startedAtMs: startedAtMs),
            kind: .logon, name: "windows", startedAtMs: startedAtMs, durationMs: durationMs, phases: phases,
            outcome: outcome, attributes: attributes)
        return (AssembledEvent(event: event, userSID: sid, userName: userName), start.us)
    }

    /// The user policy the logon waited for: synchronous 4001 to its end (same activity id), or for asynchronous or
    /// absent runs, Winlogon's wait for its GPClient subscriber. Attributes record the mode, the background run,
    /// the slowest extensions and the logon scripts.
    private func groupPolicy(from: Int64, before: Int64, limitUs: Int64, userName: String?, winlogonPID: Int?,
                             attributes: inout [String: String]) -> (from: Int64, to: Int64)? {
        let run = records.first(EventCatalog.groupPolicy, 4001, after: from, before: before) { record in
            guard record.boolean("IsMachine") != true else { return false }
            guard let userName, let principal = record.field("PrincipalSamName") else { return true }
            return principal.lowercased() == userName.lowercased()
        }
        var runSpan: (from: Int64, to: Int64)?
        if let run, let activity = run.activityID {
            let sameRun = { (record: WindowsEventRecord) in record.activityID == activity }
            let end = [8001, 6001, 7001].compactMap { records.first(EventCatalog.groupPolicy, $0, after: run.timeUs, before: limitUs, where: sameRun) }
                .min { $0.timeUs < $1.timeUs }
            if let end { runSpan = (run.timeUs, end.timeUs) }
            var extensions: [(name: String, ms: Int64)] = []
            for id in [5016, 6016, 7016] {
                for record in records.of(EventCatalog.groupPolicy, id) where sameRun(record) {
                    if let ms = record.integer("CSEElaspedTimeInMilliSeconds") {
                        extensions.append((record.field("CSEExtensionName") ?? record.field("CSEExtensionId") ?? "?", ms))
                    }
                }
            }
            if !extensions.isEmpty {
                attributes[WindowsEventAttribute.groupPolicySlowestExtensions] = extensions.sorted { $0.ms > $1.ms }.prefix(3)
                    .map { "\($0.name)=\($0.ms)" }.joined(separator: "; ")
            }
            var scriptSeconds: Int64 = 0
            var scriptSeen = false
            for id in [5018, 7018] {
                for record in records.of(EventCatalog.groupPolicy, id) where sameRun(record) && record.integer("ScriptType") == 1 {
                    scriptSeen = true
                    scriptSeconds += record.integer("ScriptElaspedTimeInSeconds") ?? 0
                    if id == 7018 { attributes[WindowsEventAttribute.groupPolicyLogonScriptFailed] = LogonAttribute.flagSet }
                }
            }
            if scriptSeen { attributes[WindowsEventAttribute.groupPolicyLogonScriptsSeconds] = String(scriptSeconds) }
            let async = run.boolean("IsAsyncProcessing") == true
            attributes[WindowsEventAttribute.groupPolicyMode] = async ? "async" : "sync"
            if !async, let reason = run.field("ReasonForSyncProcessing") { attributes[WindowsEventAttribute.groupPolicySyncReason] = reason }
            if !async, let runSpan {
                attributes[WindowsEventAttribute.groupPolicySource] = "grouppolicy-4001-8001"
                return runSpan
            }
            if async, let runSpan {
                attributes[WindowsEventAttribute.groupPolicyBackgroundMs] = String(records.clock.span(from: runSpan.from, to: runSpan.to).us / 1000)
            }
        }
        // Winlogon's wait for the GPClient subscriber (what an asynchronous run still cost the logon).
        let gpClient = { (id: Int) in
            { (record: WindowsEventRecord) in
                winlogonPID != nil && record.processID == winlogonPID && record.eventID == id && record.field("Event") == "2"
                    && record.field("SubscriberName")?.lowercased() == "gpclient"
            }
        }
        if let begin = records.first(EventCatalog.winlogon, 811, after: from, before: before, where: gpClient(811)),
           let stop = records.first(EventCatalog.winlogon, 812, after: begin.timeUs, before: limitUs, where: gpClient(812)) {
            attributes[WindowsEventAttribute.groupPolicySource] = "winlogon-811-812-gpclient"
            return (begin.timeUs, stop.timeUs)
        }
        attributes[WindowsEventAttribute.groupPolicySource] = run == nil ? "not_observed" : "not_completed"
        return nil
    }

    /// `DOMAIN\user` from Security 4624 or LocalSessionManager 21/22 of the session.
    private func userName(cluster: LogonClusters.Cluster, session: String?, anchor: Int64, limitUs: Int64) -> String? {
        if let logon = cluster.securityLogon, let user = logon.field("TargetUserName") {
            return logon.field("TargetDomainName").map { "\($0)\\\(user)" } ?? user
        }
        guard let session else { return nil }
        for id in [21, 22] {
            if let record = records.first(EventCatalog.localSessionManager, id, after: anchor - 5_000_000, before: limitUs, where: { $0.field("SessionID") == session }),
               let user = record.field("User") {
                return user
            }
        }
        return nil
    }

    /// The boot (event 100) whose first logon starts at `startUs`.
    private func bootOf(_ startUs: Int64) -> BootAssembly.DiagnosticsBoot? {
        boots.first { boot in
            guard let expected = boot.expectedLogonStartUs else { return false }
            return abs(expected - startUs) <= Self.bootLinkUs + records.clock.slackUs(around: startUs)
        }
    }

    /// User Profile Service 67's `ProfileType` as `local`, `roaming`, `mandatory` or `temporary` when recognisable.
    static func profileType(_ raw: String) -> String {
        let lower = raw.lowercased()
        if lower.contains("roam") { return "roaming" }
        if lower.contains("mandatory") { return "mandatory" }
        if lower.contains("temp") { return "temporary" }
        if lower == "regular" || lower.contains("local") { return "local" }
        return lower
    }
}
