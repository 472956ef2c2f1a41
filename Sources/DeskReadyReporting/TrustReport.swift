import DeskReadyStore
import DeskReadyModel

/// The figures of one trust (or one of its sites) over a period, behind the grades: what the CIO reads and the
/// toolkit imports. Groups under the model's minimum observations have their percentiles and shares left out.
public struct TrustReport: Codable, Sendable, Equatable {
    public var trust: String
    /// Nil for the whole trust.
    public var site: String?
    public var fromMs: Int64
    public var toMs: Int64
    public var devicesReporting: Int
    /// Headline logons: the cohorts the model reports apart (first logons, the first after an upgrade) left out.
    public var logon: LogonIndicators
    /// The logons reported apart, one entry per cohort.
    public var logonsApart: [CohortIndicators]
    public var boot: TimingIndicators
    public var applications: [NamedTimingIndicators]
    public var probes: [ProbeIndicators]
    public var estate: EstateIndicators
    /// Device models by logon p90, slowest first (trust only; empty for a site).
    public var slowestModels: [ModelIndicators]
    public var sites: [TrustReport]

    enum CodingKeys: String, CodingKey {
        case trust, site
        case fromMs = "from_ms"
        case toMs = "to_ms"
        case devicesReporting = "devices_reporting"
        case logon
        case logonsApart = "logons_apart"
        case boot, applications, probes, estate
        case slowestModels = "slowest_models"
        case sites
    }
}

/// Percentiles of one kind of timing, in milliseconds.
public struct TimingIndicators: Codable, Sendable, Equatable {
    /// Successful observations.
    public var count: Int
    public var p50Ms: Int64?
    public var p90Ms: Int64?
    public var p95Ms: Int64?
    /// Observations that failed, timed out or never completed.
    public var failures: Int
    /// failures / (count + failures).
    public var failureShare: Double?

    enum CodingKeys: String, CodingKey {
        case count
        case p50Ms = "p50_ms"
        case p90Ms = "p90_ms"
        case p95Ms = "p95_ms"
        case failures
        case failureShare = "failure_share"
    }

    init(durations: TimingHistogram, failures: Int) {
        let values = durations.percentiles([50, 90, 95])
        count = durations.count
        p50Ms = values[0]
        p90Ms = values[1]
        p95Ms = values[2]
        self.failures = failures
        let total = durations.count + failures
        failureShare = total == 0 ? nil : Double(failures) / Double(total)
    }
}

/// Logon timings with the share within target and where the time goes.
public struct LogonIndicators: Codable, Sendable, Equatable {
    public var timing: TimingIndicators
    public var targetMs: Int64
    /// Share of completed logons at or under the target, 0 to 1.
    public var withinTargetShare: Double?
    /// Share of logons that never completed, 0 to 1.
    public var incompleteShare: Double?
    /// Median of each phase, in milliseconds.
    public var phaseMediansMs: [String: Int64]

    enum CodingKeys: String, CodingKey {
        case timing
        case targetMs = "target_ms"
        case withinTargetShare = "within_target_share"
        case incompleteShare = "incomplete_share"
        case phaseMediansMs = "phase_medians_ms"
    }
}

/// Logons of one cohort reported apart from the headline (`first`, `after_upgrade`).
public struct CohortIndicators: Codable, Sendable, Equatable {
    public var cohort: String
    public var timing: TimingIndicators
}

/// Timings of one application by name.
public struct NamedTimingIndicators: Codable, Sendable, Equatable {
    public var name: String
    public var timing: TimingIndicators
}

/// One network target: the whole probe and each phase (dns, connect, tls, ttfb).
public struct ProbeIndicators: Codable, Sendable, Equatable {
    public var name: String
    public var timing: TimingIndicators
    public var phases: [String: PhaseTiming]
}

/// The median and 95th percentile of one phase, in milliseconds.
public struct PhaseTiming: Codable, Sendable, Equatable {
    public var count: Int
    public var p50Ms: Int64?
    public var p95Ms: Int64?

    enum CodingKeys: String, CodingKey {
        case count
        case p50Ms = "p50_ms"
        case p95Ms = "p95_ms"
    }
}

/// The estate of the devices that reported in the period, from their newest inventory.
public struct EstateIndicators: Codable, Sendable, Equatable {
    public var devicesReporting: Int
    /// Devices that sent an inventory (the rest are unknown, not counted as either).
    public var devicesInventoried: Int
    /// Share of inventoried devices whose system disk is solid state, 0 to 1.
    public var ssdShare: Double?
    /// Share of inventoried devices on an OS the model lists as supported, 0 to 1.
    public var supportedOSShare: Double?
    public var medianMemoryMB: Int?

    enum CodingKeys: String, CodingKey {
        case devicesReporting = "devices_reporting"
        case devicesInventoried = "devices_inventoried"
        case ssdShare = "ssd_share"
        case supportedOSShare = "supported_os_share"
        case medianMemoryMB = "median_memory_mb"
    }
}

/// Logon and boot timings of one device model.
public struct ModelIndicators: Codable, Sendable, Equatable {
    public var model: String
    public var logon: TimingIndicators
    public var boot: TimingIndicators
}
