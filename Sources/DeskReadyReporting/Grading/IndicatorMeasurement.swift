/// The raw value of one indicator for one trust or site and period, before grading.
struct IndicatorMeasurement: Sendable, Equatable {
    /// In the indicator's unit; nil when there is nothing to measure.
    var value: Double?
    /// Observations behind the value.
    var n: Int
    /// What the value refers to, for example the slowest application's name.
    var detail: String?
    /// Set when DeskReady can't measure this indicator here; the reason says why.
    var unavailable: String?
    /// Replaces the usual "n observations" wording when there's too little data.
    var insufficientNote: String?
}

/// What a report needs beyond the timings to measure device coverage.
struct CoverageInput: Sendable, Equatable {
    var devicesReporting: Int
    /// Devices the collector knows; nil when not recorded (for a site).
    var devicesKnown: Int?
    /// For the previous period, measured against the devices known now: when none reported then, the devices may
    /// not have been enrolled yet, so the period is insufficient data rather than 0%.
    var previousPeriod = false
}

extension IndicatorMetric {
    /// Measures this metric from unsuppressed statistics. `minimum` picks the applications eligible for the slowest.
    func measure(_ report: TrustReport, coverage: CoverageInput, minimum: Int) -> IndicatorMeasurement {
        func seconds(_ ms: Int64?) -> Double? { ms.map { Double($0) / 1000 } }
        func percent(_ share: Double?) -> Double? { share.map { $0 * 100 } }
        switch self {
        case .logonP90:
            return IndicatorMeasurement(value: seconds(report.logon.timing.p90Ms), n: report.logon.timing.count)
        case .logonWithinTarget:
            return IndicatorMeasurement(value: percent(report.logon.withinTargetShare), n: report.logon.timing.count)
        case .logonIncomplete:
            let attempts = report.logon.timing.count + report.logon.timing.failures
            return IndicatorMeasurement(value: percent(report.logon.incompleteShare), n: attempts)
        case .bootP90:
            return IndicatorMeasurement(value: seconds(report.boot.p90Ms), n: report.boot.count)
        case .appStartP90:
            let eligible = report.applications.filter { $0.timing.count >= minimum && $0.timing.p90Ms != nil }
            guard let slowest = eligible.max(by: { ($0.timing.p90Ms ?? 0, $1.name) < ($1.timing.p90Ms ?? 0, $0.name) }) else {
                let most = report.applications.map(\.timing.count).max() ?? 0
                let note = most == 0
                    ? "no application starts in this period"
                    : "no application has \(minimum) or more starts (most: \(most))"
                return IndicatorMeasurement(value: nil, n: most, insufficientNote: note)
            }
            return IndicatorMeasurement(value: seconds(slowest.timing.p90Ms), n: slowest.timing.count, detail: slowest.name)
        case .appFailure:
            let failures = report.applications.reduce(0) { $0 + $1.timing.failures }
            let total = report.applications.reduce(0) { $0 + $1.timing.count + $1.timing.failures }
            return IndicatorMeasurement(value: total == 0 ? nil : Double(failures) / Double(total) * 100, n: total)
        case .probeTTFBP95:
            let eligible = report.probes.compactMap { probe -> (String, PhaseTiming)? in
                guard let ttfb = probe.phases["ttfb"], ttfb.count >= minimum, ttfb.p95Ms != nil else { return nil }
                return (probe.name, ttfb)
            }
            guard let slowest = eligible.max(by: { ($0.1.p95Ms ?? 0, $1.0) < ($1.1.p95Ms ?? 0, $0.0) }) else {
                let most = report.probes.map { $0.phases["ttfb"]?.count ?? 0 }.max() ?? 0
                let note = report.probes.isEmpty
                    ? "no network probes in this period"
                    : "no network target has \(minimum) or more answered probes (most: \(most))"
                return IndicatorMeasurement(value: nil, n: most, insufficientNote: note)
            }
            return IndicatorMeasurement(value: seconds(slowest.1.p95Ms), n: slowest.1.count, detail: slowest.0)
        case .probeFailure:
            let failures = report.probes.reduce(0) { $0 + $1.timing.failures }
            let total = report.probes.reduce(0) { $0 + $1.timing.count + $1.timing.failures }
            return IndicatorMeasurement(value: total == 0 ? nil : Double(failures) / Double(total) * 100, n: total)
        case .estateSSD:
            return IndicatorMeasurement(value: percent(report.estate.ssdShare), n: report.estate.physicalDiskDevices ?? report.estate.devicesInventoried)
        case .estateSupportedOS:
            return IndicatorMeasurement(value: percent(report.estate.supportedOSShare), n: report.estate.devicesInventoried)
        case .coverage:
            guard let known = coverage.devicesKnown else {
                return IndicatorMeasurement(
                    value: nil, n: coverage.devicesReporting,
                    unavailable: "this site's estate size is not recorded (`deskready trust set \(report.trust) --site \(report.site ?? "SITE") --estate-size N`); coverage is graded for the whole trust")
            }
            if coverage.previousPeriod && coverage.devicesReporting == 0 {
                return IndicatorMeasurement(value: nil, n: 0, insufficientNote: "no device reported in this period")
            }
            let share = known == 0 ? nil : min(100, Double(coverage.devicesReporting) / Double(known) * 100)
            return IndicatorMeasurement(value: share, n: known)
        }
    }
}
