import DeskReadyAgent
import DeskReadyModel
import Testing

@Suite("Logind's journal")
struct LogindJournalTests {
    /// `journalctl -o json -u systemd-logind -b` on Debian 12 (systemd 252), fields trimmed to those that matter
    /// plus a few neighbours; the third line is a binary message, printed as bytes.
    static let systemd252 = """
        {"_BOOT_ID":"0b6e1d9c2f6a4a0e9d3b1a2c3d4e5f60","__REALTIME_TIMESTAMP":"1790000000000000","__MONOTONIC_TIMESTAMP":"31812345","_SYSTEMD_UNIT":"systemd-logind.service","PRIORITY":"6","MESSAGE":"New session 2 of user alice.","SESSION_ID":"2","USER_ID":"alice"}
        {"_BOOT_ID":"0b6e1d9c2f6a4a0e9d3b1a2c3d4e5f60","__REALTIME_TIMESTAMP":"1790000005000000","__MONOTONIC_TIMESTAMP":"36812345","MESSAGE":"Watching system buttons on /dev/input/event2 (Power Button)"}
        {"_BOOT_ID":"0b6e1d9c2f6a4a0e9d3b1a2c3d4e5f60","__REALTIME_TIMESTAMP":"1790000006000000","__MONOTONIC_TIMESTAMP":"37812345","MESSAGE":[78,101,119,255]}
        {"_BOOT_ID":"0b6e1d9c2f6a4a0e9d3b1a2c3d4e5f60","__REALTIME_TIMESTAMP":"1790000060000000","__MONOTONIC_TIMESTAMP":"91812345","MESSAGE":"Session 2 logged out. Waiting for processes to exit."}
        -- No entries --
        """
    /// The same from systemd 256 (Ubuntu 24.10), whose message quotes the names and adds class and type.
    static let systemd256 = """
        {"__MONOTONIC_TIMESTAMP":"12500000","_BOOT_ID":"aa11bb22cc33dd44ee55ff6600778899","MESSAGE":"New session '5' of user 'bob' with class 'user' and type 'wayland'.","__REALTIME_TIMESTAMP":"1790000100000000"}
        """

    @Test("New-session lines of old and new systemd give the session, the user and when")
    func parse() {
        #expect(LogindJournal.newSessions(Self.systemd252) == [
            JournalSession(id: "2", user: "alice", realtimeUs: 1_790_000_000_000_000, monotonicUs: 31_812_345, bootId: "0b6e1d9c2f6a4a0e9d3b1a2c3d4e5f60"),
        ])
        #expect(LogindJournal.newSessions(Self.systemd256) == [
            JournalSession(id: "5", user: "bob", realtimeUs: 1_790_000_100_000_000, monotonicUs: 12_500_000, bootId: "aa11bb22cc33dd44ee55ff6600778899"),
        ])
        #expect(LogindJournal.newSessions("").isEmpty)
        #expect(LogindJournal.newSessions("{\"MESSAGE\":\"New session of user.\"}").isEmpty)
    }

    @Test("A loginctl without TimestampMonotonic takes the session's creation from the journal")
    func creationFromJournal() throws {
        let show = "Id=2\nName=alice\nType=x11\nClass=user\nRemote=no\nService=lightdm\n"
        let outputs = [LoginctlOutput.listCommand: "2 1000 alice seat0 tty7\n", LoginctlOutput.showCommand("2"): show,
                       LogindJournal.command: Self.systemd252]
        let logind = LogindLogonSource(pseudonymizer: nil, bootId: "0b6e1d9c-2f6a-4a0e-9d3b-1a2c3d4e5f60", account: { _ in nil },
                                       run: { outputs[$0] })
        let marks = logind.poll(openMarks: [], nowWallMs: 1_790_000_010_000, nowBootMs: 52_000, monotonicNowUs: 41_812_345)
        let mark = try #require(marks.first)
        #expect(mark.wallMs == 1_790_000_000_000)
        #expect(mark.monotonicMs == 42_000)
        #expect(mark.attributes["source"] == "logind")
        // From another boot's journal, the session's time is unknown and it is left alone.
        let other = LogindLogonSource(pseudonymizer: nil, bootId: "ffffffff-2f6a-4a0e-9d3b-1a2c3d4e5f60", account: { _ in nil },
                                      run: { outputs[$0] })
        #expect(other.poll(openMarks: [], nowWallMs: 1_790_000_010_000, nowBootMs: 52_000, monotonicNowUs: 41_812_345).isEmpty)
    }
}
