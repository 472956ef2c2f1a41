import DeskReadyStore

/// Joins timing series read for several windows (weeks) into one series per trust, site, kind, name and cohort.
enum SeriesMerger {
    static func merge(_ parts: [[TimingSeries]]) -> [TimingSeries] {
        var merged: [String: TimingSeries] = [:]
        for series in parts.joined() {
            merged[series.key, default: series.emptyCopy].merge(series)
        }
        return merged.values.sorted { $0.key < $1.key }
    }
}

extension TimingSeries {
    /// A series with this one's key and no observations.
    var emptyCopy: TimingSeries { TimingSeries(trust: trust, site: site, kind: kind, name: name, cohort: cohort) }
}
