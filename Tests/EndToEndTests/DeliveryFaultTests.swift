import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import Synchronization
import Testing

/// The agent's delivery under faults, against real collectors on loopback.
@Suite("Delivery under faults")
struct DeliveryFaultTests {
    func agentConfig(_ dir: TemporaryDirectory, collector: String, token: String? = nil) -> AgentConfig {
        var config = AgentConfig()
        config.collectorURL = collector
        config.trust = "RXX"
        config.site = "RXX01"
        config.deviceID = Fixtures.device.id
        config.pseudonymKey = "delivery-fault-test-key"
        config.spoolPath = dir.file("spool.sqlite")
        config.deviceToken = token
        return config
    }

    @Test("A stalled collector (accepts, never answers): the request times out, the batch is retried later, marks are unaffected")
    func stalledCollector() async throws {
        let dir = try TemporaryDirectory("deskready-stall")
        defer { dir.remove() }
        let listener = try StalledListener()
        defer { listener.close() }
        var config = agentConfig(dir, collector: "http://127.0.0.1:\(listener.port)", token: "drd_whatever")
        config.requestTimeoutSeconds = 1
        let path = config.spoolPath
        let first = try await blocking { [config] in
            let spool = try Spool(path: path)
            try spool.append(contentsOf: (0..<10).map { _ in Fixtures.event() })
            return (try Uploader(spool: spool, config: config, transport: CurlTransport()).sendNext(), try spool.nextBatch(maxEvents: 500, maxBytes: 1 << 20)?.batchId)
        }
        guard case .retry(let reason, _) = first.0 else {
            Issue.record("expected a retry, got \(first.0)")
            return
        }
        #expect(reason.contains("cannot reach the collector"))
        #expect(listener.accepted >= 1)
        // While a send is stalled, a login script's mark still commits at once.
        let stalledConfig = config
        let stalledSend = Task { try await blocking { try Uploader(spool: try Spool(path: path), config: stalledConfig, transport: CurlTransport()).sendNext() } }
        let marked = try await blocking {
            try Spool(path: path).recordMark(LogonMark(name: "auth_start", session: "1", user: "u", wallMs: 1, monotonicMs: 1, bootId: "b"))
            return try Spool(path: path).openMarks().count
        }
        #expect(marked == 1)
        _ = try await stalledSend.value

        // The collector comes back: the same batch id is sent, and everything arrives once.
        let collector = try await TestCollector.start()
        config.collectorURL = collector.url
        config.deviceToken = try await collector.enrol()
        // The short timeout was for the stalled collector; a healthy one on a loaded test machine gets the usual time.
        config.requestTimeoutSeconds = 15
        let resent = try await blocking { [config] in
            let spool = try Spool(path: path)
            let id = try spool.nextBatch(maxEvents: 500, maxBytes: 1 << 20)?.batchId
            return (id, try Uploader(spool: spool, config: config, transport: CurlTransport()).drain(), try spool.status())
        }
        #expect(resent.0 == first.1)
        #expect(resent.1 == .acknowledged(accepted: 10, duplicates: 0, rejected: 0))
        #expect(resent.2.depth == 0)
        #expect(try await collector.storedEventCount() == 10)
        try await collector.stop()
    }

    @Test("The agent dies between send and delete: after restart the batch is resent with the same id and stored once")
    func agentDiesAfterSend() async throws {
        let dir = try TemporaryDirectory("deskready-crash")
        defer { dir.remove() }
        let collector = try await TestCollector.start()
        let config = agentConfig(dir, collector: collector.url, token: try await collector.enrol())
        let firstId = try await blocking { [config] in
            // The first process: sends, the collector commits, and the process dies before it deletes anything
            // (here: the response is lost and the spool is closed without acknowledging).
            let spool = try Spool(path: config.spoolPath)
            try spool.append(contentsOf: (0..<25).map { _ in Fixtures.event() })
            let result = try Uploader(spool: spool, config: config, transport: LosingTransport(lose: 1)).sendNext()
            guard case .retry = result else { throw ProcessFailure("expected the lost response to leave the batch in place") }
            return try spool.nextBatch(maxEvents: 500, maxBytes: 1 << 20)!.batchId
        }
        #expect(try await collector.storedEventCount() == 25)
        let (restartedId, result) = try await blocking { [config] in
            let spool = try Spool(path: config.spoolPath)  // the restarted process
            let id = try spool.nextBatch(maxEvents: 500, maxBytes: 1 << 20)!.batchId
            return (id, try Uploader(spool: spool, config: config, transport: CurlTransport()).sendNext())
        }
        #expect(restartedId == firstId)
        #expect(result == .acknowledged(accepted: 0, duplicates: 25, rejected: 0))
        #expect(try await collector.storedEventCount() == 25)
        try await collector.stop()
    }

