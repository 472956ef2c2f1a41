import DeskReadyModel

/// Turns a `desktop_ready` mark (or the `session_open` mark of a session known only from logind) into a
/// `responsive` mark once the session's CPU use has settled under the responsive rule. The session's CPU is its
/// user's cgroup v2 slice when the mark knows the uid and the slice exists (`responsive_cpu: session`), else the
/// whole machine's from `/proc/stat` (`responsive_cpu: machine`). Driven by the daemon: each step looks at the open
/// marks, samples the CPU while a desktop is waiting, and returns the marks to record. The responsive moment is the start of the quiet window (when the CPU
/// dropped and stayed down), not the end of it. Sampling starts when the daemon first sees the ready mark, so the
/// result can be late by at most one step (half a second while watching). Every decision is written into the
/// marks (the rule on the `responsive` mark, or on the ready mark when the CPU never settled), so it survives a
/// restart of the daemon before the logon is joined.
public final class ResponsiveWatcher {
    /// A desktop waiting to become responsive.
    struct Watch {
        var ready: LogonMark
        var window: QuietWindow
        /// The user whose cgroup is sampled; nil samples the whole machine.
        var uid: UInt32?
        /// The sample this watch counts the next interval from.
        var last: (cpu: CPUTimes, monoMs: Int64)?
    }

    public let rule: ResponsiveRule
    let waitMs: Int64
    let readCPU: () -> CPUTimes?
    let readSessionCPU: (UInt32) -> CPUTimes?
    let currentBootId: String
    private var watches: [Int64: Watch] = [:]

    /// - Parameters:
    ///   - waitMs: how long after desktop ready to keep watching (the assembler's `responsiveWaitMs`).
    ///   - readCPU: reads the machine's CPU counters; replaceable in tests.
    ///   - readSessionCPU: reads a user's cgroup counters, nil when the user has none; replaceable in tests.
    public init(rule: ResponsiveRule, waitMs: Int64, currentBootId: String = SystemFacts.bootId(),
                readCPU: @escaping () -> CPUTimes? = { CPUTimes.read() },
                readSessionCPU: @escaping (UInt32) -> CPUTimes? = { CgroupCPU().read(uid: $0) }) {
        self.rule = rule
        self.waitMs = waitMs
        self.currentBootId = currentBootId
        self.readCPU = readCPU
        self.readSessionCPU = readSessionCPU
    }

    /// True while a desktop is being watched: the daemon then steps more often.
    public var isWatching: Bool { !watches.isEmpty }

    /// One step: start watching new ready desktops, stop watching those already marked or past the wait, sample the
    /// CPU, and return the `responsive` marks that are due and the attributes to add to ready marks given up on.
    public func step(openMarks: [LogonMark], nowWallMs: Int64, nowMonoMs: Int64) -> ResponsiveStep {
        var result = ResponsiveStep(marks: [], annotations: updateWatches(openMarks, nowWallMs: nowWallMs))
        guard !watches.isEmpty else { return result }
        // One reading per source per step, shared by the watches that use it. Each is a double optional: the outer
        // level says whether the source was read this step, the inner whether the read gave a value (nil: unreadable
        // now; such a watch waits for a later step rather than being read again).
        var machine: CPUTimes??
        var sessions: [UInt32: CPUTimes?] = [:]
        for id in watches.keys.sorted() {
            guard var watch = watches[id] else { continue }
            let reading: CPUTimes?
            if let uid = watch.uid {
                if sessions[uid] == nil { sessions[uid] = readSessionCPU(uid) }
                reading = sessions[uid] ?? nil
            } else {
                if machine == nil { machine = readCPU() }
                reading = machine ?? nil
            }
            guard let cpu = reading else { continue }
            // Whatever this step decides, the reading becomes the watch's last one (runs after the `watches[id]`
            // assignments below, so it updates the stored watch, and does nothing once the watch is removed).
            defer { watches[id]?.last = (cpu, nowMonoMs) }
            guard let last = watch.last, let percent = CPUTimes.busyPercent(from: last.cpu, to: cpu) else { continue }
            if let quietSince = watch.window.add(percent: percent, fromMs: last.monoMs, toMs: nowMonoMs) {
                let quietSinceMono = max(quietSince, watch.ready.monotonicMs)
                result.marks.append(LogonMark(
                    name: LogonMark.Milestone.responsive.rawValue, session: watch.ready.session, user: watch.ready.user,
                    sessionType: watch.ready.sessionType, wallMs: nowWallMs - (nowMonoMs - quietSinceMono),
                    monotonicMs: quietSinceMono, bootId: watch.ready.bootId, attributes: decision(watch, reached: true)))
                watches[id] = nil
            } else {
                watches[id] = watch
            }
        }
        return result
    }

    /// Starts and stops watches; returns the attributes for the ready marks given up on.
    private func updateWatches(_ marks: [LogonMark], nowWallMs: Int64) -> [Int64: [String: String]] {
        var waiting: [Int64: LogonMark] = [:]
        for mark in marks where Self.startsWatch(mark) && mark.bootId == currentBootId {
            let answered = marks.contains { other in
                other.milestone == .responsive && other.bootId == mark.bootId && other.monotonicMs >= mark.monotonicMs
                    && Self.sameLogon(other, mark)
            }
            if !answered { waiting[mark.id] = mark }
        }
        for (id, mark) in waiting where watches[id] == nil && nowWallMs - mark.wallMs < waitMs {
            // The user's cgroup when the mark names the uid and the slice can be read; the machine otherwise.
            let uid = mark.attributes[LocalFact.uid].flatMap { UInt32($0) }.flatMap { readSessionCPU($0) == nil ? nil : $0 }
            watches[id] = Watch(ready: mark, window: QuietWindow(thresholdPercent: Double(rule.cpuPercent), windowMs: rule.windowMs), uid: uid)
        }
        var givenUp: [Int64: [String: String]] = [:]
        for (id, watch) in watches {
            if waiting[id] == nil {
                watches[id] = nil
            } else if nowWallMs - watch.ready.wallMs >= waitMs {
                givenUp[id] = decision(watch, reached: false)
                watches[id] = nil
            }
        }
        return givenUp
    }

    /// Whether a mark starts a watch: a desktop ready, or a session opened that only logind told of.
    static func startsWatch(_ mark: LogonMark) -> Bool {
        mark.milestone == .desktopReady || (mark.milestone == .sessionOpen && mark.attributes["source"] == LogindLogonSource.sourceName)
    }

    /// The attributes naming the rule that decided (`responsive_rule`), the CPU it watched (`responsive_cpu`), and
    /// `responsive_reached: no` when the CPU never settled within the wait.
    private func decision(_ watch: Watch, reached: Bool) -> [String: String] {
        var attributes = [LogonAttribute.responsiveRule: rule.name,
                          ResponsiveRule.cpuSourceAttribute: watch.uid == nil ? ResponsiveRule.machineCPU : ResponsiveRule.sessionCPU]
        if !reached { attributes["responsive_reached"] = "no" }
        return attributes
    }

    /// Marks of one logon: the same user when known (as the assembler joins them), else the same session.
    static func sameLogon(_ a: LogonMark, _ b: LogonMark) -> Bool {
        if let user = a.user ?? b.user { return a.user == user && b.user == user }
        return a.session == b.session
    }
}

/// What one step of the `ResponsiveWatcher` decided: `responsive` marks to record, and attributes to add to the
/// ready marks (by id) whose desktop never settled within the wait.
public struct ResponsiveStep: Sendable {
    public var marks: [LogonMark]
    public var annotations: [Int64: [String: String]]
}
