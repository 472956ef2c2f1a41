import DeskReadyCollector

/// Joins timing series read for several windows (weeks) into one series per trust, site, kind and name.
enum SeriesMerger {
    static func merge(_ parts: [[TimingSeries]]) -> [TimingSeries] {
        var merged: [String: TimingSeries] = [:]
        for series in parts.joined() {
            let key = "\(series.trust)\u{1F}\(series.site)\u{1F}\(series.kind.rawValue)\u{1F}\(series.name)"
            guard var entry = merged[key] else {
                merged[key] = series
                continue
            }
            entry.durationsMs += series.durationsMs
            entry.failures += series.failures
            entry.incomplete += series.incomplete
            for (phase, values) in series.phasesMs { entry.phasesMs[phase, default: []] += values }
            entry.devices.formUnion(series.devices)
            merged[key] = entry
        }
        return merged.values.sorted { ($0.trust, $0.site, $0.kind.rawValue, $0.name) < ($1.trust, $1.site, $1.kind.rawValue, $1.name) }
    }
}
