import ArgumentParser
import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadyPostgresStore
import DeskReadySQLiteStore
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
    @Option(help: ArgumentHelp(
        "Database sizes (events already stored, comma-separated, e.g. 0,10000000,50000000) at which to measure HTTP ingest.",
        discussion: "The database is filled up to each size through the collector's write path without HTTP or JSON (with aggregates), then --events more are sent over HTTP and timed."))
    var growTo = "0"
    @Option(help: ArgumentHelp(
        "When the events happened: recent (as agents send: 95% in the last 15 minutes, 5% from the last 7 days) or week (all at random over 7 days, the pessimistic case).",
        discussion: "The raw insert and the write-path measures use the same spread."))
    var spread: EventTimeSpread = .recent
    @Option(help: ArgumentHelp(
        "Readers requesting a trust's JSON report in a loop, each with a reader token, while the batches are sent.",
        discussion: "Shows whether reports slow ingest; the collector bounds them (max_concurrent_reports, answered 503 beyond it)."))
    var reportReaders = 0
    @Option(name: [.customLong("db"), .customLong("store")], help: ArgumentHelp(
        "A PostgreSQL server (postgres://USER@HOST:PORT/DATABASE) to measure instead of SQLite.",
        discussion: "Each measure creates a database of its own on that server and drops it after; the user needs CREATEDB. The password comes from DESKREADY_POSTGRES_PASSWORD_FILE or PGPASSWORD."))
    var db: String?
    @Option(help: "With --db postgres://…: how many collector processes share the database, one measure each (comma-separated).")
    var collectors = "1,2,3"

    struct Run: Codable {
        /// Events stored before this run's HTTP ingest started.
        var storedBefore: Int
        var events: Int
        var seconds: Double
        var eventsPerSecond: Double
        var batchLatencyP50Ms: Double
        var batchLatencyP99Ms: Double
        var collectorPeakRSSMB: Double
        var collectorCPUSeconds: Double
        /// `/proc/loadavg` when the run started.
        var loadAverage: String
        /// Database and WAL on disk after the run.
        var databaseMB: Double
        /// Rows per second of the fill before this run (nil when nothing was filled).
        var fillRowsPerSecond: Double?
        /// Mean batches per write transaction (group commit), from the collector's /metrics.
        var batchesPerTransaction: Double?
        /// Reports rendered (200) and refused as busy (503) by the report readers during the run.
        var reportsServed: Int = 0
        var reportsRefusedBusy: Int = 0
    }

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
        var spread: EventTimeSpread
        var runs: [Run]
        /// Where the distance to the raw limit goes, measured in the same run (nil when there was no group size).
        var gap: Gap?
    }

    /// The distance from the raw limit to HTTP ingest, split into its measured causes: the same rows inserted raw in
    /// transactions of the collector's group-commit size, then the collector's own write transaction at that size
    /// without HTTP, then HTTP ingest itself.
    struct Gap: Codable {
        /// Mean events per write transaction in the HTTP run.
        var eventsPerTransaction: Int
        var rawAtGroupSizeRowsPerSecond: Double
        var writePathAtGroupSizeEventsPerSecond: Double
    }

    func run() async throws {
        guard events >= batchSize, batchSize >= 1, agents >= 1 else { throw ValidationError("need --events ≥ --batch-size ≥ 1 and --agents ≥ 1") }
        if let db {
            let counts = collectors.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 >= 1 }
            guard case .postgres(let server) = try StoreLocation(db), !counts.isEmpty else {
                throw ValidationError("--db takes a postgres:// URL (SQLite is measured without --db), --collectors counts like 1,2,3")
            }
            return try await PostgresIngestBenchmark(options: self, server: server, collectorCounts: counts).run()
        }
        let sizes = try growTo.split(separator: ",").map { text -> Int in
            guard let size = Int(text.trimmingCharacters(in: .whitespaces)), size >= 0 else { throw ValidationError("--grow-to takes sizes like 0,10000000") }
            return size
        }.sorted()
        guard !sizes.isEmpty else { throw ValidationError("--grow-to needs at least one size") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deskready-bench-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/collector.sqlite"

        // Devices and tokens, straight in the database before the collector starts.
        let devices = try await Self.enrolDevices(agents, in: SQLiteMeasurementStore(path: db))
        var runs: [Run] = []
        var stored = 0
        for size in sizes {
            var fillRate: Double?
            if size > stored {
                say("Filling the database from \(stored) to \(size) events (collector write path, no HTTP)…")
                fillRate = try await fill(db: db, devices: devices.map(\.0), from: stored, to: size, plannedSize: sizes.last!)
                say("  \(Int(fillRate!)) rows/s")
                stored = size
            }
            sync()  // each measure starts with no writeback of the one before it pending
            let run = try await measureHTTP(db: db, devices: devices, storedBefore: stored)
            runs.append(Run(
                storedBefore: run.storedBefore, events: run.events, seconds: run.seconds, eventsPerSecond: run.eventsPerSecond,
                batchLatencyP50Ms: run.batchLatencyP50Ms, batchLatencyP99Ms: run.batchLatencyP99Ms, collectorPeakRSSMB: run.collectorPeakRSSMB,
                collectorCPUSeconds: run.collectorCPUSeconds, loadAverage: run.loadAverage, databaseMB: run.databaseMB, fillRowsPerSecond: fillRate,
                batchesPerTransaction: run.batchesPerTransaction, reportsServed: run.reportsServed, reportsRefusedBusy: run.reportsRefusedBusy))
            if reportReaders > 0 {
                say("  \(reportReaders) report readers: \(run.reportsServed) reports served, \(run.reportsRefusedBusy) answered 503 (busy) during the run")
            }
            say("  at \(run.storedBefore) events stored: \(Int(run.eventsPerSecond)) events/s over HTTP, p50 \(formatted(run.batchLatencyP50Ms)) ms, p99 \(formatted(run.batchLatencyP99Ms)) ms, peak RSS \(formatted(run.collectorPeakRSSMB)) MB, CPU \(formatted(run.collectorCPUSeconds)) s, load \(run.loadAverage), database \(Int(run.databaseMB)) MB after, \(formatted(run.batchesPerTransaction ?? 0)) batches per write transaction")
            stored += run.events
        }

        say("Measuring the raw SQLite insert limit on the same schema…")
        sync()
        let raw = try RawInsertBenchmark(rows: events, directory: dir, spread: spread).run()
        let first = runs[0]
        var gap: Gap?
        if let perTransaction = first.batchesPerTransaction, perTransaction >= 1 {
            let batches = Int(perTransaction.rounded())
            say("Splitting the gap: raw inserts and the collector's write path in transactions of \(batches * batchSize) events…")
            sync()
            let rawAtGroup = try RawInsertBenchmark(rows: events, directory: dir, spread: spread, transactionSize: batches * batchSize).run()
            sync()
            let writePath = try await WritePathBenchmark(events: events, batchSize: batchSize, batchesPerTransaction: batches,
                                                         devices: agents, spread: spread, directory: dir).run()
            gap = Gap(eventsPerTransaction: batches * batchSize, rawAtGroupSizeRowsPerSecond: rawAtGroup,
                      writePathAtGroupSizeEventsPerSecond: writePath)
        }
        let result = Result(
            events: first.events, batchSize: batchSize, agents: agents, seconds: first.seconds, eventsPerSecond: first.eventsPerSecond,
            batchLatencyP50Ms: first.batchLatencyP50Ms, batchLatencyP99Ms: first.batchLatencyP99Ms,
            collectorPeakRSSMB: first.collectorPeakRSSMB, collectorCPUSeconds: first.collectorCPUSeconds,
            rawInsertRowsPerSecond: raw, ratioToRaw: first.eventsPerSecond / raw, spread: spread, runs: runs, gap: gap)
        try writeJSON(result, to: json)
        for run in runs where runs.count > 1 {
            say("at \(run.storedBefore) events stored (\(Int(run.databaseMB)) MB after): \(Int(run.eventsPerSecond)) events/s, p50 \(formatted(run.batchLatencyP50Ms)) ms, p99 \(formatted(run.batchLatencyP99Ms)) ms, RSS \(formatted(run.collectorPeakRSSMB)) MB, load \(run.loadAverage)")
        }
        say("""
            collector: \(first.events) events in \(formatted(first.seconds)) s = \(Int(first.eventsPerSecond)) events/s over HTTP (\(agents) agents, \(batchSize)-event gzip batches, \(spread.rawValue) events, \(first.storedBefore) events stored before)
            batch latency: p50 \(formatted(first.batchLatencyP50Ms)) ms, p99 \(formatted(first.batchLatencyP99Ms)) ms
            collector: peak RSS \(formatted(first.collectorPeakRSSMB)) MB, CPU \(formatted(first.collectorCPUSeconds)) s
            raw SQLite insert (prepared statements, 50k-row transactions, same schema): \(Int(raw)) rows/s
            """)
        if let gap {
            say("""
                where the gap goes (each step measured in this run, as a share of the raw limit):
                  raw insert, 50,000-row transactions:                                   \(Int(raw)) rows/s (100%)
                  raw insert, \(gap.eventsPerTransaction)-row transactions (the collector's group commit): \(Int(gap.rawAtGroupSizeRowsPerSecond)) rows/s (\(formatted(gap.rawAtGroupSizeRowsPerSecond / raw * 100))%)
                  collector write transaction at that size, no HTTP (dedupe, batches, aggregates): \(Int(gap.writePathAtGroupSizeEventsPerSecond)) events/s (\(formatted(gap.writePathAtGroupSizeEventsPerSecond / raw * 100))%)
                  collector over HTTP (gzip, JSON, validation, hand-off, acknowledgement):   \(Int(first.eventsPerSecond)) events/s (\(formatted(first.eventsPerSecond / raw * 100))%)
                """)
        }
        say("""
            summary: ingest \(Int(first.eventsPerSecond)) events/s = \(formatted(result.ratioToRaw * 100))% of raw \(Int(raw)) rows/s
            """)
    }

    /// Fills the database from `from` to `to` events in 50,000-event transactions through
    /// `SQLiteMeasurementStore.bulkLoad` (the ingest writer's path: dedupe, aggregates), generating the next chunk while
    /// the last one is written. The fill is history, as agents would have sent it: event `i` of `plannedSize` started
    /// around 30 days ago + i/plannedSize of the 23 days up to a week ago, so the timed runs (the last 7 days) write
    /// where new data goes while the old data grows behind them.
    func fill(db: String, devices: [DeviceIdentity], from: Int, to: Int, plannedSize: Int) async throws -> Double {
        let count = to - from
        let store = try SQLiteMeasurementStore(path: db)
        let perBatch = 5_000
        let perChunk = 50_000
        let started = Date()
        let now = WallClock.nowMs()
        let historyStart = now - 30 * 86_400_000
        let historyMs = Double(23 * 86_400_000)
        @Sendable func chunk(_ size: Int, seed: Int) -> [ValidatedBatch] {
            var random = SystemRandomNumberGenerator()
            return stride(from: 0, to: size, by: perBatch).enumerated().map { index, offset in
                let device = devices[(seed + index) % devices.count]
                let first = from + seed * perBatch + offset
                let last = first + min(perBatch, size - offset)
                let events = Self.makeEvents(
                    last - first, now: now, from: historyStart + Int64(historyMs * Double(first) / Double(plannedSize)),
                    to: historyStart + Int64(historyMs * Double(last) / Double(plannedSize)), using: &random)
                return ValidatedBatch(batch: Batch(batchId: UUIDv7.make(), device: device, sentAtMs: now, events: events),
                                      acceptedIndices: Array(events.indices), rejected: [], receivedAtMs: now)
            }
        }
        var done = 0
        var next = Task.detached { chunk(min(perChunk, count), seed: 0) }
        var lastReport = Date()
        while done < count {
            let batches = await next.value
            let size = batches.reduce(0) { $0 + $1.batch.events.count }
            if done + size < count {
                let following = min(perChunk, count - done - size)
                let seed = (done + size) / perBatch
                next = Task.detached { chunk(following, seed: seed) }
            }
            _ = try await store.bulkLoad(batches)
            done += size
            if Date().timeIntervalSince(lastReport) > 30 {
                say("  \(done) of \(count), \(Int(Double(done) / Date().timeIntervalSince(started))) rows/s so far")
                lastReport = Date()
            }
        }
        return Double(count) / Date().timeIntervalSince(started)
    }

    /// One timed HTTP ingest of `--events` events into the database at `db` by a separate collector process.
    func measureHTTP(db: String, devices: [(DeviceIdentity, String)], storedBefore: Int) async throws -> Run {
        say("Preparing \(events / batchSize) gzip batches of \(batchSize) events…")
        let bodies = makeBodies(devices: devices.map(\.0))
        let meanGzip = bodies.reduce(0) { $0 + $1.count } / bodies.count
        say("  mean batch: \(meanGzip / 1024) KiB gzip")

        let port = try freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        server.arguments = ["serve", "--db", db, "--listen", "127.0.0.1:\(port)", "--log-level", "error", "--max-pending-batches", "\(agents * 2)"]
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        try await waitForCollector(base)

        let load = ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(separator: " ")
        let sampler = PeakSampler(pid: server.processIdentifier)
        let startCPU = ProcessSampler.sample(pid: server.processIdentifier)?.cpuSeconds ?? 0
        let state = DriverState()
        let readerToken = try await SQLiteMeasurementStore(path: db).issueToken(role: .reader, trust: "RXX", label: "bench reader", expiresMs: nil).token
        let readers = startReportReaders(base: base, token: readerToken, state: state)
        let started = Date()
        try await Self.sendBatches(bodies, tokens: devices.map(\.1), collectors: [base], agents: agents, state: state)
        let seconds = Date().timeIntervalSince(started)
        state.stopReaders.store(true, ordering: .relaxed)
        for reader in readers { try await reader.value }
        let peak = sampler.stop()
        let batchesPerTransaction = await Self.groupCommit([base]).batchesPerTransaction
        let cpu = (ProcessSampler.sample(pid: server.processIdentifier)?.cpuSeconds ?? 0) - startCPU
        server.terminate()
        server.waitUntilExit()
        let problems = state.failures.withLock { $0 }
        if !problems.isEmpty { throw ValidationError("\(problems.count) batches failed, first: \(problems[0])") }
        let sent = events / batchSize * batchSize
        let check = try SQLiteMeasurementStore(path: db)
        let stored = try await check.counts(trust: "RXX").events
        guard stored == storedBefore + sent else { throw ValidationError("stored \(stored) events, expected \(storedBefore + sent)") }
        let bytes = await check.databaseBytes() ?? 0
        let sorted = state.latencies.withLock { $0 }.sorted()
        return Run(storedBefore: storedBefore, events: sent, seconds: seconds, eventsPerSecond: Double(sent) / seconds,
                   batchLatencyP50Ms: percentile(sorted, 50), batchLatencyP99Ms: percentile(sorted, 99),
                   collectorPeakRSSMB: Double(peak.residentKB) / 1024, collectorCPUSeconds: cpu, loadAverage: load,
                   databaseMB: Double(bytes) / 1_048_576, fillRowsPerSecond: nil, batchesPerTransaction: batchesPerTransaction,
                   reportsServed: state.reportsServed.load(ordering: .relaxed), reportsRefusedBusy: state.reportsBusy.load(ordering: .relaxed))
    }

    /// `--report-readers` threads asking for the trust's report until told to stop.
    func startReportReaders(base: String, token: String, state: DriverState) -> [Task<Void, any Error>] {
        (0..<reportReaders).map { _ in
            Task {
                try await runOnThread {
                    let transport = CurlTransport()
                    while !state.stopReaders.load(ordering: .relaxed) {
                        let exchange = try transport.get(url: base + "/v1/trusts/RXX/report?format=json", headers: ["Authorization: Bearer \(token)"],
                                                         timeoutMs: 120_000, connectTimeoutMs: 5_000)
                        switch exchange.status {
                        case 200: state.reportsServed.add(1, ordering: .relaxed)
                        case 503:
                            state.reportsBusy.add(1, ordering: .relaxed)
                            usleep(50_000)
                        default: state.failures.withLock { $0.append("report answered \(exchange.status)") }
                        }
                    }
                }
            }
        }
    }

    /// The benchmark trust and `count` devices over five sites, enrolled in `store`, with their tokens.
    static func enrolDevices(_ count: Int, in store: SQLiteMeasurementStore) async throws -> [(DeviceIdentity, String)] {
        _ = try await store.addTrust(ods: "RXX", name: "Benchmark trust")
        var devices: [(DeviceIdentity, String)] = []
        for index in 0..<count {
            let device = DeviceIdentity(id: "bench-\(index)", trust: "RXX", site: "RXX0\(index % 5 + 1)")
            devices.append((device, try await store.enrolDevice(trust: "RXX", deviceId: device.id, site: device.site, installKey: nil, nowMs: WallClock.nowMs()).token))
        }
        return devices
    }

    /// Events as the agents send them: mostly application starts, every fifth a logon with phases; UUIDv7 ids.
    /// With `from` and `to`, start times fall at random in `[from, to)` (history for `--grow-to`); otherwise as
    /// `spread` says.
    static func makeEvents(_ count: Int, now: Int64, from: Int64? = nil, to: Int64? = nil, spread: EventTimeSpread = .recent,
                           using random: inout some RandomNumberGenerator) -> [MeasurementEvent] {
        let apps = ["epr", "pacs-viewer", "email", "browser", "eobs"]
        func times(_ duration: Int64) -> (startMs: Int64, recordedMs: Int64) {
            guard let from else { return spread.draw(nowMs: now, durationMs: duration, using: &random) }
            let start = Int64.random(in: from..<max(to ?? now, from + 1), using: &random)
            return (start, start)
        }
        return (0..<count).map { i -> MeasurementEvent in
            if i % 5 == 0 {
                let total = Int64.random(in: 8_000...120_000, using: &random)
                let (start, recorded) = times(total)
                return MeasurementEvent(
                    id: UUIDv7.make(unixMs: recorded, using: &random), kind: .logon, name: "x11", startedAtMs: start, durationMs: total,
                    phases: ["authentication": total / 10, "session_start": total / 2, "responsive": total - total / 10 - total / 2],
                    user: "5f1c0a9e2b7d43c8a61e0f9b3d2c7a14", attributes: ["source": "marks", "session": "c\(i)"])
            }
            let duration = Int64.random(in: 500...60_000, using: &random)
            let (start, recorded) = times(duration)
            return MeasurementEvent(
                id: UUIDv7.make(unixMs: recorded, using: &random), kind: .appStart, name: apps[i % apps.count], startedAtMs: start,
                durationMs: duration, user: "5f1c0a9e2b7d43c8a61e0f9b3d2c7a14",
                attributes: ["readiness": "window", "method": "launcher"])
        }
    }

    /// Realistic batches: mostly application starts and logons with phases, UUIDv7 ids, a pseudonymous user.
    func makeBodies(devices: [DeviceIdentity]) -> [[UInt8]] {
        var random = SystemRandomNumberGenerator()
        let encoder = WireCoding.encoder()
        let now = WallClock.nowMs()
        return (0..<(events / batchSize)).map { batchIndex in
            let device = devices[batchIndex % devices.count]
            let batch = Batch(batchId: UUIDv7.make(), device: device, sentAtMs: now, events: Self.makeEvents(batchSize, now: now, spread: spread, using: &random))
            let json = Array((try? encoder.encode(batch)) ?? Data())
            return Gzip.compress(json) ?? json
        }
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

/// Waits until the benchmark's collector at `base` answers `/healthz`, polling every 25 ms, `attempts` times at most.
func waitForCollector(_ base: String, attempts: Int = 200) async throws {
    for _ in 0..<attempts {
        let status = try? await runOnThread { try CurlTransport().get(url: base + "/healthz", headers: [], timeoutMs: 500, connectTimeoutMs: 200).status }
        if status == 200 { return }
        try await Task.sleep(for: .milliseconds(25))
    }
    throw ValidationError("the benchmark collector did not start")
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
    let stopReaders = Atomic<Bool>(false)
    let reportsServed = Atomic<Int>(0)
    let reportsBusy = Atomic<Int>(0)
    let latencies = Mutex<[Double]>([])
    let failures = Mutex<[String]>([])
}

/// Prints a line at once (unbuffered), so progress shows as it happens also when the output goes to a file.
private func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

extension IngestBenchmark {
    /// Write transactions and the batches they held, summed over `collectors` (from each one's `/metrics`).
    static func groupCommit(_ collectors: [String]) async -> (transactions: Double, batches: Double, batchesPerTransaction: Double?) {
        var transactions = 0.0, batches = 0.0
        for base in collectors {
            let metrics = (try? await runOnThread { try CurlTransport().get(url: base + "/metrics", headers: [], timeoutMs: 5_000, connectTimeoutMs: 1_000) })
                .map { String(decoding: $0.body, as: UTF8.self) } ?? ""
            func metric(_ name: String) -> Double? {
                metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
            }
            transactions += metric("deskready_write_transactions_total") ?? 0
            batches += metric("deskready_write_transaction_batches_total") ?? 0
        }
        return (transactions, batches, transactions > 0 ? batches / transactions : nil)
    }
}
