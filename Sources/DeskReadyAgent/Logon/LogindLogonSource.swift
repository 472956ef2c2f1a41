import DeskReadyModel

#if canImport(Glibc)
import Glibc
#endif

/// Logons on workstations without the PAM hook and the desktop autostart: the daemon asks logind for new local
/// desktop sessions and records each as a `session_open` mark at the time logind created it. The responsive-desktop
/// watcher then times it to a responsive desktop, so such a logon has the one span logind can know (session open
/// to responsive) and is tagged `source: logind` (an attribute of its mark, so a restarted daemon still knows it).
/// A session that already has hook marks (same session id, or the same user within five minutes) is left to them,
/// and sessions older than a minute when first seen (those running when the agent started) are not measured at all.
/// Where `loginctl` gives no creation time, logind's `New session` line in this boot's journal does.
public final class LogindLogonSource {
    /// The `source` attribute of the marks (and so the logons) this source makes.
    public static let sourceName = "logind"
    let pseudonymizer: Pseudonymizer?
    let run: (String) -> String?
    let bootId: String
    private var seen: Set<String> = []
    /// Sessions imported from logind (their marks carry `source: logind`, which the watcher and the logon keep).
    public private(set) var imported: Set<String> = []
    public private(set) var unavailable = false

    /// Looks a user's account up (uid, home folder); replaceable in tests.
    let account: (String) -> UserAccount?

    public init(pseudonymizer: Pseudonymizer?, bootId: String = SystemFacts.bootId(),
                account: @escaping (String) -> UserAccount? = { UserAccount.lookup(name: $0) },
                run: @escaping (String) -> String? = { SystemFacts.run($0) }) {
        self.pseudonymizer = pseudonymizer
        self.bootId = bootId
        self.account = account
        self.run = run
    }

    /// New desktop sessions without hook marks, as `session_open` marks. `monotonicNowUs` is CLOCK_MONOTONIC (what
    /// logind stamps sessions with); marks carry the boot-time clock, so the two are related through `nowBootMs`.
    public func poll(openMarks: [LogonMark], nowWallMs: Int64, nowBootMs: Int64, monotonicNowUs: Int64) -> [LogonMark] {
        guard !unavailable else { return [] }
        guard let list = run(LoginctlOutput.listCommand) else {
            unavailable = true
            return []
        }
        var marks: [LogonMark] = []
        var journal: [JournalSession]?
        for id in LoginctlOutput.sessionIDs(list) where !seen.contains(id) {
            seen.insert(id)
            guard let text = run(LoginctlOutput.showCommand(id)), let session = LoginctlOutput.session(text),
                  session.isLocalDesktop else { continue }
            if session.createdMonotonicUs == nil && journal == nil {
                journal = run(LogindJournal.command).map { LogindJournal.newSessions($0) } ?? []
            }
            guard let created = session.createdMonotonicUs ?? journalCreation(of: session, in: journal ?? []) else { continue }
            let ageMs = max(0, (monotonicNowUs - created) / 1000)
            guard ageMs <= 60_000 else { continue }
            let user = pseudonymizer?.pseudonym(for: session.user)
            let wall = nowWallMs - ageMs
            let hooked = openMarks.contains { mark in
                mark.session == session.id || (user != nil && mark.user == user && abs(mark.wallMs - wall) < 300_000)
            }
            guard !hooked else { continue }
            imported.insert(session.id)
            // The uid and home folder, as for a hooked logon's desktop mark: the session's CPU and `first_logon`.
            var attributes = account(session.user)?.localFacts ?? [:]
            attributes["source"] = Self.sourceName
            marks.append(LogonMark(name: LogonMark.Milestone.sessionOpen.rawValue, session: session.id, user: user, sessionType: session.type,
                                   wallMs: wall, monotonicMs: nowBootMs - ageMs, bootId: bootId, attributes: attributes))
        }
        return marks
    }

    /// When logind announced the session in this boot's journal (CLOCK_MONOTONIC, µs): for a `loginctl` too old to
    /// show `TimestampMonotonic`.
    func journalCreation(of session: LogindSession, in journal: [JournalSession]) -> Int64? {
        let boot = bootId.filter { $0 != "-" }
        return journal.last { $0.id == session.id && $0.user == session.user && ($0.bootId == nil || $0.bootId == boot) }?.monotonicUs
    }

    /// CLOCK_MONOTONIC now, in microseconds.
    public static func monotonicNowUs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}
