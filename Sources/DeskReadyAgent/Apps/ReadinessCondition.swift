/// How the agent tells that an application it saw start is ready for the user.
///
/// Written in the config as:
/// - `tcp:HOST:PORT` — a TCP port accepts connections (`tcp:127.0.0.1:8080`, `tcp:[::1]:8080`);
/// - `file:PATH` — a file appears;
/// - `log:PATH:TEXT` — a line holding TEXT is appended to a log file (PATH may not hold `:`; TEXT may);
/// - `cpu:PERCENT%:DURATION` — the process's CPU use stays under PERCENT of one core for DURATION (`cpu:10%:2s`);
/// - `window` — the process (or a child of it) maps its first X11 window (`_NET_WM_PID`).
public enum ReadinessCondition: Equatable, Sendable, CustomStringConvertible {
    case tcp(host: String, port: UInt16)
    case file(path: String)
    case log(path: String, text: String)
    case cpu(percent: Double, windowMs: Int64)
    case window

    /// Parses the config form; the error names the accepted forms.
    public static func parse(_ text: String) -> Result<ReadinessCondition, ReadinessSyntaxError> {
        let spec = text.trimmingWhitespace()
        if spec == "window" { return .success(.window) }
        guard let colon = spec.firstIndex(of: ":") else { return .failure(ReadinessSyntaxError(spec)) }
        let kind = spec[..<colon]
        let rest = String(spec[spec.index(after: colon)...])
        switch kind {
        case "tcp":
            guard let (host, port) = hostAndPort(rest) else { return .failure(ReadinessSyntaxError(spec)) }
            return .success(.tcp(host: host, port: port))
        case "file":
            guard rest.hasPrefix("/") else { return .failure(ReadinessSyntaxError(spec)) }
            return .success(.file(path: rest))
        case "log":
            guard rest.hasPrefix("/"), let split = rest.firstIndex(of: ":"), split != rest.index(before: rest.endIndex) else {
                return .failure(ReadinessSyntaxError(spec))
            }
            return .success(.log(path: String(rest[..<split]), text: String(rest[rest.index(after: split)...])))
        case "cpu":
            let parts = rest.split(separator: ":")
            guard parts.count == 2, let percent = Double(parts[0].trimmingSuffix("%")), percent > 0, percent <= 100,
                  let windowMs = BootTiming.parseDuration(String(parts[1])), windowMs > 0 else {
                return .failure(ReadinessSyntaxError(spec))
            }
            return .success(.cpu(percent: percent, windowMs: windowMs))
        default:
            return .failure(ReadinessSyntaxError(spec))
        }
    }

    private static func hostAndPort(_ text: String) -> (String, UInt16)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = UInt16(portText), port > 0 else { return nil }
        return (String(host), port)
    }

    /// The kind alone (`tcp`, `file`, `log`, `cpu`, `window`): what is sent with the event. Paths and hosts stay on
    /// the workstation, since a path can hold a user's name.
    public var kind: String {
        switch self {
        case .tcp: "tcp"
        case .file: "file"
        case .log: "log"
        case .cpu: "cpu"
        case .window: "window"
        }
    }

    public var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "tcp:[\(host)]:\(port)" : "tcp:\(host):\(port)"
        case .file(let path): "file:\(path)"
        case .log(let path, let text): "log:\(path):\(text)"
        case .cpu(let percent, let windowMs): "cpu:\(percent.formatted0)%:\(windowMs)ms"
        case .window: "window"
        }
    }
}

/// A readiness condition that does not parse, with the forms that would.
public struct ReadinessSyntaxError: Error, CustomStringConvertible, Sendable {
    public let text: String
    init(_ text: String) { self.text = text }
    public var description: String {
        "'\(text)' is not a readiness condition; use tcp:HOST:PORT, file:/PATH, log:/PATH:TEXT, cpu:PERCENT%:SECONDSs (for example cpu:10%:2s) or window"
    }
}

extension Double {
    /// `10` for 10.0, `12.5` otherwise.
    var formatted0: String { self == rounded() ? String(Int(self)) : String(self) }
}
