import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Testing

@Suite("Agent configuration")
struct AgentConfigTests {
    @Test("A file, then the environment, set the options")
    func layering() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("agent.yaml")
        try """
            # DeskReady agent
            collector_url: "https://collector.example.nhs.uk"  # the trust's collector
            trust: RXX
            site: RXX01
            device_id: ws-42
            pseudonym_key: 'a secret of more than 16 chars'
            batch_max_events: 250
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try AgentConfigLoader.load(path: path, environment: ["DESKREADY_BATCH_MAX_EVENTS": "100", "DESKREADY_SITE": "RXX02"])
        #expect(config.collectorURL == "https://collector.example.nhs.uk")
        #expect(config.batchMaxEvents == 100)
        #expect(config.site == "RXX02")
        #expect(config.deviceID == "ws-42")
        #expect(config.problems().isEmpty)
    }

    @Test("Every wrong line is named, with its line number and the fix")
    func wrongLines() throws {
        let (_, problems) = AgentConfigLoader.parse("batch_max_events: lots\ncolour: blue\nno colon here\n", source: "agent.yaml")
        #expect(problems.count == 3)
        #expect(problems[0].hasPrefix("agent.yaml line 1: batch_max_events must be a whole number from 1 to 5000"))
        #expect(problems[1].contains("line 2: colour is not a known option"))
        #expect(problems[2].contains("line 3"))
    }

    @Test("Validation names each wrong field")
    func validation() {
        var config = AgentConfig()
        config.collectorURL = "collector:8765"
        config.trust = "rxx"
        config.deviceID = "has space"
        config.pseudonymKey = "short"
        let fields = config.problems().map { String($0.prefix { $0 != ":" }) }
        #expect(fields == ["collector_url", "trust", "device_id", "pseudonym_key"])
    }

    @Test("A missing config file is a clear error")
    func missingFile() {
        #expect(throws: ConfigError.self) { try AgentConfigLoader.load(path: "/nonexistent/agent.yaml", environment: [:]) }
    }
}

@Suite("Small agent parts")
struct AgentPartsTests {
    @Test("Pseudonyms are stable per key, differ between keys, and hide the name")
    func pseudonyms() {
        let a = Pseudonymizer(key: "trust-a-secret-key-0001")
        let b = Pseudonymizer(key: "trust-b-secret-key-0002")
        #expect(a.pseudonym(for: "alice") == a.pseudonym(for: "alice"))
        #expect(a.pseudonym(for: "alice") != a.pseudonym(for: "bob"))
        #expect(a.pseudonym(for: "alice") != b.pseudonym(for: "alice"))
        #expect(a.pseudonym(for: "alice").count == 32)
        #expect(!a.pseudonym(for: "alice").contains("alice"))
    }

    @Test("Backoff grows exponentially to its cap, with full jitter, and honours Retry-After")
    func backoff() {
        let backoff = Backoff(baseSeconds: 1, capSeconds: 300)
        #expect(backoff.ceiling(afterFailures: 1) == 1)
        #expect(backoff.ceiling(afterFailures: 4) == 8)
        #expect(backoff.ceiling(afterFailures: 20) == 300)
        var generator = SystemRandomNumberGenerator()
        let delays = (0..<200).map { _ in backoff.delay(afterFailures: 6, retryAfter: nil, using: &generator) }
        #expect(delays.allSatisfy { (0...32).contains($0) })
        #expect(Set(delays.map { Int($0) }).count > 5)
        #expect(backoff.delay(afterFailures: 1, retryAfter: 120, using: &generator) >= 120)
    }

    @Test("gzip output is a gzip stream")
    func gzip() throws {
        let compressed = try #require(Gzip.compress(Array(repeating: 65, count: 10_000)))
        #expect(compressed.prefix(2) == [0x1F, 0x8B])
        #expect(compressed.count < 200)
    }
}
