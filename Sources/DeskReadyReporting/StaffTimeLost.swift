import DeskReadyModel
import DeskReadyStore

/// The time staff spent waiting for their computers in a period, per week: the figure a CIO weighs against the cost
/// of fixing it. Counted over completed logons (all of them, first logons included: people waited) and application
/// starts that became ready; for each, the whole wait, and the part beyond its target. Boots (often nobody waits at
/// the machine), screen unlocks, incomplete logons and application starts that timed out or failed are not counted,
/// so both figures are lower bounds.
public struct StaffTimeLost: Codable, Sendable, Equatable {
    /// Hours per week waited on logons and application starts.
    public var waitedHoursPerWeek: Double
    /// Hours per week waited beyond the targets: for each logon and application start, its time above its target.
    public var beyondTargetHoursPerWeek: Double
    /// Logons and application starts counted.
    public var logons: Int
    public var applicationStarts: Int
    /// The targets the time beyond is measured against.
    public var logonTargetMs: Int64
    public var applicationTargetMs: Int64
    /// Length of the period in weeks (days / 7): the totals are divided by it.
    public var weeks: Double
    /// The assumptions, in words, as every format states them.
    public var assumptions: String

    enum CodingKeys: String, CodingKey {
        case waitedHoursPerWeek = "waited_hours_per_week"
        case beyondTargetHoursPerWeek = "beyond_target_hours_per_week"
        case logons
        case applicationStarts = "application_starts"
        case logonTargetMs = "logon_target_ms"
        case applicationTargetMs = "application_target_ms"
        case weeks, assumptions
    }

    /// From the period's logon and application-start durations; nil when there is nothing to count.
    init?(logons: TimingHistogram, applicationStarts: TimingHistogram, logonTargetMs: Int64, applicationTargetMs: Int64,
          fromMs: Int64, toMs: Int64) {
        guard logons.count + applicationStarts.count > 0, toMs > fromMs else { return nil }
        weeks = Double(toMs - fromMs) / 604_800_000
        let hour = Double(UTCTime.hourMs)
        let waitedMs = Self.total(logons, above: 0) + Self.total(applicationStarts, above: 0)
        let beyondMs = Self.total(logons, above: logonTargetMs) + Self.total(applicationStarts, above: applicationTargetMs)
        waitedHoursPerWeek = waitedMs / hour / weeks
        beyondTargetHoursPerWeek = beyondMs / hour / weeks
        self.logons = logons.count
        self.applicationStarts = applicationStarts.count
        self.logonTargetMs = logonTargetMs
        self.applicationTargetMs = applicationTargetMs
        assumptions = "Completed logons (first logons included) and application starts that became ready, each counted "
            + "once; beyond target is each one's time above \(logonTargetMs / 1000) s for a logon and \(applicationTargetMs / 1000) s "
            + "for an application start. Boots, screen unlocks, incomplete logons and failed or timed-out starts are not "
            + "counted, so both are lower bounds. Per week: the period's total divided by its \(Self.format(weeks)) weeks."
    }

    /// The sum of each observation's time above `threshold` (ms), from the histogram's buckets (within 0.1%).
    static func total(_ histogram: TimingHistogram, above threshold: Int64) -> Double {
        zip(histogram.bucketValues, histogram.bucketCounts).reduce(0) { sum, bucket in
            sum + Double(max(0, Int64(bucket.0) - threshold)) * Double(bucket.1)
        }
    }

    static func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }
}
