import DeskReadyModel

/// `SystemTime` and FILETIME data values as the renderers write them: `2020-10-09T02:55:51.9555512Z`,
/// `2024-11-14 16:18:01.391449+00:00`, `2021-02-15 12:20:44.2547237` (no zone: UTC), with 0 to 9 fraction digits.
public enum WindowsTimestamp {
    /// Microseconds since the Unix epoch (UTC), or nil when the text is not such a time.
    public static func parseMicroseconds(_ text: String) -> Int64? {
        let bytes = Array(text.trimmed.utf8)
        guard bytes.count >= 19, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54 || bytes[10] == 0x20 || bytes[10] == 0x74,
              bytes[13] == 0x3A, bytes[16] == 0x3A,
              let year = digits(bytes, 0, 4), let month = digits(bytes, 5, 2), let day = digits(bytes, 8, 2),
              let dayMs = dayMs(year: year, month: month, day: day),
              let hour = digits(bytes, 11, 2), let minute = digits(bytes, 14, 2), let second = digits(bytes, 17, 2),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var fractionUs: Int64 = 0
        if i < bytes.count, bytes[i] == 0x2E {
            i += 1
            var scale: Int64 = 100_000
            let start = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                fractionUs += Int64(bytes[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i - start <= 9 else { return nil }
        }
        var offsetMinutes: Int64 = 0
        if i < bytes.count {
            switch bytes[i] {
            case 0x5A, 0x7A: // Z
                i += 1
            case 0x2B, 0x2D: // +hh:mm or -hh:mm (or +hhmm)
                let sign: Int64 = bytes[i] == 0x2D ? -1 : 1
                guard let hours = digits(bytes, i + 1, 2) else { return nil }
                var next = i + 3
                if next < bytes.count, bytes[next] == 0x3A { next += 1 }
                guard let minutes = digits(bytes, next, 2) else { return nil }
                offsetMinutes = sign * (hours * 60 + minutes)
                i = next + 2
            default:
                return nil
            }
        }
        guard i == bytes.count else { return nil }
        let seconds = hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return dayMs * 1000 + seconds * 1_000_000 + fractionUs
    }

    /// Midnight UTC of a calendar day in Unix milliseconds, or nil when it is not a real date.
    private static func dayMs(year: Int64, month: Int64, day: Int64) -> Int64? {
        guard (1...12).contains(month), day >= 1, day <= CivilDay.daysIn(month: month, year: year) else { return nil }
        return CivilDay.midnightMs(year: year, month: month, day: day)
    }

    private static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int64? {
        guard start + count <= bytes.count else { return nil }
        var value: Int64 = 0
        for byte in bytes[start..<(start + count)] {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return value
    }
}
