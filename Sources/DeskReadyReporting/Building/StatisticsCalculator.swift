import DeskReadyCollector
import DeskReadyModel

/// Computes the statistics of one trust or site (percentiles, shares, phase medians) from timing series already read.
struct StatisticsCalculator: Sendable {
    /// The logon target for the within-target share.
    var logonTargetMs: Int64

    func build(trust: String, site: String?, series: [TimingSeries], fromMs: Int64, toMs: Int64) -> TrustReport {
        func merged(_ kind: EventKind) -> (durations: [Int64], failures: Int, incomplete: Int, phases: [String: [Int64]]) {
            var durations: [Int64] = []
            var failures = 0
            var incomplete = 0
            var phases: [String: [Int64]] = [:]
            for entry in series where entry.kind == kind {
                durations += entry.durationsMs
                failures += entry.failures
                incomplete += entry.incomplete
                for (phase, values) in entry.phasesMs { phases[phase, default: []] += values }
            }
            return (durations, failures, incomplete, phases)
        }
        let logons = merged(.logon)
        let logonTotal = logons.durations.count + logons.failures
        let logon = LogonIndicators(
            timing: TimingIndicators(durations: logons.durations, failures: logons.failures),
            targetMs: logonTargetMs,
            withinTargetShare: Percentiles(logons.durations).share(atOrBelow: logonTargetMs),
            incompleteShare: logonTotal == 0 ? nil : Double(logons.incomplete) / Double(logonTotal),
            phaseMediansMs: logons.phases.compactMapValues { Percentiles($0).value(50) })
        let boots = merged(.boot)
        let appNames = Set(series.filter { $0.kind == .appStart }.map(\.name)).sorted()
        let applications = appNames.map { name in
            let entries = series.filter { $0.kind == .appStart && $0.name == name }
            return NamedTimingIndicators(
                name: name,
                timing: TimingIndicators(durations: entries.flatMap(\.durationsMs), failures: entries.reduce(0) { $0 + $1.failures }))
        }
        let devices = series.reduce(into: Set<String>()) { $0.formUnion($1.devices) }
        return TrustReport(
            trust: trust, site: site, fromMs: fromMs, toMs: toMs, devicesReporting: devices.count, logon: logon,
            boot: TimingIndicators(durations: boots.durations, failures: boots.failures),
            applications: applications, sites: [])
    }
}
