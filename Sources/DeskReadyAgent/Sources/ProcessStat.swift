#if canImport(Glibc)
import Glibc
#endif

/// The fields of `/proc/PID/stat` the agent uses: name, parent, CPU time and start time.
public struct ProcessStat: Equatable, Sendable {
    public var pid: Int32
    /// The command name (at most 15 bytes, as the kernel keeps it).
    public var comm: String
    public var state: Character
    public var parentPid: Int32
    /// The process group: a launched application's children stay in it even after their parent exits.
    public var processGroup: Int32
    /// User and system CPU time, in clock ticks.
    public var cpuTicks: UInt64
    /// When the process started, in clock ticks after boot (on the boot-time clock, suspend included).
    public var startTicks: UInt64

    public init(pid: Int32, comm: String, state: Character, parentPid: Int32, processGroup: Int32, cpuTicks: UInt64, startTicks: UInt64) {
        self.pid = pid
        self.comm = comm
        self.state = state
        self.parentPid = parentPid
        self.processGroup = processGroup
        self.cpuTicks = cpuTicks
        self.startTicks = startTicks
    }

    /// Parses one `/proc/PID/stat` line. The name is in parentheses and may itself hold spaces and parentheses, so
    /// the fields are counted from the last `)`.
    public static func parse(_ text: String) -> ProcessStat? {
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")"), open < close,
              let pid = Int32(text[..<open].trimmingWhitespace()) else { return nil }
        let comm = String(text[text.index(after: open)..<close])
        let rest = text[text.index(after: close)...].split(separator: " ")
        // rest[0] is field 3 (state); field n is rest[n - 3].
        guard rest.count >= 20, let state = rest[0].first, let parent = Int32(rest[1]), let group = Int32(rest[2]),
              let utime = UInt64(rest[11]), let stime = UInt64(rest[12]),
              let start = UInt64(rest[19].trimmingWhitespace()) else { return nil }
        return ProcessStat(pid: pid, comm: comm, state: state, parentPid: parent, processGroup: group, cpuTicks: utime + stime, startTicks: start)
    }

    /// Reads a running process's line, or nil when it has gone.
    public static func read(pid: Int32) -> ProcessStat? {
        FileText.read("/proc/\(pid)/stat", limit: 4_096).flatMap { parse($0) }
    }

    /// Clock ticks per second (`_SC_CLK_TCK`, 100 on Linux).
    public static let ticksPerSecond: Int64 = {
        let value = Int64(sysconf(Int32(_SC_CLK_TCK)))
        return value > 0 ? value : 100
    }()

    /// The start time on the boot-time clock, in milliseconds (comparable with `WallClock.monotonicMs()`).
    public var startMonotonicMs: Int64 { Int64(startTicks) * 1000 / Self.ticksPerSecond }
}
