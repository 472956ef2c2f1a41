import ArgumentParser
import DeskReadyCollector
import DeskReadyModel
import DeskReadyReporting
import DeskReadySQLiteStore
import Foundation

/// `deskready bench report`: report latency over a generated store of many events (default 10M over 56 days, so
/// the default 28-day report and its previous period are both full), for one trust and for every trust.
struct ReportBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Time reports over a generated store (10M events, 20 trusts by default).",
        discussion: """
            The store is generated through the collector's own ingest (no HTTP), so raw events and their hourly \
            aggregates are exactly what a collector would hold. Pass --db with an existing file to time reports \
            again without generating.
            """)

    @Option(help: "SQLite file to generate (or reuse when it exists).")
    var db: String?

    @Option(help: "Events to generate.")
    var events = 10_000_000

    @Option(help: "Trusts to spread them over (5 sites each).")
    var trusts = 20

    @Option(help: "Times to run each report (the median is reported).")
    var repeats = 3

    @Option(help: "Write machine-readable results to this file.")
    var json: String?

    struct Results: Encodable {
        var events: Int
        var trusts: Int
        var generationSeconds: Double?
        var databaseBytes: Int64?
        var aggregateRows: Int
        var oneTrustSeconds: Double
        var oneTrustWithoutPeersSeconds: Double
        var allTrustsSeconds: Double
    }

    func run() async throws {
        guard events >= 1_000, trusts >= 1 else { throw ValidationError("--events must be at least 1000 and --trusts at least 1") }
        let path = db ?? FileManager.default.temporaryDirectory.appendingPathComponent("deskready-bench-report-\(UUID().uuidString.prefix(8)).sqlite").path
        let store = try SQLiteMeasurementStore(path: path)
        var generation: Double?
        if try await store.counts(trust: nil).events == 0 {
            print("Generating \(events) events for \(trusts) trusts into \(path)…")
            let started = ContinuousClock.now
            try await ReportStoreGenerator(store: store, events: events, trusts: trusts).run()
            generation = (ContinuousClock.now - started).seconds
            print(String(format: "Generated in %.0f s (%.0f events/s through the store's ingest).", generation!, Double(events) / generation!))
        } else {
            print("Reusing \(path).")
        }
        let model = try MaturityModel.standard
        let builder = GradedReportBuilder(store: store, model: model)
        let dayMs: Int64 = 86_400_000
        let to = (WallClock.nowMs() / dayMs + 1) * dayMs
        let from = to - 28 * dayMs
        let first = try await store.trustCodes().first ?? "RAA"
        func time(_ label: String, _ body: () async throws -> GradedReport) async throws -> Double {
            var samples: [Double] = []
            var report: GradedReport?
            for _ in 0..<max(repeats, 1) {
                let started = ContinuousClock.now
                report = try await body()
                samples.append((ContinuousClock.now - started).seconds)
            }
            let median = samples.sorted()[samples.count / 2]
            let logons = report?.trusts.reduce(0) { $0 + $1.statistics.logon.timing.count } ?? 0
            print(String(format: "%@: %.3f s (median of %d; %d trusts, %d logons in the period)", label, median, samples.count,
                         report?.trusts.count ?? 0, logons))
            return median
        }
        let one = try await time("one trust (\(first)), with the peer median") {
            try await builder.report(trust: first, fromMs: from, toMs: to)
        }
        let oneAlone = try await time("one trust (\(first)), no peers") {
            try await builder.report(trust: first, fromMs: from, toMs: to, peers: false)
        }
        let all = try await time("all \(trusts) trusts") {
            try await builder.report(trust: nil, fromMs: from, toMs: to)
        }
        let rows = try await store.aggregateRowCount()
        let results = Results(
            events: try await store.counts(trust: nil).events, trusts: try await store.trustCodes().count, generationSeconds: generation,
            databaseBytes: await store.databaseBytes(), aggregateRows: rows, oneTrustSeconds: one, oneTrustWithoutPeersSeconds: oneAlone,
            allTrustsSeconds: all)
        try writeJSON(results, to: json)
        print(String(format: "bench report: %d events, %d hourly aggregate rows; one trust %.3f s (%.3f s without peers), all %d trusts %.3f s",
                     results.events, rows, one, oneAlone, results.trusts, all))
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
