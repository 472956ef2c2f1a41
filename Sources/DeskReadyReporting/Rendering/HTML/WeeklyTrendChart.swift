/// Logon p50 and p90 week by week over the previous and the current period, over the level bands of logon p90.
struct WeeklyTrendChart {
    var points: [WeeklyPoint]
    /// Logon p90 thresholds for levels 5, 4, 3, 2 (lower is better), when the model grades logon p90.
    var bands: [(level: Int, upTo: Double)]
    var minimumObservations: Int

    func render() -> String {
        let title = "Weekly trend of logon times"
        let values = points.flatMap { [$0.logonP50Seconds, $0.logonP90Seconds].compactMap { $0 } }
        guard !values.isEmpty else {
            return SVG.figure(title: title, note: "No week has \(minimumObservations) or more logons yet.", "<p class=\"empty\">insufficient data</p>")
        }
        let width = 560.0, height = 270.0
        let left = 48.0, right = 16.0, top = 28.0, bottom = 44.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let ticks = SVG.ticks(upTo: (values.max() ?? 1) * 1.1, count: 5)
        let yMax = ticks.last ?? 1
        func y(_ seconds: Double) -> Double { top + plotHeight - min(seconds, yMax) / yMax * plotHeight }
        let slot = plotWidth / Double(max(points.count, 1))
        func x(_ index: Int) -> Double { left + (Double(index) + 0.5) * slot }
        var body: [String] = []
        var lower = 0.0
        for band in bands.sorted(by: { $0.upTo < $1.upTo }) where lower < yMax {
            body.append(SVG.rect(left, y(band.upTo), plotWidth, y(lower) - y(band.upTo), fill: LevelPalette.tint(band.level),
                                 title: "logon p90 level \(band.level)"))
            body.append(SVG.text(width - right - 4, max(y(min(band.upTo, yMax)) + 12, top + 12), "L\(band.level)", anchor: "end", size: 10, fill: "#616e7c"))
            lower = band.upTo
        }
        if lower < yMax, !bands.isEmpty {
            body.append(SVG.rect(left, top, plotWidth, y(lower) - top, fill: LevelPalette.tint(1), title: "logon p90 level 1"))
            body.append(SVG.text(width - right - 4, top + 12, "L1", anchor: "end", size: 10, fill: "#616e7c"))
        }
        for tick in ticks {
            body.append(SVG.line(left, y(tick), width - right, y(tick), stroke: "#ffffff", width: 0.8))
            body.append(SVG.text(left - 6, y(tick) + 4, ValueFormat.oneDecimal(tick), anchor: "end", size: 11))
        }
        if let firstCurrent = points.firstIndex(where: { !$0.previousPeriod }), firstCurrent > 0 {
            let divider = left + Double(firstCurrent) * slot
            body.append(SVG.line(divider, top - 6, divider, top + plotHeight, stroke: "#52606d", dash: "4 3"))
            body.append(SVG.text(divider - 6, top - 10, "previous period", anchor: "end", size: 11))
            body.append(SVG.text(divider + 6, top - 10, "this period", size: 11, weight: "600"))
        }
        for (index, point) in points.enumerated() where index % max(1, points.count / 8) == 0 {
            body.append(SVG.text(x(index), top + plotHeight + 15, HTMLText.shortDay(point.range.start), anchor: "middle", size: 11))
        }
        body.append(SVG.line(left, top + plotHeight, width - right, top + plotHeight, stroke: "#7b8794"))
        body.append(series(points.map(\.logonP90Seconds), x: x, y: y, color: "#1f2933", dash: nil, name: "p90"))
        body.append(series(points.map(\.logonP50Seconds), x: x, y: y, color: "#2f6f9f", dash: "6 4", name: "p50"))
        body.append(SVG.legend([("#1f2933", "p90 (graded)"), ("#2f6f9f", "p50 (median)")], x: left, y: height - 8))
        body.append(SVG.text(width - right, height - 8, "seconds, weeks starting", anchor: "end", size: 11))
        let note = "Logon p90 and median per week; shaded bands are the levels of logon p90. Weeks with fewer than \(minimumObservations) logons are left blank."
        return SVG.figure(title: title, note: note, SVG.svg(width: width, height: height, label: "\(title). \(note)", body))
    }

    /// A line through the weeks that have a value, broken where one has none, with a dot per week.
    private func series(_ values: [Double?], x: (Int) -> Double, y: (Double) -> Double, color: String, dash: String?, name: String) -> String {
        var out = ""
        var path = ""
        var penDown = false
        for (index, value) in values.enumerated() {
            guard let value else {
                penDown = false
                continue
            }
            path += (penDown ? "L" : "M") + "\(SVG.n(x(index))),\(SVG.n(y(value))) "
            penDown = true
            out += "<circle cx=\"\(SVG.n(x(index)))\" cy=\"\(SVG.n(y(value)))\" r=\"3.5\" fill=\"\(color)\"><title>\(name) \(HTMLText.escape(ValueFormat.seconds(value)))</title></circle>"
        }
        let dashing = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        guard !path.isEmpty else { return out }
        return "<path d=\"\(path.dropLast())\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dashing)/>" + out
    }
}
