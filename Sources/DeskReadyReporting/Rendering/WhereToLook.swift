/// "Where to look first" for a trust, as the top of the text and HTML reports says it: the weakest indicators, the
/// sites where staff lose most time beyond target, and the device models whose logons are slowest beyond target.
struct WhereToLook {
    var trust: GradedTrust

    /// The lines, most telling first; empty when nothing stands out.
    func lines() -> [String] {
        var lines = trust.indicators.filter { ($0.level ?? 5) < 5 }
            .sorted { ($0.level ?? 5, $0.score ?? 100) < ($1.level ?? 5, $1.score ?? 100) }
            .prefix(3).map(\.reason)
        let sites = trust.sites.compactMap { site in site.statistics.staffTimeLost.map { (site, $0) } }
            .filter { $0.1.beyondTargetHoursPerWeek >= 0.05 }
            .sorted { $0.1.beyondTargetHoursPerWeek > $1.1.beyondTargetHoursPerWeek }.prefix(3)
        for (site, lost) in sites {
            lines.append("site \(SiteLabel.text(site)): staff wait \(StaffTimeText.hours(lost.beyondTargetHoursPerWeek)) a week beyond target")
        }
        let target = trust.statistics.logon.targetMs
        let models = trust.statistics.slowestModels.filter { ($0.logon.p90Ms ?? 0) > target }.prefix(3)
        for model in models {
            lines.append("device model \(model.model): logon p90 \(DetailTables.seconds(model.logon.p90Ms)) over \(model.logon.count) logons "
                + "(target \(DetailTables.seconds(target)))")
        }
        return lines
    }
}
