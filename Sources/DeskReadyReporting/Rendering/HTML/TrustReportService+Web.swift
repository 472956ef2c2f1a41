import DeskReadyStore
import DeskReadyModel

/// The web pages' view of the reports: headlines for the index, and a trust's or a site's section of the HTML report.
extension TrustReportService: WebReportPages {
    public func overviews(trusts: [String]?, period: ReportPeriod) async throws -> [TrustOverview] {
        let builder = self.builder
        var graded: [GradedTrust] = []
        if let trusts {
            for trust in trusts {
                try Task.checkCancellation()
                graded += try await builder.report(trust: trust, fromMs: period.fromMs, toMs: period.toMs, baseline: nil, peers: false).trusts
            }
        } else {
            graded = try await builder.report(trust: nil, fromMs: period.fromMs, toMs: period.toMs, baseline: nil, peers: false).trusts
        }
        return graded.map { trust in
            let summary = trust.overall.level.map { "Level \($0) of 5" } ?? "Not enough data for an overall level"
            return TrustOverview(ods: trust.trust, level: trust.overall.level, summary: summary, newestDataAt: trust.newestDataAt)
        }
    }

    public func page(_ query: ReportQuery, site: String?) async throws -> WebReportPage? {
        let saved = try await query.trust.flatMap { trust in query.baseline.map { (trust, $0) } }
            .asyncMap { try await BaselineLookup(store: store).snapshot(trust: $0.0, name: $0.1) }
        let report = try await builder
            .report(trust: query.trust, fromMs: query.period.fromMs, toMs: query.period.toMs, baseline: saved, peers: query.peers)
        try Task.checkCancellation()
        guard let trust = report.trusts.first(where: { $0.trust == query.trust }) else {
            return site == nil ? WebReportPage(html: "<p class=\"empty\">No data for this trust in this period.</p>\n", sites: []) : nil
        }
        let sites = trust.sites.compactMap(\.site)
        // When the peers were graded, and what the retention windows changed, above the section.
        let provenance = HTMLReportRenderer.provenance(report)
        guard let site else { return WebReportPage(html: provenance + TrustSection(trust: trust, report: report).render(), sites: sites) }
        guard let graded = trust.sites.first(where: { $0.site == site }) else { return nil }
        return WebReportPage(html: provenance + TrustSection(trust: graded, report: report).render(), sites: sites)
    }

    public var stylesheet: String { HTMLStyle.css }
}
