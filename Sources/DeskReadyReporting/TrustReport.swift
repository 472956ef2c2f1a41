import DeskReadyModel

/// The indicators of one trust (or one of its sites) over a period: what the CIO reads and the toolkit imports.
public struct TrustReport: Codable, Sendable, Equatable {
    public var trust: String
    /// Nil for the whole trust.
    public var site: String?
    public var fromMs: Int64
    public var toMs: Int64
    public var devicesReporting: Int
    public var logon: LogonIndicators
    public var boot: TimingIndicators
    public var applications: [NamedTimingIndicators]
    public var sites: [TrustReport]

    enum CodingKeys: String, CodingKey {
        case trust, site
        case fromMs = "from_ms"
        case toMs = "to_ms"
        case devicesReporting = "devices_reporting"
        case logon, boot, applications, sites
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

    init(durations: [Int64], failures: Int) {
        let percentiles = Percentiles(durations)
        count = durations.count
        p50Ms = percentiles.value(50)
        p90Ms = percentiles.value(90)
        p95Ms = percentiles.value(95)
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

/// Timings of one application (or probe target) by name.
public struct NamedTimingIndicators: Codable, Sendable, Equatable {
    public var name: String
    public var timing: TimingIndicators
}
