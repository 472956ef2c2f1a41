import DeskReadyModel
import DeskReadySQLiteStore
import DeskReadyStore
import DeskReadyTestSupport
import Foundation
import GRDB
import Testing

/// The hourly aggregates: exact enough, written once per stored event, and the only thing reports read. What every store
/// must do with them (days and edge hours, duplicates, dimensions, estate and models) is in DeskReadyStoreContractTests.
@Suite("Aggregates")
struct AggregateTests {
    static let hourMs: Int64 = 3_600_000

    /// True when `value` is `exact` as the histogram keeps it: the lowest value of its bucket, at most 0.1% below.
    static func near(_ value: Int64?, _ exact: Int64) -> Bool {
        guard let value else { return false }
        return value <= exact && value >= exact - exact / 1000 - 1
    }

    static func logNormal(median: Double, sigma: Double, _ random: inout SplitMix) -> Int64 {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &random)
        let u2 = Double.random(in: 0..<1, using: &random)
        return Int64(median * exp(sigma * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)))
    }

    /// Durations of several shapes: skewed, bimodal, and with extreme outliers.
    static func shape(_ name: String) -> [Int64] {
        var random = SplitMix(state: UInt64(name.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        switch name {
        case "skewed":
            return (0..<5_000).map { _ in logNormal(median: 25_000, sigma: 0.8, &random) }
        case "bimodal":
            return (0..<5_000).map { index in index % 3 == 0 ? logNormal(median: 90_000, sigma: 0.2, &random) : logNormal(median: 12_000, sigma: 0.3, &random) }
        default:
            return (0..<5_000).map { index in index % 250 == 0 ? Int64.random(in: 1_800_000...7_200_000, using: &random) : Int64.random(in: 800...4_000, using: &random) }
        }
    }

    @Test("Percentiles from stored hourly aggregates agree with exact percentiles within the histogram's 0.1%", arguments: ["skewed", "bimodal", "outliers"])
    func agreesWithExactPercentiles(shape: String) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("a.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Test")
        let durations = Self.shape(shape)
        let start = (WallClock.nowMs() / Self.hourMs - 48) * Self.hourMs
        // Spread over 40 hours and 10 batches, so many hourly rows and many merges make up the answer.
        let events = durations.enumerated().map { index, ms in
            Fixtures.event(durationMs: ms, startedAtMs: start + Int64(index % 40) * Self.hourMs + Int64(index))
        }
        for chunk in stride(from: 0, to: events.count, by: 500) {
            _ = try await store.ingest(Array(events[chunk..<min(chunk + 500, events.count)]))
        }
        let series = try await store.timingSeries(trust: "RXX", fromMs: start, toMs: start + 40 * Self.hourMs)
        let logons = try #require(series.first { $0.kind == .logon })
        #expect(logons.durations.count == durations.count)
        let exact = ExactPercentiles(durations)
        for p in [1.0, 50, 90, 95, 99, 100] {
            let value = try #require(logons.durations.percentile(p))
            let truth = try #require(exact.value(p))
            #expect(value <= truth && value >= truth - truth / 1000 - 1, "p\(p) of \(shape): \(value) against exact \(truth)")
        }
        for limit: Int64 in [10_000, 60_000] {
            let share = try #require(logons.durations.share(atOrBelow: limit))
            let low = try #require(exact.share(atOrBelow: limit))
            let high = try #require(exact.share(atOrBelow: limit + limit / 1000 + 1))
            #expect(share >= low && share <= high)
        }
    }

    @Test("Percentiles read from the sparse buckets are hdrhistogram-swift's, and merging in any order gives the same histogram",
          arguments: ["skewed", "bimodal", "outliers"])
    func agreesWithLibrary(shape: String) throws {
        let values = Self.shape(shape)
        let whole = TimingHistogram(values)
        let library = whole.materialized()
        for p in [0.1, 1, 25, 50, 75, 90, 95, 99, 99.9, 100] {
            #expect(whole.percentile(p) == Int64(library.lowestEquivalentForValue(library.valueAtPercentile(p))), "p\(p)")
        }
        var pieces = TimingHistogram()
        for chunk in stride(from: 0, to: values.count, by: 37).reversed() {
            pieces.merge(TimingHistogram(values[chunk..<min(chunk + 37, values.count)]))
        }
        #expect(pieces == whole)
        var decoded = TimingHistogram(values.prefix(10))
        try decoded.mergeEncoded(TimingHistogram(values.dropFirst(10)).encoded())
        #expect(decoded == whole)
        #expect(whole.count(fromMs: 0, toMs: nil) == values.count)
    }

    @Test("A histogram survives its stored form, and a damaged one is a clear error")
    func encoding() throws {
        let histogram = TimingHistogram(Self.shape("outliers"))
        let decoded = try TimingHistogram(encoded: histogram.encoded())
        #expect(decoded == histogram)
        #expect(histogram.encoded().count <= 1 + histogram.buckets.count * 4, "sparse: \(histogram.encoded().count) bytes for \(histogram.buckets.count) buckets")
        var truncated = histogram.encoded()
        truncated[truncated.count - 1] |= 0x80
        #expect(throws: StoreError.self) { try TimingHistogram(encoded: truncated) }
        #expect(throws: StoreError.self) { try TimingHistogram(encoded: Data([9, 1, 1])) }
    }

    @Test("A database from before the aggregates is backfilled from its raw events when it is opened")
    func backfill() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("old.sqlite")
        let at = (WallClock.nowMs() / Self.hourMs - 3) * Self.hourMs
        do {
            // Build a version-2 database by hand: the schema as it was, with raw events only.
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1: trusts, devices, batches, events'), ('v2: credentials and enrolment');
                    CREATE TABLE trusts (ods TEXT PRIMARY KEY, name TEXT NOT NULL, created_ms INTEGER NOT NULL);
                    CREATE TABLE devices (trust TEXT NOT NULL, device_id TEXT NOT NULL, site TEXT NOT NULL, first_seen_ms INTEGER NOT NULL,
                        last_seen_ms INTEGER NOT NULL, enrolled_ms INTEGER, revoked_ms INTEGER, PRIMARY KEY (trust, device_id)) WITHOUT ROWID;
                    CREATE TABLE batches (trust TEXT NOT NULL, batch_id BLOB NOT NULL, device_id TEXT NOT NULL, received_at_ms INTEGER NOT NULL,
                        sent_at_ms INTEGER NOT NULL, event_count INTEGER NOT NULL, accepted INTEGER NOT NULL, PRIMARY KEY (trust, batch_id)) WITHOUT ROWID;
                    CREATE TABLE events (id INTEGER PRIMARY KEY, trust TEXT NOT NULL, site TEXT NOT NULL, device_id TEXT NOT NULL,
                        event_id BLOB NOT NULL, batch_id BLOB NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, started_at_ms INTEGER NOT NULL,
                        duration_ms INTEGER NOT NULL, outcome TEXT NOT NULL, user TEXT, phases TEXT, attributes TEXT, received_at_ms INTEGER NOT NULL);
                    CREATE UNIQUE INDEX events_by_trust_event ON events(trust, event_id);
                    CREATE INDEX events_by_trust_kind_time ON events(trust, kind, started_at_ms);
                    CREATE TABLE credentials (id INTEGER PRIMARY KEY, role TEXT NOT NULL, token_hash BLOB NOT NULL UNIQUE, trust TEXT,
                        device_id TEXT, label TEXT NOT NULL, created_ms INTEGER NOT NULL, expires_ms INTEGER, revoked_ms INTEGER);
                    INSERT INTO trusts VALUES ('RXX', 'Test', 0);
                    """)
                for index in 0..<30 {
                    try db.execute(sql: """
                        INSERT INTO events (trust, site, device_id, event_id, batch_id, kind, name, started_at_ms, duration_ms, outcome,
                                            phases, attributes, received_at_ms)
                        VALUES ('RXX', 'RXX01', ?, randomblob(16), x'00', ?, 'x11', ?, ?, 'ok', ?, ?, 0)
                        """, arguments: [
                            "ws-\(index % 3)", index < 25 ? "logon" : "inventory", at + Int64(index), 10_000 + Int64(index) * 1_000,
                            #"{"authentication":1500}"#, index < 25 ? nil : #"{"model":"M70q","vendor":"LENOVO","system_disk":"ssd"}"#,
                        ])
                }
            }
            try queue.close()
        }
        let store = try SQLiteMeasurementStore(path: path)
        let series = try await store.timingSeries(trust: "RXX", fromMs: at, toMs: at + Self.hourMs)
        let logons = try #require(series.first { $0.kind == .logon })
        #expect(logons.durations.count == 25)
        #expect(Self.near(logons.durations.percentile(100), 34_000))
        #expect(logons.phases["authentication"]?.count == 25)
        #expect(try await store.deviceActivity(trust: "RXX", fromMs: at / 86_400_000 * 86_400_000, toMs: at + 86_400_000).first?.devices == 3)
        let models = try await store.modelTimings(trust: "RXX", fromMs: at / 86_400_000 * 86_400_000, toMs: at + 86_400_000)
        #expect(models.map(\.model) == ["LENOVO M70q"])
        // v5: the newest data is carried over beside the aggregates, and the index by kind and time is gone.
        #expect(try await store.trustSummary(trust: "RXX").newestEventMs == at + 29)
        let indexes = try await DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'")
        }
        #expect(indexes == ["events_by_trust_event"])
    }
}
