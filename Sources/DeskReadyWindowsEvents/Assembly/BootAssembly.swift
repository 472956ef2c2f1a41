import DeskReadyModel

/// Boots from Diagnostics-Performance 100, checked against the event's own identities; for a boot without event 100,
/// a boot from Kernel-General 12 that says its timing is unavailable instead of inventing it.
struct BootAssembly {
    /// One boot described by event 100, kept for linking the boot's first logon.
    struct DiagnosticsBoot {
        var record: WindowsEventRecord
        var startUs: Int64
        var field: (String) -> Int64?
        /// Where the boot's first logon should start: boot start + Winlogon start + other logon init + sign-in wait.
        var expectedLogonStartUs: Int64? {
            guard let winlogon = field("WinLogonStartTimeMS"), let other = field("OtherLogonInitActivityDuration"),
                  let wait = field("UserLogonWaitDuration") else { return nil }
            return startUs + (winlogon + other + wait) * 1000
        }
        /// Desktop ready by event 100: boot start + main path + sign-in wait.
        var desktopReadyUs: Int64? {
            guard let main = field("MainPathBootTime"), let wait = field("UserLogonWaitDuration") else { return nil }
            return startUs + (main + wait) * 1000
        }
    }

    /// Event 100's identities hold to within this.
    static let identityToleranceMs: Int64 = 5
    /// Event 100 and Kernel-General 12 of the same boot are within this of each other.
    static let sameBootUs: Int64 = 10 * 60_000_000

    let records: ComputerRecords
    let computer: String

    var diagnosticsBoots: [DiagnosticsBoot] {
        records.of(EventCatalog.diagnosticsPerformance, 100).compactMap { record in
            guard let start = record.field("BootStartTime").flatMap(WindowsTimestamp.parseMicroseconds) else { return nil }
            return DiagnosticsBoot(record: record, startUs: start, field: { record.integer($0) })
        }
    }

    /// Completed boots, and the start of the earliest boot still waiting for its event 100.
    func assemble(nowMs: Int64, holdTimeoutMs: Int64) -> (events: [AssembledEvent], held: [HeldBack]) {
        var events: [AssembledEvent] = []
        var held: [HeldBack] = []
        let boots = diagnosticsBoots
        for boot in boots { events.append(event(for: boot)) }
        let kernelStarts = records.of(EventCatalog.kernelGeneral, 12)
        for (index, start) in kernelStarts.enumerated() {
            guard let startUs = start.field("StartTime").flatMap(WindowsTimestamp.parseMicroseconds) ?? Optional(start.timeUs) else { continue }
            if boots.contains(where: { abs($0.startUs - startUs) <= Self.sameBootUs }) { continue }
            let nextBoot = index + 1 < kernelStarts.count
            let timedOut = nowMs - startUs / 1000 > holdTimeoutMs
            guard nextBoot || timedOut else {
                held.append(HeldBack(kind: .boot, startedAtUs: startUs, keepFromUs: start.timeUs,
                                     reason: "boot at \(startUs / 1000) ms has no Diagnostics-Performance 100 yet"))
                continue
            }
            var attributes = [WindowsEventAttribute.source: "windows-events",
                              WindowsEventAttribute.bootSource: "kernel-general-12",
                              WindowsEventAttribute.bootTiming: "unavailable"]
            if let type = bootType(near: startUs) { attributes[WindowsEventAttribute.bootType] = type }
            let startedAtMs = startUs / 1000
            events.append(AssembledEvent(event: MeasurementEvent(
                id: StableEventID.make(computer: computer, kind: "boot", sourceIdentity: start.identity, startedAtMs: startedAtMs),
                kind: .boot, name: "windows", startedAtMs: startedAtMs, durationMs: 0, outcome: .incomplete, attributes: attributes)))
        }
        return (events, held)
    }

    private func event(for boot: DiagnosticsBoot) -> AssembledEvent {
        let r = boot.record
        var phases: [String: Int64] = [:]
        let sources: [(WindowsBootPhase, String)] = [
            (.mainPath, "MainPathBootTime"), (.postBoot, "BootPostBootTime"), (.winlogonInit, "WinLogonStartTimeMS"),
            (.logonInit, "OtherLogonInitActivityDuration"), (.machineProfile, "BootMachineProfileProcessingTime"),
            (.userProfile, "BootUserProfileProcessingTime"), (.explorerInit, "BootExplorerInitTime"),
        ]
        for (phase, field) in sources { if let value = r.integer(field), value >= 0 { phases[phase.rawValue] = value } }
        let total = r.integer("BootTime") ?? ((phases["main_path"] ?? 0) + (phases["post_boot"] ?? 0))
        var failures: [String] = []
        if let main = phases["main_path"], let post = phases["post_boot"], abs(total - main - post) > Self.identityToleranceMs {
            failures.append("total")
        }
        let parts: [WindowsBootPhase] = [.winlogonInit, .logonInit, .machineProfile, .userProfile, .explorerInit]
        let partValues = parts.compactMap { phases[$0.rawValue] }
        if let main = phases["main_path"], partValues.count == parts.count, abs(main - partValues.reduce(0, +)) > Self.identityToleranceMs {
            failures.append("main_path")
        }
        var attributes = [WindowsEventAttribute.source: "windows-events",
                          WindowsEventAttribute.bootSource: "diagnostics-performance-100",
                          WindowsEventAttribute.identityCheck: failures.isEmpty ? "ok" : "failed:" + failures.joined(separator: ",")]
        if let wait = r.integer("UserLogonWaitDuration") { attributes[WindowsEventAttribute.userLogonWaitMs] = String(wait) }
        if let degraded = r.boolean("BootIsDegradation") { attributes[WindowsEventAttribute.degradation] = String(degraded) }
        if let type = bootType(near: boot.startUs) { attributes[WindowsEventAttribute.bootType] = type }
        let startedAtMs = boot.startUs / 1000
        return AssembledEvent(event: MeasurementEvent(
            id: StableEventID.make(computer: computer, kind: "boot", sourceIdentity: r.identity, startedAtMs: startedAtMs),
            kind: .boot, name: "windows", startedAtMs: startedAtMs, durationMs: max(0, total), phases: phases,
            outcome: .ok, attributes: attributes))
    }

    /// Kernel-Boot 27's boot type for the boot starting at `startUs`.
    private func bootType(near startUs: Int64) -> String? {
        guard let record = records.first(EventCatalog.kernelBoot, 27, after: startUs - 60_000_000, before: startUs + Self.sameBootUs),
              let type = record.integer("BootType") else { return nil }
        switch type {
        case 0: return "cold"
        case 1: return "fast_startup"
        case 2: return "hibernate_resume"
        default: return String(type)
        }
    }
}
