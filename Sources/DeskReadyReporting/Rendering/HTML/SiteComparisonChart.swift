/// One indicator compared across a trust's sites: a bar per site coloured by its level, with the level thresholds.
struct SiteComparisonChart {
    var indicator: IndicatorDescription
    var trustGrade: GradedIndicator?
    /// Each site's code and grade of this indicator.
    var sites: [(site: String, grade: GradedIndicator)]

    func render() -> String {
        let title = "\(indicator.title.prefix(1).uppercased() + indicator.title.dropFirst()) by site"
        let values = sites.compactMap(\.grade.value) + (trustGrade?.value.map { [$0] } ?? [])
        guard !values.isEmpty else {
            return SVG.figure(title: title, note: "No site has enough observations to compare.", "<p class=\"empty\">insufficient data</p>")
        }
        let thresholds = (2...5).compactMap { level in indicator.thresholds[String(level)].map { (level, $0) } }
        let shownThresholds = thresholds.filter { $0.1 <= (values.max() ?? 0) * 1.6 || $0.0 == 5 }
        let rowHeight = 28.0
        let left = 92.0, right = 60.0, top = 22.0, bottom = 30.0
        let width = 560.0
        let rows = [("All sites", trustGrade)] + sites.map { ($0.site, Optional($0.grade)) }
        let height = top + bottom + rowHeight * Double(rows.count)
        let plotWidth = width - left - right
        let top100 = indicator.unit == .percent ? 100.0 : 0
        let ticks = SVG.ticks(upTo: max(values.max() ?? 1, shownThresholds.map(\.1).max() ?? 0, top100) * (indicator.unit == .percent ? 1 : 1.05), count: 5)
        let xMax = ticks.last ?? 1
        func x(_ value: Double) -> Double { left + min(value, xMax) / xMax * plotWidth }
        var body: [String] = []
        for tick in ticks {
            body.append(SVG.line(x(tick), top, x(tick), height - bottom, stroke: "#eef0f2"))
            body.append(SVG.text(x(tick), height - bottom + 15, ValueFormat.oneDecimal(tick), anchor: "middle", size: 11))
        }
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            body.append(SVG.text(left - 8, y + rowHeight / 2 + 4, row.0, anchor: "end", size: 12, weight: index == 0 ? "600" : "normal"))
            guard let grade = row.1, let value = grade.value else {
                body.append(SVG.text(left + 4, y + rowHeight / 2 + 4, row.1?.status == .notAvailable ? "not measured" : "insufficient data", size: 11, fill: "#7b8794"))
                continue
            }
            body.append(SVG.rect(left, y + 5, x(value) - left, rowHeight - 10, fill: LevelPalette.fill(grade.level), title: grade.reason))
            body.append(SVG.text(x(value) + 5, y + rowHeight / 2 + 4, "\(ValueFormat.value(value, indicator.unit, distinctFrom: Array(indicator.thresholds.values))) · L\(grade.level.map(String.init) ?? "-")", size: 11, weight: "600"))
        }
        var lastLabel = -Double.infinity
        for (level, threshold) in shownThresholds.sorted(by: { $0.1 < $1.1 }) where threshold <= xMax {
            body.append(SVG.line(x(threshold), top - 6, x(threshold), height - bottom, stroke: "#1f2933", width: 1, dash: "3 3"))
            if x(threshold) - lastLabel >= 16 {
                body.append(SVG.text(x(threshold), top - 9, "L\(level)", anchor: "middle", size: 10, fill: "#1f2933"))
                lastLabel = x(threshold)
            }
        }
        body.append(SVG.text(width - 8, height - 4, indicator.unit.rawValue, anchor: "end", size: 11))
        let side = indicator.direction == .lowerIsBetter ? "at or left of" : "at or right of"
        let note = "Bars coloured by level; a dashed line marks the value needed for a level (\(side) it meets it)."
        return SVG.figure(title: title, note: note, SVG.svg(width: width, height: height, label: "\(title). \(note)", body))
    }
}
