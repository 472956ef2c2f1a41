/// Small helpers for drawing SVG charts as text: numbers, scales, axes and wrappers.
enum SVG {
    /// A coordinate with at most one decimal.
    static func n(_ value: Double) -> String { ValueFormat.oneDecimal(value.isFinite ? value : 0) }

    /// About `count` round tick values from 0 to at least `maximum` (1, 2 or 5 times a power of ten apart).
    static func ticks(upTo maximum: Double, count: Int = 5) -> [Double] {
        let top = max(maximum, 1)
        let rough = top / Double(max(count, 1))
        var power = 1.0
        while power * 10 <= rough { power *= 10 }
        while power > rough { power /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? power * 10
        var values: [Double] = []
        var value = 0.0
        while value < top + step * 0.999 && values.count < 50 {
            values.append(value)
            if value >= top { break }
            value += step
        }
        return values
    }

    static func text(_ x: Double, _ y: Double, _ content: String, anchor: String = "start", size: Int = 12,
                     weight: String = "normal", fill: String = "#3e4c59") -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\" font-weight=\"\(weight)\" fill=\"\(fill)\">\(HTMLText.escape(content))</text>"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#cbd2d9", width: Double = 1,
                     dash: String? = nil) -> String {
        let dashing = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        return "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\"\(dashing)/>"
    }

    static func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, fill: String, title: String? = nil) -> String {
        let tooltip = title.map { "<title>\(HTMLText.escape($0))</title>" } ?? ""
        return "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(width, 0)))\" height=\"\(n(max(height, 0)))\" fill=\"\(fill)\">\(tooltip)</rect>"
    }

    /// An `<svg>` scaled to its container, with a title for screen readers.
    static func svg(width: Double, height: Double, label: String, _ body: [String]) -> String {
        "<svg class=\"chart-svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\" font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\"><title>\(HTMLText.escape(label))</title>"
            + body.joined() + "</svg>"
    }

    /// A chart in a figure with its caption and a note under it.
    static func figure(title: String, note: String, _ content: String) -> String {
        "<figure class=\"chart\"><figcaption>\(HTMLText.escape(title))</figcaption>\(content)<p class=\"note\">\(HTMLText.escape(note))</p></figure>\n"
    }

    /// A legend: coloured squares with labels, laid left to right from (x, y).
    static func legend(_ items: [(color: String, label: String)], x: Double, y: Double) -> String {
        var position = x
        var parts: [String] = []
        for item in items {
            parts.append(rect(position, y - 9, 10, 10, fill: item.color))
            parts.append(text(position + 14, y, item.label, size: 11))
            position += 22 + Double(item.label.count) * 6.2
        }
        return parts.joined()
    }
}
