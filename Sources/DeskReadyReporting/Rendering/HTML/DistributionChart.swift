/// Histogram of completed logon times for the period, with the logon target marked.
struct DistributionChart {
    var bins: [HistogramBin]
    var targetSeconds: Double?
    var periodLabel: String

    func render() -> String {
        let title = "Logon time distribution"
        let total = bins.reduce(0) { $0 + $1.count }
        guard total > 0 else {
            return SVG.figure(title: title, note: "Too few completed logons in \(periodLabel) to draw the distribution.", "<p class=\"empty\">insufficient data</p>")
        }
        let width = 560.0, height = 270.0
        let left = 48.0, right = 12.0, top = 18.0, bottom = 44.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let ticks = SVG.ticks(upTo: Double(bins.map(\.count).max() ?? 1), count: 4)
        let yMax = ticks.last ?? 1
        let slot = plotWidth / Double(bins.count)
        func y(_ count: Double) -> Double { top + plotHeight - count / yMax * plotHeight }
        var body: [String] = []
        for tick in ticks {
            body.append(SVG.line(left, y(tick), width - right, y(tick), stroke: "#e4e7eb"))
            body.append(SVG.text(left - 6, y(tick) + 4, ValueFormat.oneDecimal(tick), anchor: "end", size: 11))
        }
        for (index, bin) in bins.enumerated() {
            let x = left + Double(index) * slot
            let within = targetSeconds.map { (bin.upperSeconds ?? .infinity) <= $0 } ?? true
            let label = bin.upperSeconds.map { "\(ValueFormat.oneDecimal(bin.lowerSeconds))–\(ValueFormat.oneDecimal($0)) s" }
                ?? "\(ValueFormat.oneDecimal(bin.lowerSeconds)) s or more"
            body.append(SVG.rect(x + 2, y(Double(bin.count)), slot - 4, top + plotHeight - y(Double(bin.count)),
                                 fill: within ? "#2f6f9f" : "#e8710a", title: "\(label): \(bin.count) logons"))
            if index % 2 == 0 || bin.upperSeconds == nil {
                let tickLabel = bin.upperSeconds == nil ? "\(ValueFormat.oneDecimal(bin.lowerSeconds))+" : ValueFormat.oneDecimal(bin.lowerSeconds)
                body.append(SVG.text(x, top + plotHeight + 15, tickLabel, anchor: "middle", size: 11))
            }
        }
        body.append(SVG.line(left, top + plotHeight, width - right, top + plotHeight, stroke: "#7b8794"))
        if let target = targetSeconds, let index = bins.firstIndex(where: { ($0.upperSeconds ?? .infinity) > target }) {
            let bin = bins[index]
            let fraction = bin.upperSeconds.map { (target - bin.lowerSeconds) / ($0 - bin.lowerSeconds) } ?? 0
            let x = left + (Double(index) + min(max(fraction, 0), 1)) * slot
            body.append(SVG.line(x, top - 4, x, top + plotHeight, stroke: "#1f2933", width: 1.5, dash: "5 3"))
            body.append(SVG.text(x + 4, top + 8, "target \(ValueFormat.seconds(target))", size: 11, weight: "600", fill: "#1f2933"))
        }
        body.append(SVG.text(left + plotWidth / 2, height - 8, "seconds from credentials to a responsive desktop", anchor: "middle", size: 11))
        body.append(SVG.text(12, top + plotHeight / 2, "logons", anchor: "middle", size: 11).replacingOccurrences(
            of: "<text ", with: "<text transform=\"rotate(-90 12 \(SVG.n(top + plotHeight / 2)))\" "))
        let within = targetSeconds.map { target in bins.filter { ($0.upperSeconds ?? .infinity) <= target }.reduce(0) { $0 + $1.count } }
        let note = "\(total) completed logons in \(periodLabel), in 10-second bins" + (within.map { count in
            "; \(ValueFormat.percent(Double(count) / Double(total) * 100)) within the target (blue), the rest orange" } ?? "") + "."
        return SVG.figure(title: title, note: note, SVG.svg(width: width, height: height, label: "\(title): \(note)", body))
    }
}
