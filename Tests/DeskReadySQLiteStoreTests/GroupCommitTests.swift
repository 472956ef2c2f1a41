import DeskReadyModel
@testable import DeskReadySQLiteStore
import DeskReadyStore
import DeskReadyTestSupport
import Foundation
import GRDB
import Testing

/// Group commit: batches that queue for the writer share one transaction, each in its own savepoint, and each is
/// acknowledged exactly as it would be if stored alone; the aggregates equal what the stored events imply.
@Suite("Group commit")
struct GroupCommitTests {
    static let hourMs: Int64 = 3_600_000
    static let deviceA = DeviceIdentity(id: "ws-a", trust: "RXX", site: "RXX01")
    static let deviceB = DeviceIdentity(id: "ws-b", trust: "RXX", site: "RXX02")

    static func validated(_ events: [MeasurementEvent], device: DeviceIdentity, batchId: UUID = UUIDv7.make(), rejected: [RejectedEvent] = []) -> ValidatedBatch {
        ValidatedBatch(batch: Fixtures.batch(events: events, device: device, batchId: batchId), acceptedIndices: Array(events.indices),
                       rejected: rejected, receivedAtMs: WallClock.nowMs())
    }

    static func events(_ count: Int, at: Int64, seed: Int) -> [MeasurementEvent] {
        (0..<count).map { index in
            let hour = Int64((index + seed) % 7) * hourMs
            switch index % 4 {
            case 0: return Fixtures.event(durationMs: 10_000 + Int64(index * 37 + seed), startedAtMs: at + hour + Int64(index),
                                          phases: ["authentication": 1_000 + Int64(index), "session_start": 5_000])
            case 1: return Fixtures.event(kind: .appStart, name: ["epr", "email"][index % 2], durationMs: 500 + Int64(index), startedAtMs: at + hour)
            case 2: return Fixtures.event(kind: .boot, name: "boot", durationMs: 40_000 + Int64(seed), startedAtMs: at + hour, outcome: index % 8 == 2 ? .failed : .ok)
            default: return Fixtures.event(kind: .probe, name: "pacs", durationMs: 300, startedAtMs: at + hour, outcome: index % 8 == 3 ? .incomplete : .ok)
            }
        }
    }

    static func inventory(model: String, at: Int64) -> MeasurementEvent {
        MeasurementEvent(kind: .inventory, name: "inventory", startedAtMs: at, durationMs: 0,
                         attributes: ["vendor": "LENOVO", "model": model, "os_id": "ubuntu", "memory_mb": "16000", "system_disk": "ssd"])
    }

    /// Every aggregate row, in key order, as text (histograms as hex).
    static func aggregates(_ db: Database) throws -> [String] {
        let queries = [
            "SELECT trust, hour, site, kind, name, cohort, phase, ok, failures, incomplete, hex(histogram) FROM timing_hours ORDER BY 1, 2, 3, 4, 5, 6, 7",
            "SELECT trust, day, device_id, site FROM device_days ORDER BY 1, 2, 3",
            "SELECT trust, day, model, kind, ok, failures, hex(histogram) FROM model_days ORDER BY 1, 2, 3, 4",
            "SELECT * FROM device_facts ORDER BY 1, 2",
        ]
        return try queries.flatMap { sql in try Row.fetchAll(db, sql: sql).map(\.description) }
    }

    /// The aggregates rebuilt from the stored events alone (the migration's backfill), for comparison.
    static func rebuiltAggregates(_ store: SQLiteMeasurementStore) async throws -> [String] {
        try await store.pool.writeWithoutTransaction { db in
            var rebuilt: [String] = []
            try db.inTransaction {
                try db.execute(sql: "DELETE FROM timing_hours; DELETE FROM device_days; DELETE FROM model_days; DELETE FROM device_facts")
                try AggregateBackfill.run(db)
                rebuilt = try aggregates(db)
                return .rollback
            }
            return rebuilt
        }
    }

    @Test("Batches written in one transaction are acknowledged as if stored one by one, and a failing one loses nothing else")
    func sameAsSerial() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let grouped = try SQLiteMeasurementStore(path: dir.file("grouped.sqlite"))
        let serial = try SQLiteMeasurementStore(path: dir.file("serial.sqlite"))
        for store in [grouped, serial] { _ = try await store.addTrust(ods: "RXX", name: "Test") }
        let at = (WallClock.nowMs() / Self.hourMs - 10) * Self.hourMs
        let first = Self.events(60, at: at, seed: 1) + [Self.inventory(model: "ThinkCentre M70q", at: at)]
        let firstId = UUIDv7.make()
        let later = Self.events(25, at: at, seed: 4)
        // Device A's inventory in the first batch names its model for the model days of its later batch.
        let batches = [
            Self.validated(first, device: Self.deviceA, batchId: firstId,
                           rejected: [RejectedEvent(index: 99, eventId: nil, reason: "kind 'x' is unknown")]),
            // A retry of the first batch in the same transaction: a duplicate batch, every event a duplicate.
            Self.validated(first, device: Self.deviceA, batchId: firstId),
            // A new batch repeating ten of the first batch's events: ten duplicates, the rest new.
            Self.validated(Array(first.prefix(10)) + Self.events(30, at: at, seed: 2), device: Self.deviceB),
            // A batch that fails in the writer (its trust is not set up: the devices row breaks a foreign key).
            Self.validated(Self.events(20, at: at, seed: 3), device: DeviceIdentity(id: "ws-z", trust: "RZZ", site: "RZZ01")),
            Self.validated(later, device: Self.deviceA),
            // The same events within one batch twice cannot reach the writer (validation refuses the second), but a
            // batch whose events were all stored before can.
            Self.validated(later, device: Self.deviceA),
        ]
        let prepared = batches.map(PreparedBatch.init)
        // Optimistic first; the failing batch sends the group down the savepoint-per-batch path.
        let groupResults = try await IngestWriter.writeGroup(prepared, grouped.pool)
        var serialResults: [Result<BatchAcknowledgement, any Error>] = []
        for batch in batches {
            do { serialResults.append(.success(try await serial.ingest(batch))) } catch { serialResults.append(.failure(error)) }
        }
        #expect(groupResults.count == batches.count)
        for (index, (group, alone)) in zip(groupResults, serialResults).enumerated() {
            switch (group, alone) {
            case let (.success(a), .success(b)): #expect(a == b, "batch \(index)")
            case (.failure, .failure): break
            default: Issue.record("batch \(index): \(group) grouped against \(alone) alone")
            }
        }
        let acks = try groupResults.enumerated().filter { $0.offset != 3 }.map { try $0.element.get() }
        #expect(acks.map(\.accepted) == [61, 0, 30, 25, 0])
        #expect(acks.map(\.duplicates) == [0, 61, 10, 0, 25])
        #expect(acks.map(\.duplicateBatch) == [false, true, false, false, false])
        #expect(acks[0].rejected.count == 1)
        guard case .failure = groupResults[3] else { Issue.record("the batch of an unknown trust should fail"); return }

