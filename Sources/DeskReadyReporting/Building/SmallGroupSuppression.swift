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
        report.logonsApart = logonsApart.map { CohortIndicators(cohort: $0.cohort, timing: $0.timing.suppressing(minimum: minimum)) }
        report.boot = boot.suppressing(minimum: minimum)
        report.unlocks = unlocks?.suppressing(minimum: minimum)
        if let lost = staffTimeLost, lost.logons + lost.applicationStarts < minimum { report.staffTimeLost = nil }
        report.applications = applications.map { NamedTimingIndicators(name: $0.name, timing: $0.timing.suppressing(minimum: minimum)) }
        report.probes = probes.map { probe in
            ProbeIndicators(
                name: probe.name, timing: probe.timing.suppressing(minimum: minimum),
                phases: probe.phases.mapValues { $0.count < minimum ? PhaseTiming(count: $0.count, p50Ms: nil, p95Ms: nil) : $0 })
        }
        if (estate.physicalDiskDevices ?? estate.devicesInventoried) < minimum { report.estate.ssdShare = nil }
        if estate.devicesInventoried < minimum {
            report.estate.ssdShare = nil
            report.estate.supportedOSShare = nil
            report.estate.medianMemoryMB = nil
        }
        // A model with too few logons and boots is left out entirely: a rare model could single out a device.
        report.slowestModels = slowestModels
            .filter { $0.logon.count + $0.logon.failures >= minimum || $0.boot.count + $0.boot.failures >= minimum }
            .map { ModelIndicators(model: $0.model, logon: $0.logon.suppressing(minimum: minimum), boot: $0.boot.suppressing(minimum: minimum)) }
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
