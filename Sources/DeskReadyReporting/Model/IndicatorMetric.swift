/// What DeskReady can compute for an indicator; a model's indicator names one of these as its `metric`.
public enum IndicatorMetric: String, Sendable, Equatable, CaseIterable {
    case logonP90 = "logon_p90"
    case logonWithinTarget = "logon_within_target"
    case logonIncomplete = "logon_incomplete"
    case bootP90 = "boot_p90"
    case appStartP90 = "app_start_p90"
    case appFailure = "app_failure"
    case probeTTFBP95 = "probe_ttfb_p95"
    case probeFailure = "probe_failure"
    case estateSSD = "estate_ssd"
    case estateSupportedOS = "estate_supported_os"
    case coverage

    public var unit: IndicatorUnit {
        switch self {
        case .logonP90, .bootP90, .appStartP90, .probeTTFBP95: .seconds
        case .logonWithinTarget, .logonIncomplete, .appFailure, .probeFailure, .estateSSD, .estateSupportedOS, .coverage: .percent
        }
    }

    public var direction: IndicatorDirection {
        switch self {
        case .logonWithinTarget, .coverage, .estateSSD, .estateSupportedOS: .higherIsBetter
        default: .lowerIsBetter
        }
    }
}

/// The unit of an indicator's value.
public enum IndicatorUnit: String, Codable, Sendable, Equatable, CaseIterable {
    case seconds
    case percent

    /// The UCUM code, for FHIR quantities.
    public var ucum: String { self == .seconds ? "s" : "%" }
}

/// Whether a lower or a higher value is better.
public enum IndicatorDirection: String, Codable, Sendable, Equatable, CaseIterable {
    case lowerIsBetter = "lower-is-better"
    case higherIsBetter = "higher-is-better"

    /// True when `value` is at least as good as `threshold`.
    public func meets(_ value: Double, _ threshold: Double) -> Bool {
        self == .lowerIsBetter ? value <= threshold : value >= threshold
    }
}
