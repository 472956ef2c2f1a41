import DeskReadyModel

/// Joins the marks of one session into one logon event with phases. A logon whose desktop never became ready is
/// kept as `incomplete` after a timeout, never lost and never counted as fast. The marks' attributes (the responsive
/// decision, `source: logind`) go into the event; of their local facts only `LocalFact.homeCreatedMs` is kept, for
/// the spool to decide `first_logon` and remove before the event is stored.
public struct LogonAssembler: Sendable {
    /// How long after its first mark a logon without a ready desktop is closed as incomplete.
    public var incompleteAfterMs: Int64
    /// How long after desktop ready the assembler waits for the responsive mark before closing without it.
    public var responsiveWaitMs: Int64

    public init(incompleteAfterMs: Int64 = 600_000, responsiveWaitMs: Int64 = 120_000) {
        self.incompleteAfterMs = incompleteAfterMs
        self.responsiveWaitMs = responsiveWaitMs
    }

    /// The logon events that can be closed now, and the marks they used (to delete).
    public func assemble(_ marks: [LogonMark], nowMs: Int64) -> (events: [MeasurementEvent], consumed: [Int64]) {
        var groups: [String: [[LogonMark]]] = [:]
        var order: [String] = []
        for mark in marks {
            guard let milestone = mark.milestone else { continue }
            // PAM's auth stack runs before logind gives the session an id, so marks are joined by user first
            // (one person rarely logs on twice at once on one workstation), by session when the user is unknown.
            let key = mark.bootId + "|" + (mark.user.map { "user:" + $0 } ?? "session:" + (mark.session ?? "?"))
            if groups[key] == nil { order.append(key) }
            var logons = groups[key, default: []]
            if var current = logons.last, !startsNewLogon(milestone, after: current) {
                current.append(mark)
                logons[logons.count - 1] = current
            } else {
                logons.append([mark])
            }
            groups[key] = logons
        }
        var events: [MeasurementEvent] = []
        var consumed: [Int64] = []
        // Marks whose name is not a milestone are noise: consume them so they do not pile up.
        consumed += marks.filter { $0.milestone == nil }.map(\.id)
        for key in order {
            for logon in groups[key] ?? [] {
                if let event = close(logon, nowMs: nowMs) {
                    events.append(event)
                    consumed += logon.map(\.id)
                }
            }
        }
        return (events, consumed)
    }

    private func startsNewLogon(_ milestone: LogonMark.Milestone, after current: [LogonMark]) -> Bool {
        guard let last = current.last?.milestone else { return true }
        // A second auth_start before the session opened is a retried password: same logon, timed from the last try.
        if milestone == .authStart { return last != .authStart }
        let rank = LogonMark.Milestone.allCases.firstIndex(of: milestone)!
        let lastRank = LogonMark.Milestone.allCases.firstIndex(of: last)!
        return rank < lastRank
    }

    private func close(_ marks: [LogonMark], nowMs: Int64) -> MeasurementEvent? {
        var at: [LogonMark.Milestone: LogonMark] = [:]
        for mark in marks {
            guard let m = mark.milestone else { continue }
            if at[m] == nil || m == .authStart { at[m] = mark }
        }
        guard let first = at[.authStart] ?? marks.first else { return nil }
        let ready = at[.desktopReady]
        let responsive = at[.responsive]
        let outcome: Outcome
        let end: LogonMark
        if let responsive {
            end = responsive
            outcome = .ok
        } else if let ready, nowMs - ready.wallMs >= responsiveWaitMs {
            end = ready
            outcome = .ok
        } else if ready == nil, nowMs - first.wallMs >= incompleteAfterMs {
            end = marks.last!
            outcome = .incomplete
        } else {
            return nil
        }
        func span(_ from: LogonMark?, _ to: LogonMark?) -> Int64? {
            guard let from, let to else { return nil }
            let ms = from.bootId == to.bootId ? to.monotonicMs - from.monotonicMs : to.wallMs - from.wallMs
            return max(0, ms)
        }
        var phases: [String: Int64] = [:]
        phases[LogonPhase.authentication.rawValue] = span(at[.authStart], at[.sessionOpen])
        phases[LogonPhase.sessionStart.rawValue] = span(at[.sessionOpen], ready)
        phases[LogonPhase.responsive.rawValue] = span(ready, responsive)
        var attributes = ["source": "marks", "end": end.name]
        if let session = marks.compactMap(\.session).first { attributes["session"] = session }
        for mark in marks {
            for (name, value) in mark.attributes where !LocalFact.isLocal(name) || name == LocalFact.homeCreatedMs {
                attributes[name] = value
            }
        }
        if end.milestone == .responsive && attributes[LogonAttribute.responsiveRule] == nil {
            // A responsive mark the daemon's watcher did not make (left by a site's own script).
            attributes[LogonAttribute.responsiveRule] = "mark"
        }
        return MeasurementEvent(
            id: UUIDv7.make(unixMs: first.wallMs), kind: .logon, name: first.sessionType ?? marks.compactMap(\.sessionType).first ?? "desktop",
            startedAtMs: first.wallMs, durationMs: span(first, end) ?? 0, phases: phases.isEmpty ? nil : phases,
            outcome: outcome, user: marks.compactMap(\.user).first, attributes: attributes)
    }
}
