import ArgumentParser
import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadyPostgresStore
import Foundation
import Logging
import PostgresNIO

/// `deskready bench ingest --db postgres://…`: 1, 2, … collector processes on one PostgreSQL database, the simulated
/// agents spread over them round-robin, beside the raw `COPY` rate of the same event rows into the same table in the
/// same run. Each measure gets a new database on that server, dropped afterwards.
struct PostgresIngestBenchmark {
    let options: IngestBenchmark
    let server: PostgresStoreLocation
    let collectorCounts: [Int]

    struct Run: Codable {
        var collectors: Int
        var events: Int
        var seconds: Double
        var eventsPerSecond: Double
        var batchLatencyP50Ms: Double
        var batchLatencyP99Ms: Double
        /// CPU seconds of all collector processes together.
        var collectorCPUSeconds: Double
        /// CPU seconds of the PostgreSQL server's processes, when it runs on this machine (0 otherwise).
        var serverCPUSeconds: Double
        /// Batches per write transaction, all collectors together (group commit).
        var batchesPerTransaction: Double?
        var loadAverage: String
    }

    struct Result: Codable {
        var batchSize: Int
        var agents: Int
        var spread: EventTimeSpread
        var runs: [Run]
        /// The median of `rawCopyRuns`.
        var rawCopyRowsPerSecond: Double
        var rawCopyRuns: [Double]
    }

    func run() async throws {
        var logger = Logger(label: "deskready.bench")
        logger.logLevel = .warning
        var runs: [Run] = []
        for collectors in collectorCounts {
            runs.append(try await measure(collectors: collectors, logger: logger))
            let run = runs.last!
            say("  \(collectors) collector\(collectors == 1 ? "" : "s"): \(Int(run.eventsPerSecond)) events/s over HTTP, p50 \(formatted(run.batchLatencyP50Ms)) ms, p99 \(formatted(run.batchLatencyP99Ms)) ms, collectors' CPU \(formatted(run.collectorCPUSeconds)) s, server CPU \(formatted(run.serverCPUSeconds)) s, \(run.batchesPerTransaction.map { formatted($0) } ?? "?") batches per transaction, load \(run.loadAverage)")
        }
        // The ceiling is measured three times, each on a new database, and the median taken: one COPY of 200,000 rows
        // lasts about a second and moved between 175,000 and 238,000 rows/s from run to run on this machine.
        say("Measuring raw COPY of the same rows into the events table, three times…")
        var raws: [Double] = []
        for _ in 0..<3 { raws.append(try await rawCopy(logger: logger)) }
        let raw = raws.sorted()[1]
        say("  \(raws.map { String(Int($0)) }.joined(separator: ", ")) rows/s: median \(Int(raw))")
        let result = Result(batchSize: options.batchSize, agents: options.agents, spread: options.spread, runs: runs, rawCopyRowsPerSecond: raw,
                            rawCopyRuns: raws)
        try writeJSON(result, to: options.json)
        for run in runs {
            say("summary: \(run.collectors) collector\(run.collectors == 1 ? "" : "s") on PostgreSQL \(Int(run.eventsPerSecond)) events/s = \(formatted(run.eventsPerSecond / raw * 100))% of raw COPY \(Int(raw)) rows/s (median of three)")
        }
    }

