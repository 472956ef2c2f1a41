/// UTC calendar dates and times from Unix milliseconds, without Foundation's calendars.
public enum CivilDate {
    /// YYYY-MM-DD of the day holding `ms`.
    public static func day(_ ms: Int64) -> String {
        let (y, m, d) = civil(floorDiv(ms, UTCTime.dayMs))
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// YYYY-MM-DDTHH:MM:SSZ.
    public static func dateTime(_ ms: Int64) -> String {
        let seconds = floorDiv(ms, 1000)
        let daySeconds = seconds - floorDiv(seconds, 86_400) * 86_400
        return "\(day(ms))T\(pad(daySeconds / 3600, 2)):\(pad(daySeconds % 3600 / 60, 2)):\(pad(daySeconds % 60, 2))Z"
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