        let groupedRows = try await grouped.pool.read { db in try Self.aggregates(db) }
        let serialRows = try await serial.pool.read { db in try Self.aggregates(db) }
        #expect(!groupedRows.isEmpty)
        #expect(groupedRows == serialRows)
        #expect(groupedRows == (try await Self.rebuiltAggregates(grouped)))
        #expect(groupedRows.contains { $0.contains("model:\"LENOVO ThinkCentre M70q\"") })
        let counts = try await grouped.counts(trust: "RXX")
        #expect(counts.events == 61 + 30 + 25)
        #expect(counts.batches == 4)
    }

    @Test("Concurrent batches with duplicates and a failing one are each acknowledged after commit; aggregates match the events")
    func concurrent() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteMeasurementStore(path: dir.file("c.sqlite"))
        _ = try await store.addTrust(ods: "RXX", name: "Test")
        let at = (WallClock.nowMs() / Self.hourMs - 30) * Self.hourMs
        let shared = Self.events(50, at: at, seed: 9)
        var batches: [ValidatedBatch] = []
        for index in 0..<24 {
            let device = index % 2 == 0 ? Self.deviceA : Self.deviceB
            // Every third batch also carries the shared events, which only the first to commit may store.
            let events = Self.events(200, at: at, seed: 100 + index) + (index % 3 == 0 ? shared : [])
            batches.append(Self.validated(events, device: device))
        }
        let retried = batches[5]
        batches.append(retried)
        batches.append(retried)
        let bad = Self.validated(Self.events(10, at: at, seed: 7), device: DeviceIdentity(id: "ws-z", trust: "RZZ", site: "RZZ01"))
        batches.append(bad)
        // Enough batches queue behind the first that the writer takes several at once.
        let results = await withTaskGroup(of: (Int, Result<BatchAcknowledgement, any Error>).self) { group in
            for (index, batch) in batches.enumerated() {
                group.addTask {
                    do { return (index, .success(try await store.ingest(batch))) } catch { return (index, .failure(error)) }
                }
            }
            var results: [Int: Result<BatchAcknowledgement, any Error>] = [:]
            for await (index, result) in group { results[index] = result }
            return results
        }
        #expect(results.count == batches.count)
        var accepted = 0
        var duplicates = 0
        var duplicateBatches = 0
        for (index, result) in results {
            if index == batches.count - 1 {
                if case .success = result { Issue.record("the batch of an unknown trust should fail") }
                continue
            }
            let ack = try result.get()
            #expect(ack.accepted + ack.duplicates == batches[index].acceptedIndices.count)
            accepted += ack.accepted
            duplicates += ack.duplicates
            if ack.duplicateBatch { duplicateBatches += 1 }
        }
        let distinct = 24 * 200 + 50
        #expect(accepted == distinct)
        #expect(duplicates == 7 * 50 + 2 * retried.acceptedIndices.count)
        #expect(duplicateBatches == 2)
        #expect(try await store.counts(trust: "RXX").events == distinct)
        #expect(try await store.counts(trust: "RZZ").events == 0)
        let stored = try await store.pool.read { db in try Self.aggregates(db) }
        #expect(stored == (try await Self.rebuiltAggregates(store)))
    }

    @Test("Merging stored histograms stream by stream gives the bytes of decoding, merging and encoding")
    func histogramMerge() throws {
        var random = SplitMix(state: 3)
        for _ in 0..<200 {
            let a = TimingHistogram((0..<Int.random(in: 0...300, using: &random)).map { _ in Int64.random(in: -5...9_000_000, using: &random) })
            let b = TimingHistogram((0..<Int.random(in: 0...300, using: &random)).map { _ in Int64.random(in: 0...120_000, using: &random) })
            var merged = a
            merged.merge(b)
            let streamed = try a.encoded().withUnsafeBytes { x in try b.encoded().withUnsafeBytes { y in try TimingHistogram.mergeEncoded(x, y) } }
            #expect(Data(streamed) == merged.encoded())
        }
        #expect(throws: (any Error).self) { try Data([9, 1, 1]).withUnsafeBytes { x in try Data([1]).withUnsafeBytes { y in try TimingHistogram.mergeEncoded(x, y) } } }
    }
}
