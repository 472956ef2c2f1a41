/// Exact percentiles (the reference the histograms are checked against) by the nearest-rank method: the smallest value with at least p% of the values at or below it.
public struct ExactPercentiles: Sendable {
    public let sorted: [Int64]

    public init(_ values: [Int64]) {
        sorted = values.sorted()
    }

    public var count: Int { sorted.count }

    /// The p-th percentile (0 < p ≤ 100), or nil when there are no values.
    public func value(_ p: Double) -> Int64? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// The share of values at or below `limit`, from 0 to 1.
    public func share(atOrBelow limit: Int64) -> Double? {
        guard !sorted.isEmpty else { return nil }
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] <= limit { low = mid + 1 } else { high = mid }
        }
        return Double(low) / Double(sorted.count)
    }
}
