/// The machine's cumulative CPU time from the `cpu` line of `/proc/stat`, in clock ticks: how much of it was busy
/// and how much passed in all. Two readings give the share of the CPU used between them.
public struct CPUTimes: Equatable, Sendable {
    /// Ticks spent neither idle nor waiting for I/O.
    public var busy: UInt64
    /// All ticks, busy or not, summed over every CPU.
    public var total: UInt64

    public init(busy: UInt64, total: UInt64) {
        self.busy = busy
        self.total = total
    }

    /// Parses the aggregate line of `/proc/stat`:
    /// `cpu  user nice system idle iowait irq softirq steal guest guest_nice`. `guest` and `guest_nice` are already
    /// counted in `user` and `nice`, so they are left out of the total. Nil when the text has no such line.
    public static func parse(procStat text: String) -> CPUTimes? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 4 else { return nil }
        let counted = fields.prefix(8)
        let total = counted.reduce(0, +)
        let idle = fields[3] + (fields.count > 4 ? fields[4] : 0)
        return CPUTimes(busy: total - idle, total: total)
    }

    /// The share of the CPU (0 to 100) used from `earlier` to `later`; nil when no tick passed between them.
    public static func busyPercent(from earlier: CPUTimes, to later: CPUTimes) -> Double? {
        guard later.total > earlier.total, later.busy >= earlier.busy else { return nil }
        let busy = Double(later.busy - earlier.busy)
        let total = Double(later.total - earlier.total)
        return min(100, busy / total * 100)
    }

    /// Reads the running system's counters.
    public static func read(path: String = "/proc/stat") -> CPUTimes? {
        FileText.read(path, limit: 8_192).flatMap { parse(procStat: $0) }
    }
}
