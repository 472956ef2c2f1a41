import DeskReadyModel

/// Splits a period into weeks from its first millisecond; the last week is shorter when the period isn't whole weeks.
enum WeekWindows {
    static let weekMs: Int64 = 7 * UTCTime.dayMs

    static func split(fromMs: Int64, toMs: Int64) -> [ReportRange] {
        stride(from: fromMs, to: toMs, by: Int(weekMs)).map { ReportRange(fromMs: $0, toMs: min($0 + weekMs, toMs)) }
    }
}
