/// One way of telling that a started application is ready, polled until it says so. Checks keep state between polls
/// (a log's read offset, the CPU samples), so each start gets its own.
public protocol ReadinessCheck: AnyObject {
    /// The monotonic time (milliseconds) at which the application became ready, or nil when it is not ready yet.
    /// `pids` are the application's processes: the one started, then its children as they appear.
    func poll(nowMs: Int64, pids: Set<Int32>) -> Int64?

    /// Why this check can never succeed here (no X display, for example), once it knows.
    var unusableReason: String? { get }
}

extension ReadinessCheck {
    public var unusableReason: String? { nil }
}

/// Makes the check for a condition.
public enum ReadinessChecks {
    /// A new check for one start. `environment` gives the `window` check the session's X display.
    public static func make(_ condition: ReadinessCondition, environment: [String: String] = ProcessEnvironment.current()) -> any ReadinessCheck {
        switch condition {
        case .tcp(let host, let port): TCPReadiness(host: host, port: port)
        case .file(let path): FileReadiness(path: path)
        case .log(let path, let text): LogReadiness(path: path, text: text)
        case .cpu(let percent, let windowMs): CPUReadiness(percent: percent, windowMs: windowMs)
        case .window: WindowReadiness(display: environment["DISPLAY"], xauthority: environment["XAUTHORITY"])
        }
    }
}

/// Ready when a file exists.
public final class FileReadiness: ReadinessCheck {
    let path: String
    public init(path: String) { self.path = path }
    public func poll(nowMs: Int64, pids: Set<Int32>) -> Int64? {
        access(path, F_OK) == 0 ? nowMs : nil
    }
}

#if canImport(Glibc)
import Glibc
#endif
