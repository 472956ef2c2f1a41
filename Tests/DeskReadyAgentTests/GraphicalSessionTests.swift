import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

@Suite("Passive detection only in graphical sessions")
struct GraphicalSessionTests {
    @Test("The control group places a process in a session, the user's service manager, a system service or nowhere known")
    func placement() {
        #expect(GraphicalSessionFilter.placement("0::/user.slice/user-1000.slice/session-2.scope\n") == .session("2"))
        #expect(GraphicalSessionFilter.placement("0::/user.slice/user-1000.slice/session-c3.scope\n") == .session("c3"))
        #expect(GraphicalSessionFilter.placement("0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-epr-4242.scope\n")
            == .userManager("1000"))
        #expect(GraphicalSessionFilter.placement("0::/system.slice/cron.service\n") == .system)
        // systemd 247 on a legacy hierarchy (RHEL 8): systemd's own line decides.
        #expect(GraphicalSessionFilter.placement("12:cpu,cpuacct:/\n1:name=systemd:/user.slice/user-1000.slice/session-5.scope\n") == .session("5"))
        #expect(GraphicalSessionFilter.placement("0::/\n") == .unknown)
        #expect(GraphicalSessionFilter.placement("") == .unknown)
    }

    @Test("Applications of a live desktop's user count; cron, ssh and other users' processes do not")
    func decisions() {
        let list = "      2 1000 alice seat0 tty2\n      5 1001 bob         pts/0\n"
        let outputs = [LoginctlOutput.listCommand: list, LoginctlOutput.showCommand("2"): LogindLogonTests.gdmSession,
                       LoginctlOutput.showCommand("5"): LogindLogonTests.sshSession]
        let cgroups: [Int32: String] = [
            10: "0::/user.slice/user-1000.slice/session-2.scope", 11: "0::/user.slice/user-1000.slice/user@1000.service/app.slice/x.scope",
            12: "0::/user.slice/user-1000.slice/session-c4.scope", 13: "0::/user.slice/user-1001.slice/session-5.scope",
            14: "0::/user.slice/user-1001.slice/user@1001.service/app.slice/y.scope", 15: "0::/system.slice/cron.service",
        ]
        var asked = 0
        let filter = GraphicalSessionFilter(cgroup: { cgroups[$0] }, hasDisplay: { _ in true }, run: { asked += 1; return outputs[$0] })
        #expect([10, 11, 12, 13, 14, 15].filter { filter.contains(pid: $0, nowMonoMs: 1_000) } == [10, 11])
        #expect(asked == 3, "loginctl is asked once per refresh, not per process")
    }

    @Test("Without logind's layout, real processes count only when started with a display",
          .enabled(if: GraphicalSessionFilter.placement(FileText.read("/proc/self/cgroup") ?? "") == .unknown,
                   "this machine places processes in logind sessions; the recorded-output tests cover that"))
    func realProcesses() throws {
        let dir = try TemporaryDirectory("deskready-graphical")
        defer { dir.remove() }
        let program = dir.file("drsleeper")
        try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: program)
        let app = AppDefinition(name: "sleeper", executable: program, readiness: .file(path: dir.file("never")), timeoutSeconds: 1)
        let detector = PassiveAppDetector(apps: [app], defaultTimeoutSeconds: 1, marker: nil)
        #expect(detector.scan(nowWallMs: WallClock.nowMs(), nowMonoMs: WallClock.monotonicMs()).isEmpty)
        let desktop = try ChildProcess([program, "6"], environment: ["DISPLAY": ":0", "PATH": "/usr/bin:/bin"])
        let cron = try ChildProcess([program, "6"], environment: ["PATH": "/usr/bin:/bin"])
        defer {
            for child in [desktop, cron] {
                kill(child.pid, SIGKILL)
                _ = child.wait()
            }
        }
        var events: [MeasurementEvent] = []
        let deadline = WallClock.monotonicMs() + 4_000
        while WallClock.monotonicMs() < deadline {
            usleep(100_000)
            events += detector.scan(nowWallMs: WallClock.nowMs(), nowMonoMs: WallClock.monotonicMs())
        }
        #expect(events.map(\.outcome) == [.timeout], "only the process started with a display is timed")
    }
}
