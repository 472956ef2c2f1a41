import DeskReadyCollector
import DeskReadyModel
import DeskReadySQLiteStore
import Foundation

/// Fills a store for the report benchmark: trusts of five sites and 250 devices each, 56 days of boots, logons with
/// phases, application starts and probes, and one inventory per device, stored through the collector's ingest in
/// batches of 2,000 events (one device-day each, or a few), so raw events and aggregates are as a collector keeps them.
struct ReportStoreGenerator {
    var store: SQLiteMeasurementStore
    var events: Int
    var trusts: Int

    static let days: Int64 = 56
    static let devicesPerTrust = 250
    static let applications = ["epr", "pacs-viewer", "email", "browser", "office"]

    func run() async throws {
        let dayMs: Int64 = 86_400_000
        let firstDay = (WallClock.nowMs() / dayMs - Self.days) * dayMs
        let codes = (0..<trusts).map { Self.code($0) }
        for code in codes where try await !store.trusts().contains(where: { $0.ods == code }) {
            _ = try await store.addTrust(ods: code, name: "Benchmark trust \(code)")
        }
        let devices = codes.flatMap { code in
            (0..<Self.devicesPerTrust).map { DeviceIdentity(id: "ws-\($0)", trust: code, site: "\(code)0\($0 % 5 + 1)") }
        }
        // Events per device per day, so the total comes out at `events`.
        let perDeviceDay = max(4, events / (devices.count * Int(Self.days)))
        var random = SystemRandomNumberGenerator()
        var written = 0
        var batch: [MeasurementEvent] = []
        var lastReport = Date()
        for (index, device) in devices.enumerated() {
            batch.append(MeasurementEvent(kind: .inventory, name: "device", startedAtMs: firstDay, durationMs: 0, attributes: [
                "os_id": "ubuntu", "os_version": index % 7 == 0 ? "20.04" : "24.04", "system_disk": index % 4 == 0 ? "rotational" : "ssd",
                "memory_mb": index % 2 == 0 ? "8192" : "16384", "vendor": "HP", "model": "EliteDesk 800 G\(index % 4 + 3)",
            ]))
            for day in 0..<Self.days {
                let start = firstDay + day * dayMs + 7 * 3_600_000 + Int64.random(in: 0..<36_000_000, using: &random)
                for item in 0..<perDeviceDay {
                    batch.append(Self.event(item, at: start + Int64(item) * 60_000, random: &random))
                }
                if batch.count >= 2_000 || (day == Self.days - 1) {
                    _ = try await store.ingest(ValidatedBatch(
                        batch: Batch(batchId: UUIDv7.make(), device: device, sentAtMs: WallClock.nowMs(), events: batch),
                        acceptedIndices: Array(batch.indices), rejected: [], receivedAtMs: WallClock.nowMs()))
                    written += batch.count
                    batch.removeAll(keepingCapacity: true)
                    if Date().timeIntervalSince(lastReport) > 10 {
                        print("  \(written) events stored")
                        lastReport = Date()
                    }
                }
            }
            if written >= events { break }
        }
    }

    static func code(_ index: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return "R" + String(letters[index / 26 % 26]) + String(letters[index % 26])
    }

    static func logNormal(_ median: Double, _ sigma: Double, _ random: inout SystemRandomNumberGenerator) -> Int64 {
        Int64(random.logNormal(median: median, sigma: sigma))
    }

    /// The day's `item`-th event of a device: a boot, then a logon, then application starts and probes.
    static func event(_ item: Int, at: Int64, random: inout SystemRandomNumberGenerator) -> MeasurementEvent {
        switch item {
        case 0:
            let phases = ["firmware": logNormal(4_000, 0.3, &random), "loader": logNormal(1_000, 0.3, &random),
                          "kernel": logNormal(1_500, 0.2, &random), "initrd": logNormal(2_000, 0.3, &random),
                          "userspace": logNormal(12_000, 0.4, &random)]
            return MeasurementEvent(id: UUIDv7.make(unixMs: at), kind: .boot, name: "graphical.target", startedAtMs: at,
                                    durationMs: phases.values.reduce(0, +), phases: phases)
        case 1:
            let phases = ["authentication": logNormal(1_800, 0.4, &random), "session_start": logNormal(14_000, 0.5, &random),
                          "responsive": logNormal(6_000, 0.6, &random)]
            return MeasurementEvent(id: UUIDv7.make(unixMs: at), kind: .logon, name: "x11", startedAtMs: at,
                                    durationMs: phases.values.reduce(0, +), phases: phases, user: String(repeating: "ab", count: 16))
        case let n where n % 3 == 0:
            let phases = ["dns": logNormal(4, 0.5, &random), "connect": logNormal(3, 0.4, &random), "tls": logNormal(12, 0.3, &random),
                          "ttfb": logNormal(200, 0.5, &random)]
            return MeasurementEvent(id: UUIDv7.make(unixMs: at), kind: .probe, name: n % 2 == 0 ? "epr.trust.nhs.uk" : "pacs.trust.nhs.uk",
                                    startedAtMs: at, durationMs: phases.values.reduce(0, +), phases: phases)
        default:
            return MeasurementEvent(id: UUIDv7.make(unixMs: at), kind: .appStart, name: applications[item % applications.count],
                                    startedAtMs: at, durationMs: logNormal(8_000, 0.6, &random))
        }
    }
}
