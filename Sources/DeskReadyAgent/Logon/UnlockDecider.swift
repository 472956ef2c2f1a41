import DeskReadyModel

/// Tells a screen unlock from a logon. GNOME's unlock authenticates through the same PAM service as a logon
/// (`gdm-password`), so both leave `auth_start` and `auth_done` marks; what sets an unlock apart is that the user
/// already had a live local desktop session (graphical, on a seat, `active` or `online`) created before the
/// credentials were accepted. The daemon asks `loginctl` once for each new `auth_done` mark and records the answer on
/// the mark (`LocalFact.priorSession`: the session's id, or `none`), so a restarted daemon keeps the decision and the
/// assembler stays pure. Sessions are compared by the user's pseudonym; the user name never reaches the spool. The
/// mark does not know its seat, so a live session on any local seat counts (machines with more than one seat are rare).
public struct UnlockDecider {
    /// The value of `LocalFact.priorSession` when no live session existed: the credentials start a logon.
    public static let noPriorSession = "none"

    let pseudonymizer: Pseudonymizer?
    let run: (String) -> String?

    public init(pseudonymizer: Pseudonymizer?, run: @escaping (String) -> String? = { SystemFacts.run($0) }) {
        self.pseudonymizer = pseudonymizer
        self.run = run
    }

    /// The command that describes one session, with its state and seat.
    public static func showCommand(_ id: String) -> String {
        LoginctlOutput.showCommand(id) + " -p State -p Seat"
    }

    /// For each `auth_done` mark without a decision: the attribute to record on it. `nowWallMs` and `monotonicNowUs`
    /// (CLOCK_MONOTONIC, what logind stamps sessions with) place the sessions' creation on the marks' wall clock.
    /// Without `loginctl` (or a user) every mark is decided as `none`: a logon, as before unlocks were told apart.
    public func decisions(openMarks: [LogonMark], nowWallMs: Int64, monotonicNowUs: Int64) -> [(id: Int64, attributes: [String: String])] {
        let undecided = openMarks.filter { $0.milestone == .authDone && $0.attributes[LocalFact.priorSession] == nil }
        guard !undecided.isEmpty else { return [] }
        let live = liveDesktops(nowWallMs: nowWallMs, monotonicNowUs: monotonicNowUs)
        return undecided.map { mark in
            let prior = live.last { $0.user != nil && $0.user == mark.user && $0.createdWallMs < mark.wallMs }
            return (mark.id, [LocalFact.priorSession: prior?.id ?? Self.noPriorSession])
        }
    }

    /// A live local desktop session: its id, its user's pseudonym, and when it was created (wall-clock ms).
    struct LiveDesktop {
        var id: String
        var user: String?
        var createdWallMs: Int64
    }

    /// The live local desktop sessions `loginctl` lists now; those without a creation time are left out (an old
    /// `loginctl`), so their users' unlocks count as logons rather than logons as unlocks.
    func liveDesktops(nowWallMs: Int64, monotonicNowUs: Int64) -> [LiveDesktop] {
        guard let pseudonymizer, let list = run(LoginctlOutput.listCommand) else { return [] }
        return LoginctlOutput.sessionIDs(list).compactMap { id in
            guard let text = run(Self.showCommand(id)), let session = LoginctlOutput.session(text), session.isLocalDesktop,
                  let created = session.createdMonotonicUs else { return nil }
            let properties = LoginctlOutput.properties(text)
            guard ["active", "online"].contains(properties["State"] ?? ""), !(properties["Seat"] ?? "").isEmpty else { return nil }
            return LiveDesktop(id: session.id, user: pseudonymizer.pseudonym(for: session.user),
                               createdWallMs: nowWallMs - (monotonicNowUs - created) / 1000)
        }
    }
}
