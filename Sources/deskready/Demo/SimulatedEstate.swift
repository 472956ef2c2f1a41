import DeskReadyModel

/// The inventory and network probes of a simulated workstation: older models on spinning disks and an OS past its
/// support at the slow sites, and probes to two clinical systems whose first byte slows with the site.
enum SimulatedEstate {
    /// DMI vendor and model, and whether it is a model bought with a spinning disk.
    static let models: [(vendor: String, model: String, hdd: Bool)] = [
        ("Dell Inc.", "OptiPlex 7010", true),
        ("HP", "EliteDesk 800 G2", true),
        ("Dell Inc.", "OptiPlex 7090", false),
        ("HP", "EliteDesk 800 G6", false),
        ("LENOVO", "ThinkCentre M70q", false),
    ]

    static let probeTargets: [(name: String, ttfbMedianMs: Double)] = [
        ("epr.trust.nhs.uk", 180),
        ("pacs.trust.nhs.uk", 320),
    ]

    /// The device's inventory snapshot at `atMs`.
    static func inventory(at atMs: Int64, hdd: Bool, slowSite: Bool, random: inout SeededGenerator) -> MeasurementEvent {
        let candidates = models.filter { $0.hdd == hdd }
        let model = candidates.randomElement(using: &random)!
        let (osVersion, osPretty) = slowSite && random.chance(0.4) ? ("20.04", "Ubuntu 20.04.6 LTS")
            : random.chance(0.5) ? ("22.04", "Ubuntu 22.04.5 LTS") : ("24.04", "Ubuntu 24.04.3 LTS")
        let attributes = [
            "os_id": "ubuntu", "os_name": "Ubuntu", "os_version": osVersion, "os_pretty_name": osPretty,
            "kernel": osVersion == "24.04" ? "6.8.0-88-generic" : "5.15.0-160-generic",
            "cpu_model": hdd ? "Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz" : "Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz",
            "cpu_cores": "4", "memory_mb": hdd ? "8192" : (random.chance(0.5) ? "16384" : "8192"),
            "system_disk": hdd ? "rotational" : "ssd", "vendor": model.vendor, "model": model.model,
        ]
        return MeasurementEvent(
            id: UUIDv7.make(unixMs: atMs, using: &random), kind: .inventory, name: "device", startedAtMs: atMs, durationMs: 0,
            outcome: .ok, attributes: attributes)
    }

    /// One probe of each clinical system at `atMs`, with DNS, connect, TLS and first-byte phases.
    static func probes(at atMs: Int64, slowness: Double, random: inout SeededGenerator) -> [MeasurementEvent] {
        probeTargets.map { target in
            let id = UUIDv7.make(unixMs: atMs, using: &random)
            if random.chance(0.002 * slowness) {
                return MeasurementEvent(
                    id: id, kind: .probe, name: target.name, startedAtMs: atMs, durationMs: 5_000, outcome: .failed,
                    attributes: ["failed_phase": "connect", "reason": "connection timed out"])
            }
            let phases: [String: Int64] = [
                "dns": Int64(random.logNormal(median: 4, sigma: 0.5)),
                "connect": Int64(random.logNormal(median: 3 * slowness, sigma: 0.4)),
                "tls": Int64(random.logNormal(median: 12 * slowness, sigma: 0.3)),
                "ttfb": Int64(random.logNormal(median: target.ttfbMedianMs * slowness, sigma: 0.5)),
            ]
            return MeasurementEvent(
                id: id, kind: .probe, name: target.name, startedAtMs: atMs, durationMs: phases.values.reduce(0, +),
                phases: phases, outcome: .ok, attributes: ["http_status": "200"])
        }
    }
}
