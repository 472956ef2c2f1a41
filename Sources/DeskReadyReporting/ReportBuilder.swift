import DeskReadyCollector
import DeskReadyModel

/// Computes trust reports from a store.
public struct ReportBuilder: Sendable {
    public var store: any MeasurementStore
    /// The logon target for the within-target share (default 60 s).
    public var logonTargetMs: Int64

    public init(store: any MeasurementStore, logonTargetMs: Int64 = 60_000) {
        self.store = store
        self.logonTargetMs = logonTargetMs
    }

    /// One report per trust (or just `trust`), for `[fromMs, toMs)`, each with its sites.
    public func reports(trust: String?, fromMs: Int64, toMs: Int64) async throws -> [TrustReport] {
        let series = try await store.timingSeries(trust: trust, fromMs: fromMs, toMs: toMs)
        let byTrust = Dictionary(grouping: series, by: \.trust)
        return byTrust.keys.sorted().map { code in
            let trustSeries = byTrust[code] ?? []
            let bySite = Dictionary(grouping: trustSeries, by: \.site)
            var report = build(trust: code, site: nil, series: trustSeries, fromMs: fromMs, toMs: toMs)
            report.sites = bySite.keys.sorted().map { site in
                build(trust: code, site: site, series: bySite[site] ?? [], fromMs: fromMs, toMs: toMs)
            }
            return report
        }
    }

    func build(trust: String, site: String?, series: [TimingSeries], fromMs: Int64, toMs: Int64) -> TrustReport {
        StatisticsCalculator(logonTargetMs: logonTargetMs).build(trust: trust, site: site, series: series, fromMs: fromMs, toMs: toMs)
    }
}
