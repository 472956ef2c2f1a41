import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Synchronization
import Testing

@Suite("Agent operations: URL, origins, health and log lines")
struct AgentOperationsUnitTests {
    @Test("collector_url: host, port and base path, or what is impossible about it")
    func collectorURL() throws {
        func parts(_ url: String) throws -> String {
            let parsed = try CollectorURL.parse(url).get()
            return "\(parsed.secure) \(parsed.host) \(parsed.port) \(parsed.path)"
        }
        #expect(try parts("https://deskready.trust.nhs.uk") == "true deskready.trust.nhs.uk 443 ")
        #expect(try parts("http://10.0.0.5:8765/") == "false 10.0.0.5 8765 ")
        #expect(try parts("https://[::1]:8443/deskready/") == "true ::1 8443 /deskready")
        for (url, problem) in [("https://x:99999", "not a port from 1 to 65535"), ("https://x:", "not a port"), ("https://x:https", "not a port"),
                               ("https://:8443", "has no host name"), ("https://x/v1/enrol", "ends with /v1/enrol"),
                               ("https://x/#top", "a fragment"), ("https://user@x", "a user name"), ("ftp://x", "must start with")] {
            guard case .failure(let error) = CollectorURL.parse(url) else {
                Issue.record("\(url) was accepted")
                continue
            }
            #expect(error.message.contains(problem), "\(url): \(error.message)")
            #expect(error.message.contains("for example https://deskready.trust.nhs.uk:8443"))
        }
    }

    @Test("A problem names where its value came from: a file's line or an environment variable; origins do not change equality")
    func origins() throws {
        let (parsed, _) = AgentConfigLoader.parse("trust: rxx\nsite: RXX01\n", source: "/etc/deskready/agent.yaml")
        #expect(parsed.problems().contains { $0.hasPrefix("trust: 'rxx'") && $0.hasSuffix("[value from /etc/deskready/agent.yaml:1]") })
        let environment = try AgentConfigLoader.load(path: nil, environment: ["DESKREADY_PSEUDONYM_KEY": "short"])
        #expect(environment.problems().contains { $0.hasPrefix("pseudonym_key: must be") && $0.hasSuffix("[value from environment DESKREADY_PSEUDONYM_KEY]") })
        var plain = AgentConfig()
        plain.trust = "rxx"
        plain.site = "RXX01"
        #expect(plain.trust == parsed.trust && plain.site == parsed.site)
        #expect(plain.problems().contains { $0.hasPrefix("trust: 'rxx'") && !$0.contains("[value from") })
    }

    @Test("Unknown DESKREADY_ variables are warned about with the likely intended one; keys and the PAM hook's are not")
    func unknownVariables() {
        let warnings = AgentConfigLoader.unknownVariableWarnings([
            "DESKREADY_TRUST": "RXX", "DESKREADY_MARK_USER": "deskready", "DESKREADY_SPOOL_PTH": "/x", "DESKREADY_XYZZY_QUUX_FROB": "1", "PATH": "/bin",
        ])
        #expect(warnings.count == 2)
        #expect(warnings[0].contains("DESKREADY_SPOOL_PTH is not a DeskReady setting and is ignored (did you mean DESKREADY_SPOOL_PATH?)"))
        #expect(warnings[1].contains("DESKREADY_XYZZY_QUUX_FROB") && !warnings[1].contains("did you mean"))
    }

    @Test("Upload health: ok, failing after an error newer than the last upload, token_refused for a 401 or 403")
    func health() throws {
        #expect(UploadHealth(lastUploadMs: nil, lastError: nil, lastErrorMs: nil) == .ok)
        let unreachable = "cannot reach the collector at https://x/v1/batches: Connection refused"
        #expect(UploadHealth(lastUploadMs: nil, lastError: unreachable, lastErrorMs: 2_000) == .failing)
        #expect(UploadHealth(lastUploadMs: 3_000, lastError: unreachable, lastErrorMs: 2_000) == .ok)
        #expect(UploadHealth(lastUploadMs: 3_000, lastError: "the collector refused this device's token (401): unknown token.", lastErrorMs: 4_000) == .tokenRefused)
        #expect(UploadHealth(lastUploadMs: 3_000, lastError: "enrolment refused by the collector (403): revoked.", lastErrorMs: 4_000) == .tokenRefused)
        #expect(UploadHealth(lastUploadMs: 3_000, lastError: "enrolment refused by the collector (400): site.", lastErrorMs: 4_000) == .failing)
        #expect([UploadHealth.ok, .failing, .tokenRefused].map(\.exitCode) == [0, 1, 2])
    }

    @Test("Log lines: RFC 3339 UTC with milliseconds and a level, as text or one JSON object")
    func logLines() {
        #expect(AgentLog.rfc3339(0) == "1970-01-01T00:00:00.000Z")
        #expect(AgentLog.rfc3339(1_795_000_000_042) == "2026-11-18T11:06:40.042Z")
        let lines = LineBox()
        AgentLog(format: .text, write: lines.add).log(.warning, "upload failed", [("reason", "no route"), ("n", "3")], nowMs: 5)
        AgentLog(format: .json, write: lines.add).log(.info, "say \"hi\"", [("trust", "RXX")], nowMs: 5)
        #expect(lines.all == [
            "1970-01-01T00:00:00.005Z warning upload failed reason=\"no route\" n=3\n",
            #"{"ts":"1970-01-01T00:00:00.005Z","level":"info","msg":"say \"hi\"","trust":"RXX"}"# + "\n",
        ])
    }
}

/// Collects written lines across threads.
final class LineBox: Sendable {
    private let lines = Mutex<[String]>([])
    @Sendable func add(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
