#if canImport(Glibc)
import Glibc
#endif

/// A user's CPU use from their cgroup v2 slice (`user.slice/user-UID.slice/cpu.stat`, `usage_usec`), as
/// `CPUTimes` the responsive rule can compare: busy is the slice's CPU time, total is the time passed times the
/// CPUs online, both in microseconds. So a session is judged on its own work, not on the whole machine's.
public struct CgroupCPU: Sendable {
    /// Where the cgroup v2 hierarchy is mounted.
    public let root: String
    /// CPUs online: the most CPU time a slice can use per unit of time passed.
    public let cores: UInt64

    public init(root: String = "/sys/fs/cgroup", cores: UInt64 = CgroupCPU.onlineCores()) {
        self.root = root
        self.cores = max(1, cores)
    }

    /// The user's `cpu.stat`.
    public func path(uid: UInt32) -> String {
        "\(root)/user.slice/user-\(uid).slice/cpu.stat"
    }

    /// The slice's counters now, or nil when the user has no slice (no cgroup v2, no systemd, logged off).
    public func read(uid: UInt32, monotonicUs: Int64 = LogindLogonSource.monotonicNowUs()) -> CPUTimes? {
        guard let text = FileText.read(path(uid: uid), limit: 4_096), let usage = Self.usageUsec(cpuStat: text) else { return nil }
        return CPUTimes(busy: usage, total: UInt64(max(0, monotonicUs)) * cores)
    }

    /// `usage_usec` from `cpu.stat` text (`usage_usec 1234`, then `user_usec`, `system_usec`…), or nil.
    public static func usageUsec(cpuStat text: String) -> UInt64? {
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[0] == "usage_usec" { return UInt64(fields[1].trimmingWhitespace()) }
        }
        return nil
    }

    public static func onlineCores() -> UInt64 {
        let count = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return count > 0 ? UInt64(count) : 1
    }
}
