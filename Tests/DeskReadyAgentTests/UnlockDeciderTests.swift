import DeskReadyAgent
import DeskReadyModel
import Testing

@Suite("Unlocks told from logons")
struct UnlockDeciderTests {
    static let pseudonymizer = Pseudonymizer(key: "unlock-test-secret-key-0001")
    let nowWall: Int64 = 1_790_000_100_000
    /// CLOCK_MONOTONIC now: 20 000 s after boot.
    let nowMonoUs: Int64 = 20_000_000_000

    /// `loginctl show-session` of Debian 12 for a session created `ageSeconds` ago.
    func show(_ id: String, user: String, type: String = "wayland", remote: String = "no", state: String = "active",
              seat: String = "seat0", ageSeconds: Int64) -> String {
        """
        Id=\(id)
        Name=\(user)
        Type=\(type)
        Class=user
        Remote=\(remote)
        Service=gdm-password
        TimestampMonotonic=\(nowMonoUs - ageSeconds * 1_000_000)
        State=\(state)
        Seat=\(seat)
        """
    }

    func authDone(_ id: Int64, user: String, secondsAgo: Int64, _ attributes: [String: String] = [:]) -> LogonMark {
        LogonMark(id: id, name: "auth_done", session: nil, user: Self.pseudonymizer.pseudonym(for: user), sessionType: nil,
                  wallMs: nowWall - secondsAgo * 1_000, monotonicMs: 1, bootId: "b", attributes: attributes)
    }

    func decide(_ marks: [LogonMark], outputs: [String: String]) -> [Int64: String] {
        let decider = UnlockDecider(pseudonymizer: Self.pseudonymizer) { outputs[$0] }
        let decisions = decider.decisions(openMarks: marks, nowWallMs: nowWall, monotonicNowUs: nowMonoUs)
        return Dictionary(uniqueKeysWithValues: decisions.map { ($0.id, $0.attributes[LocalFact.priorSession] ?? "?") })
    }

    @Test("A live desktop session of the same user, older than the credentials, makes them an unlock of it")
    func unlock() {
        let outputs = [
            LoginctlOutput.listCommand: "      2 1000 alice seat0 tty2\n      4 1001 bob   seat0 tty3\n",
            UnlockDecider.showCommand("2"): show("2", user: "alice", ageSeconds: 7_200),
            UnlockDecider.showCommand("4"): show("4", user: "bob", ageSeconds: 1),
        ]
        let decided = decide([authDone(1, user: "alice", secondsAgo: 2), authDone(2, user: "bob", secondsAgo: 2),
                              authDone(3, user: "carol", secondsAgo: 2)], outputs: outputs)
        #expect(decided == [1: "2", 2: UnlockDecider.noPriorSession, 3: UnlockDecider.noPriorSession],
                "bob's session was created after his credentials were accepted: his logon's own session")
    }

    @Test("Remote, text, closing and seatless sessions are not a desktop to unlock")
    func notLiveDesktops() {
        let outputs = [
            LoginctlOutput.listCommand: "      5 1000 alice       pts/0\n      6 1000 alice seat0 tty4\n      7 1000 alice seat0 tty2\n      8 1000 alice\n",
            UnlockDecider.showCommand("5"): show("5", user: "alice", type: "tty", remote: "yes", seat: "", ageSeconds: 600),
            UnlockDecider.showCommand("6"): show("6", user: "alice", type: "tty", ageSeconds: 600),
            UnlockDecider.showCommand("7"): show("7", user: "alice", state: "closing", ageSeconds: 600),
            UnlockDecider.showCommand("8"): show("8", user: "alice", seat: "", ageSeconds: 600),
        ]
        #expect(decide([authDone(1, user: "alice", secondsAgo: 1)], outputs: outputs) == [1: UnlockDecider.noPriorSession])
    }

    @Test("Without loginctl every mark is a logon; decided marks are not asked about again")
    func fallbacks() {
        #expect(decide([authDone(1, user: "alice", secondsAgo: 1)], outputs: [:]) == [1: UnlockDecider.noPriorSession])
        var asked = 0
        let decider = UnlockDecider(pseudonymizer: Self.pseudonymizer) { _ in asked += 1; return nil }
        let decided = authDone(1, user: "alice", secondsAgo: 1, [LocalFact.priorSession: "2"])
        let other = LogonMark(id: 2, name: "auth_start", session: nil, user: "x", wallMs: nowWall, monotonicMs: 1, bootId: "b")
        #expect(decider.decisions(openMarks: [decided, other], nowWallMs: nowWall, monotonicNowUs: nowMonoUs).isEmpty)
        #expect(asked == 0)
    }
}
