/// Bins completed logon durations for the distribution chart: 10 s bins up to 2 minutes, then one bin for the rest.
enum LogonHistogram {
    static let binSeconds = 10.0
    static let bins = 12

    static func bins(_ durationsMs: [Int64]) -> [HistogramBin] {
        var counts = [Int](repeating: 0, count: bins + 1)
        for ms in durationsMs {
            let index = min(Int(Double(max(ms, 0)) / 1000 / binSeconds), bins)
            counts[index] += 1
        }
        return counts.enumerated().map { index, count in
            HistogramBin(
                lowerSeconds: Double(index) * binSeconds, upperSeconds: index == bins ? nil : Double(index + 1) * binSeconds,
                count: count)
        }
    }
}
