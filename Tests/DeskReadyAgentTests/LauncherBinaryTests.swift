import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Synchronization
import Testing

/// `deskready-agent launch` through the real built binary, against a spool in a temporary folder.
@Suite("deskready-agent launch (binary)", .serialized)
struct LauncherBinaryTests {
    func writeConfig(_ dir: TemporaryDirectory, apps: [String]) throws -> String {
        let path = dir.file("agent.yaml")
        try (["trust: RXX", "site: RXX01", "device_id: ws-launch", "pseudonym_key: launch-test-secret-key-01",
              "spool_path: \(dir.file("spool.sqlite"))", "mark_drop_dir: \(dir.file("drop"))"] + apps.map { "app: \($0)" })
            .joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir.file("drop"), withIntermediateDirectories: true)
        return path
    }

    /// The spooled events, decoded.
    func spooledEvents(_ path: String) throws -> [MeasurementEvent] {
        let spool = try Spool(path: path)
        guard let batch = try spool.nextBatch(maxEvents: 100, maxBytes: 1 << 20) else { return [] }
        return try batch.events.map { try WireCoding.decoder().decode(MeasurementEvent.self, from: Data($0.json)) }
    }

    /// Stops the process whose id a wrapper script wrote to `file`.
    func stopProcess(pidFile file: String) {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
        kill(pid, SIGTERM)
    }

    @Test("A web server launched with a tcp condition is spooled as an ok app_start, and keeps running")
    func httpServerReady() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-launch")
        defer { dir.remove() }
        let port = try freeLoopbackPort()
        let config = try writeConfig(dir, apps: ["web | python3 | tcp:127.0.0.1:\(port) | 60"])
        let pidFile = dir.file("server.pid")
        defer { stopProcess(pidFile: pidFile) }
        let result = try await run(agent, ["launch", "web", "--config", config, "--", "/bin/sh", "-c",
                                           "echo $$ > '\(pidFile)'; exec python3 -m http.server \(port) --bind 127.0.0.1 >/dev/null 2>&1"])
        #expect(result.status == 0, "\(result.stderr)")
        let events = try spooledEvents(dir.file("spool.sqlite"))
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.kind == .appStart)
        #expect(event.name == "web")
        #expect(event.outcome == .ok)
        #expect(event.durationMs > 0)
        #expect(event.attributes?["source"] == "launcher")
        #expect(event.attributes?["readiness"] == "tcp")
        // Still serving after the launcher returned.
        let status = try await blocking { try CurlTransport().get(url: "http://127.0.0.1:\(port)/", headers: [], timeoutMs: 5_000, connectTimeoutMs: 2_000).status }
        #expect(status == 200)
        // The launcher left a marker so the daemon's passive detection does not count this start again.
        let markers = try FileManager.default.contentsOfDirectory(atPath: dir.file("drop")).filter { $0.hasSuffix(".launched") }
        #expect(markers.count == 1)
    }

    @Test("A command that never becomes ready is spooled with outcome timeout")
    func neverReady() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-launch")
        defer { dir.remove() }
        let port = try freeLoopbackPort()
        let config = try writeConfig(dir, apps: ["stuck | sleep | tcp:127.0.0.1:\(port) | 1"])
        let pidFile = dir.file("stuck.pid")
        defer { stopProcess(pidFile: pidFile) }
        let result = try await run(agent, ["launch", "stuck", "--config", config, "--", "/bin/sh", "-c", "echo $$ > '\(pidFile)'; exec sleep 30 >/dev/null 2>&1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("stuck: timeout"))
        let event = try #require(try spooledEvents(dir.file("spool.sqlite")).first)
        #expect(event.outcome == .timeout)
        #expect(event.durationMs >= 1_000)
        #expect(event.attributes?["reason"]?.contains("not ready within 1 s") == true)
    }

    @Test("--wait returns the application's exit status; --drop-dir leaves the event for the daemon")
    func waitAndDrop() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-launch")
        defer { dir.remove() }
        let ready = dir.file("ready")
        let config = try writeConfig(dir, apps: ["batch | /bin/sh | file:\(ready)"])
        let result = try await run(agent, ["launch", "batch", "--config", config, "--wait", "--drop-dir", dir.file("drop"), "--",
                                           "/bin/sh", "-c", "touch '\(ready)'; sleep 0.2; exit 7"])
        #expect(result.status == 7, "\(result.stderr)")
        #expect(try spooledEvents(dir.file("spool.sqlite")).isEmpty)
        let spool = try Spool(path: dir.file("spool.sqlite"))
        let apps = try AgentConfigLoader.load(path: config, environment: [:]).apps
        #expect(try AppEventDropbox(path: dir.file("drop")).collect(into: spool, apps: apps, nowMs: WallClock.nowMs()) == 1)
        let event = try #require(try spooledEvents(dir.file("spool.sqlite")).first)
        #expect(event.name == "batch")
        #expect(event.outcome == .ok)
    }

    @Test("An unknown application without --ready is refused with the config line to add")
    func unknownApp() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-launch")
        defer { dir.remove() }
        let config = try writeConfig(dir, apps: [])
        let result = try await run(agent, ["launch", "epr", "--config", config, "--", "/bin/true"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("app: epr | EXECUTABLE | CONDITION"))
    }

    @Test("Under Xvfb, the first window mapped by the launched process makes it ready",
          .enabled(if: XvfbServer.executable != nil, "needs Xvfb and x11-utils (apt-get install -y xvfb x11-utils x11-apps)"))
    func firstWindow() async throws {
        let xvfb = try #require(XvfbServer.executable)
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-launch")
        defer { dir.remove() }
        let server = try XvfbServer(xvfb)
        defer { server.stop() }
        // A client that creates its window, names its process in _NET_WM_PID as toolkits do, and maps it a moment later.
        let client = dir.file("client.py")
        try Self.windowClient.write(toFile: client, atomically: true, encoding: .utf8)
        let config = try writeConfig(dir, apps: ["viewer | python3 | window | 60"])
        let pidFile = dir.file("client.pid")
        defer { stopProcess(pidFile: pidFile) }
        let result = try await run(agent, ["launch", "viewer", "--config", config, "--", "/bin/sh", "-c", "echo $$ > '\(pidFile)'; exec python3 '\(client)' 0.5 >/dev/null 2>&1"],
                                   environment: ["DISPLAY": server.display])
        #expect(result.status == 0, "\(result.stderr)")
        let event = try #require(try spooledEvents(dir.file("spool.sqlite")).first)
        #expect(event.outcome == .ok, "\(event.attributes ?? [:])")
        #expect(event.attributes?["readiness"] == "window")
        #expect(event.durationMs >= 500)
    }

    static let windowClient = """
        import ctypes, os, sys, time
        x = ctypes.cdll.LoadLibrary("libX11.so.6")
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XCreateSimpleWindow.restype = ctypes.c_ulong
        x.XCreateSimpleWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_uint, ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_ulong]
        x.XInternAtom.restype = ctypes.c_ulong
        x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        x.XChangeProperty.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
        x.XMapWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        x.XFlush.argtypes = [ctypes.c_void_p]
        display = x.XOpenDisplay(None)
        if not display:
            sys.exit("cannot open the display")
        window = x.XCreateSimpleWindow(display, x.XDefaultRootWindow(display), 0, 0, 320, 200, 0, 0, 0xffffff)
        pid = ctypes.c_long(os.getpid())
        x.XChangeProperty(display, window, x.XInternAtom(display, b"_NET_WM_PID", 0), x.XInternAtom(display, b"CARDINAL", 0), 32, 0, ctypes.byref(pid), 1)
        x.XFlush(display)
        time.sleep(float(sys.argv[1]))
        x.XMapWindow(display, window)
        x.XFlush(display)
        time.sleep(60)
        """
}

