import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Testing

@Suite("Logons from logind")
struct LogindLogonTests {
    /// `loginctl list-sessions --no-legend` of systemd 252 (Debian 12): SESSION UID USER SEAT TTY.
    static let list252 = """
              2 1000 alice seat0 tty2
             c1  120 gdm   seat0 tty1
              5 1001 bob         pts/0
        """
    /// The same of systemd 256, with STATE IDLE SINCE after the TTY.
    static let list256 = """
              3 1000 alice seat0 tty2  active no   -
              4    0 root        pts/1 active no   -
        """
    static let gdmSession = """
        Id=2
        Name=alice
        Type=wayland
        Class=user
        Remote=no
        Service=gdm-password
        TimestampMonotonic=31812345
        """
    static let sshSession = "Id=5\nName=bob\nType=tty\nClass=user\nRemote=yes\nService=sshd\nTimestampMonotonic=931812345\n"
    static let greeter = "Id=c1\nName=gdm\nType=wayland\nClass=greeter\nRemote=no\nService=gdm-launch-environment\nTimestampMonotonic=9000000\n"

    @Test("Session ids come from the first column whatever the systemd version")
    func list() {
        #expect(LoginctlOutput.sessionIDs(Self.list252) == ["2", "c1", "5"])
        #expect(LoginctlOutput.sessionIDs(Self.list256) == ["3", "4"])
        #expect(LoginctlOutput.sessionIDs("No sessions.\n").isEmpty)
    }

    @Test("show-session's properties describe the session; only local desktops count")
    func show() throws {
        let desktop = try #require(LoginctlOutput.session(Self.gdmSession))
        #expect(desktop == LogindSession(id: "2", user: "alice", type: "wayland", sessionClass: "user", remote: false,
                                         service: "gdm-password", createdMonotonicUs: 31_812_345))
        #expect(desktop.isLocalDesktop)
        #expect(try #require(LoginctlOutput.session(Self.sshSession)).isLocalDesktop == false)
        #expect(try #require(LoginctlOutput.session(Self.greeter)).isLocalDesktop == false)
        #expect(LoginctlOutput.session("Failed to get session: No session '9' known\n") == nil)
    }

    func source(_ outputs: [String: String], pseudonymizer: Pseudonymizer = Pseudonymizer(key: "logind-test-key-000001")) -> LogindLogonSource {
        LogindLogonSource(pseudonymizer: pseudonymizer, bootId: "boot-1", run: { outputs[$0] })
    }

    @Test("A new desktop session without hook marks becomes a session_open mark at logind's creation time")
    func importsNewSession() throws {
        let outputs = [LoginctlOutput.listCommand: Self.list252, LoginctlOutput.showCommand("2"): Self.gdmSession,
                       LoginctlOutput.showCommand("c1"): Self.greeter, LoginctlOutput.showCommand("5"): Self.sshSession]
        let logind = source(outputs)
        // Logind created session 2 at 31.812 s on CLOCK_MONOTONIC; it is now 41.812 s there, 52 s on the boot-time clock.
        let marks = logind.poll(openMarks: [], nowWallMs: 1_790_000_010_000, nowBootMs: 52_000, monotonicNowUs: 41_812_345)
        let mark = try #require(marks.first)
        #expect(marks.count == 1)
        #expect(mark.milestone == .sessionOpen)
        #expect(mark.session == "2")
        #expect(mark.wallMs == 1_790_000_000_000)
        #expect(mark.monotonicMs == 42_000)
        #expect(mark.sessionType == "wayland")
        #expect(mark.user == Pseudonymizer(key: "logind-test-key-000001").pseudonym(for: "alice"))
        #expect(logind.imported == ["2"])
        // Seen once, never imported again.
        #expect(logind.poll(openMarks: [], nowWallMs: 1_790_000_015_000, nowBootMs: 57_000, monotonicNowUs: 46_812_345).isEmpty)
    }

    @Test("Sessions with hook marks, and sessions already old when first seen, are left alone; no loginctl means no source")
    func leavesOthersAlone() {
        let outputs = [LoginctlOutput.listCommand: Self.list252, LoginctlOutput.showCommand("2"): Self.gdmSession]
        let hooked = LogonMark(name: "session_open", session: "2", user: nil, wallMs: 1_790_000_000_000, monotonicMs: 42_000, bootId: "boot-1")
        #expect(source(outputs).poll(openMarks: [hooked], nowWallMs: 1_790_000_010_000, nowBootMs: 52_000, monotonicNowUs: 41_812_345).isEmpty)
        #expect(source(outputs).poll(openMarks: [], nowWallMs: 1_790_000_100_000, nowBootMs: 142_000, monotonicNowUs: 131_812_345).isEmpty)
        let absent = source([:])
        #expect(absent.poll(openMarks: [], nowWallMs: 0, nowBootMs: 0, monotonicNowUs: 0).isEmpty)
        #expect(absent.unavailable)
    }

    @Test("A logind session is timed from session open to a responsive desktop and tagged as coming from logind")
    func logonFromLogind() throws {
        let outputs = [LoginctlOutput.listCommand: Self.list252, LoginctlOutput.showCommand("2"): Self.gdmSession]
        let logind = source(outputs)
        var marks = logind.poll(openMarks: [], nowWallMs: 1_790_000_002_000, nowBootMs: 44_000, monotonicNowUs: 33_812_345)
        marks[0].id = 1
        let cpu = ScriptedCPU.loads([90, 90, 20, 20, 20, 20, 20, 20])
        let watcher = ResponsiveWatcher(rule: ResponsiveRule(), waitMs: 120_000, currentBootId: "boot-1") { cpu.next() }
        var produced: [LogonMark] = []
        for step in 0..<8 where produced.isEmpty {
            let offset = Int64(step) * 500
            produced = watcher.step(openMarks: marks, nowWallMs: 1_790_000_002_000 + offset, nowMonoMs: 44_000 + offset).marks
        }
        var responsive = try #require(produced.first)
        responsive.id = 2
        marks.append(responsive)
        let (events, consumed) = LogonAssembler().assemble(marks, nowMs: 1_790_000_010_000)
        let logon = try #require(events.first)
        #expect(consumed.sorted() == [1, 2])
        #expect(logon.outcome == .ok)
        // Created at 42 s (boot clock), quiet from 45 s: 3 s from session open to a responsive desktop.
        #expect(logon.durationMs == 3_000)
        #expect(logon.attributes?["source"] == "logind")
        #expect(logon.attributes?["responsive_rule"] == "cpu<50%/2s")
        #expect(logon.name == "wayland")
    }
}
