import ArgumentParser
import DeskReadyModel
import DeskReadyReporting
import DeskReadySQLiteStore
import Foundation

/// `deskready bench report`: report latency over a generated store, for one trust (with and without the peer
/// median, from scratch and with kept grades), for every trust streamed, and for the national FHIR export; with the
/// memory of this process while it reports and the store's size per trust-year.
struct ReportBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Time reports over a generated store: 20 trusts of ingested events, or --national (220 trusts, 10 sites, a year).",
        discussion: """
            Without --national the store is generated through the collector's own ingest (10M events over 56 days \
            by default). With --national it holds what a national collector holds after --days days: the \
            aggregates of --trusts trusts of --sites sites written by the store's aggregate writer (hourly rows for \
            the last --hourly-days only), and raw events ingested for the last --raw-days. Pass --db with an \
            existing file to time reports again without generating.
            """)

    @Option(help: "SQLite file to generate (or reuse when it exists).")
    var db: String?

    @Flag(help: "Generate the national shape (aggregates of a year) instead of ingesting events.")
    var national = false

    @Option(help: "Events to generate (ingest shape).")
    var events = 10_000_000

    @Option(help: "Trusts (default 20, or 220 with --national).")
    var trusts: Int?

    @Option(help: "Sites per trust (--national).")
    var sites = 10

    @Option(help: "Devices per site (--national).")
    var devicesPerSite = 25

    @Option(help: "Days of history (--national).")
    var days = 365

    @Option(help: "Days of hourly rows kept (--national).")
    var hourlyDays = 35

    @Option(help: "Days of raw events, ingested (--national).")
    var rawDays = 7

    @Option(help: "Times to run each timed report (the median is reported).")
    var repeats = 3

    @Option(help: "Write machine-readable results to this file.")
    var json: String?

    @Option(help: "Rounds of pulls from a `deskready serve` on the store afterwards, with its memory sampled (0: none).")
    var serveRounds = 5

    struct Results: Encodable {
        var shape: String
        var trusts: Int
        var days: Int
        var generationSeconds: Double?
        var databaseBytes: Int64?
        var databaseBytesPerTrustYear: Double?
        var aggregateRows: Int
        var oneTrustScratchWithPeersSeconds: Double
        var oneTrustWithoutPeersSeconds: Double
        var oneTrustColdCacheWithPeersSeconds: Double
        var oneTrustWithPeersSeconds: Double
        var oneTrustOwnReportMadePeersKeptSeconds: Double
        var allTrustsColdSeconds: Double
        var allTrustsSeconds: Double
        var nationalFHIRSeconds: Double
        var allTrustsJSONBytes: Int
        var nationalFHIRBytes: Int
        var cachedEqualsScratch: Bool
        var residentKBBeforeReports: Int
        var peakResidentKBWhileReporting: Int
        var residentKBAfterReports: Int
        var served: ServedReportMeasure.Results?
    }

    func run() async throws {
        let trustCount = trusts ?? (national ? 220 : 20)
        guard trustCount >= 1, sites >= 1, devicesPerSite >= 1, days >= 2, rawDays >= 0, hourlyDays >= 0 else {
            throw ValidationError("--trusts, --sites, --devices-per-site must be at least 1, --days at least 2, and --raw-days and --hourly-days 0 or more")
        }
        guard national || events >= 1_000 else { throw ValidationError("--events must be at least 1000") }
        let path = db ?? FileManager.default.temporaryDirectory.appendingPathComponent("deskready-bench-report-\(UUID().uuidString.prefix(8)).sqlite").path
        let store = try SQLiteMeasurementStore(path: path)
        let endDayMs = UTCTime.floorDay(WallClock.nowMs()) + UTCTime.dayMs
        var generation: Double?
        if try await store.trustCodes().isEmpty {
            let started = ContinuousClock.now
            if national {
                print("Generating the national shape: \(trustCount) trusts × \(sites) sites × \(devicesPerSite) devices, \(days) days into \(path)…")
                let generator = NationalShapeGenerator(store: store, trusts: trustCount, sites: sites, devicesPerSite: devicesPerSite, days: days,
                                                       hourlyDays: hourlyDays, rawDays: rawDays)
                var lastReport = Date()
                try await generator.run(endDayMs: endDayMs) { done in
                    if Date().timeIntervalSince(lastReport) > 10 || done == trustCount {
                        print("  \(done) of \(trustCount) trusts written")
                        lastReport = Date()
                    }
                }
            } else {
                print("Generating \(events) events for \(trustCount) trusts into \(path)…")
                try await ReportStoreGenerator(store: store, events: events, trusts: trustCount).run()
            }
            generation = (ContinuousClock.now - started).seconds
            print(String(format: "Generated in %.0f s.", generation ?? 0))
        } else {
            print("Reusing \(path).")
        }

        // What the store holds, generated now or before.
        let storedTrusts = try await store.trustCodes().count
        let model = try MaturityModel.standard
        let to = endDayMs
        let from = to - 28 * UTCTime.dayMs
        let first = try await store.trustCodes().first ?? "RAA"
        let scratch = GradedReportBuilder(store: store, model: model)
        let before = Memory.now()
        Memory.resetPeak()

        let oneScratch = try await time("one trust (\(first)) with peers, graded from scratch") {
            _ = try await scratch.report(trust: first, fromMs: from, toMs: to)
        }
        let oneAlone = try await time("one trust (\(first)), no peers, from scratch") {
            _ = try await scratch.report(trust: first, fromMs: from, toMs: to, peers: false)
        }
        // A fresh cache for the first report of each kind: the cost after a restart.
        let cache = GradedTrustCache()
        let cached = GradedReportBuilder(store: store, model: model, cache: cache)
        let oneCold = try await time("one trust with peers, empty cache (peer grades made)", repeats: 1) {
            _ = try await cached.report(trust: first, fromMs: from, toMs: to)
        }
        let oneWarm = try await time("one trust with peers, kept peer grades") {
            _ = try await cached.report(trust: first, fromMs: from, toMs: to)
        }
        // The trust's own report made afresh (as after its own new data), the peers from the cache.
        let peersOnly = GradedReportBuilder(store: store, model: model, cache: GradedTrustCache(fullCapacity: 0))
        _ = try await peersOnly.peerPool(fromMs: from, toMs: to)
        let oneOwn = try await time("one trust with peers, its own report made, peer grades kept") {
            _ = try await peersOnly.report(trust: first, fromMs: from, toMs: to)
        }
        // Equal but for when the peers were graded (kept ones earlier, from scratch now).
        let now = WallClock.nowMs()
        var kept = try await cached.report(trust: first, fromMs: from, toMs: to, nowMs: now)
        kept.peersGradedAt = nil
        var fresh = try await scratch.report(trust: first, fromMs: from, toMs: to, nowMs: now)
        fresh.peersGradedAt = nil
        let same = kept == fresh
        print("  the report with kept grades equals the one graded from scratch: \(same ? "yes" : "NO")")

        var jsonBytes = 0
        guard let jsonWriter = ReportStreamWriter(format: .json), let fhirWriter = ReportStreamWriter(format: .fhir) else { return }
        let allCold = try await time("all \(storedTrusts) trusts as JSON, streamed, whole reports made", repeats: 1) {
            jsonBytes = 0
            try await cached.stream(jsonWriter, fromMs: from, toMs: to, peers: true) { jsonBytes += $0.utf8.count }
        }
        let allWarm = try await time("all \(storedTrusts) trusts as JSON, streamed, kept grades") {
            jsonBytes = 0
            try await cached.stream(jsonWriter, fromMs: from, toMs: to, peers: true) { jsonBytes += $0.utf8.count }
        }
        var fhirBytes = 0
        let fhir = try await time("national FHIR export, streamed, kept grades") {
            fhirBytes = 0
            try await cached.stream(fhirWriter, fromMs: from, toMs: to, peers: true) { fhirBytes += $0.utf8.count }
        }
        let after = Memory.now()
        let peak = Memory.peak()
        // What the kept grades themselves hold: resident memory with the allocator's free pages returned, with the
        // cache and without it.
        _ = malloc_trim(0)
        let trimmedWithCache = Memory.now()
        let fullEntries = await cache.fullEntries
        await cache.removeAll()
        _ = malloc_trim(0)
        let trimmedWithout = Memory.now()
        print("  kept grades: \(fullEntries) whole reports hold \((trimmedWithCache - trimmedWithout) / 1024) MB (\(trimmedWithCache / 1024) MB resident with them, \(trimmedWithout / 1024) MB without)")
        let bytes = await store.databaseBytes()
        let measured = Results(
            shape: national ? "national" : "ingest", trusts: storedTrusts, days: national ? days : 56,
            generationSeconds: generation, databaseBytes: bytes,
            databaseBytesPerTrustYear: bytes.map { Double($0) / Double(max(storedTrusts, 1)) / (Double(national ? days : 56) / 365) },
            aggregateRows: try await store.aggregateRowCount(),
            oneTrustScratchWithPeersSeconds: oneScratch, oneTrustWithoutPeersSeconds: oneAlone, oneTrustColdCacheWithPeersSeconds: oneCold,
            oneTrustWithPeersSeconds: oneWarm, oneTrustOwnReportMadePeersKeptSeconds: oneOwn, allTrustsColdSeconds: allCold, allTrustsSeconds: allWarm, nationalFHIRSeconds: fhir,
            allTrustsJSONBytes: jsonBytes, nationalFHIRBytes: fhirBytes, cachedEqualsScratch: same,
            residentKBBeforeReports: before, peakResidentKBWhileReporting: peak, residentKBAfterReports: after)
        var results = measured
        if serveRounds > 0 {
            results.served = try await ServedReportMeasure(db: path, trust: first, rounds: serveRounds).run()
        }
        try writeJSON(results, to: json)
        print(String(format: "bench report (%@): %d trusts; database %.2f GB (%.1f MB per trust-year), %d hourly rows", results.shape, results.trusts,
                     Double(bytes ?? 0) / 1e9, (results.databaseBytesPerTrustYear ?? 0) / 1e6, results.aggregateRows))
        print(String(format: "  one trust with peers %.3f s kept, %.3f s with its own report made (from scratch %.3f s, without peers %.3f s, empty cache %.3f s)",
                     oneWarm, oneOwn, oneScratch, oneAlone, oneCold))
        print(String(format: "  all trusts JSON %.3f s (%.1f MB; whole reports made: %.3f s); national FHIR %.3f s (%.1f MB)",
                     allWarm, Double(jsonBytes) / 1e6, allCold, fhir, Double(fhirBytes) / 1e6))
        print("  memory: \(before / 1024) MB before reports, peak \(peak / 1024) MB while reporting, \(after / 1024) MB after")
    }

    private func time(_ label: String, repeats: Int? = nil, _ body: () async throws -> Void) async throws -> Double {
        var samples: [Double] = []
        for _ in 0..<max(repeats ?? self.repeats, 1) {
            let started = ContinuousClock.now
            try await body()
            samples.append((ContinuousClock.now - started).seconds)
        }
        let median = samples.sorted()[samples.count / 2]
        print(String(format: "%@: %.3f s (median of %d)", label, median, samples.count))
        return median
    }
}

/// This process's resident memory from /proc, and its peak since the last reset.
enum Memory {
    static func now() -> Int { field("VmRSS") }
    static func peak() -> Int { field("VmHWM") }

    /// Starts the peak (`VmHWM`) again from the current resident set (Linux 4.0 and later).
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    private static func field(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// glibc's `malloc_trim`: gives the allocator's free pages back, so resident memory shows what is live (not in the
/// Glibc module's headers).
@_silgen_name("malloc_trim")
func malloc_trim(_ pad: Int) -> Int32
