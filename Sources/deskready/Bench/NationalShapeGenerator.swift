import DeskReadyModel
import DeskReadySQLiteStore
import DeskReadyStore
import Foundation

/// Fills a store with what a national collector holds after a year, without ingesting a year of raw events: the
/// aggregates an estate produces day by day, built by the collector's own `AggregateDelta` from synthetic events and
/// written by the store's aggregate writer (`AggregateLoading`), hourly rows only inside the hourly window (as
/// retention leaves them), and raw events ingested through the normal path for the last `rawDays` days.
///
/// The shape, and why (see BENCHMARKS.md): `trusts` (220, the NHS acute and community trusts in England), `sites`
/// per trust (10), `devicesPerSite` (25: row counts of the timing aggregates do not depend on devices, only the
/// device-day rows do, which grow linearly and are measured separately), and per device and working day a boot and a
/// logon with their phases, two of five applications and two probe targets with four phases each; weekends at 15%.
/// Each trust is a little slower or faster than the next, so peer medians are real medians.
struct NationalShapeGenerator {
    var store: SQLiteMeasurementStore
    var trusts = 220
    var sites = 10
    var devicesPerSite = 25
    var days = 365
    var hourlyDays = 35
    var rawDays = 7
    var seed: UInt64 = 2026

    static let applications = ["epr", "pacs-viewer", "email", "browser", "office"]
    static let targets = ["epr.example.nhs.uk", "pacs.example.nhs.uk"]

    /// Fills the store; `progress` hears each trust done.
    func run(endDayMs: Int64, progress: (Int) -> Void) async throws {
        let firstDay = endDayMs - Int64(days) * UTCTime.dayMs
        for index in 0..<trusts {
            let code = ReportStoreGenerator.code(index)
            _ = try await store.addTrust(ods: code, name: "Benchmark trust \(code)")
            var random = SeededGenerator(seed: seed &+ UInt64(index) &* 7_919)
            let slowness = 0.7 + Double(index % 23) * 0.04
            var pending: [(trust: String, delta: AggregateDelta)] = []
            var pendingHourly = false
            for day in 0..<days {
                let dayMs = firstDay + Int64(day) * UTCTime.dayMs
                let hourly = dayMs >= endDayMs - Int64(hourlyDays) * UTCTime.dayMs
                let raw = dayMs >= endDayMs - Int64(rawDays) * UTCTime.dayMs
                if raw {
                    try await ingestDay(code, dayMs: dayMs, first: day == 0, slowness: slowness, random: &random)
                    continue
                }
                if hourly != pendingHourly, !pending.isEmpty {
                    try await store.loadAggregates(pending, hourly: pendingHourly)
                    pending.removeAll()
                }
                pendingHourly = hourly
                var delta = AggregateDelta()
                forEachEvent(code, dayMs: dayMs, first: day == 0, slowness: slowness, random: &random) { event, site, device, model in
                    delta.add(event, site: site, deviceId: device, model: model)
                }
                pending.append((code, delta))
                // A week of one trust per transaction.
                if pending.count == 7 {
                    try await store.loadAggregates(pending, hourly: pendingHourly)
                    pending.removeAll()
                }
            }
            if !pending.isEmpty { try await store.loadAggregates(pending, hourly: pendingHourly) }
            progress(index + 1)
        }
    }

    /// One day of one trust through the collector's ingest, one batch per device: raw events and aggregates.
    private func ingestDay(_ code: String, dayMs: Int64, first: Bool, slowness: Double, random: inout SeededGenerator) async throws {
        var batches: [String: (site: String, events: [MeasurementEvent])] = [:]
        forEachEvent(code, dayMs: dayMs, first: first, slowness: slowness, random: &random) { event, site, device, _ in
            batches[device, default: (site, [])].events.append(event)
        }
        for (device, batch) in batches.sorted(by: { $0.key < $1.key }) {
            let identity = DeviceIdentity(id: device, trust: code, site: batch.site)
            _ = try await store.ingest(ValidatedBatch(
                batch: Batch(batchId: UUIDv7.make(), device: identity, sentAtMs: dayMs + UTCTime.dayMs - 1, events: batch.events),
                acceptedIndices: Array(batch.events.indices), rejected: [], receivedAtMs: dayMs + UTCTime.dayMs - 1))
        }
    }

    /// Every event of one trust's day: per device, a boot and a logon with phases, two application starts and two
    /// probes (weekends: 15% of devices), and each device's inventory on the first day.
    private func forEachEvent(_ code: String, dayMs: Int64, first: Bool, slowness: Double, random: inout SeededGenerator,
                              _ body: (MeasurementEvent, String, String, String) -> Void) {
        let weekday = (dayMs / UTCTime.dayMs + 4) % 7  // 0 Sunday ... 6 Saturday (1970-01-01 was a Thursday)
        let weekend = weekday == 0 || weekday == 6
        func ms(_ median: Double, _ sigma: Double) -> Int64 { max(1, Int64(random.logNormal(median: median * slowness, sigma: sigma))) }
        for site in 1...sites {
            let siteCode = code + String(format: "%02d", site)
            for deviceIndex in 0..<devicesPerSite {
                let device = "ws-\(site)-\(deviceIndex)"
                let model = "HP EliteDesk 800 G\(deviceIndex % 4 + 3)"
                if first {
                    body(MeasurementEvent(kind: .inventory, name: "device", startedAtMs: dayMs, durationMs: 0, attributes: [
                        "os_id": "ubuntu", "os_version": deviceIndex % 7 == 0 ? "20.04" : "24.04",
                        "system_disk": deviceIndex % 4 == 0 ? "hdd" : "ssd", "memory_mb": deviceIndex % 2 == 0 ? "8192" : "16384",
                        "vendor": "HP", "model": "EliteDesk 800 G\(deviceIndex % 4 + 3)",
                    ]), siteCode, device, model)
                }
                if weekend && !random.chance(0.15) { continue }
                var at = dayMs + 7 * UTCTime.hourMs + Int64.random(in: 0..<(10 * UTCTime.hourMs), using: &random)
                let boot = ["firmware": ms(4_000, 0.3), "loader": ms(1_000, 0.3), "kernel": ms(1_500, 0.2),
                            "initrd": ms(2_000, 0.3), "userspace": ms(12_000, 0.4)]
                body(MeasurementEvent(kind: .boot, name: "graphical.target", startedAtMs: at, durationMs: boot.values.reduce(0, +), phases: boot),
                     siteCode, device, model)
                at += 60_000
                let logon = ["authentication": ms(1_800, 0.4), "session_start": ms(14_000, 0.5), "responsive": ms(6_000, 0.6)]
                body(MeasurementEvent(kind: .logon, name: "x11", startedAtMs: at, durationMs: logon.values.reduce(0, +), phases: logon,
                                      user: String(repeating: "ab", count: 16)), siteCode, device, model)
                for _ in 0..<2 {
                    at += 300_000
                    let app = Self.applications[Int.random(in: 0..<Self.applications.count, using: &random)]
                    body(MeasurementEvent(kind: .appStart, name: app, startedAtMs: at, durationMs: ms(8_000, 0.6),
                                          outcome: random.chance(0.01) ? .failed : .ok), siteCode, device, model)
                }
                for target in Self.targets {
                    at += 60_000
                    let probe = ["dns": ms(4, 0.5), "connect": ms(3, 0.4), "tls": ms(12, 0.3), "ttfb": ms(200, 0.5)]
                    body(MeasurementEvent(kind: .probe, name: target, startedAtMs: at, durationMs: probe.values.reduce(0, +), phases: probe),
                         siteCode, device, model)
                }
            }
        }
    }
}
