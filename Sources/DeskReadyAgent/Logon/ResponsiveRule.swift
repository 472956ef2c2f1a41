/// When a desktop counts as responsive: the machine's CPU use has stayed under `cpuPercent` for `windowMs` after
/// the desktop became ready (the practice of Endpoint Analytics: under 50% for 2 seconds). The rule's name is stored
/// with each logon it decided, so figures measured under different rules are never mixed unknowingly.
public struct ResponsiveRule: Equatable, Sendable {
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
