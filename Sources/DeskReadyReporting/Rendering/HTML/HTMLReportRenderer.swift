/// Renders a graded report as one self-contained HTML page a CIO can open or email: per trust the headline overall
/// level, the indicator table with levels and reasons, SVG charts drawn here (logon time distribution, weekly trend,
/// phase breakdown, per-site comparison) and the levels of each site. No scripts, fonts or images from anywhere.
public struct HTMLReportRenderer: Sendable {
    public init() {}

    public func render(_ report: GradedReport) -> String {
        let trusts = report.trusts.map(\.trust).joined(separator: ", ")
        var html = """
            <!DOCTYPE html>
            <html lang="en-GB">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="DeskReady">
            <title>DeskReady workstation readiness: \(HTMLText.escape(trusts.isEmpty ? "no trusts" : trusts)), \(report.period.start) to \(report.period.end)</title>
            <style>
            \(HTMLStyle.css)
            </style>
            </head>
            <body>
            <main>
            <header class="report">
            <h1>How long staff wait for their computers</h1>
            <p>\(HTMLText.escape(report.model.title.isEmpty ? report.model.id : report.model.title)) · model <strong>\(HTMLText.escape(report.model.id)) \(HTMLText.escape(report.model.version))</strong></p>
            <p>Period <strong>\(report.period.start) to \(report.period.end)</strong>, compared with \(report.previousPeriod.start) to \(report.previousPeriod.end) · generated \(report.generatedAt)</p>
            <p class="muted">\(HTMLText.escape(GradedTextRenderer.logonDefinition))</p>
            \(Self.provenance(report))</header>

            """
        if report.trusts.isEmpty {
            html += "<p class=\"empty\">No trusts have stored data.</p>\n"
        }
        for trust in report.trusts {
            html += TrustSection(trust: trust, report: report).render()
        }
        html += method(report)
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    private func method(_ report: GradedReport) -> String {
        var out = "<footer>\n<details><summary>How the levels are set</summary>\n<p>Overall level: \(HTMLText.escape(report.model.overallRule)). "
        out += "Indicators with fewer than \(report.model.minimumObservations) observations are shown as insufficient data and never graded, so small groups are neither misread nor identifiable. "
        out += "Scores run from 0 to 100 (method: \(HTMLText.escape(report.model.scoreMethod))), comparable with the Digital Maturity Assessment's scale. "
        out += "These are measured figures for one trust against a published model, not a league table.</p>\n<dl class=\"method\">\n"
        for indicator in report.indicators {
            let side = indicator.direction == .lowerIsBetter ? "or less" : "or more"
            let levels = (2...5).reversed().compactMap { level in
                indicator.thresholds[String(level)].map { "level \(level): \(ValueFormat.value($0, indicator.unit)) \(side)" }
            }.joined(separator: "; ")
            out += "<dt>\(HTMLText.escape(indicator.title)) <span class=\"muted\">(\(HTMLText.escape(indicator.id)), \(HTMLText.escape(indicator.dimension)))</span></dt>\n"
            out += "<dd>\(HTMLText.escape(indicator.measures)) <em>\(HTMLText.escape(levels)); otherwise level 1.</em> \(HTMLText.escape(indicator.justification))</dd>\n"
        }
        out += "</dl>\n</details>\n<p>DeskReady · model \(HTMLText.escape(report.model.id)) \(HTMLText.escape(report.model.version)) · report schema \(report.schemaVersion)</p>\n</footer>\n"
        return out
    }

    /// When the peers were graded and what the retention windows changed, when either applies.
    static func provenance(_ report: GradedReport) -> String {
        var lines: [String] = []
        if let note = report.aggregates?.note { lines.append("Note: \(note).") }
        if let at = report.peersGradedAt { lines.append("Peer medians from grades made at \(at) or later.") }
        return lines.map { "<p class=\"muted\">\(HTMLText.escape($0))</p>\n" }.joined()
    }
}

