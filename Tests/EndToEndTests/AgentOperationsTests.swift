import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Testing

/// What IT teams check with the real binaries: versions, check-config (offline and --connect), status for
/// compliance tools, log lines and the agent version stored per device.
@Suite("Agent operations kit")
struct AgentOperationsTests {
    let kit = AgentBinaryTests()

    /// A config the offline checks accept (mode 0640, an enrolment token), with `lines` added.
    func config(_ dir: TemporaryDirectory, collector: String = "http://127.0.0.1:9", _ lines: String = "enrolment_token: an-enrolment-token") throws -> String {
        let path = try kit.writeConfig(dir, collector: collector, extra: lines)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        return path
    }

    @Test("Both binaries print their version and commit")
    func versions() async throws {
        for name in ["deskready-agent", "deskready"] {
            let result = try await run(try BuiltProducts.executable(name), ["--version"])
            #expect(result.status == 0)
            #expect(result.stdout.contains("\(name) \(BuildInfo.version) (commit "), "\(result.stdout)")
        }
        #expect(BuildInfo.version == CollectorBuildInfo.version)
    }

    @Test("check-config refuses an empty token, an unreadable or non-PEM ca_file, an impossible port or path, and a world-readable key")
    func offlineChecks() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-ops")
        defer { dir.remove() }
        let cases: [(collector: String, lines: String, expected: String)] = [
            ("http://127.0.0.1:9", "", "enrolment_token: is empty and this agent holds no device token"),
            ("http://127.0.0.1:9", "enrolment_token: \"\"", "deskready enrol-token create --trust RXX"),
            ("https://collector.example:99999", "enrolment_token: t", "has the port '99999', which is not a port from 1 to 65535"),
            ("https://collector.example/v1/batches", "enrolment_token: t", "ends with /v1/batches, but the agent adds that itself"),
            ("https://collector.example?x=1", "enrolment_token: t", "holds a query"),
            ("https://collector.example", "enrolment_token: t\nca_file: \(dir.file("missing-ca.pem"))", "ca_file: cannot read \(dir.file("missing-ca.pem"))"),
            ("https://collector.example", "enrolment_token: t\nca_file: \(dir.file("agent.yaml"))", "holds no PEM certificate"),
        ]
        for (index, item) in cases.enumerated() {
            let path = try config(dir, collector: item.collector, item.lines)
            let result = try await run(agent, ["check-config", path])
            #expect(result.status != 0, "case \(index) passed")
            #expect(result.stderr.contains(item.expected), "case \(index): \(result.stderr)")
        }
        // The collector URL's problem says which line set it.
        let port = try config(dir, collector: "https://collector.example:0")
        #expect(try await run(agent, ["check-config", port]).stderr.contains("[value from \(port):1]"))

