import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

@Suite("Application starts")
struct ApplicationStartTests {
    @Test("Readiness conditions parse in every documented form, and a wrong one names the forms")
    func conditions() throws {
        #expect(try ReadinessCondition.parse("tcp:127.0.0.1:8080").get() == .tcp(host: "127.0.0.1", port: 8080))
        #expect(try ReadinessCondition.parse("tcp:[::1]:8443").get() == .tcp(host: "::1", port: 8443))
        #expect(try ReadinessCondition.parse("tcp:epr.trust.nhs.uk:443").get() == .tcp(host: "epr.trust.nhs.uk", port: 443))
        #expect(try ReadinessCondition.parse("file:/run/user/1000/epr.ready").get() == .file(path: "/run/user/1000/epr.ready"))
        #expect(try ReadinessCondition.parse("log:/var/log/epr/client.log:Connected to https://epr:443").get()
            == .log(path: "/var/log/epr/client.log", text: "Connected to https://epr:443"))
        #expect(try ReadinessCondition.parse("cpu:10%:2s").get() == .cpu(percent: 10, windowMs: 2_000))
        #expect(try ReadinessCondition.parse("cpu:5:500ms").get() == .cpu(percent: 5, windowMs: 500))
        #expect(try ReadinessCondition.parse(" window ").get() == .window)
        for wrong in ["tcp:host", "tcp:host:0", "file:relative", "log:/x.log", "log:/x.log:", "cpu:200%:2s", "cpu:10%", "windows", "http://x"] {
            guard case .failure(let error) = ReadinessCondition.parse(wrong) else {
                Issue.record("'\(wrong)' should not parse")
                continue
            }
            #expect(error.description.contains("tcp:HOST:PORT"))
        }
        #expect(ReadinessCondition.log(path: "/home/alice/app.log", text: "ready").kind == "log")
    }

    @Test("app lines configure applications; wrong ones and duplicate names are named")
    func appConfig() throws {
        let text = """
            app: epr | /usr/bin/epr-client | window | 90
            app: pas | pas-server | tcp:127.0.0.1:8080
            app_timeout_seconds: 60
            app_passive_detection: no
            """
        let (config, problems) = AgentConfigLoader.parse(text)
        #expect(problems.isEmpty)
        #expect(config.apps == [
            AppDefinition(name: "epr", executable: "/usr/bin/epr-client", readiness: .window, timeoutSeconds: 90),
            AppDefinition(name: "pas", executable: "pas-server", readiness: .tcp(host: "127.0.0.1", port: 8080)),
        ])
        #expect(config.appTimeoutSeconds == 60)
        #expect(config.appPassiveDetection == false)
        #expect(config.app(named: "pas")?.executable == "pas-server")

        let (_, wrong) = AgentConfigLoader.parse("app: epr /usr/bin/epr window\napp: e p r | /x | window\napp: x | /x | tcp:nohost\napp: y | /y | window | 0\n",
                                                 source: "agent.yaml")
        #expect(wrong.count == 4)
        #expect(wrong[0].contains("line 1: app must be 'NAME | EXECUTABLE | CONDITION'"))
        #expect(wrong[1].contains("name 'e p r'"))
        #expect(wrong[2].contains("'tcp:nohost' is not a readiness condition"))
        #expect(wrong[3].contains("timeout '0'"))

        var twice = AgentConfig()
        twice.apps = [AppDefinition(name: "a", executable: "/a", readiness: .window), AppDefinition(name: "a", executable: "/b", readiness: .window)]
        #expect(twice.problems().contains { $0.hasPrefix("app: the name 'a' is used twice") })
    }

    @Test("Processes are matched by their program path, or by name when the config gives only a name")
    func matching() {
        let byPath = AppDefinition(name: "epr", executable: "/opt/epr/bin/epr-client", readiness: .window)
        #expect(byPath.matches(commandPath: "/opt/epr/bin/epr-client", comm: "epr-client"))
        #expect(!byPath.matches(commandPath: "/tmp/epr-client", comm: "epr-client"))
        let byName = AppDefinition(name: "pas", executable: "pas-server-with-a-long-name", readiness: .window)
        #expect(byName.matches(commandPath: "/usr/local/bin/pas-server-with-a-long-name", comm: "pas-server-with"))
        #expect(byName.matches(commandPath: nil, comm: "pas-server-with"))
        #expect(!byName.matches(commandPath: "/usr/bin/python3", comm: "python3"))
    }

    @Test("/proc/PID/stat lines parse, names with spaces and parentheses included")
    func processStat() throws {
        // Captured from this kernel; the second has a name that looks like fields.
        let cat = "25026 (cat) R 25022 25022 21666 0 -1 4194304 102 0 0 0 7 3 0 0 20 0 1 0 290611 3133440 408 18446744073709551615 94459206045696 0"
        let stat = try #require(ProcessStat.parse(cat))
        #expect(stat == ProcessStat(pid: 25_026, comm: "cat", state: "R", parentPid: 25_022, processGroup: 25_022, cpuTicks: 10, startTicks: 290_611))
        let odd = try #require(ProcessStat.parse("77 (Web (Content) 1) S 1 77 77 0 -1 0 0 0 0 0 150 50 0 0 20 0 12 0 5000 0 0"))
        #expect(odd.comm == "Web (Content) 1")
        #expect(odd.cpuTicks == 200)
        #expect(odd.startMonotonicMs == 5_000 * 1000 / ProcessStat.ticksPerSecond)
        #expect(ProcessStat.parse("garbage") == nil)
        let me = try #require(ProcessStat.read(pid: getpid()))
        #expect(me.pid == getpid())
    }

    @Test("A process's descendants are found through the parent links")
    func descendants() {
        func p(_ pid: Int32, _ parent: Int32) -> ProcessStat {
            ProcessStat(pid: pid, comm: "x", state: "S", parentPid: parent, processGroup: pid, cpuTicks: 0, startTicks: 0)
        }
        let table = [p(1, 0), p(10, 1), p(11, 10), p(12, 11), p(20, 1), p(13, 10)]
        #expect(ProcessTable.descendants(of: [10], in: table) == [10, 11, 12, 13])
    }

    @Test("A log line is found only when written after the start, even split across reads, and after rotation")
    func logReadiness() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("app.log")
        try "old run: Connected to EPR\n".write(toFile: path, atomically: true, encoding: .utf8)
        let check = LogReadiness(path: path, text: "Connected to EPR")
        #expect(check.poll(nowMs: 1, pids: []) == nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("starting\nConnected".utf8))
        #expect(check.poll(nowMs: 2, pids: []) == nil)
        handle.write(Data(" to EPR in 3 s\n".utf8))
        try handle.close()
        #expect(check.poll(nowMs: 3, pids: []) == 3)

        let rotated = LogReadiness(path: path, text: "ready")
        try "new file\nready\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(rotated.poll(nowMs: 4, pids: []) == 4)
    }

    @Test("CPU settling is timed from the start of the quiet window, per core of the process")
    func cpuReadiness() {
        // 100 ticks per second: busy, busy, then 1 tick per 500 ms (2% of a core).
        let ticks: [UInt64] = [0, 50, 100, 101, 102, 103, 104, 105]
        var index = 0
        let check = CPUReadiness(percent: 10, windowMs: 1_000) { pid in
            defer { index += 1 }
            return ProcessStat(pid: pid, comm: "app", state: "R", parentPid: 1, processGroup: pid,
                               cpuTicks: ticks[min(index, ticks.count - 1)] * UInt64(ProcessStat.ticksPerSecond) / 100, startTicks: 0)
        }
        var ready: Int64?
        for step in 0..<8 where ready == nil {
            ready = check.poll(nowMs: Int64(step) * 500, pids: [42])
        }
        #expect(ready == 1_000)
    }

    @Test("A TCP port is ready once something listens on it")
    func tcpReadiness() throws {
        let port = try freeLoopbackPort()
        let check = TCPReadiness(host: "127.0.0.1", port: UInt16(port))
        #expect(check.poll(nowMs: 1, pids: []) == nil)
        let listener = try LoopbackListener(port: port)
        defer { listener.close() }
        #expect(check.poll(nowMs: 2, pids: []) == 2)
    }

    @Test("xprop and xwininfo output parse as captured")
    func x11Output() {
        #expect(X11Output.clientList("_NET_CLIENT_LIST(WINDOW): window id # 0x1a00003, 0x2400007, 0x2600004\n") == [0x1a00003, 0x2400007, 0x2600004])
        #expect(X11Output.clientList("_NET_CLIENT_LIST(WINDOW): window id # \n") == [])
        #expect(X11Output.clientList("_NET_CLIENT_LIST:  no such atom on any window.\n") == nil)
        let children = """

            xwininfo: Window id: 0x50d (the root window) (has no name)

              Root window id: 0x50d (the root window) (has no name)
              Parent window id: 0x0 (none)
                 2 children:
                 0x40000a "xeyes": ("xeyes" "XEyes")  150x100+0+0  +0+0
                 0x200003 "xlogo": ("xlogo" "XLogo")  100x100+0+0  +0+0

            """
        #expect(X11Output.rootChildren(children) == [0x40000a, 0x200003])
        #expect(X11Output.rootChildren("  Parent window id: 0x0 (none)\n     0 children.\n") == [])
        #expect(X11Output.windowPid("_NET_WM_PID(CARDINAL) = 25548\n") == 25_548)
        #expect(X11Output.windowPid("_NET_WM_PID:  not found.\n") == nil)
        #expect(X11Output.isViewable("  Class: InputOutput\n  Colormap: 0x20 (installed)\n  Map State: IsViewable\n"))
        #expect(!X11Output.isViewable("  Map State: IsUnMapped\n"))
    }

    @Test("The window check finds the first viewable window of the application's processes")
    func windowReadiness() {
        var outputs: [String: String] = [
            "xprop -root _NET_CLIENT_LIST": "_NET_CLIENT_LIST:  no such atom on any window.\n",
            "xwininfo -root -children": "     2 children:\n     0x200001 (has no name): ()  1x1+0+0  +0+0\n     0x400002 \"epr\": ()  800x600+0+0  +0+0\n",
            "xprop -id 0x200001 _NET_WM_PID": "_NET_WM_PID(CARDINAL) = 999999\n",
            "xprop -id 0x400002 _NET_WM_PID": "_NET_WM_PID(CARDINAL) = 4242\n",
            "xwininfo -id 0x400002": "  Map State: IsUnMapped\n",
        ]
        let commands = CommandLog()
        let check = WindowReadiness(display: ":5", xauthority: nil) { command in
            commands.add(command)
            return outputs[command.replacing("DISPLAY=':5' ", with: "")]
        }
        #expect(check.poll(nowMs: 10, pids: [4242]) == nil)
        outputs["xwininfo -id 0x400002"] = "  Map State: IsViewable\n"
        // Each command takes 40 ms: the window is ready when xwininfo said so, after the poll's five commands.
        let clock = SteppingClock()
        let check2 = WindowReadiness(display: ":5", xauthority: nil, run: { command in
            clock.ms += 40
            return outputs[command.replacing("DISPLAY=':5' ", with: "")]
        }, monotonicMs: { clock.ms })
        let ready = check2.poll(nowMs: 20, pids: [4242])
        #expect(ready == Int64(20 + 5 * 40))
        #expect(check2.poll(nowMs: 30, pids: [1]) == nil)
        #expect(!commands.all.isEmpty && commands.all.allSatisfy { $0.hasPrefix("DISPLAY=':5' ") })
        #expect(WindowReadiness(display: nil, xauthority: nil).unusableReason?.contains("DISPLAY") == true)
    }

    func fileApp(_ path: String, timeout: Int? = nil) -> AppDefinition {
        AppDefinition(name: "epr", executable: "/bin/sh", readiness: .file(path: path), timeoutSeconds: timeout)
    }

    @Test("The launcher records ok when the condition holds, with the time from the start on the monotonic clock")
    func launcherReady() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ready = dir.file("ready")
        var started: Int32 = 0
        let launch = AppLauncher(app: fileApp(ready), timeoutMs: 20_000)
            .launch(["/bin/sh", "-c", "sleep 0.3; touch '\(ready)'; sleep 0.2"]) { started = $0.pid }
        #expect(launch.event.kind == .appStart)
        #expect(launch.event.name == "epr")
        #expect(launch.event.outcome == .ok)
        #expect(launch.event.durationMs >= 300)
        #expect(launch.event.attributes?["source"] == "launcher")
        #expect(launch.event.attributes?["readiness"] == "file")
        #expect(launch.process?.pid == started)
        #expect(launch.process?.wait() == 0)
    }

    @Test("A start that never becomes ready is a timeout; one that fails is failed with its status")
    func launcherTimeoutAndFailure() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let timedOut = AppLauncher(app: fileApp(dir.file("never")), timeoutMs: 1_000).launch(["/bin/sh", "-c", "sleep 3"])
        #expect(timedOut.event.outcome == .timeout)
        #expect(timedOut.event.durationMs >= 1_000)
        #expect(timedOut.event.attributes?["reason"]?.contains("not ready within 1 s") == true)
        if let process = timedOut.process { kill(process.pid, SIGTERM); _ = process.wait() }

        let crashed = AppLauncher(app: fileApp(dir.file("never")), timeoutMs: 10_000).launch(["/bin/sh", "-c", "exit 3"])
        #expect(crashed.event.outcome == .failed)
        #expect(crashed.event.attributes?["exit_status"] == "3")

        let missing = AppLauncher(app: fileApp(dir.file("never")), timeoutMs: 10_000).launch(["/nonexistent/epr-client"])
        #expect(missing.event.outcome == .failed)
        #expect(missing.process == nil)
        #expect(missing.event.attributes?["reason"]?.contains("cannot start /nonexistent/epr-client") == true)
    }

    @Test("Events left in the drop folder are taken for configured applications only")
    func dropbox() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let spool = try Spool(path: dir.file("spool.sqlite"))
        let box = AppEventDropbox(path: dir.path)
        let now = WallClock.nowMs()
        try box.drop(MeasurementEvent(kind: .appStart, name: "epr", startedAtMs: now - 5_000, durationMs: 4_200, outcome: .ok, user: "someone",
                                      attributes: ["source": "launcher"]))
        try box.drop(MeasurementEvent(kind: .appStart, name: "unknown-app", startedAtMs: now, durationMs: 1))
        try box.drop(MeasurementEvent(kind: .logon, name: "epr", startedAtMs: now, durationMs: 1))
        try "not json".write(toFile: dir.file("1-2-3.appstart"), atomically: true, encoding: .utf8)
        var removed = 0
        let taken = try box.collect(into: spool, apps: [fileApp("/x")], nowMs: now) { _ in removed += 1 }
        #expect(taken == 1)
        #expect(removed == 3)
        #expect(try spool.status().depth == 1)
        let batch = try #require(try spool.nextBatch(maxEvents: 10, maxBytes: 1 << 20))
        let event = try WireCoding.decoder().decode(MeasurementEvent.self, from: Data(batch.events[0].json))
        #expect(event.name == "epr")
        #expect(event.durationMs == 4_200)
        #expect(event.user == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".appstart") }.isEmpty)
    }

    @Test("Passive detection times new processes of configured applications from their start, and leaves launched ones alone")
    func passive() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let ready = dir.file("ready")
        let app = AppDefinition(name: "pas", executable: "/opt/pas/bin/pas", readiness: .file(path: ready))
        let windowApp = AppDefinition(name: "epr", executable: "/opt/epr/epr", readiness: .window)
        let table = ProcessList()
        let marker = LaunchMarker(folder: dir.path)
        // Pid 500 is cron's run of the same program, in a background session: not an application start.
        let loginctl = [LoginctlOutput.listCommand: LogindLogonTests.list252, LoginctlOutput.showCommand("2"): LogindLogonTests.gdmSession,
                        LoginctlOutput.showCommand("c1"): LogindLogonTests.greeter, LoginctlOutput.showCommand("5"): LogindLogonTests.sshSession]
        let sessions = GraphicalSessionFilter(
            cgroup: { $0 == 500 ? "0::/user.slice/user-1000.slice/session-c3.scope\n" : "0::/user.slice/user-1000.slice/session-2.scope\n" },
            hasDisplay: { _ in true }, run: { loginctl[$0] })
        let detector = PassiveAppDetector(apps: [app, windowApp], defaultTimeoutSeconds: 30, marker: marker,
                                          snapshot: { table.processes }, commandPath: { table.paths[$0] },
                                          inGraphicalSession: { sessions.contains(pid: $0, nowMonoMs: $1) })
        let ticks = ProcessStat.ticksPerSecond
        func process(_ pid: Int32, _ comm: String, startSecond: Int64) -> ProcessStat {
            ProcessStat(pid: pid, comm: comm, state: "S", parentPid: 1, processGroup: pid, cpuTicks: 0, startTicks: UInt64(startSecond * ticks))
        }
        let wall0: Int64 = 1_790_000_000_000
        // Already running when the agent starts: not measured.
        table.set([process(100, "pas", startSecond: 10)], paths: [100: "/opt/pas/bin/pas"])
        #expect(detector.scan(nowWallMs: wall0, nowMonoMs: 100_000).isEmpty)
        // A new one, and a launched one (marked by the launcher).
        table.set([process(100, "pas", startSecond: 10), process(200, "pas", startSecond: 101), process(300, "pas", startSecond: 101),
                   process(400, "epr", startSecond: 101), process(500, "pas", startSecond: 101)],
                  paths: [100: "/opt/pas/bin/pas", 200: "/opt/pas/bin/pas", 300: "/opt/pas/bin/pas", 400: "/opt/epr/epr", 500: "/opt/pas/bin/pas"])
        marker.leave(pid: 300, startTicks: UInt64(101 * ticks))
        #expect(detector.scan(nowWallMs: wall0 + 2_000, nowMonoMs: 102_000).isEmpty)
        try "".write(toFile: ready, atomically: true, encoding: .utf8)
        let events = detector.scan(nowWallMs: wall0 + 4_000, nowMonoMs: 104_000)
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.name == "pas")
        #expect(event.outcome == .ok)
        #expect(event.durationMs == 3_000)
        #expect(event.startedAtMs == wall0 + 1_000)
        #expect(event.attributes?["source"] == "passive")
        #expect(access(dir.file("300-\(101 * ticks).launched"), F_OK) != 0)
    }

    @Test("Passive detection records a timeout for a process that never becomes ready")
    func passiveTimeout() throws {
        let app = AppDefinition(name: "pas", executable: "pas", readiness: .file(path: "/nonexistent/ready"), timeoutSeconds: 5)
        let table = ProcessList()
        let detector = PassiveAppDetector(apps: [app], defaultTimeoutSeconds: 30, marker: nil, snapshot: { table.processes }, commandPath: { _ in nil },
                                          inGraphicalSession: { _, _ in true })
        let ticks = ProcessStat.ticksPerSecond
        #expect(detector.scan(nowWallMs: 1_790_000_000_000, nowMonoMs: 100_000).isEmpty)
        table.set([ProcessStat(pid: 7, comm: "pas", state: "S", parentPid: 1, processGroup: 7, cpuTicks: 0, startTicks: UInt64(101 * ticks))], paths: [:])
        #expect(detector.scan(nowWallMs: 1_790_000_002_000, nowMonoMs: 102_000).isEmpty)
        let events = detector.scan(nowWallMs: 1_790_000_006_000, nowMonoMs: 106_000)
        #expect(events.map(\.outcome) == [.timeout])
        #expect(events.first?.durationMs == 5_000)
    }
}

/// Commands a fake runner was asked to run.
final class CommandLog: @unchecked Sendable {
    private(set) var all: [String] = []
    func add(_ command: String) { all.append(command) }
}

/// A process table a test sets by hand.
final class ProcessList: @unchecked Sendable {
    private(set) var processes: [ProcessStat] = []
    private(set) var paths: [Int32: String] = [:]
    func set(_ processes: [ProcessStat], paths: [Int32: String]) {
        self.processes = processes
        self.paths = paths
    }
}

/// A listening TCP socket on 127.0.0.1 that accepts connections (the kernel completes the handshake) and never reads.
final class LoopbackListener: Sendable {
    let fd: Int32
    let port: Int

    init(port: Int = 0) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 16) == 0 else { throw ProcessFailure("cannot listen on 127.0.0.1:\(port)") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(fd) }
}

/// A clock the test moves by hand.
final class SteppingClock {
    var ms: Int64 = 0
}
