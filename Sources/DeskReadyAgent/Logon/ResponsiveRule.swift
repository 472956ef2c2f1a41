/// When a desktop counts as responsive: the session's CPU use (its user's cgroup, or else the machine's) has stayed
/// under `cpuPercent` for `windowMs` after the desktop became ready (the practice of Endpoint Analytics: under 50%
/// for 2 seconds). The rule's name is stored with each logon it decided, and whose CPU it watched beside it
/// (`responsive_cpu`), so figures measured under different rules are never mixed unknowingly.
public struct ResponsiveRule: Equatable, Sendable {
    /// The logon attribute naming whose CPU the rule watched: `session` (the user's cgroup) or `machine`.
    public static let cpuSourceAttribute = "responsive_cpu"
    public static let sessionCPU = "session"
    public static let machineCPU = "machine"

    public var cpuPercent: Int
    public var windowMs: Int64

    public init(cpuPercent: Int = 50, windowMs: Int64 = 2_000) {
        self.cpuPercent = cpuPercent
        self.windowMs = windowMs
    }

    /// For example `cpu<50%/2s`, or `cpu<40%/1.5s`.
    public var name: String {
        let seconds = windowMs % 1000 == 0 ? String(windowMs / 1000) : String(Double(windowMs) / 1000)
        return "cpu<\(cpuPercent)%/\(seconds)s"
    }
}
