import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation

/// A seeded random workload for the differential test: several trusts, sites and devices (one that moves site),
/// every event kind and outcome, phases, logon cohorts, inventories arriving out of order, names at the length limit
/// and outside the Basic Multilingual Plane, resent batches, events repeated across and within batches, and events
/// refused one by one. The same seed gives the same batches, ids and arrival times.
struct Workload {
    static let dayMs: Int64 = 86_400_000
    /// Midnight UTC ending the workload's 28 days by default (a fixed day, so reports of the same seed are the same).
    static let endMs: Int64 = 20_760 * dayMs
    static let trusts = ["R1A", "RXX", "RYY"]

    var batches: [ValidatedBatch] = []
    /// The devices batches come from.
    let devices: [DeviceIdentity]
    /// Midnight UTC ending the days events start in.
    let endMs: Int64
    private var random: SplitMix
    private var stored: [MeasurementEvent] = []

    /// `forCollectors` makes a workload whose reads do not depend on the order batches are stored in, for several
    /// collectors taking batches at once: no event repeated in another device's batch, no device moving site, no
    /// inventories (the model later timings count under), and identities and times the wire rules accept, so it can be
    /// sent over HTTP (its refused events are then only the validator's).
    init(seed: UInt64, batchCount: Int, forCollectors: Bool = false, endMs: Int64 = Workload.endMs) {
        random = SplitMix(state: seed)
        self.endMs = endMs
        let orderIndependent = forCollectors
        let devices = (0..<14).map { index -> DeviceIdentity in
            let trust = Self.trusts[index % Self.trusts.count]
            let sites = forCollectors ? ["\(trust)01", "\(trust)02", "\(trust)03"] : ["\(trust)01", "\(trust)02", "\(trust) Ωmega wing"]
            let id = index == 3 && !forCollectors ? "ws-é\(index)" : "ws-\(String(format: "%03d", index))"
            return DeviceIdentity(id: id, trust: trust, site: sites[index % sites.count])
        }
        self.devices = devices
        var receivedAt = endMs - 27 * Self.dayMs
        for index in 0..<batchCount {
            receivedAt += Int64.random(in: 1...40_000_000, using: &random)
            if index > 5, Int.random(in: 0..<10, using: &random) == 0 {
                // A resend of an earlier batch, byte for byte.
                let earlier = batches[Int.random(in: 0..<batches.count, using: &random)]
                batches.append(ValidatedBatch(batch: earlier.batch, acceptedIndices: earlier.acceptedIndices,
                                              rejected: earlier.rejected, receivedAtMs: receivedAt))
                continue
            }
            var device = devices[Int.random(in: 0..<devices.count, using: &random)]
            if device.id == "ws-001", index > batchCount / 2, !orderIndependent { device.site = "R1A moved" }
            var events = (0..<Int.random(in: 1...30, using: &random)).map { _ in makeEvent() }
            if orderIndependent { events.removeAll { $0.kind == .inventory } }
            if !stored.isEmpty, !orderIndependent, Int.random(in: 0..<5, using: &random) == 0 {
                events.append(stored[Int.random(in: 0..<stored.count, using: &random)])  // delivered before
            }
            if Int.random(in: 0..<8, using: &random) == 0, let first = events.first { events.append(first) }  // twice in one batch
            var accepted = Array(events.indices)
            var rejected: [RejectedEvent] = []
            if events.count > 3, Int.random(in: 0..<6, using: &random) == 0 {
                let refused = Int.random(in: 0..<events.count, using: &random)
                accepted.remove(at: refused)
                rejected.append(RejectedEvent(index: refused, eventId: events[refused].id, reason: "started_at_ms too old"))
            }
            stored += accepted.map { events[$0] }
            let batch = Batch(batchId: uuid(), device: device, sentAtMs: receivedAt - 5, events: events)
            batches.append(ValidatedBatch(batch: batch, acceptedIndices: accepted, rejected: rejected, receivedAtMs: receivedAt))
        }
    }

    private mutating func uuid() -> UUID {
        let (a, b) = (random.next(), random.next())
        return withUnsafeBytes(of: (a, b)) { raw in UUID(uuid: raw.load(as: uuid_t.self)) }
    }

    private mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }

    private mutating func duration(median: Double) -> Int64 {
        let u = Double.random(in: 0.001..<1, using: &random)
        return max(0, Int64(median * exp(0.9 * (u - 0.5) * 4)))
    }

    private mutating func makeEvent() -> MeasurementEvent {
        let startedAt = endMs - 28 * Self.dayMs + Int64.random(in: 0..<(28 * Self.dayMs), using: &random)
        let outcome = pick([Outcome.ok, .ok, .ok, .ok, .ok, .ok, .ok, .ok, .failed, .timeout, .incomplete])
        let user: String? = Bool.random(using: &random) ? String(format: "%032llx", random.next()) : nil
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<4:
            var attributes: [String: String]? = nil
            switch Int.random(in: 0..<6, using: &random) {
            case 0: attributes = [LogonAttribute.firstLogon: LogonAttribute.flagSet]
            case 1: attributes = [LogonAttribute.afterUpgrade: LogonAttribute.flagSet, "source": "logind"]
            default: break
            }
            let total = duration(median: 25_000)
            let phases: [String: Int64]? = Bool.random(using: &random) ? ["authentication": total / 10, "session_start": total - total / 10] : nil
            return MeasurementEvent(id: uuid(), kind: .logon, name: pick(["x11", "wayland", String(repeating: "l", count: 128)]),
                                    startedAtMs: startedAt, durationMs: total, phases: phases, outcome: outcome, user: user, attributes: attributes)
        case 4..<6:
            return MeasurementEvent(id: uuid(), kind: .boot, name: "graphical.target", startedAtMs: startedAt,
                                    durationMs: duration(median: 40_000), outcome: outcome)
        case 6:
            return MeasurementEvent(id: uuid(), kind: .appStart, name: pick(["firefox", "epr-😀", "𝔈𝔓ℜ client", "Zebra", "alpha"]),
                                    startedAtMs: startedAt, durationMs: duration(median: 3_000), outcome: outcome, user: user)
        case 7:
            return MeasurementEvent(id: uuid(), kind: .probe, name: pick(["epr", "pacs"]), startedAtMs: startedAt,
                                    durationMs: duration(median: 400), phases: ["dns": duration(median: 5), "ttfb": duration(median: 300)],
                                    outcome: outcome)
        case 8:
            let model = pick([("HP", "EliteDesk 800 G6"), ("HP", "HP EliteDesk 800 G2"), ("Dell", "OptiPlex 7010"), ("", "")])
            var attributes = ["os_id": pick(["ubuntu", "debian"]), "os_version": pick(["20.04", "24.04", "12"]),
                              "system_disk": pick(["ssd", "rotational"]), "memory_mb": pick(["8192", "16384"])]
            if !model.0.isEmpty { attributes["vendor"] = model.0; attributes["model"] = model.1 }
            return MeasurementEvent(id: uuid(), kind: .inventory, name: "device", startedAtMs: startedAt, durationMs: 0, attributes: attributes)
        default:
            return MeasurementEvent(id: uuid(), kind: .agent, name: "heartbeat", startedAtMs: startedAt, durationMs: 0)
        }
    }
}
