import DeskReadyModel

/// Renders reports as compact tables for a terminal.
public struct TextReportRenderer: Sendable {
    public init() {}

    public func render(_ reports: [TrustReport]) -> String {
        guard !reports.isEmpty else { return "No timings stored for this period.\n" }
        var out = ""
        for report in reports {
            out += "Trust \(report.trust): \(report.devicesReporting) devices reporting, \(Self.date(report.fromMs)) to \(Self.date(report.toMs))\n"
            out += table(for: report, indent: "  ")
            for site in report.sites where report.sites.count > 1 {
                out += "  Site \(site.site ?? "?"): \(site.devicesReporting) devices\n"
                out += table(for: site, indent: "    ")
            }
            out += "\n"
        }
        return out
    }

    private func table(for report: TrustReport, indent: String) -> String {
        var rows: [[String]] = [["indicator", "n", "p50", "p90", "p95", "within target", "failed"]]
        let logon = report.logon
        rows.append(["logon", "\(logon.timing.count)", Self.seconds(logon.timing.p50Ms), Self.seconds(logon.timing.p90Ms),
                     Self.seconds(logon.timing.p95Ms),
                     logon.withinTargetShare.map { "\(Self.percent($0)) ≤\(logon.targetMs / 1000)s" } ?? "-",
                     Self.percent(logon.timing.failureShare)])
        for phase in LogonPhase.allCases {
            if let median = logon.phaseMediansMs[phase.rawValue] {
                rows.append(["  \(phase.rawValue) (median)", "", Self.seconds(median), "", "", "", ""])
            }
        }
        rows.append(["boot", "\(report.boot.count)", Self.seconds(report.boot.p50Ms), Self.seconds(report.boot.p90Ms),
                     Self.seconds(report.boot.p95Ms), "", Self.percent(report.boot.failureShare)])
        for app in report.applications {
            rows.append(["app \(app.name)", "\(app.timing.count)", Self.seconds(app.timing.p50Ms), Self.seconds(app.timing.p90Ms),
                         Self.seconds(app.timing.p95Ms), "", Self.percent(app.timing.failureShare)])
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            indent + row.enumerated().map { column, cell in
                column == 0 ? cell.padding(widths[column]) : cell.leftPadding(widths[column])
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    static func seconds(_ ms: Int64?) -> String {
        guard let ms else { return "-" }
        let tenths = (ms + 50) / 100
        return "\(tenths / 10).\(tenths % 10)s"
    }

    static func percent(_ share: Double?) -> String {
        guard let share else { return "-" }
        let tenths = Int((share * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    static func date(_ ms: Int64) -> String { CivilDate.day(ms) }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
    func leftPadding(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
