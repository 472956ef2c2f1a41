import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// The real `deskready-agent` binary, as PAM, the desktop autostart and IT ops run it.
@Suite("deskready-agent binary")
struct AgentBinaryTests {
    func writeConfig(_ dir: TemporaryDirectory, collector: String = "http://127.0.0.1:9", extra: String = "") throws -> String {
        let path = dir.file("agent.yaml")
        try """
            collector_url: \(collector)
            trust: RXX
            site: RXX01
            device_id: ws-binary
            pseudonym_key: binary-test-secret-key-0001
            spool_path: \(dir.file("spool.sqlite"))
            mark_drop_dir: \(dir.file("marks"))
            \(extra)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir.file("marks"), withIntermediateDirectories: true)
        return path
    }

    @Test("PAM marks and the desktop's dropped mark become one logon with phases, and the user is pseudonymised")
    func marksToLogon() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-binary")
        defer { dir.remove() }
        let config = try writeConfig(dir)
        let environment = ["PAM_USER": "alice.smith", "XDG_SESSION_ID": ""]
        for milestone in ["auth_start", "session_open"] {
            let result = try await run(agent, ["mark", milestone, "--config", config], environment: environment)
            #expect(result.status == 0, "\(result.stderr)")
        }
        // The desktop autostart cannot write the spool: it drops its marks for the daemon to collect.
        for milestone in ["desktop_ready", "responsive"] {
            let dropped = try await run(agent, ["mark", milestone, "--config", config, "--drop-dir", dir.file("marks")])
            #expect(dropped.status == 0, "\(dropped.stderr)")
        }
        let spool = try Spool(path: dir.file("spool.sqlite"))
        #expect(try spool.openMarks().count == 2)
        let pseudonymizer = Pseudonymizer(key: "binary-test-secret-key-0001")
        #expect(try MarkDropbox(path: dir.file("marks")).collect(into: spool, pseudonymizer: pseudonymizer) == 2)
        let marks = try spool.openMarks()
        #expect(marks.map(\.name) == ["auth_start", "session_open", "desktop_ready", "responsive"])
        #expect(marks[0].user == pseudonymizer.pseudonym(for: "alice.smith"))
        #expect(!marks.contains { $0.user == "alice.smith" })
        let (events, _) = LogonAssembler().assemble(marks, nowMs: WallClock.nowMs())
        // The dropped marks carry this test's user (the file owner), so the PAM marks of alice.smith join only when
        // the test runs as alice.smith; otherwise they form two logons, each complete by its own marks.
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0.kind == .logon })
    }

    @Test("A mark returns non-zero with a clear message when the spool cannot be written, and never hangs")
    func unwritableSpool() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-binary")
        defer { dir.remove() }
        let config = try writeConfig(dir)
        let result = try await run(agent, ["mark", "auth_start", "--config", config, "--spool", "/proc/deskready/spool.sqlite"],
                                   environment: ["PAM_USER": "bob"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot open the spool") || result.stderr.contains("cannot leave a mark"))
    }

    @Test("check-config names every wrong field; the example config is refused until its secret is changed")
    func checkConfig() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-binary")
        defer { dir.remove() }
        let bad = dir.file("bad.yaml")
        try "trust: rxx\nbatch_max_events: many\ncollector_url: ftp://x\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try await run(agent, ["check-config", bad])
        #expect(result.status != 0)
        #expect(result.stderr.contains("batch_max_events must be a whole number"))
        let example = BuiltProducts.packageRoot.appendingPathComponent("agent-config/agent.yaml").path
        let exampleResult = try await run(agent, ["check-config", example])
        #expect(exampleResult.status != 0)
        #expect(exampleResult.stderr.contains("pseudonym_key: still holds the example value"))
        #expect(!exampleResult.stderr.contains("line "), "the example config has a line the parser does not accept: \(exampleResult.stderr)")
        let good = try writeConfig(dir, extra: "enrolment_token: an-enrolment-token")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: good)  // it holds the pseudonym key
        let ok = try await run(agent, ["check-config", good])
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test("status shows the spool, and upload errors reach it")
    func status() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-binary")
        defer { dir.remove() }
        let config = try writeConfig(dir)
        _ = try await run(agent, ["mark", "auth_start", "--config", config], environment: ["PAM_USER": "carol"])
        let result = try await run(agent, ["status", "--config", config])
        #expect(result.status == 0)
        #expect(result.stdout.contains("open logon marks:  1"))
        #expect(result.stdout.contains("device:            ws-binary (trust RXX, site RXX01)"))
    }

    @Test("The deployment kit installs, reinstalls and uninstalls cleanly into a temporary root")
    func installKit() async throws {
        let script = BuiltProducts.packageRoot.appendingPathComponent("agent-config/test-install.sh").path
        let result = try await run("/bin/bash", [script])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains(" passed, 0 failed"))
    }
}

/// The agent's spool on a full disk: marks fail at once with the cause, the daemon keeps running, nothing spooled is lost.
@Suite("Agent on a full disk", .serialized)
struct AgentFullDiskTests {
    @Test("A mark on a full disk fails at once naming the cause; the daemon keeps running; what was spooled stays",
          .enabled(if: SmallFileSystem.canMount, "mounting a small tmpfs needs root; CI runs as root"))
    func spoolDiskFull() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let (mounted, reason) = SmallFileSystem.mount(megabytes: 4)
        guard let disk = mounted else {
            Issue.record("cannot make a small file system: \(reason)")
            return
        }
        defer { disk.unmount() }
        let config = disk.file("agent.yaml")
        try FileManager.default.createDirectory(atPath: disk.file("marks"), withIntermediateDirectories: true)
        try """
            collector_url: http://127.0.0.1:9
            trust: RXX
            site: RXX01
            device_id: ws-full
            pseudonym_key: full-disk-test-secret-key-01
            spool_path: \(disk.file("spool.sqlite"))
            mark_drop_dir: \(disk.file("marks"))
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let first = try await run(agent, ["mark", "auth_start", "--config", config], environment: ["PAM_USER": "dave"])
        #expect(first.status == 0, "\(first.stderr)")

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: agent)
        daemon.arguments = ["run", "--config", config]
        daemon.standardError = FileHandle.nullDevice
        daemon.standardOutput = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }
        try await Task.sleep(for: .milliseconds(500))

        disk.fill()
        let started = ContinuousClock.now
        let refused = try await run(agent, ["mark", "session_open", "--config", config], environment: ["PAM_USER": "dave"])
        #expect(refused.status != 0)
        #expect(refused.stderr.lowercased().contains("full") || refused.stderr.contains("No space"), "\(refused.stderr)")
        #expect(ContinuousClock.now - started < .seconds(5), "a mark must not wait on a full disk")
        try await Task.sleep(for: .seconds(2))
        #expect(daemon.isRunning, "the daemon must keep running on a full disk")

        disk.free()
        let again = try await run(agent, ["mark", "session_open", "--config", config], environment: ["PAM_USER": "dave"])
        #expect(again.status == 0, "\(again.stderr)")
        daemon.terminate()
        daemon.waitUntilExit()
        let spool = try Spool(path: disk.file("spool.sqlite"))
        let names = try spool.openMarks().map(\.name)
        #expect(names.contains("auth_start"), "the mark spooled before the disk filled is still there: \(names)")
    }
}
