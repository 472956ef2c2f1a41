/// Whole UTC hours and days in Unix milliseconds: the units aggregates and report periods are cut in.
public enum UTCTime {
    public static let hourMs: Int64 = 3_600_000
    public static let dayMs: Int64 = 86_400_000

    /// Midnight UTC at or before `ms` (floor, also for times before 1970).
    public static func floorDay(_ ms: Int64) -> Int64 {
        ms >= 0 ? ms - ms % dayMs : ms - ((ms % dayMs) + dayMs) % dayMs
    }

    /// Midnight UTC `days` days before today's: the first moment a retention window of `days` days keeps at `nowMs`, or
    /// nil when `days` is 0 (kept for ever). What retention deletes and what a report says was deleted agree by using
    /// this one rule.
    public static func keptFrom(days: Int, nowMs: Int64) -> Int64? {
        days > 0 ? floorDay(nowMs) - Int64(days) * dayMs : nil
    }

    /// The start of the UTC hour at or before `ms`.
    public static func floorHour(_ ms: Int64) -> Int64 {
        ms >= 0 ? ms - ms % hourMs : ms - ((ms % hourMs) + hourMs) % hourMs
    }
}
