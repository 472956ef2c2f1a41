/// UTC calendar days as `YYYY-MM-DD` and times as `YYYY-MM-DDTHH:MM:SSZ`, from and to Unix milliseconds, without
/// Foundation's calendars.
public enum CivilDay {
    /// Midnight UTC of the day, in Unix milliseconds, or nil when the text is not a real date.
    public static func parse(_ text: String) -> Int64? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
              let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        return midnightMs(year: year, month: month, day: day)
    }

    /// Midnight UTC of a valid calendar day, in Unix milliseconds (days from civil, Howard Hinnant's algorithm).
    public static func midnightMs(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return (era * 146_097 + doe - 719_468) * UTCTime.dayMs
    }

    /// `YYYY-MM-DD` of the UTC day that holds `ms` (the inverse of `parse`).
    public static func format(_ ms: Int64) -> String {
        let (y, m, d) = civil(floorDiv(ms, UTCTime.dayMs))
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` of the UTC moment `ms` (whole seconds, rounded down).
    public static func dateTime(_ ms: Int64) -> String {
        let seconds = floorDiv(ms, 1000)
        let daySeconds = seconds - floorDiv(seconds, 86_400) * 86_400
        return "\(format(ms))T\(pad(daySeconds / 3600, 2)):\(pad(daySeconds % 3600 / 60, 2)):\(pad(daySeconds % 60, 2))Z"
    }

    /// Days in a month of a year (Gregorian).
    public static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Year, month, day from days since 1970-01-01 (Howard Hinnant's algorithm).
    static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    static func pad(_ v: Int64, _ width: Int) -> String {
        let text = String(v)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
