import DeskReadyStore

/// Bins completed logon durations for the distribution chart: 10 s bins up to 2 minutes, then one bin for the rest.
enum LogonHistogram {
    static let binSeconds: Int64 = 10
    static let bins = 12

    static func bins(_ durations: TimingHistogram) -> [HistogramBin] {
        (0...bins).map { index in
            let lower = Int64(index) * binSeconds * 1000
            let upper = index == bins ? nil : lower + binSeconds * 1000
            return HistogramBin(
                lowerSeconds: Double(lower) / 1000, upperSeconds: upper.map { Double($0) / 1000 },
                count: durations.count(fromMs: lower, toMs: upper))
        }
    }
}
