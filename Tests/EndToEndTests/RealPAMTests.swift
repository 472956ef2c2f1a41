import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// A PAM service that runs pam-mark on the lines install.sh writes, around the machine's own `common-auth`, and a
/// local user with a password for it; both removed afterwards. Needs root (CI runs as root) and Debian's pamtester.
struct PAMTestStack {
    static let user = "deskready-pamtest"
    static let password = "Typed-slowly-42"
    let service: String
    let agentConfig: String

    static var available: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/pamtester")
            && FileManager.default.fileExists(atPath: "/etc/pam.d/common-auth")
            && FileManager.default.isExecutableFile(atPath: "/usr/sbin/useradd")
    }

    /// The PAM line install.sh writes under `name` (`AUTH_LINE`, `AUTH_DONE_LINE`, `SESSION_LINE`), calling this
    /// checkout's pam-mark instead of the installed copy.
    static func installedLine(_ name: String) throws -> String {
        let root = BuiltProducts.packageRoot.appendingPathComponent("agent-config")
        let installer = try String(contentsOf: root.appendingPathComponent("install.sh"), encoding: .utf8)
        let prefix = "readonly \(name)='"
        let line = try #require(installer.split(separator: "\n").first { $0.hasPrefix(prefix) })
        return String(line.dropFirst(prefix.count).dropLast())
            .replacingOccurrences(of: "/usr/lib/deskready/pam-mark", with: root.appendingPathComponent("pam-mark").path)
    }

    init(agentConfig: String) throws {
        self.agentConfig = agentConfig
        service = "deskready-pamtest-\(getpid())"
        // The auth_start line first and the auth_done line last of the auth stack, as install.sh puts them in
        // common-auth (included here, so its real modules check the password), the session line last.
        let stack = [
            try Self.installedLine("AUTH_LINE"), "@include common-auth", try Self.installedLine("AUTH_DONE_LINE"),
            "account required pam_permit.so", "session required pam_permit.so", try Self.installedLine("SESSION_LINE"),
        ].joined(separator: "\n") + "\n"
        try stack.write(toFile: "/etc/pam.d/\(service)", atomically: true, encoding: .utf8)
        _ = Self.shell("userdel \(Self.user) 2>/dev/null; useradd -M -s /usr/sbin/nologin \(Self.user) && echo '\(Self.user):\(Self.password)' | chpasswd")
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: "/etc/pam.d/\(service)")
        _ = Self.shell("userdel \(Self.user) 2>/dev/null")
    }

    /// Runs pamtester's `operations` with a conversation that answers the password prompt after `typingSeconds`,
    /// standing in for a person typing. True when PAM succeeded.
    func converse(password: String = Self.password, typingSeconds: Double, operations: String) -> Bool {
        let environment = ["DESKREADY_AGENT_BIN=\((try? BuiltProducts.executable("deskready-agent")) ?? "/nonexistent")",
                           "DESKREADY_CONFIG=\(agentConfig)", "DESKREADY_MARK_USER=", "DESKREADY_PAM_SERVICES=\(service)"]
        let options = environment.map { "-E '\($0)'" }.joined(separator: " ")
        return Self.shell("(sleep \(typingSeconds); printf '%s\\n' '\(password)') | pamtester \(options) \(service) \(Self.user) \(operations)") == 0
    }

    @discardableResult
    static func shell(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Logons, unlocks and abandoned prompts through a real PAM stack with pam-mark where install.sh puts it.
@Suite("Logon marks through a real PAM stack", .serialized, .enabled(if: PAMTestStack.available, "needs root, pamtester and /etc/pam.d/common-auth"))
struct RealPAMTests {
    static let key = "pam-test-secret-key-000001"

    func withStack(_ body: (PAMTestStack, Spool) async throws -> Void) async throws {
        let dir = try TemporaryDirectory("deskready-pam")
        defer { dir.remove() }
        let config = dir.file("agent.yaml")
        try """
            collector_url: http://127.0.0.1:9
            trust: RXX
            site: RXX01
            device_id: ws-pam
            pseudonym_key: \(Self.key)
            spool_path: \(dir.file("spool.sqlite"))
            mark_drop_dir: \(dir.file("marks"))
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let stack = try PAMTestStack(agentConfig: config)
        defer { stack.remove() }
        try await body(stack, try Spool(path: dir.file("spool.sqlite")))
    }

    /// `loginctl` as recorded on a Debian 12 desktop where the test user has (or has not) a live GNOME session.
    static func loginctl(liveSession: Bool) -> (String) -> String? {
        let list = liveSession ? "      2 1001 \(PAMTestStack.user) seat0 tty2\n     c1  120 gdm   seat0 tty1\n" : "     c1  120 gdm   seat0 tty1\n"
        let created = LogindLogonSource.monotonicNowUs() - 3_600_000_000
        let outputs = [
            LoginctlOutput.listCommand: list,
            UnlockDecider.showCommand("2"): "Id=2\nName=\(PAMTestStack.user)\nType=wayland\nClass=user\nRemote=no\nService=gdm-password\nTimestampMonotonic=\(created)\nState=active\nSeat=seat0\n",
            UnlockDecider.showCommand("c1"): "Id=c1\nName=gdm\nType=wayland\nClass=greeter\nRemote=no\nService=gdm-launch-environment\nTimestampMonotonic=9000000\nState=online\nSeat=seat0\n",
        ]
        return { outputs[$0] }
    }

    func decideAndAssemble(_ spool: Spool, liveSession: Bool, nowMs: Int64) throws -> [MeasurementEvent] {
        let decider = UnlockDecider(pseudonymizer: Pseudonymizer(key: Self.key), run: Self.loginctl(liveSession: liveSession))
        for decision in decider.decisions(openMarks: try spool.openMarks(), nowWallMs: WallClock.nowMs(), monotonicNowUs: LogindLogonSource.monotonicNowUs()) {
            try spool.annotateMark(id: decision.id, with: decision.attributes)
        }
        return LogonAssembler().assemble(try spool.openMarks(), nowMs: nowMs).events
    }

    @Test("A logon starts when PAM accepted the credentials: the 2 s of typing are kept out of it")
    func logonWithoutTyping() async throws {
        try await withStack { stack, spool in
            #expect(stack.converse(typingSeconds: 2, operations: "authenticate acct_mgmt 'setcred(PAM_ESTABLISH_CRED)' open_session"))
            let marks = try spool.openMarks()
            #expect(marks.map(\.name) == ["auth_start", "auth_done", "session_open"])
            let start = try #require(marks.first { $0.milestone == .authStart })
            let done = try #require(marks.first { $0.milestone == .authDone })
            #expect(done.wallMs - start.wallMs >= 1_900, "the typing delay lies between the two auth marks")
            #expect(marks.allSatisfy { $0.user == Pseudonymizer(key: Self.key).pseudonym(for: PAMTestStack.user) })
            let agent = try BuiltProducts.executable("deskready-agent")
            let ready = try await run(agent, ["mark", "responsive", "--config", stack.agentConfig], environment: ["PAM_USER": PAMTestStack.user])
            #expect(ready.status == 0, "\(ready.stderr)")
            let events = try decideAndAssemble(spool, liveSession: false, nowMs: WallClock.nowMs())
            let logon = try #require(events.first)
            #expect(events.count == 1)
            #expect(logon.kind == .logon)
            #expect(logon.startedAtMs == done.wallMs)
            #expect(logon.durationMs < 1_900, "typing is not part of the logon (\(logon.durationMs) ms)")
            #expect(Int64(logon.attributes?[LogonAttribute.credentialEntryMs] ?? "") ?? 0 >= 1_900)
        }
    }

    @Test("Credentials entered while the user's desktop is live are an unlock, never an incomplete logon")
    func unlock() async throws {
        try await withStack { stack, spool in
            #expect(stack.converse(typingSeconds: 1, operations: "authenticate 'setcred(PAM_REINITIALIZE_CRED)'"))
            #expect(try spool.openMarks().map(\.name) == ["auth_start", "auth_done"])
            let now = WallClock.nowMs()
            #expect(try decideAndAssemble(spool, liveSession: true, nowMs: now).isEmpty, "waits a moment for a session to open")
            let events = LogonAssembler().assemble(try spool.openMarks(), nowMs: now + 3_600_000).events
            let unlock = try #require(events.first)
            #expect(events.map(\.kind) == [.unlock])
            #expect(unlock.outcome == .ok)
            #expect(unlock.attributes?["session"] == "2")
        }
    }

    @Test("The same credentials with no live session and no desktop become an incomplete logon, not an unlock")
    func noLiveSession() async throws {
        try await withStack { stack, spool in
            #expect(stack.converse(typingSeconds: 0.2, operations: "authenticate"))
            _ = try decideAndAssemble(spool, liveSession: false, nowMs: WallClock.nowMs())
            let events = LogonAssembler().assemble(try spool.openMarks(), nowMs: WallClock.nowMs() + 3_600_000).events
            #expect(events.map(\.kind) == [.logon])
            #expect(events.first?.outcome == .incomplete)
        }
    }

    @Test("A wrong password leaves only the prompt's mark, which is dropped: no logon, no incomplete logon")
    func abandonedPrompt() async throws {
        try await withStack { stack, spool in
            #expect(!stack.converse(password: "wrong-password", typingSeconds: 0.5, operations: "authenticate"))
            #expect(try spool.openMarks().map(\.name) == ["auth_start"])
            let (events, consumed) = LogonAssembler().assemble(try spool.openMarks(), nowMs: WallClock.nowMs() + 3_600_000)
            #expect(events.isEmpty)
            #expect(consumed.count == 1)
        }
    }
}