    /// A new database on the server, dropped by `drop`.
    private func scratchDatabase(_ label: String, logger: Logger) async throws -> (PostgresStoreLocation, drop: () async -> Void) {
        let name = "deskready_bench_\(label)_\(UUID().uuidString.prefix(8).lowercased())"
        try await admin("CREATE DATABASE \(name)", logger: logger)
        return (server.database(name), { try? await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", logger: logger) })
    }

    private func admin(_ sql: String, logger: Logger) async throws {
        let connection = try await PostgresConnection.connect(configuration: server.connectionConfiguration(), id: 1, logger: logger)
        defer { Task { try? await connection.close() } }
        try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    private func measure(collectors: Int, logger: Logger) async throws -> Run {
        say("\(collectors) collector\(collectors == 1 ? "" : "s") on one PostgreSQL database: \(options.events) events, \(options.agents) agents…")
        let (location, drop) = try await scratchDatabase("ingest\(collectors)", logger: logger)
        do {
            let store = try await PostgresMeasurementStore.open(location, logger: logger)
            _ = try await store.addTrust(ods: "RXX", name: "Benchmark trust")
            var devices: [(DeviceIdentity, String)] = []
            for index in 0..<options.agents {
                let device = DeviceIdentity(id: "bench-\(index)", trust: "RXX", site: "RXX0\(index % 5 + 1)")
                devices.append((device, try await store.enrolDevice(trust: "RXX", deviceId: device.id, site: device.site, installKey: nil, nowMs: WallClock.nowMs()).token))
            }
            let bodies = options.makeBodies(devices: devices.map(\.0))
            var servers: [Process] = []
            defer { for server in servers where server.isRunning { server.terminate() } }
            var bases: [String] = []
            for _ in 0..<collectors {
                let port = try freePort()
                let server = Process()
                server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
                server.arguments = ["serve", "--db", location.url, "--listen", "127.0.0.1:\(port)", "--log-level", "error",
                                    "--max-pending-batches", "\(options.agents * 2)"]
                try server.run()
                servers.append(server)
                bases.append("http://127.0.0.1:\(port)")
            }
            for base in bases { try await waitForCollector(base) }
            let load = ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(separator: " ")
            let startCPU = servers.map { ProcessSampler.sample(pid: $0.processIdentifier)?.cpuSeconds ?? 0 }.reduce(0, +)
            let startServerCPU = Self.localPostgresCPU()
            let state = DriverState()
            let started = Date()
            try await IngestBenchmark.sendBatches(bodies, tokens: devices.map(\.1), collectors: bases, agents: options.agents, state: state)
            let seconds = Date().timeIntervalSince(started)
            let cpu = servers.map { ProcessSampler.sample(pid: $0.processIdentifier)?.cpuSeconds ?? 0 }.reduce(0, +) - startCPU
            let serverCPU = Self.localPostgresCPU() - startServerCPU
            let grouping = await IngestBenchmark.groupCommit(bases)
            for server in servers {
                server.terminate()
                server.waitUntilExit()
            }
            let problems = state.failures.withLock { $0 }
            if !problems.isEmpty { throw ValidationError("\(problems.count) batches failed, first: \(problems[0])") }
            let sent = bodies.count * options.batchSize
            let stored = try await store.counts(trust: "RXX").events
            await store.close()
            guard stored == sent else { throw ValidationError("stored \(stored) events, expected \(sent)") }
            await drop()
            let sorted = state.latencies.withLock { $0 }.sorted()
            return Run(collectors: collectors, events: sent, seconds: seconds, eventsPerSecond: Double(sent) / seconds,
                       batchLatencyP50Ms: percentile(sorted, 50), batchLatencyP99Ms: percentile(sorted, 99),
                       collectorCPUSeconds: cpu, serverCPUSeconds: serverCPU,
                       batchesPerTransaction: grouping.batchesPerTransaction, loadAverage: load)
        } catch {
            await drop()
            throw error
        }
    }

    /// CPU seconds of every process named `postgres` on this machine: the server and its backends when the server runs
    /// here (a backend that exits during a run takes its share with it; the collectors keep theirs open until the end).
    static func localPostgresCPU() -> Double {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init)
            .filter { (try? String(contentsOfFile: "/proc/\($0)/comm", encoding: .utf8))?.hasPrefix("postgres") == true }
            .compactMap { ProcessSampler.sample(pid: $0)?.cpuSeconds }.reduce(0, +)
    }

    /// Rows per second of `COPY … FROM STDIN` (text format) into the store's own events table, in 50,000-row
    /// statements (each its own transaction) on one connection: the ceiling for the same rows.
    private func rawCopy(logger: Logger) async throws -> Double {
        let (location, drop) = try await scratchDatabase("copy", logger: logger)
        do {
            let store = try await PostgresMeasurementStore.open(location, logger: logger)
            await store.close()
            var random = SystemRandomNumberGenerator()
            let now = WallClock.nowMs()
            let events = IngestBenchmark.makeEvents(options.events, now: now, spread: options.spread, using: &random)
            // The text rows are made before the clock starts, so only PostgreSQL is timed.
            let batch = UUID().uuidString
            var chunks: [ByteBuffer] = []
            for start in stride(from: 0, to: events.count, by: 50_000) {
                var buffer = ByteBuffer()
                for event in events[start..<min(start + 50_000, events.count)] {
                    let phases = event.phases.map { p in "{" + p.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}" } ?? "\\N"
                    let attributes = event.attributes.map { a in "{" + a.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "}" } ?? "\\N"
                    buffer.writeString("RXX\t\(event.id.uuidString)\tRXX01\tbench-0\t\(batch)\t\(event.kind.rawValue)\t\(event.name)\t\(event.startedAtMs)\t\(event.durationMs)\tok\t\(event.user ?? "\\N")\t\(phases)\t\(attributes)\t\(now)\n")
                }
                chunks.append(buffer)
            }
            let connection = try await PostgresConnection.connect(configuration: location.connectionConfiguration(), id: 2, logger: logger)
            let started = Date()
            for chunk in chunks {
                try await connection.copyFrom(
                    table: "events", columns: ["trust", "event_id", "site", "device_id", "batch_id", "kind", "name", "started_at_ms", "duration_ms",
                                               "outcome", "user", "phases", "attributes", "received_at_ms"], logger: logger
                ) { writer in try await writer.write(chunk) }
            }
            let rate = Double(events.count) / Date().timeIntervalSince(started)
            try await connection.close()
            await drop()
            return rate
        } catch {
            await drop()
            throw error
        }
    }
}

/// Prints a line at once, so progress shows as it happens also when the output goes to a file.
private func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