    @Test("kill -9 of the running agent, again and again while it uploads: every event arrives exactly once")
    func killNineDuringUpload() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-kill")
        defer { dir.remove() }
        let collector = try await TestCollector.start()
        var config = agentConfig(dir, collector: collector.url, token: try await collector.enrol())
        config.batchMaxEvents = 5
        let total = 3_000
        try await blocking { [config] in
            try Spool(path: config.spoolPath).append(contentsOf: (0..<total).map { i in Fixtures.event(durationMs: Int64(i)) })
        }
        let configPath = dir.file("agent.yaml")
        try """
            collector_url: \(config.collectorURL)
            trust: RXX
            site: RXX01
            device_id: \(config.deviceID)
            device_token: \(config.deviceToken!)
            pseudonym_key: \(config.pseudonymKey)
            spool_path: \(config.spoolPath)
            mark_drop_dir: \(dir.path)
            batch_max_events: 5
            batch_max_age_seconds: 0
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        var kills = 0
        for round in 0..<40 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: agent)
            process.arguments = ["run", "--config", configPath]
            process.standardError = FileHandle.nullDevice
            try process.run()
            try await Task.sleep(for: .milliseconds(150 + 37 * (round % 5)))
            kill(process.processIdentifier, SIGKILL)
            try await blocking { process.waitUntilExit() }
            // Counted only when the kill left events to upload: a kill after the last upload tests nothing.
            let stored = try await collector.storedEventCount()
            if stored < total { kills += 1 } else { break }
        }
        // A last clean run drains whatever is left.
        let remaining = try await blocking { [config] in
            let spool = try Spool(path: config.spoolPath)
            _ = try Uploader(spool: spool, config: config, transport: CurlTransport()).drain()
            return try spool.status().depth
        }
        #expect(kills >= 2, "the agent should have been killed at least twice with events still to upload")
        #expect(remaining == 0)
        #expect(try await collector.storedEventCount() == total)
        try await collector.stop()
    }
}

extension DeliveryFaultTests {
    @Test("The collector is killed (-9) in the middle of requests and restarted: everything arrives once")
    func collectorKilledMidRequest() async throws {
        let dir = try TemporaryDirectory("deskready-collector-kill")
        defer { dir.remove() }
        let deskready = try BuiltProducts.executable("deskready")
        let db = dir.file("collector.sqlite")
        _ = try await run(deskready, ["trust", "add", "RXX", "--name", "Test", "--db", db])
        let enrolment = try await run(deskready, ["enrol-token", "create", "--trust", "RXX", "--db", db]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let port = try freeLoopbackPort()
        var server = try await CollectorProcess(database: db, port: port)
        var config = agentConfig(dir, collector: server.url)
        config.enrolmentToken = enrolment
        config.batchMaxEvents = 10
        config.requestTimeoutSeconds = 2
        config.connectTimeoutSeconds = 1
        let total = 2_000
        let uploading = Task { [config] in
            try await blocking {
                let spool = try Spool(path: config.spoolPath)
                try spool.append(contentsOf: (0..<total).map { i in Fixtures.event(durationMs: Int64(i)) })
                let uploader = Uploader(spool: spool, config: config, transport: CurlTransport())
                var retries = 0
                while true {
                    switch try uploader.sendNext() {
                    case .idle: return retries
                    case .retry:
                        retries += 1
                        usleep(50_000)
                    case .acknowledged: break
                    case .deadLettered(let status): throw ProcessFailure("batch dead-lettered with \(status)")
                    }
                }
            }
        }
        for round in 0..<4 {
            try await Task.sleep(for: .milliseconds(120 + 40 * round))
            try await server.killNine()
            server = try await CollectorProcess(database: db, port: port)
        }
        let retries = try await uploading.value
        try await server.stop()
        #expect(retries >= 1, "the uploads should have met the dead collector")
        let store = try SQLiteMeasurementStore(path: db)
        #expect(try await store.counts(trust: "RXX").events == total)
        #expect(try await store.integrityCheck() == ["ok"])
    }
}

extension DeliveryFaultTests {
    @Test("The agent honours the proxy environment (http_proxy), as hospital networks need")
    func proxy() async throws {
        let agent = try BuiltProducts.executable("deskready-agent")
        let dir = try TemporaryDirectory("deskready-proxy")
        defer { dir.remove() }
        let proxy = try StalledListener()
        defer { proxy.close() }
        try await blocking { try Spool(path: dir.file("spool.sqlite")).append(Fixtures.event()) }
        try """
            collector_url: http://127.0.0.1:9
            trust: RXX
            site: RXX01
            device_id: ws-proxy
            device_token: drd_proxy-test
            pseudonym_key: proxy-test-secret-key
            spool_path: \(dir.file("spool.sqlite"))
            mark_drop_dir: \(dir.path)
            batch_max_age_seconds: 0
            """.write(toFile: dir.file("agent.yaml"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: agent)
        process.arguments = ["run", "--config", dir.file("agent.yaml")]
        process.environment = ["http_proxy": "http://127.0.0.1:\(proxy.port)", "PATH": "/usr/bin:/bin"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 where proxy.requestLines.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        process.terminate()
        try await blocking { process.waitUntilExit() }
        #expect(proxy.requestLines.first == "POST http://127.0.0.1:9/v1/batches HTTP/1.1")
    }
}

/// A TCP listener that accepts connections and never answers: a hung collector.
final class StalledListener: Sendable {
    let fd: Int32
    let port: Int
    private let counter: AcceptCounter

    var accepted: Int { counter.value.withLock { $0 } }
    var requestLines: [String] { counter.requestLines.withLock { $0 } }

    init() throws {
        let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listening, $0, length) } }
        guard bound == 0, listen(listening, 16) == 0 else { throw ProcessFailure("cannot listen on loopback") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listening, $0, &length) } }
        let counter = AcceptCounter()
        let thread = Thread {
            var held: [Int32] = []
            while true {
                let client = accept(listening, nil, nil)
                if client < 0 { break }
                held.append(client)  // keep it open, say nothing
                var buffer = [UInt8](repeating: 0, count: 2048)
                let received = recv(client, &buffer, buffer.count, 0)
                let firstLine = received > 0 ? String(decoding: buffer[0..<received], as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? "" : ""
                counter.value.withLock { $0 += 1 }
                counter.requestLines.withLock { $0.append(firstLine) }
            }
            held.forEach { Glibc.close($0) }
        }
        thread.start()
        fd = listening
        port = Int(UInt16(bigEndian: address.sin_port))
        self.counter = counter
    }

    func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }
}

/// Counts accepted connections across threads.
final class AcceptCounter: Sendable {
    let value = Mutex(0)
    let requestLines = Mutex<[String]>([])
}
