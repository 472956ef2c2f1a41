/// Renders a graded report as compact tables for a terminal: per trust its overall level, each indicator with its
/// level, the change from the previous period and the reason, then a matrix of levels per site.
public struct GradedTextRenderer: Sendable {
    public init() {}

    public func render(_ report: GradedReport) -> String {
        var out = "DeskReady maturity report, model \(report.model.id) \(report.model.version)\n"
        out += "Period \(report.period.start) to \(report.period.end), compared with \(report.previousPeriod.start) to \(report.previousPeriod.end)\n"
        if let note = report.aggregates?.note { out += "Note: \(note)\n" }
        out += "\(Self.logonDefinition)\n"
        out += "Overall level: \(report.model.overallRule). Fewer than \(report.model.minimumObservations) observations: insufficient data, not graded.\n"
        if report.trusts.isEmpty { return out + "\nNo trusts have stored data.\n" }
        for trust in report.trusts {
            out += "\n" + section(trust, report: report)
        }
        return out
    }

    func section(_ trust: GradedTrust, report: GradedReport) -> String {
        var out = "Trust \(trust.label): \(Self.overall(trust.overall)); previous period \(Self.overall(trust.previousOverall, short: true))\n"
        out += StaffTimeText.lines(trust.statistics.staffTimeLost, sites: trust.sites).map { "  \($0)\n" }.joined()
        let focus = WhereToLook(trust: trust).lines()
        if !focus.isEmpty {
            out += "  Where to look first:\n" + focus.map { "    \($0)\n" }.joined()
        }
        out += "  \(trust.overall.reason)\n"
        let known = trust.devicesKnown.map { " of \($0) enrolled" } ?? ""
        let estate = trust.estateSize.map { ", of \($0) in the estate" } ?? " (estate size not recorded: `deskready trust set \(trust.trust) --estate-size N`)"
        out += "  \(trust.devicesReporting) devices reporting\(known)\(estate); newest data \(trust.newestDataAt ?? "none")\n"
        if let baseline = trust.baseline {
            let level = baseline.overall.level.map { "level \($0)" } ?? "insufficient data"
            out += "  Baseline '\(baseline.name)': \(baseline.period.start) to \(baseline.period.end), \(level), model \(baseline.modelId) \(baseline.modelVersion)\n"
        }
        if let unlocks = trust.statistics.unlocks {
            out += "  Screen unlocks: \(unlocks.count), counted apart from logons (not timed)\n"
        }
        let showPeers = trust.indicators.contains { $0.peers != nil }
        if showPeers {
            out += "  Peers: the median of the other trusts on this collector with enough data (at least \(ComparisonBuilder.minimumPeers); never named).\n"
        }
        var table = TextTable(rightAligned: [0, 2, 3, 4])
        table.add(["#", "indicator", "n", "value", "level", "previous", "change"]
            + (trust.baseline == nil ? [] : ["baseline", "since baseline"]) + (showPeers ? ["peer median"] : []) + ["reason"])
        for (index, indicator) in trust.indicators.enumerated() {
            var row = [
                "\(index + 1)", indicator.title, "\(indicator.n)", indicator.value.map { report.display($0, of: indicator.id, unit: indicator.unit) } ?? "-",
                indicator.level.map(String.init) ?? "-", Self.previous(indicator, report: report), Self.change(indicator),
            ]
            if trust.baseline != nil {
                let saved = indicator.baseline
                row.append(saved.flatMap { grade in grade.saved.level.flatMap { level in grade.saved.value.map { "L\(level) \(report.display($0, of: indicator.id, unit: indicator.unit))" } } } ?? "-")
                row.append(saved.flatMap { grade in grade.change.value.map { "\(ValueFormat.change($0, indicator.unit)) \(grade.change.trend.rawValue)" } } ?? "-")
            }
            if showPeers {
                row.append(indicator.peers.map { "L\($0.level) \(report.display($0.median, of: indicator.id, unit: indicator.unit)) (\($0.trusts))" } ?? "-")
            }
            table.add(row + [indicator.reason])
        }
        out += table.render(indent: "  ")
        for detail in DetailTables(trust: trust).tables() {
            out += "  \(detail.title):\n"
            var table = TextTable(rightAligned: detail.numeric)
            table.add(detail.header)
            detail.rows.forEach { table.add($0) }
            out += table.render(indent: "    ")
        }
        guard !trust.sites.isEmpty else { return out }
        out += "  Sites, level per indicator # above (- insufficient data, n/a not measured per site):\n"
        var sites = TextTable(rightAligned: Set(1...(trust.indicators.count + 2)))
        sites.add(["site", "devices", "overall"] + trust.indicators.indices.map { "\($0 + 1)" })
        for site in trust.sites {
            sites.add([SiteLabel.text(site), "\(site.devicesReporting)", site.overall.level.map(String.init) ?? "-"]
                + site.indicators.map { $0.status == .notAvailable ? "n/a" : $0.level.map(String.init) ?? "-" })
        }
        out += sites.render(indent: "    ")
        let weak = trust.sites.flatMap { site in site.indicators.filter { ($0.level ?? 5) <= 2 }.map { (site.label, $0.reason) } }
        if !weak.isEmpty {
            out += "  Where to look first (sites at level 1 or 2):\n"
            out += weak.map { "    \($0.0)  \($0.1)\n" }.joined()
        }
        return out
    }

    /// When a logon starts and ends, as every format says it.
    public static let logonDefinition = "Logons are timed from the credentials accepted (the time spent typing them is left out) to a "
        + "responsive desktop; screen unlocks and prompts left unanswered are not logons."

    static func overall(_ grade: OverallGrade, short: Bool = false) -> String {
        guard let level = grade.level else { return "insufficient data" }
        let score = grade.score.map { " (score \(ValueFormat.oneDecimal($0)))" } ?? ""
        return short ? "level \(level)" : "overall level \(level) of 5\(score)"
    }

    static func previous(_ indicator: GradedIndicator, report: GradedReport) -> String {
        guard let level = indicator.previous.level, let value = indicator.previous.value else { return "-" }
        return "L\(level) \(report.display(value, of: indicator.id, unit: indicator.unit))"
    }

    static func change(_ indicator: GradedIndicator) -> String {
        guard let delta = indicator.change.value else { return "-" }
        return "\(ValueFormat.change(delta, indicator.unit)) \(indicator.change.trend.rawValue)"
    }
}
