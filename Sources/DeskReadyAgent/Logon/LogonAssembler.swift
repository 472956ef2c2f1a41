import DeskReadyModel

/// Joins the marks of one session into one logon event with phases. A logon starts when PAM accepted the credentials
/// (`auth_done`), so the time a person takes to type is kept out of it (as the `credential_entry_ms` attribute). A
/// logon whose desktop never became ready is kept as `incomplete` after a timeout, never lost and never counted as
/// fast. Credentials accepted while the user already had a live desktop session are an unlock (its own event kind,
/// counted, see `closeUnlock`); a prompt whose credentials were never accepted is dropped. Neither is an incomplete
/// logon. The marks' attributes (the responsive
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
                switch close(logon, nowMs: nowMs) {
                case .open:
                    continue
                case .discard:
                    consumed += logon.map(\.id)
                case .event(let event):
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

    private func close(_ marks: [LogonMark], nowMs: Int64) -> Closing {
        var at: [LogonMark.Milestone: LogonMark] = [:]
        for mark in marks {
            guard let m = mark.milestone else { continue }
            if at[m] == nil || m == .authStart { at[m] = mark }
        }
        guard let last = marks.last else { return .open }
        let ready = at[.desktopReady]
        let responsive = at[.responsive]
        let sessionOpen = at[.sessionOpen]
        if sessionOpen == nil && ready == nil && responsive == nil {
            // Only PAM's auth marks: a prompt nobody completed, an unlock, or a logon whose session is yet to open.
            guard let done = at[.authDone] else {
                // Abandoned (or refused) at the prompt: not a logon, never an incomplete one.
                return nowMs - last.wallMs >= incompleteAfterMs ? .discard : .open
            }
            switch done.attributes[LocalFact.priorSession] {
            case nil where nowMs - done.wallMs < incompleteAfterMs:
                return .open // the daemon has not looked for a live session yet
            case let prior? where prior != UnlockDecider.noPriorSession:
                return closeUnlock(marks, done: done, prior: prior, nowMs: nowMs)
            default:
                break
            }
        }
        // The logon starts when the credentials have been accepted; without that mark (a PAM stack that does not
        // reach the last line of the auth stack, or a logon seen only by logind) when the session opened.
        guard let first = at[.authDone] ?? sessionOpen ?? ready ?? responsive else { return .open }
        let outcome: Outcome
        let end: LogonMark
        if let responsive {
            end = responsive
            outcome = .ok
        } else if let ready, nowMs - ready.wallMs >= responsiveWaitMs {
            end = ready
            outcome = .ok
        } else if ready == nil, nowMs - first.wallMs >= incompleteAfterMs {
            end = last
            outcome = .incomplete
        } else {
            return .open
        }
        let span = Self.span
        var phases: [String: Int64] = [:]
        phases[LogonPhase.authentication.rawValue] = span(at[.authDone], sessionOpen)
        phases[LogonPhase.sessionStart.rawValue] = span(at[.sessionOpen], ready)
        phases[LogonPhase.responsive.rawValue] = span(ready, responsive)
        var attributes = ["source": "marks", "start": first.name, "end": end.name]
        if let typing = span(at[.authStart], at[.authDone]) { attributes[LogonAttribute.credentialEntryMs] = String(typing) }
        if let session = marks.compactMap(\.session).first { attributes["session"] = session }
        for mark in marks {
            for (name, value) in mark.attributes where Self.kept(name) {
                attributes[name] = value
            }
        }
        if end.milestone == .responsive && attributes[LogonAttribute.responsiveRule] == nil {
            // A responsive mark the daemon's watcher did not make (left by a site's own script).
            attributes[LogonAttribute.responsiveRule] = "mark"
        }
        return .event(MeasurementEvent(
            id: UUIDv7.make(unixMs: first.wallMs), kind: .logon, name: first.sessionType ?? marks.compactMap(\.sessionType).first ?? "desktop",
            startedAtMs: first.wallMs, durationMs: span(first, end) ?? 0, phases: phases.isEmpty ? nil : phases,
            outcome: outcome, user: marks.compactMap(\.user).first, attributes: attributes))
    }

    /// The attributes of marks an event keeps: not local facts, except the home folder's age for `first_logon`.
    static func kept(_ name: String) -> Bool { !LocalFact.isLocal(name) || name == LocalFact.homeCreatedMs }
}
