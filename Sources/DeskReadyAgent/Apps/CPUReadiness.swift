/// Ready when the started process's CPU use has stayed under a share of one core for a window: it has finished
/// loading. The ready moment is the start of that quiet window. Counts the process started (all its threads), not
/// its children.
public final class CPUReadiness: ReadinessCheck {
    private var window: QuietWindow
    private var last: (ticks: UInt64, ms: Int64)?
    private var pid: Int32?
    let readStat: (Int32) -> ProcessStat?

    public init(percent: Double, windowMs: Int64, readStat: @escaping (Int32) -> ProcessStat? = { ProcessStat.read(pid: $0) }) {
        window = QuietWindow(thresholdPercent: percent, windowMs: windowMs)
        self.readStat = readStat
    }

    public func poll(nowMs: Int64, pids: Set<Int32>) -> Int64? {
        if pid == nil { pid = pids.min() }
        guard let pid, let stat = readStat(pid) else { return nil }
        defer { last = (stat.cpuTicks, nowMs) }
        guard let last, nowMs > last.ms else { return nil }
        let cpuMs = Double(stat.cpuTicks &- last.ticks) * 1000 / Double(ProcessStat.ticksPerSecond)
        let percent = cpuMs / Double(nowMs - last.ms) * 100
        return window.add(percent: percent, fromMs: last.ms, toMs: nowMs)
    }
}
