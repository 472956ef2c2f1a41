import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// A python3 server on loopback, started with the agent's `ChildProcess` and stopped at the end.
final class PythonServer: @unchecked Sendable {
    let process: ChildProcess
    let port: Int

    init(script: String, port: Int, in dir: TemporaryDirectory) throws {
        let path = dir.file("server-\(port).py")
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        self.port = port
        process = try ChildProcess(["/bin/sh", "-c", "exec python3 '\(path)' \(port) >/dev/null 2>&1"])
        let check = TCPReadiness(host: "127.0.0.1", port: UInt16(port))
        var attempts = 0
        while check.poll(nowMs: 0, pids: []) == nil {
            attempts += 1
            if process.hasExited() || attempts > 200 { throw ProcessFailure("the python3 server on port \(port) did not come up") }
            usleep(50_000)
        }
    }

    func stop() {
        kill(process.pid, SIGTERM)
        _ = process.wait()
    }

    static let plain = """
        import http.server, sys
        http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler).serve_forever()
        """

    static let unavailable = """
        import http.server, sys
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()
        http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """

    static func tls(cert: String, key: String) -> String {
        """
        import http.server, ssl, sys
        server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain("\(cert)", "\(key)")
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        server.serve_forever()
        """
    }
}

@Suite("Network probes", .serialized)
struct NetworkProbeTests {
    func target(_ line: String) throws -> ProbeTarget { try ProbeTarget.parse(line).get() }

    @Test("probe lines name a target and a URL; ports default by scheme; wrong ones are named")
    func targets() throws {
        #expect(try target("epr | https://epr.trust.nhs.uk/health") == ProbeTarget(name: "epr", url: "https://epr.trust.nhs.uk/health", scheme: .https, host: "epr.trust.nhs.uk", port: 443))
        #expect(try target("pacs | http://10.1.2.3:8080/wado?x=1").port == 8080)
        #expect(try target("dc | tcp://dc01.trust.nhs.uk:389") == ProbeTarget(name: "dc", url: "tcp://dc01.trust.nhs.uk:389", scheme: .tcp, host: "dc01.trust.nhs.uk", port: 389))
        #expect(try target("v6 | https://[::1]:8443/").host == "::1")
        let (config, problems) = AgentConfigLoader.parse("""
            probe: epr | https://epr.trust.nhs.uk/health
            probe: share | tcp://files.trust.nhs.uk:445
            probe_interval_seconds: 600
            probe_jitter_seconds: 60
            probe_timeout_seconds: 5
            """)
        #expect(problems.isEmpty)
        #expect(config.probes.map(\.name) == ["epr", "share"])
        #expect(config.probeIntervalSeconds == 600)
        let (_, wrong) = AgentConfigLoader.parse("probe: https://x\nprobe: x | ftp://x\nprobe: y | tcp://host\nprobe: z | https://user:pw@host/\n")
        #expect(wrong.count == 4)
        #expect(wrong[0].contains("must be 'NAME | URL'"))
        #expect(wrong[1].contains("must start with https://, http:// or tcp://"))
        #expect(wrong[2].contains("tcp://dc01.trust.nhs.uk:389"))
        #expect(wrong[3].contains("user name or password"))
        var jittery = AgentConfig()
        jittery.probeIntervalSeconds = 60
        jittery.probeJitterSeconds = 30
        #expect(jittery.problems().contains { $0.hasPrefix("probe_jitter_seconds") })
    }

    @Test("libcurl's cumulative times become phases; failures name the phase they stopped in")
    func phasesFromTimings() {
        let ok = ProbeRunner.result(of: HTTPProbeTiming(status: 200, namelookupUs: 12_400, connectUs: 14_600, appconnectUs: 41_000,
                                                         starttransferUs: 96_700, totalUs: 97_000), tls: true)
        #expect(ok.phases == ["dns": 12, "connect": 2, "tls": 26, "ttfb": 56])
        #expect(ok.failure == nil)
        #expect(ok.httpStatus == 200)

        let plain = ProbeRunner.result(of: HTTPProbeTiming(status: 404, namelookupUs: 30, connectUs: 400, appconnectUs: 0,
                                                            starttransferUs: 2_600, totalUs: 2_700), tls: false)
        #expect(plain.phases == ["dns": 0, "connect": 0, "ttfb": 2])
        #expect(plain.failure == nil)

        let dns = ProbeRunner.result(of: HTTPProbeTiming(status: 0, namelookupUs: 0, connectUs: 0, appconnectUs: 0, starttransferUs: 0, totalUs: 5_000,
                                                          failure: HTTPProbeFailure(code: 6, timedOut: false, message: "Could not resolve host: epr.trust.nhs.uk")), tls: true)
        #expect(dns.failure?.phase == "dns")
        let refused = ProbeRunner.result(of: HTTPProbeTiming(status: 0, namelookupUs: 900, connectUs: 0, appconnectUs: 0, starttransferUs: 0, totalUs: 1_200,
                                                              failure: HTTPProbeFailure(code: 7, timedOut: false, message: "Failed to connect")), tls: true)
        #expect(refused.failure?.phase == "connect")
        #expect(refused.phases == ["dns": 1])
        // As libcurl reports a certificate it cannot verify: no connect time, code 60.
        let certificate = ProbeRunner.result(of: HTTPProbeTiming(status: 0, namelookupUs: 900, connectUs: 0, appconnectUs: 0, starttransferUs: 0, totalUs: 9_000,
                                                                  failure: HTTPProbeFailure(code: 60, timedOut: false, message: "SSL certificate problem: self-signed certificate")), tls: true)
        #expect(certificate.failure?.phase == "tls")
        let handshakeTimeout = ProbeRunner.result(of: HTTPProbeTiming(status: 0, namelookupUs: 900, connectUs: 1_500, appconnectUs: 0, starttransferUs: 0,
                                                                       totalUs: 5_000_000, failure: HTTPProbeFailure(code: 28, timedOut: true, message: "timed out")), tls: true)
        #expect(handshakeTimeout.failure?.phase == "tls")
        let slow = ProbeRunner.result(of: HTTPProbeTiming(status: 0, namelookupUs: 900, connectUs: 1_500, appconnectUs: 8_000, starttransferUs: 0, totalUs: 5_000_000,
                                                           failure: HTTPProbeFailure(code: 28, timedOut: true, message: "Operation timed out")), tls: true)
        #expect(slow.failure == NetworkFailure(phase: "http", reason: "Operation timed out", timedOut: true))
        let down = ProbeRunner.result(of: HTTPProbeTiming(status: 503, namelookupUs: 100, connectUs: 300, appconnectUs: 0, starttransferUs: 900, totalUs: 950), tls: false)
        #expect(down.failure?.phase == "http")
        #expect(down.failure?.reason.contains("503") == true)
    }

