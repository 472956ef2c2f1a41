/// A report renderer that keeps graded trusts between requests, and says how that goes, for `/metrics`.
public protocol ReportCacheStatistics: Sendable {
    /// Counts since the start; nil when it keeps nothing.
    func reportCacheCounts() async -> ReportCacheCounts?
}

/// Reads answered from kept grades and reads that had to grade, since the start, and what is kept now.
public struct ReportCacheCounts: Sendable, Equatable {
    public var hits: Int
    public var misses: Int
    public var wholeReports: Int
    public var periodGrades: Int

    public init(hits: Int, misses: Int, wholeReports: Int, periodGrades: Int) {
        self.hits = hits
        self.misses = misses
        self.wholeReports = wholeReports
        self.periodGrades = periodGrades
    }
}
