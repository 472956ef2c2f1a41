/// One trust's part of the HTML report: headline, indicator table, charts and site levels.
struct TrustSection {
    var trust: GradedTrust
    var report: GradedReport

    func render() -> String {
        let name = trust.site.map { _ in "Site \(trust.label), trust \(trust.trust)" } ?? "Trust \(trust.label)"
        let anchor = trust.site.map { "site-\($0)" } ?? "trust-\(trust.trust)"
        var out = "<section class=\"trust\" id=\"\(HTMLText.escape(anchor))\">\n<h2>\(HTMLText.escape(name))</h2>\n"
        out += headline()
        out += "<h3>Indicators</h3>\n" + indicatorTable()
        out += "<h3>Charts</h3>\n<div class=\"charts\">\n" + charts() + "</div>\n"
        out += details()
        if !trust.sites.isEmpty {
            out += "<h3>Levels by site</h3>\n" + siteTable()
        }
        return out + "</section>\n"
    }

    private func headline() -> String {
        let overall = trust.overall
        let level = overall.level
        var out = "<div class=\"headline\">\n"
        out += "<div class=\"badge \(LevelPalette.className(level))\">"
        out += level.map { "<span class=\"big\">\($0)</span><span class=\"small\">of 5</span>" }
            ?? "<span class=\"small\">insufficient<br>data</span>"
        out += "</div>\n<div class=\"facts\">\n"
        let lead = level.map { "Infrastructure level \($0) of 5" + (overall.score.map { ", score \(ValueFormat.oneDecimal($0)) of 100" } ?? "") }
            ?? "Not enough data for an overall level"
        out += "<p class=\"lead\">\(HTMLText.escape(lead))</p>\n"
        out += "<p>\(HTMLText.escape(Self.sentence(overall.reason)))</p>\n"
        let staffTime = StaffTimeText.lines(trust.statistics.staffTimeLost, sites: trust.sites)
        out += "<div class=\"staff-time\"><p><strong>\(HTMLText.escape(staffTime[0]))</strong></p>\n"
        out += staffTime.dropFirst().map { "<p class=\"muted\">\(HTMLText.escape(String($0.drop { $0 == " " })))</p>\n" }.joined() + "</div>\n"
        if let unlocks = trust.statistics.unlocks {
            out += "<p class=\"muted\">Screen unlocks: \(unlocks.count), counted apart from logons (not timed).</p>\n"
        }
        out += "<p class=\"muted\">\(HTMLText.escape(previousSentence()))</p>\n"
        let known = (trust.devicesKnown.map { " of \($0) enrolled" } ?? "") + (trust.estateSize.map { ", of \($0) in the estate" } ?? "")
        out += "<p class=\"muted\">\(trust.devicesReporting)\(known) devices reporting · newest data \(HTMLText.escape(trust.newestDataAt ?? "none"))</p>\n"
        let focus = WhereToLook(trust: trust).lines()
        if !focus.isEmpty {
            out += "<p><strong>Where to look first:</strong></p>\n<ul class=\"focus\">\n"
            out += focus.map { "<li>\(HTMLText.escape($0))</li>\n" }.joined()
            out += "</ul>\n"
        }
        return out + "</div>\n</div>\n"
    }

    private func previousSentence() -> String {
        let before = trust.previousOverall
        guard let previous = before.level else { return "Previous period: not enough data for an overall level." }
        guard let now = trust.overall.level else { return "Previous period: level \(previous)." }
        let movement = now > previous ? "up from" : now < previous ? "down from" : "the same as"
        return "This is \(movement) level \(previous) in the previous period."
    }