        // A config holding the key, readable by every user.
        let open = try config(dir)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: open)
        let exposed = try await run(agent, ["check-config", open])
        #expect(exposed.status != 0)
        #expect(exposed.stderr.contains("pseudonym_key: \(open) holds the key and every user of this machine may read it"))
        #expect(exposed.stderr.contains("chmod 0640"))
    }

    @Test("pseudonym_key_file keeps the key out of the config; its problems are named")
    func keyFile() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-ops")
        defer { dir.remove() }
        let keyPath = dir.file("pseudonym.key")
        try "key-from-a-file-0123456789\n".write(toFile: keyPath, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: keyPath)
        // writeConfig sets pseudonym_key; an environment-free config with only the key file:
        let path = dir.file("keyfile.yaml")
        try """
            collector_url: http://127.0.0.1:9
            trust: RXX
            site: RXX01
            device_id: ws-keyfile
            pseudonym_key_file: \(keyPath)
            enrolment_token: t
            spool_path: \(dir.file("spool.sqlite"))
            """.write(toFile: path, atomically: true, encoding: .utf8)
        // World-readable is fine for a config without the key.
        let ok = try await run(agent, ["check-config", path])
        #expect(ok.status == 0, "\(ok.stderr)")
        let loaded = try AgentConfigLoader.load(path: path, environment: [:])
        #expect(loaded.pseudonymKey == "key-from-a-file-0123456789")

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyPath)
        #expect(try await run(agent, ["check-config", path]).stderr.contains("pseudonym_key_file: every user of this machine may read \(keyPath)"))
        try FileManager.default.removeItem(atPath: keyPath)
        let missing = try await run(agent, ["check-config", path])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("pseudonym_key_file (set in \(path):5): cannot read a key from \(keyPath)"))
    }

    @Test("Values from the environment say so in errors; unknown DESKREADY_ variables are warned about")
    func environment() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-ops")
        defer { dir.remove() }
        let path = try config(dir)
        let result = try await run(agent, ["check-config", path], environment: ["DESKREADY_TRUST": "rxx", "DESKREADY_COLECTOR_URL": "http://x"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("trust: 'rxx' must be the trust's ODS code"))
        #expect(result.stderr.contains("[value from environment DESKREADY_TRUST]"))
        #expect(result.stderr.contains("DESKREADY_COLECTOR_URL is not a DeskReady setting and is ignored (did you mean DESKREADY_COLLECTOR_URL?)"))
        let hook = try await run(agent, ["check-config", path], environment: ["DESKREADY_MARK_TIMEOUT": "2"])
        #expect(hook.status == 0, "\(hook.stderr)")
        #expect(!hook.stderr.contains("DESKREADY_MARK_TIMEOUT"), "variables of the PAM hook are known: \(hook.stderr)")
    }

    @Test("check-config --connect: an unknown host, a closed port, a wrong CA, a non-collector, and refused and accepted tokens")
    func connect() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-ops")
        defer { dir.remove() }
        func check(_ collector: String, _ lines: String) async throws -> ProcessResult {
            try await run(agent, ["check-config", "--connect", try config(dir, collector: collector, lines)])
        }
        let unknown = try await check("http://no-such-host.invalid:8765", "enrolment_token: t")
        #expect(unknown.status != 0)
        #expect(unknown.stdout.contains("FAIL resolve no-such-host.invalid"))
        #expect(unknown.stdout.contains("fix: check the host name in collector_url"))

        let closed = try freeLoopbackPort()
        let refused = try await check("http://127.0.0.1:\(closed)", "enrolment_token: t")
        #expect(refused.stdout.contains("ok   resolve 127.0.0.1"))
        #expect(refused.stdout.contains("FAIL connect 127.0.0.1:\(closed): connection to port \(closed) failed: Connection refused"))
        #expect(refused.stdout.contains("fix: check that the collector runs and listens on port \(closed)"))

        // HTTPS with a CA the collector's certificate does not chain to.
        let tlsDir = try TemporaryDirectory("deskready-ops-tls")
        defer { tlsDir.remove() }
        var tlsConfiguration = CollectorConfiguration(host: "127.0.0.1", port: 0)
        tlsConfiguration.tls = try await TLSFixture.certificate(in: tlsDir, name: "collector")
        let other = try await TLSFixture.certificate(in: tlsDir, name: "other")
        let secure = try await TestCollector.start(configuration: tlsConfiguration)
        let token = try await secure.enrol(DeviceIdentity(id: "ws-binary", trust: "RXX", site: "RXX01"))
        let wrongCA = try await check(secure.url, "device_token: \(token)\nca_file: \(other.certificateChainPath)")
        #expect(wrongCA.stdout.contains("ok   connect 127.0.0.1:"))
        #expect(wrongCA.stdout.contains("FAIL TLS"), "\(wrongCA.stdout)")
        #expect(wrongCA.stdout.contains("fix: set ca_file to the PEM bundle of the CA that signed the collector's certificate"))
        let rightCA = try await check(secure.url, "device_token: \(token)\nca_file: \(tlsConfiguration.tls!.certificateChainPath)")
        #expect(rightCA.status == 0, "\(rightCA.stdout)\(rightCA.stderr)")
        #expect(rightCA.stdout.contains("ok   TLS: certificate verified against \(tlsConfiguration.tls!.certificateChainPath)"))
        #expect(rightCA.stdout.contains("ok   GET /readyz: 200"))
        #expect(rightCA.stdout.contains("ok   device_token accepted"))
        #expect(try await secure.storedEventCount() == 0, "the token check stores nothing")
        try await secure.stop()

        // Plain HTTP collector: a path that is not the collector's base, enrolment tokens good and bad, a wrong site.
        let collector = try await TestCollector.start()
        try await collector.ensureTrust("RXX")
        let enrolment = try await collector.store.issueToken(role: .enrolment, trust: "RXX", label: "ops-test", expiresMs: nil).token
        let wrongPath = try await check(collector.url + "/deskready", "enrolment_token: \(enrolment)")
        #expect(wrongPath.stdout.contains("FAIL GET /readyz: 404"))
        #expect(wrongPath.stdout.contains("fix: this is not a DeskReady collector's base URL"))
        let badEnrolment = try await check(collector.url, "enrolment_token: not-a-real-token")
        #expect(badEnrolment.status != 0)
        #expect(badEnrolment.stdout.contains("FAIL enrolment_token accepted: 401"))
        #expect(badEnrolment.stdout.contains("deskready enrol-token create --trust RXX"))
        let goodEnrolment = try await check(collector.url, "enrolment_token: \(enrolment)")
        #expect(goodEnrolment.status == 0, "\(goodEnrolment.stdout)")
        #expect(goodEnrolment.stdout.contains("ok   enrolment_token accepted"))
        #expect(try await collector.store.devices(trust: "RXX").isEmpty, "the dry enrolment enrolled nothing")
        let badDevice = try await check(collector.url, "device_token: drd_not-a-real-device-token")
        #expect(badDevice.stdout.contains("FAIL device_token accepted: 401"))
        #expect(badDevice.stdout.contains("fix: set device_token to a device token of this device"))
        try await collector.stop()
    }

    @Test("status --json and its exit status: 0 when uploads work, 1 when they fail, 2 when the token is refused")
    func statusForCompliance() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-ops")
        defer { dir.remove() }
        let path = try config(dir)
        let spool = try Spool(path: dir.file("spool.sqlite"))
        try spool.append(Fixtures.event())
        let fresh = try await run(agent, ["status", "--json", "--config", path])
        #expect(fresh.status == 0, "\(fresh.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(fresh.stdout.utf8)) as? [String: Any])
        #expect(report["health"] as? String == "ok")
        #expect(report["spool_depth"] as? Int == 1)
        #expect(report["device"] as? String == "ws-binary")
        #expect(report["agent_version"] as? String == BuildInfo.agentVersion)

        try spool.recordFailure(nil, error: "cannot reach the collector at http://127.0.0.1:9/v1/batches: Connection refused")
        let failing = try await run(agent, ["status", "--json", "--config", path])
        #expect(failing.status == 1)
        #expect(failing.stdout.contains(#""health":"failing""#))
        let text = try await run(agent, ["status", "--config", path])
        #expect(text.status == 1)
        #expect(text.stdout.contains("health:            failing"))

        try spool.recordFailure(nil, error: "the collector refused this device's token (401): unknown token. Check device_token.")
        let refused = try await run(agent, ["status", "--json", "--config", path])
        #expect(refused.status == 2)
        #expect(refused.stdout.contains(#""health":"token_refused""#))
    }

    @Test("The daemon logs a start line and summaries with levels and RFC 3339 times, as text or JSON; batches carry the agent version, shown by device list")
    func logsAndVersion() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let deskready = try BuiltProducts.executable("deskready")
        let dir = try TemporaryDirectory("deskready-ops")
        defer { dir.remove() }
        let port = try freeLoopbackPort()
        let database = dir.file("collector.sqlite")
        let store = try SQLiteMeasurementStore(path: database)
        _ = try await store.addTrust(ods: "RXX", name: "Test")
        let token = try await store.enrolDevice(trust: "RXX", deviceId: "ws-binary", site: "RXX01", installKey: nil, nowMs: WallClock.nowMs()).token
        let server = try await CollectorProcess(database: database, port: port)
        let path = try config(dir, collector: server.url, "device_token: \(token)\nbatch_max_age_seconds: 0")
        try Spool(path: dir.file("spool.sqlite")).append(Fixtures.event())

        for format in ["text", "json"] {
            let daemon = Process()
            daemon.executableURL = URL(fileURLWithPath: agent)
            daemon.arguments = ["run", "--config", path, "--log-format", format, "--summary-seconds", "1"]
            let errors = Pipe()
            daemon.standardError = errors
            daemon.standardOutput = FileHandle.nullDevice
            try daemon.run()
            try await Task.sleep(for: .milliseconds(2_500))
            daemon.terminate()
            daemon.waitUntilExit()
            let lines = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
            let start = try #require(lines.first { $0.contains("agent started") }, "\(lines)")
            let summary = try #require(lines.first { $0.contains("summary") }, "\(lines)")
            let stamp = #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/#
            if format == "text" {
                #expect(start.prefixMatch(of: stamp) != nil, "\(start)")
                #expect(start.contains(" info agent started version="))
                #expect(start.contains("device=ws-binary trust=RXX site=RXX01 collector=\(server.url)"))
                #expect(summary.contains(" info summary ") && summary.contains("accepted=1") && summary.contains("health=ok"), "\(summary)")
            } else {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(start.utf8)) as? [String: String])
                #expect(object["level"] == "info")
                #expect(object["msg"] == "agent started")
                #expect(object["trust"] == "RXX")
                #expect(object["collector"] == server.url)
                #expect(object["ts"].map { $0.wholeMatch(of: stamp) != nil } == true)
                #expect((try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: String])?["health"] == "ok")
            }
        }
        try await server.stop()
        let devices = try await SQLiteMeasurementStore(path: database).devices(trust: "RXX")
        #expect(devices.first?.agentVersion == BuildInfo.agentVersion)
        let list = try await run(deskready, ["device", "list", "--db", database])
        #expect(list.stdout.split(separator: "\n").first?.hasSuffix("\tagent") == true)
        #expect(list.stdout.contains("ws-binary\tRXX01\tactive\t"))
        #expect(list.stdout.contains("\t\(BuildInfo.agentVersion)"))
    }
}
