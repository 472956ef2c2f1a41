import DeskReadyModel

#if canImport(Glibc)
import Glibc
#endif

/// The agent's log lines on standard error: a level and an RFC 3339 UTC timestamp on every line, as text
/// (`2026-11-29T03:20:00.123Z warning upload failed …`) or, with `--log-format json`, one JSON object per line as the
/// collector writes them (`{"ts":…,"level":…,"msg":…, fields…}`). journald keeps either.
public struct AgentLog: Sendable {
    /// How serious a line is.
    public enum Level: String, Sendable {
        case info, warning, error
    }

    /// Text or JSON lines.
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public let format: Format
    let write: @Sendable (String) -> Void

    /// A log writing to standard error, or to `write` (tests).
    public init(format: Format, write: @escaping @Sendable (String) -> Void = AgentLog.standardError) {
        self.format = format
        self.write = write
    }

    /// Writes one line with its fields (kept in order).
    public func log(_ level: Level, _ message: String, _ fields: [(String, String)] = [], nowMs: Int64 = WallClock.nowMs()) {
        let time = Self.rfc3339(nowMs)
        switch format {
        case .text:
            let extra = fields.map { " \($0.0)=\($0.1.contains(" ") ? "\"\($0.1)\"" : $0.1)" }.joined()
            write("\(time) \(level.rawValue) \(message)\(extra)\n")
        case .json:
            var line: [UInt8] = Array("{\"ts\":\"\(time)\",\"level\":\"\(level.rawValue)\",\"msg\":".utf8) + JSONText.quoted(message)
            for (key, value) in fields { line += Array(",".utf8) + JSONText.quoted(key) + Array(":".utf8) + JSONText.quoted(value) }
            write(String(decoding: line + Array("}\n".utf8), as: UTF8.self))
        }
    }

    /// `2026-11-29T03:20:00.123Z`.
    public static func rfc3339(_ ms: Int64) -> String {
        var seconds = time_t(ms / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millis = Int(ms % 1000)
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }

    @Sendable public static func standardError(_ line: String) {
        var line = line
        line.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