/// An Xvfb server on a free display number. Started with the agent's own `ChildProcess`, which clears the signal
/// mask the test runner's threads carry (Xvfb hangs with SIGALRM blocked).
final class XvfbServer: @unchecked Sendable {
    /// Xvfb, when it and the X utilities the agent runs (xprop, xwininfo) are installed.
    static let executable: String? = {
        let tools = ["/usr/bin/xprop", "/usr/bin/xwininfo"]
        guard tools.allSatisfy({ FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        return ["/usr/bin/Xvfb", "/usr/local/bin/Xvfb"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    let process: ChildProcess
    let display: String
    /// Display numbers handed out in this process: tests run in parallel, and two of them must never pick the same
    /// free number before either server has made its lock file.
    private static let claimed = Mutex<Set<Int>>([])

    init(_ executable: String) throws {
        for _ in 0..<5 {
            let number = try Self.claimNumber()
            let display = ":\(number)"
            let process = try ChildProcess(["/bin/sh", "-c", "exec '\(executable)' \(display) -screen 0 640x480x24 -nolisten tcp >/dev/null 2>&1"])
            var waits = 0
            while !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(number)") && !process.hasExited() && waits < 200 {
                waits += 1
                usleep(50_000)
            }
            // Ready when a client can talk to it (the socket alone was not enough on a busy machine: a client started
            // at once failed to open the display), and ours must still be running (another process's server on the
            // same number would also make the socket).
            var answered = false
            while !answered && !process.hasExited() && waits < 200 {
                answered = (try? ChildProcess(["/bin/sh", "-c", "exec /usr/bin/xprop -display \(display) -root >/dev/null 2>&1"]).wait()) == 0
                if !answered {
                    waits += 1
                    usleep(50_000)
                }
            }
            if answered && !process.hasExited() {
                self.process = process
                self.display = display
                return
            }
            kill(process.pid, SIGTERM)
            _ = process.wait()
        }
        throw ProcessFailure("Xvfb did not come up on any of five display numbers")
    }

    private static func claimNumber() throws -> Int {
        try claimed.withLock { claimed in
            guard let number = (90..<190).first(where: {
                !claimed.contains($0) && !FileManager.default.fileExists(atPath: "/tmp/.X\($0)-lock")
                    && !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\($0)")
            }) else { throw ProcessFailure("no free X display number") }
            claimed.insert(number)
            return number
        }
    }

    func stop() {
        kill(process.pid, SIGTERM)
        _ = process.wait()
    }
}

/// Passive detection of a window application: the display comes from the process's own environment.
@Suite("Passive window readiness")
struct PassiveWindowTests {
    @Test("Under Xvfb, a new process of a window application is timed to its first mapped window, unlaunched",
          .enabled(if: XvfbServer.executable != nil, "needs Xvfb and x11-utils (apt-get install -y xvfb x11-utils x11-apps)"))
    func passiveWindow() throws {
        let xvfb = try #require(XvfbServer.executable)
        let dir = try TemporaryDirectory("deskready-passive-window")
        defer { dir.remove() }
        let server = try XvfbServer(xvfb)
        defer { server.stop() }
        let client = dir.file("viewer.py")
        try LauncherBinaryTests.windowClient.write(toFile: client, atomically: true, encoding: .utf8)
        // Matched by its program and kernel name, as a configured clinical viewer would be.
        let app = AppDefinition(name: "viewer", executable: "python3", readiness: .window, timeoutSeconds: 30)
        let detector = PassiveAppDetector(apps: [app], defaultTimeoutSeconds: 30, marker: nil)
        #expect(detector.scan(nowWallMs: WallClock.nowMs(), nowMonoMs: WallClock.monotonicMs()).isEmpty)
        let process = try ChildProcess(["/bin/sh", "-c", "exec python3 '\(client)' 0.6 >/dev/null 2>&1"],
                                       environment: ["DISPLAY": server.display, "PATH": "/usr/bin:/bin", "HOME": dir.path])
        defer {
            kill(process.pid, SIGKILL)
            _ = process.wait()
        }
        var events: [MeasurementEvent] = []
        let deadline = WallClock.monotonicMs() + 20_000
        while events.isEmpty && WallClock.monotonicMs() < deadline {
            usleep(100_000)
            events = detector.scan(nowWallMs: WallClock.nowMs(), nowMonoMs: WallClock.monotonicMs())
        }
        let event = try #require(events.first)
        #expect(event.name == "viewer")
        #expect(event.outcome == .ok, "\(event.attributes ?? [:])")
        #expect(event.attributes?["source"] == "passive")
        #expect(event.attributes?["readiness"] == "window")
        #expect(event.durationMs >= 600)
    }

    @Test("A window application without a display it can be watched on is left alone, not timed out")
    func noDisplay() throws {
        let app = AppDefinition(name: "epr", executable: "/opt/epr/epr", readiness: .window, timeoutSeconds: 1)
        let table = ProcessList()
        let detector = PassiveAppDetector(apps: [app], defaultTimeoutSeconds: 1, marker: nil, snapshot: { table.processes },
                                          commandPath: { table.paths[$0] }, environment: { _ in [:] }, inGraphicalSession: { _, _ in true })
        let ticks = ProcessStat.ticksPerSecond
        table.set([], paths: [:])
        #expect(detector.scan(nowWallMs: 0, nowMonoMs: 100_000).isEmpty)
        table.set([ProcessStat(pid: 7, comm: "epr", state: "S", parentPid: 1, processGroup: 7, cpuTicks: 0, startTicks: UInt64(101 * ticks))],
                  paths: [7: "/opt/epr/epr"])
        for second in 102...110 {
            #expect(detector.scan(nowWallMs: 0, nowMonoMs: Int64(second) * 1_000).isEmpty)
        }
    }

    @Test("The display of a process is read from its environment, with Xlib's default cookie file")
    func displayEnvironment() throws {
        let process = try ChildProcess(["/bin/sleep", "5"], environment: ["DISPLAY": ":42", "HOME": "/home/nurse"])
        defer {
            kill(process.pid, SIGKILL)
            _ = process.wait()
        }
        // posix_spawn may return before the child has exec'd with its own environment.
        var found: [String: String] = [:]
        for _ in 0..<100 where found.isEmpty {
            found = ProcessTable.displayEnvironment(pid: process.pid)
            usleep(20_000)
        }
        #expect(found == ["DISPLAY": ":42", "XAUTHORITY": "/home/nurse/.Xauthority"])
        #expect(ProcessTable.displayEnvironment(pid: 999_999_999).isEmpty)
    }
}
