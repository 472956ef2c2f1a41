import DeskReadyModel

/// Screen unlocks: credentials accepted while the user already had a live local desktop session. An unlock is its
/// own event (kind `unlock`), never a logon and never an incomplete one. PAM gives no mark when the unlocked desktop
/// appears (pam_exec does not run for `pam_setcred`), so unlocks are counted, not timed: duration 0, with the
/// typing time before them (`credential_entry_ms`) as for a logon.
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

    /// How long after the credentials an unlock waits for a session to open (which would make it a logon after all).
    static let unlockSettleMs: Int64 = 5_000

    /// The span between two marks on the boot clock when both are of one boot, else on the wall clock; never negative.
    static func span(_ from: LogonMark?, _ to: LogonMark?) -> Int64? {
        guard let from, let to else { return nil }
        let ms = from.bootId == to.bootId ? to.monotonicMs - from.monotonicMs : to.wallMs - from.wallMs
        return max(0, ms)
    }

    /// An unlock of the live session `prior`, closed once no session has opened for a few seconds.
    func closeUnlock(_ marks: [LogonMark], done: LogonMark, prior: String, nowMs: Int64) -> Closing {
        guard nowMs - done.wallMs >= Self.unlockSettleMs else { return .open }
        var attributes = ["source": "marks", "session": prior, "start": done.name, "end": done.name]
        if let typing = Self.span(marks.last { $0.milestone == .authStart }, done) {
            attributes[LogonAttribute.credentialEntryMs] = String(typing)
        }
        for mark in marks {
            for (name, value) in mark.attributes where !LocalFact.isLocal(name) { attributes[name] = value }
        }
        return .event(MeasurementEvent(
            id: UUIDv7.make(unixMs: done.wallMs), kind: .unlock, name: done.sessionType ?? "desktop", startedAtMs: done.wallMs,
            durationMs: 0, outcome: .ok, user: marks.compactMap(\.user).first, attributes: attributes))
    }
}