    private func indicatorTable() -> String {
        let showPeers = trust.indicators.contains { $0.peers != nil }
        var out = ""
        if let baseline = trust.baseline {
            let level = baseline.overall.level.map { "level \($0)" } ?? "insufficient data"
            out += "<p class=\"muted\">Baseline ‘\(HTMLText.escape(baseline.name))’: \(HTMLText.escape(baseline.period.start)) to \(HTMLText.escape(baseline.period.end)), \(level), model \(HTMLText.escape(baseline.modelId)) \(HTMLText.escape(baseline.modelVersion)).</p>\n"
        }
        if showPeers {
            out += "<p class=\"muted\">Peer median: the median of the other trusts on this collector with enough data (at least \(ComparisonBuilder.minimumPeers)); they are never named.</p>\n"
        }
        out += "<table class=\"indicators\">\n<thead><tr><th>Indicator</th><th class=\"num\">n</th><th class=\"num\">Value</th><th>Level</th><th class=\"num\">Score</th><th class=\"num\">Previous</th><th class=\"num\">Change</th>"
        if trust.baseline != nil { out += "<th class=\"num\">Baseline</th><th class=\"num\">Since baseline</th>" }
        if showPeers { out += "<th class=\"num\">Peer median</th>" }
        out += "<th>Reason</th></tr></thead>\n<tbody>\n"
        for indicator in trust.indicators {
            out += "<tr><td>\(HTMLText.escape(indicator.title))</td><td class=\"num\">\(indicator.n)</td>"
            out += "<td class=\"num\">\(HTMLText.escape(indicator.value.map { report.display($0, of: indicator.id, unit: indicator.unit) } ?? "–"))</td>"
            out += "<td class=\"level\">\(Self.pill(indicator.level, status: indicator.status))</td>"
            out += "<td class=\"num\">\(indicator.score.map { ValueFormat.oneDecimal($0) } ?? "–")</td>"
            let previous = indicator.previous.value.map { report.display($0, of: indicator.id, unit: indicator.unit) + (indicator.previous.level.map { " (L\($0))" } ?? "") } ?? "–"
            out += "<td class=\"num\">\(HTMLText.escape(previous))</td><td class=\"num\">\(Self.change(indicator.change, unit: indicator.unit))</td>"
            if trust.baseline != nil {
                let saved = indicator.baseline.flatMap { grade in grade.saved.value.map { report.display($0, of: indicator.id, unit: indicator.unit) + (grade.saved.level.map { " (L\($0))" } ?? "") } } ?? "–"
                out += "<td class=\"num\">\(HTMLText.escape(saved))</td><td class=\"num\">\(indicator.baseline.map { Self.change($0.change, unit: indicator.unit) } ?? "–")</td>"
            }
            if showPeers {
                let peers = indicator.peers.map { "\(report.display($0.median, of: indicator.id, unit: indicator.unit)) (L\($0.level), \($0.trusts) trusts)" } ?? "–"
                out += "<td class=\"num\">\(HTMLText.escape(peers))</td>"
            }
            out += "<td>\(HTMLText.escape(indicator.reason))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    static func change(_ change: IndicatorChange, unit: IndicatorUnit) -> String {
        guard let delta = change.value else { return "–" }
        let text = HTMLText.escape(ValueFormat.change(delta, unit))
        switch change.trend {
        case .better: return "<span class=\"better\">\(text) better</span>"
        case .worse: return "<span class=\"worse\">\(text) worse</span>"
        default: return text
        }
    }

    private func charts() -> String {
        let logonP90 = report.indicators.first { $0.metric == IndicatorMetric.logonP90.rawValue }
        let target = report.indicators.first { $0.metric == IndicatorMetric.logonWithinTarget.rawValue }
        let targetSeconds = trust.statistics.logon.targetMs > 0 ? Double(trust.statistics.logon.targetMs) / 1000 : nil
        var out = DistributionChart(
            bins: trust.logonDistribution, targetSeconds: target == nil ? targetSeconds : targetSeconds,
            periodLabel: "\(report.period.start) to \(report.period.end)").render()
        let bands = logonP90.map { indicator in (2...5).compactMap { level in indicator.thresholds[String(level)].map { (level: level, upTo: $0) } } } ?? []
        out += WeeklyTrendChart(points: trust.weekly, bands: bands, minimumObservations: report.model.minimumObservations).render()
        let rows = [("All sites", trust.statistics.logon.phaseMediansMs)] + trust.sites.map { ($0.site ?? "?", $0.statistics.logon.phaseMediansMs) }
        out += PhaseBreakdownChart(rows: rows).render()
        for metric in [IndicatorMetric.logonP90, .bootP90, .appStartP90] {
            guard let indicator = report.indicators.first(where: { $0.metric == metric.rawValue }) else { continue }
            out += SiteComparisonChart(
                indicator: indicator, trustGrade: trust.indicator(indicator.id),
                sites: trust.sites.compactMap { site in site.indicator(indicator.id).map { (site.site ?? "?", $0) } }).render()
        }
        return out
    }

    private func details() -> String {
        DetailTables(trust: trust).tables().map { table in
            var out = "<h3>\(HTMLText.escape(table.title))</h3>\n<table class=\"details\">\n<thead><tr>"
            out += table.header.enumerated().map { "<th\(table.numeric.contains($0.offset) ? " class=\"num\"" : "")>\(HTMLText.escape($0.element))</th>" }.joined()
            out += "</tr></thead>\n<tbody>\n"
            for row in table.rows {
                out += "<tr>" + row.enumerated().map { "<td\(table.numeric.contains($0.offset) ? " class=\"num\"" : "")>\(HTMLText.escape($0.element))</td>" }.joined() + "</tr>\n"
            }
            return out + "</tbody>\n</table>\n"
        }.joined()
    }

    private func siteTable() -> String {
        var out = "<table class=\"sites\">\n<thead><tr><th>Site</th><th class=\"num\">Devices</th><th>Overall</th>"
        out += trust.indicators.map { "<th>\(HTMLText.escape($0.title))</th>" }.joined()
        out += "</tr></thead>\n<tbody>\n"
        for site in trust.sites {
            out += "<tr><td><strong>\(HTMLText.escape(site.label))</strong></td><td class=\"num\">\(site.devicesReporting)</td>"
            out += "<td class=\"level\" title=\"\(HTMLText.escape(site.overall.reason))\">\(Self.pill(site.overall.level, status: site.overall.status))</td>"
            for indicator in site.indicators {
                out += "<td class=\"level\" title=\"\(HTMLText.escape(indicator.reason))\">\(Self.pill(indicator.level, status: indicator.status))</td>"
            }
            out += "</tr>\n"
        }
        out += "</tbody>\n</table>\n<p class=\"note\">Hover over a level for its reason. – insufficient data; n/a not measured per site.</p>\n"
        return out
    }

    static func pill(_ level: Int?, status: GradeStatus) -> String {
        guard let level else {
            return "<span class=\"pill level-none\" title=\"\(status.rawValue.replacingOccurrences(of: "_", with: " "))\">\(status == .notAvailable ? "n/a" : "–")</span>"
        }
        return "<span class=\"pill \(LevelPalette.className(level))\">\(level)</span>"
    }

    static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.uppercased() + text.dropFirst() + (text.hasSuffix(".") ? "" : ".")
    }
}
