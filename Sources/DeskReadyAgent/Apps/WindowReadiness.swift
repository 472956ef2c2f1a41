import DeskReadyModel

/// Ready when the application maps its first X11 window: a top-level window whose `_NET_WM_PID` is one of the
/// application's processes (or in the process group the launcher gave it) and whose map state is viewable. Windows come from the window manager's
/// `_NET_CLIENT_LIST`, or from the root's children when no window manager runs. Reads X through `xprop` and
/// `xwininfo` (Debian's x11-utils), so the agent links no X library.
public final class WindowReadiness: ReadinessCheck {
    let environmentPrefix: String
    /// The owner of each window already looked at (a window's `_NET_WM_PID` does not change once set).
    private var owners: [UInt32: Int32] = [:]
    /// Windows seen without `_NET_WM_PID`, and how often: after three looks they are taken as nobody's.
    private var misses: [UInt32: Int] = [:]
    public private(set) var unusableReason: String?
    let run: (String) -> String?
    let monotonicMs: () -> Int64

    /// - Parameters:
    ///   - display, xauthority: the session's X display and cookie file (from the launcher's environment).
    ///   - run: runs a shell command and returns its output (nil when it failed); replaceable in tests.
    ///   - monotonicMs: a monotonic clock, to time the poll's own commands; replaceable in tests.
    public init(display: String?, xauthority: String?, run: @escaping (String) -> String? = { SystemFacts.run($0) },
                monotonicMs: @escaping () -> Int64 = { WallClock.monotonicMs() }) {
        var prefix = ""
        if let display { prefix += "DISPLAY=\(Self.shellQuoted(display)) " }
        if let xauthority { prefix += "XAUTHORITY=\(Self.shellQuoted(xauthority)) " }
        environmentPrefix = prefix
        self.run = run
        self.monotonicMs = monotonicMs
        if display == nil || display?.isEmpty == true {
            unusableReason = "no X display (DISPLAY is not set), so no window can be seen"
        }
    }

    /// The ready moment is when `xwininfo` answered that the window is viewable, not `nowMs`: the `xprop` and
    /// `xwininfo` runs before it take tens of milliseconds, hundreds on a busy machine, and a window mapped meanwhile
    /// would otherwise be timed as ready before it was (a 600 ms start was once measured as 364 ms).
    public func poll(nowMs: Int64, pids: Set<Int32>) -> Int64? {
        guard unusableReason == nil else { return nil }
        let began = monotonicMs()
        guard let clients = run(environmentPrefix + "xprop -root _NET_CLIENT_LIST") else {
            unusableReason = "cannot read the X display's windows: xprop (x11-utils) is missing or the display cannot be opened"
            return nil
        }
        let windows = X11Output.clientList(clients)
            ?? X11Output.rootChildren(run(environmentPrefix + "xwininfo -root -children") ?? "")
        for window in windows {
            let id = "0x" + String(window, radix: 16)
            let owner: Int32
            if let known = owners[window] {
                owner = known
            } else {
                guard let text = run(environmentPrefix + "xprop -id \(id) _NET_WM_PID") else { continue }
                guard let pid = X11Output.windowPid(text) else {
                    misses[window, default: 0] += 1
                    if misses[window, default: 0] >= 3 { owners[window] = 0 }
                    continue
                }
                owner = pid
                owners[window] = owner
            }
            guard owner > 0, pids.contains(owner) || pids.contains(ProcessStat.read(pid: owner)?.processGroup ?? 0) else { continue }
            if let info = run(environmentPrefix + "xwininfo -id \(id)"), X11Output.isViewable(info) {
                return nowMs + max(0, monotonicMs() - began)
            }
        }
        return nil
    }

    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacing("'", with: "'\\''") + "'"
    }
}
