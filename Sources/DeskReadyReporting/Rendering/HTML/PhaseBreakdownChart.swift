import DeskReadyModel

/// Where logon time goes: the median of each logon phase, stacked, for the whole trust and each site.
struct PhaseBreakdownChart {
    /// Rows to draw: a label and the phase medians in milliseconds (empty when there are too few logons).
    var rows: [(label: String, phasesMs: [String: Int64])]

    /// Linux phases (`LogonPhase`), then the Windows ones (`WindowsLogonPhase`; `authentication` is shared).
    static let allPhases: [(key: String, label: String, color: String)] = [
        (LogonPhase.authentication.rawValue, "authentication", "#6c5ce7"),
        (LogonPhase.sessionStart.rawValue, "session start", "#2f6f9f"),
        (LogonPhase.responsive.rawValue, "until responsive", "#48a9a6"),
        (WindowsLogonPhase.profileLoad.rawValue, "profile load", "#c0392b"),
        (WindowsLogonPhase.groupPolicy.rawValue, "group policy", "#e67e22"),
        (WindowsLogonPhase.shellStart.rawValue, "shell start", "#f1c40f"),
        (WindowsLogonPhase.desktopReady.rawValue, "desktop ready", "#27ae60"),
        (WindowsLogonPhase.unattributed.rawValue, "unattributed", "#95a5a6"),
    ]

    /// The phases any row has, in order.
    var phases: [(key: String, label: String, color: String)] {
        Self.allPhases.filter { phase in rows.contains { $0.phasesMs[phase.key] != nil } }
    }

    func render() -> String {
        let title = "Where logon time goes, by site"
        let phases = self.phases
        let totals = rows.map { row in phases.reduce(0.0) { $0 + Double(row.phasesMs[$1.key] ?? 0) / 1000 } }
        guard let longest = totals.max(), longest > 0 else {
            return SVG.figure(title: title, note: "Too few logons with phases to show where the time goes.", "<p class=\"empty\">insufficient data</p>")
        }
        let rowHeight = 30.0
        let left = 92.0, right = 58.0, top = 12.0, bottom = 52.0
        let width = 560.0
        let height = top + bottom + rowHeight * Double(rows.count)
        let plotWidth = width - left - right
        let ticks = SVG.ticks(upTo: longest, count: 5)
        let xMax = ticks.last ?? 1
        func x(_ seconds: Double) -> Double { left + seconds / xMax * plotWidth }
        var body: [String] = []
        for tick in ticks {
            body.append(SVG.line(x(tick), top, x(tick), height - bottom, stroke: "#e4e7eb"))
            body.append(SVG.text(x(tick), height - bottom + 15, ValueFormat.oneDecimal(tick), anchor: "middle", size: 11))
        }
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            body.append(SVG.text(left - 8, y + rowHeight / 2 + 4, row.label, anchor: "end", size: 12, weight: index == 0 ? "600" : "normal"))
            guard totals[index] > 0 else {
                body.append(SVG.text(left + 4, y + rowHeight / 2 + 4, "insufficient data", size: 11, fill: "#7b8794"))
                continue
            }
            var start = 0.0
            for phase in phases {
                let seconds = Double(row.phasesMs[phase.key] ?? 0) / 1000
                body.append(SVG.rect(x(start), y + 5, x(start + seconds) - x(start), rowHeight - 10, fill: phase.color,
                                     title: "\(row.label) \(phase.label): median \(ValueFormat.seconds(seconds))"))
                start += seconds
            }
            body.append(SVG.text(x(start) + 5, y + rowHeight / 2 + 4, ValueFormat.seconds(start), size: 11, weight: "600"))
        }
        body.append(SVG.legend(phases.map { ($0.color, $0.label) }, x: left, y: height - 10))
        body.append(SVG.text(width - 8, height - 10, "seconds (median)", anchor: "end", size: 11))
        let note = "Median of each phase of completed logons: on Linux authentication (PAM), session start (to the desktop) and until the desktop is responsive; on Windows authentication, profile load, group policy the logon waited for, shell start, desktop ready and time no phase covers. Medians of phases add up to about, not exactly, the median logon."
        return SVG.figure(title: title, note: note, SVG.svg(width: width, height: height, label: "\(title). \(note)", body))
    }
}
