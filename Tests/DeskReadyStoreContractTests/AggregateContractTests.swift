import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// The report reads, the same on every store: whole days and edge hours, dimensions kept apart, estate and models.
@Suite("Store contract: report reads")
struct AggregateContractTests {
    static let hourMs: Int64 = 3_600_000
    static let dayMs: Int64 = 86_400_000

    static func near(_ value: Int64?, _ exact: Int64) -> Bool {
        guard let value else { return false }
        return value <= exact && value >= exact - exact / 1000 - 1
    }

    @Test("Whole days from the daily totals and edge hours from the hourly ones count each event once",
          arguments: StoreKind.available, [(5, 7), (0, 0), (23, 1), (3, 3)])
    func daysAndHours(kind: StoreKind, edges: (fromHour: Int, toHour: Int)) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "Test")
            let firstDay = (WallClock.nowMs() / Self.dayMs - 5) * Self.dayMs
            let events = (0..<96).map { Fixtures.event(durationMs: 10_000 + Int64($0), startedAtMs: firstDay + Int64($0) * Self.hourMs + 1) }
            try await store.ingest(Array(events.prefix(50)))
            _ = try await store.foldAggregates()  // on PostgreSQL, part folded and part not: reads add both
            try await store.ingest(Array(events.dropFirst(50)))
            let from = firstDay + Int64(edges.fromHour) * Self.hourMs
            let to = firstDay + 2 * Self.dayMs + Int64(edges.toHour) * Self.hourMs
            let expected = events.filter { $0.startedAtMs >= from && $0.startedAtMs < to }.count
            #expect(try await store.timingSeries(trust: "RXX", fromMs: from, toMs: to).first { $0.kind == .logon }?.durations.count == expected)
            _ = try await store.foldAggregates()
            #expect(try await store.timingSeries(trust: "RXX", fromMs: from, toMs: to).first { $0.kind == .logon }?.durations.count == expected)
        }
    }

    @Test("Duplicates never count twice; phases, failures and cohorts are kept apart; phases can be left out",
          arguments: StoreKind.available)
    func duplicatesAndDimensions(kind: StoreKind) async throws {
        try await withStore(kind) { store in
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
            #expect(try await store.ingest(events, batchId: batchId).duplicates == events.count)
            _ = try await store.ingest([events[0]])
            let series = try await store.timingSeries(trust: "RXX", fromMs: at, toMs: at + Self.hourMs)
            let ordinary = try #require(series.first { $0.kind == .logon && $0.cohort == .ordinary })
            #expect(ordinary.durations.count == 2)
            #expect(ordinary.failures == 1 && ordinary.incomplete == 1)
            #expect(ordinary.phases["authentication"]?.count == 1)
            let apart = try #require(series.first { $0.kind == .logon && $0.cohort == .first })
            #expect(Self.near(apart.durations.percentile(50), 95_000))
            let probe = try #require(series.first { $0.kind == .probe })
            #expect(probe.durations.count == 1 && probe.failures == 1)
            #expect(probe.phases["ttfb"]?.percentile(50) == 300)
            let onlyTTFB = try await store.timingSeries(trust: "RXX", fromMs: at, toMs: at + Self.hourMs, phases: ["ttfb"])
            #expect(onlyTTFB.first { $0.kind == .probe }?.phases.keys.sorted() == ["ttfb"])
            #expect(onlyTTFB.first { $0.kind == .logon && $0.cohort == .ordinary }?.phases.isEmpty == true)
            #expect(try await store.timingSeries(trust: "RXX", fromMs: at, toMs: at + Self.hourMs, phases: []).allSatisfy { $0.phases.isEmpty })
            #expect(try await store.timingSeries(trust: "RXX", fromMs: at + Self.hourMs, toMs: at + 2 * Self.hourMs).isEmpty)
            #expect(try await store.timingSeries(trust: "RYY", fromMs: at, toMs: at + Self.hourMs).isEmpty)
            #expect(try await store.timingSeries(trust: nil, fromMs: at, toMs: at + Self.hourMs) == series)
        }
    }

    @Test("Devices reporting, their estate and the timings per model come from device days and inventories",
          arguments: StoreKind.available)
    func estateAndModels(kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.addTrust(ods: "RXX", name: "Test")
            let today = WallClock.nowMs() / Self.dayMs * Self.dayMs
            func inventory(_ disk: String, os: String, model: String, memory: Int, at: Int64) -> MeasurementEvent {
                MeasurementEvent(kind: .inventory, name: "device", startedAtMs: at, durationMs: 0, attributes: [
                    "os_id": "ubuntu", "os_version": os, "system_disk": disk, "vendor": "HP", "model": model, "memory_mb": String(memory),
                ])
            }
            let a = DeviceIdentity(id: "ws-a", trust: "RXX", site: "RXX01")
            let b = DeviceIdentity(id: "ws-b", trust: "RXX", site: "RXX02")
            let c = DeviceIdentity(id: "ws-c", trust: "RXX", site: "RXX02")
            _ = try await store.ingest([inventory("ssd", os: "24.04", model: "EliteDesk 800 G6", memory: 16_384, at: today - 2 * Self.dayMs),
                                        Fixtures.event(durationMs: 20_000, startedAtMs: today - 2 * Self.dayMs + 1)], device: a)
            _ = try await store.ingest([inventory("rotational", os: "20.04", model: "EliteDesk 800 G2", memory: 8_192, at: today - Self.dayMs),
                                        Fixtures.event(durationMs: 90_000, startedAtMs: today - Self.dayMs + 1)], device: b)
            _ = try await store.ingest([inventory("ssd", os: "24.04", model: "EliteDesk 800 G6", memory: 16_384, at: today - 3 * Self.dayMs)], device: b)
            _ = try await store.ingest([Fixtures.event(kind: .boot, name: "graphical.target", durationMs: 40_000, startedAtMs: today - Self.dayMs)], device: c)
            // b's later logon counts under the model of its newest inventory.
            _ = try await store.ingest([Fixtures.event(durationMs: 80_000, startedAtMs: today - Self.dayMs + 2)], device: b)

            let activity = try await store.deviceActivity(trust: "RXX", fromMs: today - 3 * Self.dayMs, toMs: today)
            #expect(activity == [DeviceActivity(trust: "RXX", site: nil, devices: 3), DeviceActivity(trust: "RXX", site: "RXX01", devices: 1),
                                 DeviceActivity(trust: "RXX", site: "RXX02", devices: 2)])
            #expect(try await store.deviceActivity(trust: "RXX", fromMs: today - Self.dayMs, toMs: today).first { $0.site == nil }?.devices == 2)

            let estate = try await store.estate(trust: "RXX", fromMs: today - 3 * Self.dayMs, toMs: today)
            #expect(estate == [
                EstateCount(trust: "RXX", site: "RXX01", osId: "ubuntu", osVersion: "24.04", systemDisk: "ssd", memoryMB: 16_384, devices: 1),
                EstateCount(trust: "RXX", site: "RXX02", osId: nil, osVersion: nil, systemDisk: nil, memoryMB: nil, devices: 1),
                EstateCount(trust: "RXX", site: "RXX02", osId: "ubuntu", osVersion: "20.04", systemDisk: "rotational", memoryMB: 8_192, devices: 1),
            ])
            let models = try await store.modelTimings(trust: "RXX", fromMs: today - 3 * Self.dayMs, toMs: today)
            #expect(models.map { "\($0.model)/\($0.kind.rawValue)/\($0.durations.count)" }
                    == ["HP EliteDesk 800 G2/logon/2", "HP EliteDesk 800 G6/logon/1", "unknown/boot/1"])
            #expect(try await store.firstDataDayMs(trust: "RXX") == today - 2 * Self.dayMs, "the first day with timings")
            #expect(try await store.firstDataDayMs(trust: "RYY") == nil)
            let summary = try await store.trustSummary(trust: "RXX")
            #expect(summary == TrustSummary(devicesKnown: 3, newestEventMs: today - Self.dayMs + 2))
            #expect(try await store.trustSummary(trust: "RYY") == TrustSummary(devicesKnown: 0, newestEventMs: nil))
        }
    }
}
