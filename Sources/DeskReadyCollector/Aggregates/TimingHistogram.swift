import Foundation
import Histogram

/// A distribution of durations in milliseconds at HDR precision (three significant digits: any percentile read back
/// is within 0.1% of the exact one). Kept sparse, as the counts of the HDR buckets that were used, so an hour's
/// aggregate of a few events costs a few bytes; percentiles come from hdrhistogram-swift.
public struct TimingHistogram: Sendable, Equatable {
    /// Count per HDR bucket, keyed by the lowest value the bucket holds.
    public private(set) var buckets: [UInt64: UInt64] = [:]
    /// Observations recorded.
    public private(set) var count: Int = 0

    public init() {}

    /// A histogram of `values` (milliseconds; negatives count as 0).
    public init<S: Sequence>(_ values: S) where S.Element == Int64 {
        for value in values { record(value) }
    }

    /// The bucket layout every DeskReady histogram shares: 1 ms to one hour at three significant digits, growing
    /// beyond an hour when a longer duration arrives.
    static let layout: Histogram<UInt64> = {
        var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: .three)
        histogram.autoResize = true
        return histogram
    }()

    public var isEmpty: Bool { count == 0 }

    /// Records one duration.
    public mutating func record(_ valueMs: Int64) {
        add(bucket: Self.layout.lowestEquivalentForValue(UInt64(max(valueMs, 0))), count: 1)
    }

    /// Adds every observation of `other`.
    public mutating func merge(_ other: TimingHistogram) {
        for (bucket, n) in other.buckets { add(bucket: bucket, count: n) }
    }

    mutating func add(bucket: UInt64, count n: UInt64) {
        guard n > 0 else { return }
        buckets[bucket, default: 0] += n
        count += Int(n)
    }

    /// The p-th percentile (0 < p ≤ 100) by the nearest-rank method, or nil when empty. The value is the lowest of
    /// its HDR bucket, so it is never above the exact percentile and at most 0.1% below it: a trust is never graded
    /// down by the histogram's rounding.
    public func percentile(_ p: Double) -> Int64? {
        percentiles([p])[0]
    }

    /// Several percentiles at once (one pass to build the histogram).
    public func percentiles(_ ps: [Double]) -> [Int64?] {
        guard count > 0 else { return ps.map { _ in nil } }
        let histogram = materialized()
        return ps.map { Int64(histogram.lowestEquivalentForValue(histogram.valueAtPercentile($0))) }
    }

    /// The share of observations at or below `limitMs`, 0 to 1; nil when empty. Observations in the bucket holding
    /// the limit count as at or below it (the bucket is at most 0.1% of the limit wide).
    public func share(atOrBelow limitMs: Int64) -> Double? {
        guard count > 0 else { return nil }
        let limit = UInt64(max(limitMs, 0))
        let within = buckets.reduce(UInt64(0)) { $0 + ($1.key <= limit ? $1.value : 0) }
        return Double(within) / Double(count)
    }

    /// Observations in `[lowerMs, upperMs)`; `upperMs` nil for no upper bound.
    public func count(fromMs lowerMs: Int64, toMs upperMs: Int64?) -> Int {
        Int(buckets.reduce(UInt64(0)) { total, entry in
            let inRange = entry.key >= UInt64(max(lowerMs, 0)) && upperMs.map { entry.key < UInt64(max($0, 0)) } ?? true
            return total + (inRange ? entry.value : 0)
        })
    }

    /// The same observations in a full hdrhistogram-swift histogram.
    public func materialized() -> Histogram<UInt64> {
        var histogram = Self.layout
        for (bucket, n) in buckets { _ = histogram.record(bucket, count: n) }
        return histogram
    }
}
