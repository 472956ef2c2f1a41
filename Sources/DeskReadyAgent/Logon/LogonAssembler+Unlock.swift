import DeskReadyModel

/// Screen unlocks: credentials accepted while the user already had a live local desktop session. Staff feel the time
/// from entering their password to the unlocked desktop too, so an unlock is its own event (kind `unlock`), timed from
/// the credentials being accepted (`auth_done`) to PAM granting the unlock (`credentials_set`), and never a logon.
extension LogonAssembler {
    /// What becomes of a group of marks at this pass.
    enum Closing {
        /// Still waiting for marks (or for the daemon's unlock decision).
        case open
        /// Consumed without an event: a prompt whose credentials were never accepted.
        case discard
        /// Closed as this event.
        case event(MeasurementEvent)
    }

    /// How long after `credentials_set` an unlock waits for a session to open (which would make it a logon after all).
    static let unlockSettleMs: Int64 = 5_000

    /// The span between two marks on the boot clock when both are of one boot, else on the wall clock; never negative.
    static func span(_ from: LogonMark?, _ to: LogonMark?) -> Int64? {
        guard let from, let to else { return nil }
        let ms = from.bootId == to.bootId ? to.monotonicMs - from.monotonicMs : to.wallMs - from.wallMs
        return max(0, ms)
    }

    /// An unlock of the live session `prior`: closed a few seconds after PAM set the credentials; without that mark
    /// (a stack that never called `pam_setcred`) after the incomplete timeout, as an unlock without a duration
    /// (`incomplete`), still never a logon.
    func closeUnlock(_ marks: [LogonMark], done: LogonMark, credentials: LogonMark?, prior: String, nowMs: Int64) -> Closing {
        let outcome: Outcome
        if let credentials {
            guard nowMs - credentials.wallMs >= Self.unlockSettleMs else { return .open }
            outcome = .ok
        } else {
            guard nowMs - done.wallMs >= incompleteAfterMs else { return .open }
            outcome = .incomplete
        }
        var attributes = ["source": "marks", "session": prior, "start": done.name, "end": (credentials ?? done).name]
        if let typing = Self.span(marks.last { $0.milestone == .authStart }, done) {
            attributes[LogonAttribute.credentialEntryMs] = String(typing)
        }
        for mark in marks {
            for (name, value) in mark.attributes where !LocalFact.isLocal(name) { attributes[name] = value }
        }
        return .event(MeasurementEvent(
            id: UUIDv7.make(unixMs: done.wallMs), kind: .unlock, name: done.sessionType ?? "desktop", startedAtMs: done.wallMs,
            durationMs: Self.span(done, credentials) ?? 0, outcome: outcome, user: marks.compactMap(\.user).first,
            attributes: attributes))
    }
}
