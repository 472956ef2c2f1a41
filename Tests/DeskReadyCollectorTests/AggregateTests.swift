import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import GRDB
import Testing

/// The hourly aggregates: exact enough, written once per stored event, and the only thing reports read.
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

    @Test("Whole days come from the daily rollup and the edges from hourly rows, counting each event once", arguments: [
        (5, 7), (0, 0), (23, 1), (3, 3),
    ])
    func daysAndHours(edges: (fromHour: Int, toHour: Int)) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("a.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Test")
        let dayMs: Int64 = 86_400_000
        let firstDay = (WallClock.nowMs() / dayMs - 5) * dayMs
        // One logon at the start of every hour of four days.
        let events = (0..<96).map { Fixtures.event(durationMs: 10_000 + Int64($0), startedAtMs: firstDay + Int64($0) * Self.hourMs + 1) }
        try await store.ingest(events)
        let from = firstDay + Int64(edges.fromHour) * Self.hourMs
        let to = firstDay + 2 * dayMs + Int64(edges.toHour) * Self.hourMs
        let series = try await store.timingSeries(trust: "RXX", fromMs: from, toMs: to)
        let expected = events.filter { $0.startedAtMs >= from && $0.startedAtMs < to }.count
        #expect(series.first { $0.kind == .logon }?.durations.count == expected)
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

    @Test("Duplicates never count twice in the aggregates; phases, failures and cohorts are kept apart")
    func duplicatesAndDimensions() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("a.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Test")
        let at = (WallClock.nowMs() / Self.hourMs - 5) * Self.hourMs
        var first = Fixtures.event(durationMs: 95_000, startedAtMs: at, phases: ["authentication": 2_000, "session_start": 93_000])
        first.attributes = [LogonAttribute.firstLogon: LogonAttribute.flagSet]
        let events = [
            Fixtures.event(durationMs: 20_000, startedAtMs: at, phases: ["authentication": 1_000, "session_start": 19_000]),
            Fixtures.event(durationMs: 30_000, startedAtMs: at + 1),
            Fixtures.event(durationMs: 600_000, startedAtMs: at + 2, outcome: .incomplete),
            first,
            Fixtures.event(kind: .probe, name: "epr", durationMs: 400, startedAtMs: at, phases: ["dns": 5, "ttfb": 300]),
            Fixtures.event(kind: .probe, name: "epr", durationMs: 5_000, startedAtMs: at, outcome: .failed),
        ]
        let batchId = UUIDv7.make()
        _ = try await store.ingest(events, batchId: batchId)
        let again = try await store.ingest(events, batchId: batchId)
        #expect(again.duplicates == events.count)
        _ = try await store.ingest([events[0]])  // the same event in a new batch
        let series = try await store.timingSeries(trust: "RXX", fromMs: at, toMs: at + Self.hourMs)
        let ordinary = try #require(series.first { $0.kind == .logon && $0.cohort == .ordinary })
        #expect(ordinary.durations.count == 2)
        #expect(ordinary.failures == 1 && ordinary.incomplete == 1)
        #expect(ordinary.phases["authentication"]?.count == 1)
        let apart = try #require(series.first { $0.kind == .logon && $0.cohort == .first })
        #expect(apart.durations.count == 1)
        #expect(Self.near(apart.durations.percentile(50), 95_000))
        let probe = try #require(series.first { $0.kind == .probe })
        #expect(probe.durations.count == 1 && probe.failures == 1)
        #expect(probe.phases["ttfb"]?.percentile(50) == 300)
        // Only the phases asked for (the totals always).
        let onlyTTFB = try await store.timingSeries(trust: "RXX", fromMs: at, toMs: at + Self.hourMs, phases: ["ttfb"])
        #expect(onlyTTFB.first { $0.kind == .probe }?.phases.keys.sorted() == ["ttfb"])
        #expect(onlyTTFB.first { $0.kind == .logon && $0.cohort == .ordinary }?.phases.isEmpty == true)
        #expect(onlyTTFB.first { $0.kind == .logon && $0.cohort == .ordinary }?.durations.count == 2)
        // Outside the hour asked for, nothing.
        #expect(try await store.timingSeries(trust: "RXX", fromMs: at + Self.hourMs, toMs: at + 2 * Self.hourMs).isEmpty)
    }

    @Test("Devices reporting, their estate and the timings per model come from device days and inventories")
    func estateAndModels() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("a.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Test")
        let day: Int64 = 86_400_000
        let today = WallClock.nowMs() / day * day
        func inventory(_ disk: String, os: String, model: String, memory: Int, at: Int64) -> MeasurementEvent {
            MeasurementEvent(kind: .inventory, name: "device", startedAtMs: at, durationMs: 0, attributes: [
                "os_id": "ubuntu", "os_version": os, "system_disk": disk, "vendor": "HP", "model": model, "memory_mb": String(memory),
            ])
        }
        let a = DeviceIdentity(id: "ws-a", trust: "RXX", site: "RXX01")
        let b = DeviceIdentity(id: "ws-b", trust: "RXX", site: "RXX02")
        let c = DeviceIdentity(id: "ws-c", trust: "RXX", site: "RXX02")
        _ = try await store.ingest([inventory("ssd", os: "24.04", model: "EliteDesk 800 G6", memory: 16_384, at: today - 2 * day),
                                          Fixtures.event(durationMs: 20_000, startedAtMs: today - 2 * day + 1)], device: a)
        // b was inventoried twice: the newer inventory wins, even when it arrives first.
        _ = try await store.ingest([inventory("rotational", os: "20.04", model: "EliteDesk 800 G2", memory: 8_192, at: today - day),
                                          Fixtures.event(durationMs: 90_000, startedAtMs: today - day + 1)], device: b)
        _ = try await store.ingest([inventory("ssd", os: "24.04", model: "EliteDesk 800 G6", memory: 16_384, at: today - 3 * day)], device: b)
        _ = try await store.ingest([Fixtures.event(kind: .boot, name: "graphical.target", durationMs: 40_000, startedAtMs: today - day)], device: c)

        let activity = try await store.deviceActivity(trust: "RXX", fromMs: today - 3 * day, toMs: today)
        #expect(activity.first { $0.site == nil }?.devices == 3)
        #expect(activity.first { $0.site == "RXX02" }?.devices == 2)
        #expect(try await store.deviceActivity(trust: "RXX", fromMs: today - day, toMs: today).first { $0.site == nil }?.devices == 2)

        let estate = try await store.estate(trust: "RXX", fromMs: today - 3 * day, toMs: today)
        #expect(estate.reduce(0) { $0 + $1.devices } == 3)
        #expect(estate.first { $0.systemDisk == "rotational" }?.osVersion == "20.04")
        #expect(estate.first { $0.osId == nil }?.site == "RXX02", "c never sent an inventory")

        let models = try await store.modelTimings(trust: "RXX", fromMs: today - 3 * day, toMs: today)
        #expect(Self.near(models.first { $0.model == "HP EliteDesk 800 G2" && $0.kind == .logon }?.durations.percentile(50), 90_000))
        #expect(models.first { $0.model == "HP EliteDesk 800 G6" && $0.kind == .logon }?.durations.count == 1)
        #expect(models.first { $0.model == "unknown" && $0.kind == .boot }?.durations.count == 1)
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