    @Test("Probes are spread: the first within two minutes, then every interval give or take the jitter, one at a time")
    func schedule() {
        var schedule = ProbeSchedule(intervalSeconds: 300, jitterSeconds: 30, generator: SplitMix(state: 42))
        #expect(schedule.takeDue(["a", "b"], nowMs: 0).isEmpty)
        let firstA = schedule.nextDue("a")!
        #expect((0...120_000).contains(firstA))
        let both = max(firstA, schedule.nextDue("b")!)
        #expect(schedule.takeDue(["a", "b"], nowMs: both, limit: 1).count == 1)
        #expect(schedule.takeDue(["a", "b"], nowMs: both, limit: 1).count == 1)
        #expect(schedule.takeDue(["a", "b"], nowMs: both).isEmpty)
        let next = schedule.nextDue("a")!
        #expect((both + 270_000...both + 330_000).contains(next))
    }

    @Test("A TCP probe times DNS and connect to a listening port, and names a refused one")
    func tcpProbe() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let runner = ProbeRunner(timeoutMs: 2_000)
        let ok = runner.probe(try target("ldap | tcp://localhost:\(listener.port)"))
        #expect(ok.kind == .probe)
        #expect(ok.name == "ldap")
        #expect(ok.outcome == .ok)
        #expect(Set(ok.phases?.keys.map { $0 } ?? []) == ["dns", "connect"])
        #expect(ok.attributes?["port"] == String(listener.port))

        let closed = try freeLoopbackPort()
        let refused = runner.probe(try target("ldap | tcp://127.0.0.1:\(closed)"))
        #expect(refused.outcome == .failed)
        #expect(refused.attributes?["failed_phase"] == "connect")
        #expect(refused.attributes?["reason"]?.contains("refused") == true)
    }

    @Test("An HTTP probe to a local web server times DNS, connect and first byte")
    func httpProbe() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try PythonServer(script: PythonServer.plain, port: try freeLoopbackPort(), in: dir)
        defer { server.stop() }
        let event = ProbeRunner(timeoutMs: 5_000).probe(try target("epr | http://127.0.0.1:\(server.port)/"))
        #expect(event.outcome == .ok, "\(event.attributes ?? [:])")
        #expect(Set(event.phases?.keys.map { $0 } ?? []) == ["dns", "connect", "ttfb"])
        #expect(event.attributes?["http_status"] == "200")
        #expect(event.durationMs == event.phases?.values.reduce(0, +))
    }

    @Test("A server answering 503 is a failed probe; one that never answers is a timeout in the http phase")
    func httpFailures() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try PythonServer(script: PythonServer.unavailable, port: try freeLoopbackPort(), in: dir)
        defer { server.stop() }
        let down = ProbeRunner(timeoutMs: 5_000).probe(try target("epr | http://127.0.0.1:\(server.port)/health"))
        #expect(down.outcome == .failed)
        #expect(down.attributes?["http_status"] == "503")
        #expect(down.attributes?["failed_phase"] == "http")

        let stalled = try LoopbackListener()
        defer { stalled.close() }
        let hung = ProbeRunner(timeoutMs: 1_000).probe(try target("epr | http://127.0.0.1:\(stalled.port)/"))
        #expect(hung.outcome == .timeout)
        #expect(hung.attributes?["failed_phase"] == "http")
        #expect(hung.phases?["connect"] != nil)
    }

    @Test("An HTTPS probe times the TLS handshake against a trusted local server, and fails in tls without the CA",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "needs the openssl command to make a certificate"))
    func httpsProbe() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let cert = dir.file("cert.pem")
        let key = dir.file("key.pem")
        let made = try ChildProcess(["/bin/sh", "-c", "openssl req -x509 -newkey rsa:2048 -nodes -keyout '\(key)' -out '\(cert)' -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1"])
        #expect(made.wait() == 0)
        let server = try PythonServer(script: PythonServer.tls(cert: cert, key: key), port: try freeLoopbackPort(), in: dir)
        defer { server.stop() }
        let url = "epr | https://127.0.0.1:\(server.port)/"
        let trusted = ProbeRunner(timeoutMs: 5_000, caFile: cert).probe(try target(url))
        #expect(trusted.outcome == .ok, "\(trusted.attributes ?? [:])")
        #expect(Set(trusted.phases?.keys.map { $0 } ?? []) == ["dns", "connect", "tls", "ttfb"])
        let untrusted = ProbeRunner(timeoutMs: 5_000).probe(try target(url))
        #expect(untrusted.outcome == .failed)
        #expect(untrusted.attributes?["failed_phase"] == "tls", "\(untrusted.attributes ?? [:])")
    }
}
