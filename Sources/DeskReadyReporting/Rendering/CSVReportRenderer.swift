/// Renders a graded report as CSV (RFC 4180, CRLF line ends) for spreadsheets: one row per trust, site and indicator,
/// plus an `overall` row for each trust and site, led by its staff time lost (`staff_time_beyond_target` and
/// `staff_time_waited`, hours a week, status `statistic`, the assumptions in `reason`) when there is enough to say.
public struct CSVReportRenderer: Sendable {
    public init() {}

    public static let header = [
        "model_id", "model_version", "period_start", "period_end", "trust", "site", "indicator", "title", "unit", "status",
        "value", "n", "level", "score", "reason", "detail", "previous_status", "previous_value", "previous_level",
        "change_value", "change_level", "trend", "dimension", "baseline_name", "baseline_value", "baseline_level",
        "baseline_score", "baseline_change", "baseline_trend", "peer_median", "peer_level", "peer_score", "peer_trusts",
        "peer_difference", "peer_trend", "trust_name", "site_name",
    ]

    public func render(_ report: GradedReport) -> String {
        var lines = [Self.headerLine]
        for trust in report.trusts { lines += rows(trust, report: report) }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The header row, without its line end.
    static var headerLine: String { header.map(CSVField.text).joined(separator: ",") }

    /// The rows of one trust and its sites, without line ends; `report` gives the model and period.
    func rows(_ trust: GradedTrust, report: GradedReport) -> [String] {
        var lines: [String] = []
        for unit in [trust] + trust.sites {
            // The names close every row, so a spreadsheet's columns keep their places.
            let names = [trust.name ?? "", unit.site == nil ? "" : unit.name ?? ""]
            func row(_ cells: [String]) -> String { self.row(cells + names) }
            let prefix = [report.model.id, report.model.version, report.period.start, report.period.end, unit.trust, unit.site ?? ""]
            lines += staffTimeRows(unit).map { row(prefix + $0) }
            let overall = unit.overall
            lines.append(row(prefix + [
                "overall", "overall infrastructure level", "level", overall.status.rawValue, "", "\(overall.graded)",
                overall.level.map(String.init) ?? "", CSVField.number(overall.score), overall.reason, "",
                unit.previousOverall.status.rawValue, "", unit.previousOverall.level.map(String.init) ?? "",
                "", overall.level.flatMap { now in unit.previousOverall.level.map { String(now - $0) } } ?? "", "",
                "smart-foundations", unit.baseline?.name ?? "", "", unit.baseline?.overall.level.map(String.init) ?? "",
                CSVField.number(unit.baseline?.overall.score), "", "", "", "", "", "", "", "",
            ]))
            for indicator in unit.indicators {
                lines.append(row(prefix + [
                    indicator.id, indicator.title, indicator.unit.rawValue, indicator.status.rawValue,
                    CSVField.number(indicator.value), "\(indicator.n)", indicator.level.map(String.init) ?? "",
                    CSVField.number(indicator.score), indicator.reason, indicator.detail ?? "",
                    indicator.previous.status.rawValue, CSVField.number(indicator.previous.value),
                    indicator.previous.level.map(String.init) ?? "", CSVField.number(indicator.change.value),
                    indicator.change.level.map(String.init) ?? "", indicator.change.trend.rawValue,
                    indicator.dimension, indicator.baseline?.name ?? "", CSVField.number(indicator.baseline?.saved.value),
                    indicator.baseline?.saved.level.map(String.init) ?? "", CSVField.number(indicator.baseline?.saved.score),
                    CSVField.number(indicator.baseline?.change.value), indicator.baseline?.change.trend.rawValue ?? "",
                    CSVField.number(indicator.peers?.median), indicator.peers.map { String($0.level) } ?? "",
                    CSVField.number(indicator.peers?.score), indicator.peers.map { String($0.trusts) } ?? "",
                    CSVField.number(indicator.peers?.difference), indicator.peers?.trend.rawValue ?? "",
                ]))
            }
        }
        return lines
    }

    /// The staff-time rows of a trust or site, after the prefix columns; none without enough to say.
    private func staffTimeRows(_ unit: GradedTrust) -> [[String]] {
        guard let lost = unit.statistics.staffTimeLost else { return [] }
        let counted = "\(lost.logons + lost.applicationStarts)"
        let blanks = Array(repeating: "", count: Self.header.count - 6 - 10 - 2)
        return [
            ["staff_time_beyond_target", "staff time waited beyond target", "hours_per_week", "statistic",
             CSVField.number(lost.beyondTargetHoursPerWeek), counted, "", "", lost.assumptions, ""] + blanks,
            ["staff_time_waited", "staff time waited", "hours_per_week", "statistic",
             CSVField.number(lost.waitedHoursPerWeek), counted, "", "", lost.assumptions, ""] + blanks,
        ]
    }

    private func row(_ cells: [String]) -> String {
        cells.map(CSVField.text).joined(separator: ",")
    }
}

/// Quotes CSV fields: a field holding a comma, quote, or line break is wrapped in quotes with its quotes doubled, and
/// text a spreadsheet would run as a formula (starting with =, +, -, @) is prefixed with an apostrophe.
enum CSVField {
    static func text(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first), Double(value) == nil { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func number(_ value: Double?) -> String {
        guard let value else { return "" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
