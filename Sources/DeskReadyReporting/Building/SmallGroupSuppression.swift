/// Leaves out figures drawn from fewer observations than the model's minimum, so small groups are neither misread
/// nor identifiable. Counts stay; percentiles, shares and phase medians go.
extension TrustReport {
    func suppressingSmallGroups(minimum: Int) -> TrustReport {
        var report = self
        report.logon.timing = logon.timing.suppressing(minimum: minimum)
        if logon.timing.count < minimum {
            report.logon.withinTargetShare = nil
            report.logon.phaseMediansMs = [:]
        }
        if logon.timing.count + logon.timing.failures < minimum { report.logon.incompleteShare = nil }
        report.boot = boot.suppressing(minimum: minimum)
        report.applications = applications.map { NamedTimingIndicators(name: $0.name, timing: $0.timing.suppressing(minimum: minimum)) }
        report.sites = sites.map { $0.suppressingSmallGroups(minimum: minimum) }
        return report
    }
}

extension TimingIndicators {
    func suppressing(minimum: Int) -> TimingIndicators {
        var timing = self
        if count < minimum {
            timing.p50Ms = nil
            timing.p90Ms = nil
            timing.p95Ms = nil
        }
        if count + failures < minimum { timing.failureShare = nil }
        return timing
    }
}
