import DeskReadyModel
import Testing
@testable import DeskReadyReporting

/// What a report states about the aggregates it read, from the retention windows.
@Suite("Aggregate windows")
struct AggregateWindowsTests {
    static let dayMs = UTCTime.dayMs
    static let today: Int64 = 20_760 * dayMs

    @Test("Whole days read daily rows; a period before the hourly window is widened to whole days and says so")
    func resolution() throws {
        let windows = AggregateWindows(hourlyDays: 35, dailyDays: 730)
        let (whole, wholeNote) = windows.resolve(try ReportPeriods(fromMs: Self.today - 28 * Self.dayMs, toMs: Self.today), nowMs: Self.today)
        #expect(wholeNote == ReportAggregates(resolution: "daily", hourlyKeptDays: 35, dailyKeptDays: 730, note: nil))
        #expect(whole.current.fromMs == Self.today - 28 * Self.dayMs)

        let recent = try ReportPeriods(fromMs: Self.today - 3 * Self.dayMs + 3_600_000, toMs: Self.today - Self.dayMs + 7_200_000)
        let (kept, keptNote) = windows.resolve(recent, nowMs: Self.today)
        #expect(keptNote.resolution == "hourly" && keptNote.note == nil)
        #expect(kept.current == recent.current)

        let old = try ReportPeriods(fromMs: Self.today - 90 * Self.dayMs + 3_600_000, toMs: Self.today - 80 * Self.dayMs + 7_200_000)
        let (widened, widenedNote) = windows.resolve(old, nowMs: Self.today)
        #expect(widenedNote.resolution == "daily")
        #expect(widened.current.fromMs == Self.today - 90 * Self.dayMs && widened.current.toMs == Self.today - 79 * Self.dayMs)
        #expect(widenedNote.note?.contains("hourly aggregates are kept 35 days") == true)

        // A long period whose previous period reaches before the daily window says that part has no data.
        let (_, longNote) = windows.resolve(try ReportPeriods(fromMs: Self.today - 400 * Self.dayMs, toMs: Self.today), nowMs: Self.today)
        #expect(longNote.note == "daily aggregates are kept 730 days: the previous period has no data before \(CivilDay.format(Self.today - 730 * Self.dayMs))")
        // Kept for ever: nothing to say.
        let (_, forever) = AggregateWindows().resolve(try ReportPeriods(fromMs: Self.today - 400 * Self.dayMs, toMs: Self.today), nowMs: Self.today)
        #expect(forever == ReportAggregates(resolution: "daily", hourlyKeptDays: nil, dailyKeptDays: nil, note: nil))
    }
}
