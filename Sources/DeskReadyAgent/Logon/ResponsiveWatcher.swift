import DeskReadyModel

/// Turns a `desktop_ready` mark (or the `session_open` mark of a session known only from logind) into a
/// `responsive` mark once the machine's CPU use has settled under the
/// responsive rule. Driven by the daemon: each step looks at the open marks, samples `/proc/stat` while a desktop is
/// waiting, and returns the marks to record. The responsive moment is the start of the quiet window (when the CPU
/// dropped and stayed down), not the end of it. Sampling starts when the daemon first sees the ready mark, so the
/// result can be late by at most one step (half a second while watching).
public final class ResponsiveWatcher {
    /// A desktop waiting to become responsive.
    struct Watch {
        var ready: LogonMark
        var window: QuietWindow
        /// The CPU sample this watch counts intervals from (its first, then each later one).
        var started: Bool
    }

    /// What the watcher decided for a desktop, kept until the logon that holds it is stored.
    struct Decision {
        var user: String?
        var session: String?
        var reached: Bool
        var decidedWallMs: Int64
        var fromLogind: Bool
    }

    public let rule: ResponsiveRule
    let waitMs: Int64
    let readCPU: () -> CPUTimes?
    let currentBootId: String
    private var watches: [Int64: Watch] = [:]
    private var decisions: [Decision] = []
    private var lastSample: (cpu: CPUTimes, monoMs: Int64)?
    /// Sessions known from logind only (no hooks): their `session_open` mark starts the watch instead of a
    /// `desktop_ready` mark, and their logons are tagged `source: logind`.
    public var logindSessions: Set<String> = []

    /// - Parameters:
    ///   - waitMs: how long after desktop ready to keep watching (the assembler's `responsiveWaitMs`).
    ///   - readCPU: reads the machine's CPU counters; replaceable in tests.
    public init(rule: ResponsiveRule, waitMs: Int64, currentBootId: String = SystemFacts.bootId(),
                readCPU: @escaping () -> CPUTimes? = { CPUTimes.read() }) {
        self.rule = rule
        self.waitMs = waitMs
        self.currentBootId = currentBootId
        self.readCPU = readCPU
    }

    /// True while a desktop is being watched: the daemon then steps more often.
    public var isWatching: Bool { !watches.isEmpty }

    /// One step: start watching new ready desktops, stop watching those already marked or past the wait, sample the
    /// CPU, and return the `responsive` marks that are due.
    public func step(openMarks: [LogonMark], nowWallMs: Int64, nowMonoMs: Int64) -> [LogonMark] {
        updateWatches(openMarks, nowWallMs: nowWallMs)
        guard !watches.isEmpty else {
            lastSample = nil
            return []
        }
        guard let cpu = readCPU() else { return [] }
        defer { lastSample = (cpu, nowMonoMs) }
        guard let last = lastSample, let percent = CPUTimes.busyPercent(from: last.cpu, to: cpu) else {
            for id in watches.keys { watches[id]?.started = true }
            return []
        }
        var due: [LogonMark] = []
        for id in watches.keys.sorted() {
            guard var watch = watches[id] else { continue }
            guard watch.started else {
                watch.started = true
                watches[id] = watch
                continue
            }
            if let quietSince = watch.window.add(percent: percent, fromMs: last.monoMs, toMs: nowMonoMs) {
                let quietSinceMono = max(quietSince, watch.ready.monotonicMs)
                due.append(LogonMark(
                    name: LogonMark.Milestone.responsive.rawValue, session: watch.ready.session, user: watch.ready.user,
                    sessionType: watch.ready.sessionType, wallMs: nowWallMs - (nowMonoMs - quietSinceMono),
                    monotonicMs: quietSinceMono, bootId: watch.ready.bootId))
                decisions.append(decision(for: watch.ready, reached: true, nowWallMs: nowWallMs))
                watches[id] = nil
            } else {
                watches[id] = watch
            }
        }
        return due
    }

    private func updateWatches(_ marks: [LogonMark], nowWallMs: Int64) {
        var waiting: [Int64: LogonMark] = [:]
        for mark in marks where startsWatch(mark) && mark.bootId == currentBootId {
            let answered = marks.contains { other in
                other.milestone == .responsive && other.bootId == mark.bootId && other.monotonicMs >= mark.monotonicMs
                    && Self.sameLogon(other, mark)
            }
            if !answered { waiting[mark.id] = mark }
        }
        for (id, mark) in waiting where watches[id] == nil && nowWallMs - mark.wallMs < waitMs {
            watches[id] = Watch(ready: mark, window: QuietWindow(thresholdPercent: Double(rule.cpuPercent), windowMs: rule.windowMs), started: false)
        }
        for (id, watch) in watches {
            if waiting[id] == nil {
                watches[id] = nil
            } else if nowWallMs - watch.ready.wallMs >= waitMs {
                decisions.append(decision(for: watch.ready, reached: false, nowWallMs: nowWallMs))
                watches[id] = nil
            }
        }
        decisions.removeAll { nowWallMs - $0.decidedWallMs > waitMs + 600_000 }
    }

    private func startsWatch(_ mark: LogonMark) -> Bool {
        mark.milestone == .desktopReady || (mark.milestone == .sessionOpen && logindSessions.contains(mark.session ?? ""))
    }

    private func decision(for start: LogonMark, reached: Bool, nowWallMs: Int64) -> Decision {
        Decision(user: start.user, session: start.session, reached: reached, decidedWallMs: nowWallMs,
                 fromLogind: start.milestone == .sessionOpen)
    }

    /// Marks of one logon: the same user when known (as the assembler joins them), else the same session.
    static func sameLogon(_ a: LogonMark, _ b: LogonMark) -> Bool {
        if let user = a.user ?? b.user { return a.user == user && b.user == user }
        return a.session == b.session
    }

    /// Names the rule in the logon events it decided (`responsive_rule`, and `responsive_reached: no` when the CPU
    /// never settled within the wait). A logon ended by a `responsive` mark the watcher did not make is tagged
    /// `responsive_rule: mark`.
    public func annotate(_ events: [MeasurementEvent]) -> [MeasurementEvent] {
        events.map { event in
            guard event.kind == .logon else { return event }
            var event = event
            var attributes = event.attributes ?? [:]
            let index = decisions.firstIndex { decision in
                if let user = decision.user { return event.user == user }
                return attributes["session"] == decision.session
            }
            if let index {
                let decision = decisions.remove(at: index)
                attributes["responsive_rule"] = rule.name
                if !decision.reached { attributes["responsive_reached"] = "no" }
                if decision.fromLogind { attributes["source"] = "logind" }
            } else if attributes["end"] == LogonMark.Milestone.responsive.rawValue {
                attributes["responsive_rule"] = "mark"
            }
            event.attributes = attributes
            return event
        }
    }
}
