import Foundation
import Histogram

/// A distribution of durations in milliseconds at HDR precision (three significant digits: any percentile read back
/// is within 0.1% of the exact one). Kept sparse, as the counts of the HDR buckets that were used, in increasing
/// order, so an hour's aggregate of a few events costs a few bytes and merging two is one pass over both. The bucket
/// layout is hdrhistogram-swift's, and percentiles are read the way it reads them.
public struct TimingHistogram: Sendable, Equatable {
    /// The lowest value of each used HDR bucket, increasing.
    public internal(set) var bucketValues: [UInt64] = []
    /// The count of each bucket in `bucketValues`.
    public internal(set) var bucketCounts: [UInt64] = []
    /// Observations recorded.
    public internal(set) var count: Int = 0

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

    /// Count per bucket, keyed by the bucket's lowest value.
    public var buckets: [UInt64: UInt64] { Dictionary(uniqueKeysWithValues: zip(bucketValues, bucketCounts)) }

    /// Records one duration.
    public mutating func record(_ valueMs: Int64) {
        add(bucket: Self.layout.lowestEquivalentForValue(UInt64(max(valueMs, 0))), count: 1)
    }

    /// Adds every observation of `other`.
    public mutating func merge(_ other: TimingHistogram) {
        guard !other.isEmpty else { return }
        guard !isEmpty else {
            self = other
            return
        }
        if other.bucketValues.count <= 4 {
            for index in other.bucketValues.indices { add(bucket: other.bucketValues[index], count: other.bucketCounts[index]) }
        } else {
            mergeSorted(other.bucketValues, other.bucketCounts)
        }
    }

    /// Adds `n` observations to the bucket whose lowest value is `bucket`.
    mutating func add(bucket: UInt64, count n: UInt64) {
        guard n > 0 else { return }
        count += Int(n)
        if let last = bucketValues.last, bucket <= last {
            let index = Self.lowerBound(bucketValues, bucket)
            if bucketValues[index] == bucket {
                bucketCounts[index] += n
            } else {
                bucketValues.insert(bucket, at: index)
                bucketCounts.insert(n, at: index)
            }
        } else {
            bucketValues.append(bucket)
            bucketCounts.append(n)
        }
    }

    /// Merges buckets already in increasing order, in one pass.
    package mutating func mergeSorted(_ values: [UInt64], _ counts: [UInt64]) {
        var mergedValues: [UInt64] = []
        var mergedCounts: [UInt64] = []
        mergedValues.reserveCapacity(bucketValues.count + values.count)
        mergedCounts.reserveCapacity(bucketValues.count + values.count)
        var i = 0
        var j = 0
        while i < bucketValues.count || j < values.count {
            if j == values.count || (i < bucketValues.count && bucketValues[i] < values[j]) {
                mergedValues.append(bucketValues[i])
                mergedCounts.append(bucketCounts[i])
                i += 1
            } else if i == bucketValues.count || values[j] < bucketValues[i] {
                mergedValues.append(values[j])
                mergedCounts.append(counts[j])
                count += Int(counts[j])
                j += 1
            } else {
                mergedValues.append(values[j])
                mergedCounts.append(bucketCounts[i] + counts[j])
                count += Int(counts[j])
                i += 1
                j += 1
            }
        }
        bucketValues = mergedValues
        bucketCounts = mergedCounts
    }

    static func lowerBound(_ values: [UInt64], _ target: UInt64) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The p-th percentile (0 < p ≤ 100) by the nearest-rank method, or nil when empty. The value is the lowest of
    /// its HDR bucket, so it is never above the exact percentile and at most 0.1% below it: a trust is never graded
    /// down by the histogram's rounding.
    public func percentile(_ p: Double) -> Int64? {
        percentiles([p])[0]
    }

    /// Several percentiles at once. The rank is hdrhistogram-swift's (`valueAtPercentile`): the smallest bucket
    /// holding at least p% of the observations; a test checks the two agree.
    public func percentiles(_ ps: [Double]) -> [Int64?] {
        guard count > 0 else { return ps.map { _ in nil } }
        return ps.map { p in
            let requested = min(max(p.nextDown, 0), 100)
            let rank = max(1, UInt64((requested * Double(count) / 100).rounded(.up)))
            var seen: UInt64 = 0
            for index in bucketCounts.indices {
                seen += bucketCounts[index]
                if seen >= rank { return Int64(bucketValues[index]) }
            }
            return Int64(bucketValues[bucketValues.count - 1])
        }
    }

    /// The share of observations at or below `limitMs`, 0 to 1; nil when empty. Observations in the bucket holding
    /// the limit count as at or below it (the bucket is at most 0.1% of the limit wide).
    public func share(atOrBelow limitMs: Int64) -> Double? {
        guard count > 0 else { return nil }
        return Double(self.count(fromMs: 0, toMs: limitMs + 1)) / Double(count)
    }

    /// Observations in buckets starting in `[lowerMs, upperMs)`; `upperMs` nil for no upper bound.
    public func count(fromMs lowerMs: Int64, toMs upperMs: Int64?) -> Int {
        let from = Self.lowerBound(bucketValues, UInt64(max(lowerMs, 0)))
        let to = upperMs.map { Self.lowerBound(bucketValues, UInt64(max($0, 0))) } ?? bucketValues.count
        guard from < to else { return 0 }
        return Int(bucketCounts[from..<to].reduce(0, +))
    }

    /// The same observations in a full hdrhistogram-swift histogram.
    public func materialized() -> Histogram<UInt64> {
        var histogram = Self.layout
        for index in bucketValues.indices { _ = histogram.record(bucketValues[index], count: bucketCounts[index]) }
        return histogram
    }
}
