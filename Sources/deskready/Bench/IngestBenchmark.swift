import ArgumentParser
import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import Foundation
import GRDB
import Synchronization

/// `deskready bench ingest`: a collector process on loopback driven by concurrent simulated agents, beside the raw
/// SQLite insert rate of the same rows into the same schema measured in the same run.
struct IngestBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "Collector ingest over HTTP against the raw SQLite insert limit.")

    @Option(help: "Events to send in all.") var events = 1_000_000
    @Option(help: "Events per batch.") var batchSize = 500
    @Option(help: "Simulated agents sending at once.") var agents = 16
    @Option(help: "Write machine-readable results here.") var json: String?

    struct Result: Codable {
        var events: Int
        var batchSize: Int
        var agents: Int
        var seconds: Double
        var eventsPerSecond: Double
        var batchLatencyP50Ms: Double
        var batchLatencyP99Ms: Double
        var collectorPeakRSSMB: Double
        var collectorCPUSeconds: Double
        var rawInsertRowsPerSecond: Double
        var ratioToRaw: Double
    }

    func run() async throws {
        guard events >= batchSize, batchSize >= 1, agents >= 1 else { throw ValidationError("need --events ≥ --batch-size ≥ 1 and --agents ≥ 1") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deskready-bench-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/collector.sqlite"

        // Devices and tokens, straight in the database before the collector starts.
        let store = try SQLiteMeasurementStore(path: db)
        _ = try await store.addTrust(ods: "RXX", name: "Benchmark trust")
        var devices: [(DeviceIdentity, String)] = []
        for index in 0..<agents {
            let device = DeviceIdentity(id: "bench-\(index)", trust: "RXX", site: "RXX0\(index % 5 + 1)")
            devices.append((device, try await store.enrolDevice(trust: "RXX", deviceId: device.id, site: device.site, nowMs: WallClock.nowMs()).token))
        }
        print("Preparing \(events / batchSize) gzip batches of \(batchSize) events…")
        let bodies = makeBodies(devices: devices.map(\.0))
        let meanGzip = bodies.reduce(0) { $0 + $1.count } / bodies.count
        print("  mean batch: \(meanGzip / 1024) KiB gzip")

        let port = try freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        server.arguments = ["serve", "--db", db, "--listen", "127.0.0.1:\(port)", "--log-level", "error", "--max-pending-batches", "\(agents * 2)"]
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        try await waitForHealth(base)

        let sampler = PeakSampler(pid: server.processIdentifier)
        let startCPU = ProcessSampler.sample(pid: server.processIdentifier)?.cpuSeconds ?? 0
        let state = DriverState()
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            let tokens = devices.map(\.1)
            for _ in 0..<agents {
                group.addTask {
                    try await runOnThread {
                        let transport = CurlTransport()
                        while true {
                            let index = state.next.add(1, ordering: .relaxed).oldValue
                            guard index < bodies.count else { return }
                            let begin = Date()
                            do {
                                let exchange = try transport.post(
                                    url: base + "/v1/batches",
                                    headers: ["Content-Type: application/json", "Content-Encoding: gzip", "Authorization: Bearer \(tokens[index % tokens.count])"],
                                    body: bodies[index], timeoutMs: 60_000, connectTimeoutMs: 5_000)
                                if exchange.status != 200 { state.failures.withLock { $0.append("status \(exchange.status)") } }
                            } catch {
                                state.failures.withLock { $0.append("\(error)") }
                            }
                            let elapsed = Date().timeIntervalSince(begin) * 1000
                            state.latencies.withLock { $0.append(elapsed) }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = Date().timeIntervalSince(started)
        let peak = sampler.stop()
        let cpu = (ProcessSampler.sample(pid: server.processIdentifier)?.cpuSeconds ?? 0) - startCPU
        server.terminate()
        server.waitUntilExit()
        let problems = state.failures.withLock { $0 }
        if !problems.isEmpty { throw ValidationError("\(problems.count) batches failed, first: \(problems[0])") }
        let stored = try await SQLiteMeasurementStore(path: db).counts(trust: "RXX").events
        guard stored == events / batchSize * batchSize else { throw ValidationError("stored \(stored) events, expected \(events / batchSize * batchSize)") }

        print("Measuring the raw SQLite insert limit on the same schema…")
        let raw = try RawInsertBenchmark(rows: events, directory: dir).run()
        let sorted = state.latencies.withLock { $0 }.sorted()
        let rate = Double(stored) / seconds
        let result = Result(
            events: stored, batchSize: batchSize, agents: agents, seconds: seconds, eventsPerSecond: rate,
            batchLatencyP50Ms: percentile(sorted, 50), batchLatencyP99Ms: percentile(sorted, 99),
            collectorPeakRSSMB: Double(peak.residentKB) / 1024, collectorCPUSeconds: cpu,
            rawInsertRowsPerSecond: raw, ratioToRaw: rate / raw)
        try writeJSON(result, to: json)
        print("""
            collector: \(stored) events in \(formatted(seconds)) s = \(Int(rate)) events/s over HTTP (\(agents) agents, \(batchSize)-event gzip batches)
            batch latency: p50 \(formatted(result.batchLatencyP50Ms)) ms, p99 \(formatted(result.batchLatencyP99Ms)) ms
            collector: peak RSS \(formatted(result.collectorPeakRSSMB)) MB, CPU \(formatted(cpu)) s
            raw SQLite insert (prepared statements, 50k-row transactions, same schema): \(Int(raw)) rows/s
            summary: ingest \(Int(rate)) events/s = \(formatted(result.ratioToRaw * 100))% of raw \(Int(raw)) rows/s
            """)
    }

    /// Realistic batches: mostly application starts and logons with phases, UUIDv7 ids, a pseudonymous user.
    func makeBodies(devices: [DeviceIdentity]) -> [[UInt8]] {
        var random = SystemRandomNumberGenerator()
        let encoder = WireCoding.encoder()
        let now = WallClock.nowMs()
        let apps = ["epr", "pacs-viewer", "email", "browser", "eobs"]
        return (0..<(events / batchSize)).map { batchIndex in
            let device = devices[batchIndex % devices.count]
            let batchEvents = (0..<batchSize).map { i -> MeasurementEvent in
                let start = now - Int64.random(in: 0..<(7 * 86_400_000), using: &random)
                if i % 5 == 0 {
                    let total = Int64.random(in: 8_000...120_000, using: &random)
                    return MeasurementEvent(
                        id: UUIDv7.make(unixMs: start, using: &random), kind: .logon, name: "x11", startedAtMs: start, durationMs: total,
                        phases: ["authentication": total / 10, "session_start": total / 2, "responsive": total - total / 10 - total / 2],
                        user: "5f1c0a9e2b7d43c8a61e0f9b3d2c7a14", attributes: ["source": "marks", "session": "c\(i)"])
                }
                return MeasurementEvent(
                    id: UUIDv7.make(unixMs: start, using: &random), kind: .appStart, name: apps[i % apps.count], startedAtMs: start,
                    durationMs: Int64.random(in: 500...60_000, using: &random), user: "5f1c0a9e2b7d43c8a61e0f9b3d2c7a14",
                    attributes: ["readiness": "window", "method": "launcher"])
            }
            let batch = Batch(batchId: UUIDv7.make(), device: device, sentAtMs: now, events: batchEvents)
            let json = Array((try? encoder.encode(batch)) ?? Data())
            return Gzip.compress(json) ?? json
        }
    }

    func waitForHealth(_ base: String) async throws {
        for _ in 0..<200 {
            let status = try? await runOnThread { try CurlTransport().get(url: base + "/healthz", headers: [], timeoutMs: 500, connectTimeoutMs: 200).status }
            if status == 200 { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw ValidationError("the benchmark collector did not start")
    }
}

/// Samples a process's memory every 50 ms until stopped, keeping the peak.
final class PeakSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var peak = ProcessSample(residentKB: 0, privateDirtyKB: 0, cpuSeconds: 0)
    private var running = true

    init(pid: Int32) {
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                if let sample = ProcessSampler.sample(pid: pid) {
                    lock.withLock {
                        peak.residentKB = max(peak.residentKB, sample.residentKB)
                        peak.privateDirtyKB = max(peak.privateDirtyKB, sample.privateDirtyKB)
                    }
                }
                usleep(50_000)
            }
        }
    }

    func stop() -> ProcessSample {
        lock.withLock {
            running = false
            return peak
        }
    }
}

/// Runs blocking work on a thread of its own, off the async executor.
func runOnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

/// A loopback port the kernel just handed out.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// What the simulated agents share: the next batch to send, and what they measured.
final class DriverState: Sendable {
    let next = Atomic<Int>(0)
    let latencies = Mutex<[Double]>([])
    let failures = Mutex<[String]>([])
}
