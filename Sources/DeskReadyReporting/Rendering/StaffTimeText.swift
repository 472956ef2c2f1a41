/// Staff time lost in words, for the top of the text and HTML reports: the trust's hours per week, each site's, and
/// the assumptions behind them.
enum StaffTimeText {
    /// `12.5 h`: hours to one decimal.
    static func hours(_ value: Double) -> String { "\(ValueFormat.oneDecimal(value)) h" }

    /// The headline sentence of one trust or site.
    static func headline(_ lost: StaffTimeLost) -> String {
        "Staff time lost: \(hours(lost.beyondTargetHoursPerWeek)) a week waited beyond target, \(hours(lost.waitedHoursPerWeek)) "
            + "a week waited in all (\(lost.logons) logons, \(lost.applicationStarts) application starts)"
    }

    /// The lines for a trust: its headline, its sites' (most time lost first) and the assumptions.
    static func lines(_ lost: StaffTimeLost?, sites: [GradedTrust]) -> [String] {
        guard let lost else { return ["Staff time lost: not enough logons and application starts in the period to say"] }
        var lines = [headline(lost)]
        let bySite = sites.compactMap { site in site.statistics.staffTimeLost.map { (site, $0) } }
            .sorted { $0.1.beyondTargetHoursPerWeek > $1.1.beyondTargetHoursPerWeek }
        for (site, siteLost) in bySite {
            lines.append("  site \(SiteLabel.text(site)): \(hours(siteLost.beyondTargetHoursPerWeek)) beyond target, \(hours(siteLost.waitedHoursPerWeek)) in all")
        }
        lines.append("  (\(lost.assumptions))")
        return lines
    }
}

/// How a site is named in the reports.
enum SiteLabel {
    static func text(_ site: GradedTrust) -> String { site.label }
}
