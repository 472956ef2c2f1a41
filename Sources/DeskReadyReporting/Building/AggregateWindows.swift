import DeskReadyModel

/// How long the store keeps its aggregates by resolution (`hourly_retention_days`, `daily_retention_days`; 0 for
/// ever), so a report can say what it read: whole days from the daily rows, hours at the edges only while hourly rows
/// are kept, and nothing before the daily window.
public struct AggregateWindows: Sendable, Equatable {
    public var hourlyDays: Int
    public var dailyDays: Int

    public init(hourlyDays: Int = 0, dailyDays: Int = 0) {
        self.hourlyDays = hourlyDays
        self.dailyDays = dailyDays
    }

    /// The period as it can be read at `nowMs`, and what the report states about it. A period that does not start
    /// and end at midnight is read with its edge hours while they are kept; one that starts before the hourly window
    /// is widened to whole days and read from daily rows only.
    func resolve(_ periods: ReportPeriods, nowMs: Int64) -> (ReportPeriods, ReportAggregates) {
        var periods = periods
        var notes: [String] = []
        let wholeDays = [periods.current.fromMs, periods.current.toMs, periods.previous.fromMs].allSatisfy { $0 % UTCTime.dayMs == 0 }
        var resolution = wholeDays ? "daily" : "hourly"
        if !wholeDays, let horizon = UTCTime.keptFrom(days: hourlyDays, nowMs: nowMs), periods.previous.fromMs < horizon,
           let widened = try? ReportPeriods(fromMs: UTCTime.floorDay(periods.current.fromMs),
                                            toMs: UTCTime.floorDay(periods.current.toMs - 1) + UTCTime.dayMs) {
            periods = widened
            resolution = "daily"
            notes.append("hourly aggregates are kept \(hourlyDays) days, so the period was read as the whole days \(widened.current.start) to \(widened.current.end)")
        }
        if let horizon = UTCTime.keptFrom(days: dailyDays, nowMs: nowMs), periods.previous.fromMs < horizon {
            let part = periods.current.fromMs < horizon ? "the period" : "the previous period"
            notes.append("daily aggregates are kept \(dailyDays) days: \(part) has no data before \(CivilDay.format(horizon))")
        }
        return (periods, ReportAggregates(resolution: resolution, hourlyKeptDays: hourlyDays > 0 ? hourlyDays : nil,
                                          dailyKeptDays: dailyDays > 0 ? dailyDays : nil, note: notes.isEmpty ? nil : notes.joined(separator: "; ")))
    }
}

/// What a report read: `daily` when every part of its periods came from daily rows, `hourly` when hours at their
/// edges were read too; how long each resolution is kept; and a note when that changed what the report covers.
public struct ReportAggregates: Codable, Sendable, Equatable {
    public var resolution: String
    public var hourlyKeptDays: Int?
    public var dailyKeptDays: Int?
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case resolution
        case hourlyKeptDays = "hourly_kept_days"
        case dailyKeptDays = "daily_kept_days"
        case note
    }
}
