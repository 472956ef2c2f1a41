import DeskReadyStore
import DeskReadyModel

/// Computes the statistics of one trust or site (percentiles, shares, phase medians, estate, device models) from
/// aggregates already read.
struct StatisticsCalculator: Sendable {
    /// The logon target for the within-target share.
    var logonTargetMs: Int64
    /// Logon cohorts left out of the headline and reported apart.
    var logonsApart: [LogonCohort] = [.first, .afterUpgrade]
    var supportedOS: [OSRequirement] = []

    /// The figures of a trust (`site` nil) or site from its series, device count, estate counts and model timings.
    func build(trust: String, site: String?, series: [TimingSeries], devicesReporting: Int, estate: [EstateCount] = [],
               models: [ModelTiming] = [], fromMs: Int64, toMs: Int64) -> TrustReport {
        let headline = series.filter { $0.kind != .logon || !logonsApart.contains($0.cohort) }
        let logons = Self.merged(headline.filter { $0.kind == .logon })
        let logon = LogonIndicators(
            timing: TimingIndicators(durations: logons.durations, failures: logons.failures),
            targetMs: logonTargetMs,
            withinTargetShare: logons.durations.share(atOrBelow: logonTargetMs),
            incompleteShare: logons.total == 0 ? nil : Double(logons.incomplete) / Double(logons.total),
            phaseMediansMs: logons.phases.compactMapValues { $0.percentile(50) })
        let apart = logonsApart.compactMap { cohort -> CohortIndicators? in
            let entries = series.filter { $0.kind == .logon && $0.cohort == cohort }
            let merged = Self.merged(entries)
            return CohortIndicators(cohort: cohort.rawValue, timing: TimingIndicators(durations: merged.durations, failures: merged.failures))
        }
        let boots = Self.merged(headline.filter { $0.kind == .boot })
        let applications = Self.byName(headline, kind: .appStart).map { name, merged in
            NamedTimingIndicators(name: name, timing: TimingIndicators(durations: merged.durations, failures: merged.failures))
        }
        let probes = Self.byName(headline, kind: .probe).map { name, merged in
            ProbeIndicators(
                name: name, timing: TimingIndicators(durations: merged.durations, failures: merged.failures),
                phases: merged.phases.mapValues { histogram in
                    let values = histogram.percentiles([50, 95])
                    return PhaseTiming(count: histogram.count, p50Ms: values[0], p95Ms: values[1])
                })
        }
        return TrustReport(
            trust: trust, site: site, fromMs: fromMs, toMs: toMs, devicesReporting: devicesReporting, logon: logon,
            logonsApart: apart, boot: TimingIndicators(durations: boots.durations, failures: boots.failures),
            applications: applications, probes: probes, estate: estateIndicators(estate, devicesReporting: devicesReporting),
            slowestModels: modelIndicators(models), sites: [])
    }

    func estateIndicators(_ counts: [EstateCount], devicesReporting: Int) -> EstateIndicators {
        let inventoried = counts.filter { $0.osId != nil || $0.systemDisk != nil || $0.memoryMB != nil }
        let devices = inventoried.reduce(0) { $0 + $1.devices }
        func share(_ include: (EstateCount) -> Bool) -> Double? {
            devices == 0 ? nil : Double(inventoried.filter(include).reduce(0) { $0 + $1.devices }) / Double(devices)
        }
        let disks = inventoried.filter { $0.systemDisk != nil }
        let diskDevices = disks.reduce(0) { $0 + $1.devices }
        let ssd = diskDevices == 0 ? nil : Double(disks.filter { $0.systemDisk == "ssd" }.reduce(0) { $0 + $1.devices }) / Double(diskDevices)
        var memory = inventoried.compactMap { count in count.memoryMB.map { ($0, count.devices) } }.sorted { $0.0 < $1.0 }
        let memoryDevices = memory.reduce(0) { $0 + $1.1 }
        var median: Int?
        if memoryDevices > 0 {
            // The lower median: the smallest memory size with at least half the devices at or below it.
            var seen = 0
            while let (megabytes, count) = memory.first {
                seen += count
                memory.removeFirst()
                if seen * 2 >= memoryDevices {
                    median = megabytes
                    break
                }
            }
        }
        return EstateIndicators(
            devicesReporting: devicesReporting, devicesInventoried: devices, ssdShare: ssd,
            supportedOSShare: supportedOS.isEmpty ? nil : share { supportedOS.supports(osId: $0.osId, osVersion: $0.osVersion) },
            medianMemoryMB: median)
    }

    func modelIndicators(_ timings: [ModelTiming]) -> [ModelIndicators] {
        let names = Set(timings.map(\.model)).sorted()
        let indicators = names.map { name in
            let logon = timings.first { $0.model == name && $0.kind == .logon }
            let boot = timings.first { $0.model == name && $0.kind == .boot }
            return ModelIndicators(
                model: name,
                logon: TimingIndicators(durations: logon?.durations ?? TimingHistogram(), failures: logon?.failures ?? 0),
                boot: TimingIndicators(durations: boot?.durations ?? TimingHistogram(), failures: boot?.failures ?? 0))
        }
        return indicators.sorted { ($0.logon.p90Ms ?? -1, $1.model) > ($1.logon.p90Ms ?? -1, $0.model) }
    }

    /// One series holding every observation of `series`.
    static func merged(_ series: [TimingSeries]) -> TimingSeries {
        var total = TimingSeries(trust: "", site: "", kind: .logon, name: "")
        for entry in series { total.merge(entry) }
        return total
    }

    /// The series of one kind merged by name, in name order.
    static func byName(_ series: [TimingSeries], kind: EventKind) -> [(String, TimingSeries)] {
        let grouped = Dictionary(grouping: series.filter { $0.kind == kind }, by: \.name)
        return grouped.keys.sorted().map { ($0, merged(grouped[$0] ?? [])) }
    }
}
