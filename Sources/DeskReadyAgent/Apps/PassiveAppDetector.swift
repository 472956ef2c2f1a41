import DeskReadyModel

/// The daemon's passive measurement of application starts: each scan of `/proc` notices new processes of configured
/// applications started in a person's graphical session (see `GraphicalSessionFilter`; a matching process of cron,
/// a service or a remote session is not an application start anyone waited for) and follows them until their readiness condition holds (outcome `ok`) or the timeout passes
/// (`timeout`), timing from the process's start as the kernel recorded it. Processes started by `launch` are left to
/// the launcher (see `LaunchMarker`); a process that exits before it is ready is dropped without an event, since a
/// passive observer cannot tell a crash from a closed window or a hand-over to another process. The `window`
/// condition uses the X display the process itself was started with (`DISPLAY` and `XAUTHORITY` from its
/// environment); a process with no display it can be watched on is left alone, never recorded as a timeout.
public final class PassiveAppDetector {
    struct Tracked {
        var app: AppDefinition
        var pid: Int32
        var startTicks: UInt64
        var startMono: Int64
        var check: any ReadinessCheck
    }

    let apps: [AppDefinition]
    let defaultTimeoutMs: Int64
    let marker: LaunchMarker?
    let snapshot: () -> [ProcessStat]
    let commandPath: (Int32) -> String?
    let environment: (Int32) -> [String: String]
    /// Whether a process (pid, at the boot-clock ms) belongs to a live local graphical session.
    let inGraphicalSession: (Int32, Int64) -> Bool
    /// Every process seen, by pid, with its start time (a pid can be reused).
    private var seen: [Int32: UInt64] = [:]
    private var primed = false
    private var tracked: [Tracked] = []

    public init(apps: [AppDefinition], defaultTimeoutSeconds: Int, marker: LaunchMarker?,
                snapshot: @escaping () -> [ProcessStat] = { ProcessTable.snapshot() },
                commandPath: @escaping (Int32) -> String? = { ProcessTable.commandPath(pid: $0) },
                environment: @escaping (Int32) -> [String: String] = { ProcessTable.displayEnvironment(pid: $0) },
                inGraphicalSession: ((Int32, Int64) -> Bool)? = nil) {
        self.apps = apps
        self.inGraphicalSession = inGraphicalSession ?? { [filter = GraphicalSessionFilter()] in filter.contains(pid: $0, nowMonoMs: $1) }
        self.environment = environment
        self.defaultTimeoutMs = Int64(defaultTimeoutSeconds) * 1000
        self.marker = marker
        self.snapshot = snapshot
        self.commandPath = commandPath
    }

    /// Whether there is anything to detect.
    public var isActive: Bool { !apps.isEmpty }

    /// Scans once: starts following new processes of configured applications and returns the events of those that
    /// became ready or ran out of time. The first scan only learns what already runs.
    public func scan(nowWallMs: Int64, nowMonoMs: Int64) -> [MeasurementEvent] {
        guard isActive else { return [] }
        let table = snapshot()
        var current: [Int32: UInt64] = [:]
        for process in table {
            current[process.pid] = process.startTicks
            guard primed, seen[process.pid] != process.startTicks else { continue }
            // A process is judged once it is older than a moment, so a fork that has not yet exec'd is not taken for
            // its parent's program; until then it is not counted as seen.
            if nowMonoMs - process.startMonotonicMs < 200 {
                current[process.pid] = nil
                continue
            }
            // The kernel's name is read with the stat line; the command line only for a process that may be ours.
            let candidates = apps.filter { $0.kernelName == process.comm }
            guard !candidates.isEmpty else { continue }
            let path = commandPath(process.pid)
            guard let app = candidates.first(where: { $0.matches(commandPath: path, comm: process.comm) }),
                  inGraphicalSession(process.pid, nowMonoMs) else { continue }
            let check = ReadinessChecks.make(app.readiness, environment: app.readiness == .window ? environment(process.pid) : [:])
            guard check.unusableReason == nil else { continue }
            tracked.append(Tracked(app: app, pid: process.pid, startTicks: process.startTicks, startMono: process.startMonotonicMs, check: check))
        }
        seen = current
        primed = true
        var events: [MeasurementEvent] = []
        tracked.removeAll { item in
            let alive = current[item.pid] == item.startTicks
            if let ready = item.check.poll(nowMs: nowMonoMs, pids: [item.pid]) {
                if let event = finish(item, outcome: .ok, endMono: ready, nowWallMs: nowWallMs, nowMonoMs: nowMonoMs) { events.append(event) }
                return true
            }
            if !alive || item.check.unusableReason != nil { return true }
            let timeout = item.app.timeoutSeconds.map { Int64($0) * 1000 } ?? defaultTimeoutMs
            if nowMonoMs - item.startMono >= timeout {
                if let event = finish(item, outcome: .timeout, endMono: nowMonoMs, nowWallMs: nowWallMs, nowMonoMs: nowMonoMs,
                                      reason: "not ready within \(timeout / 1000) s (\(item.app.readiness.kind))") {
                    events.append(event)
                }
                return true
            }
            return false
        }
        return events
    }

    private func finish(_ item: Tracked, outcome: Outcome, endMono: Int64, nowWallMs: Int64, nowMonoMs: Int64, reason: String? = nil) -> MeasurementEvent? {
        if let marker, marker.take(pid: item.pid, startTicks: item.startTicks) { return nil }
        let startWall = nowWallMs - (nowMonoMs - item.startMono)
        var attributes = ["source": "passive", "readiness": item.app.readiness.kind]
        if let reason { attributes["reason"] = reason }
        return MeasurementEvent(id: UUIDv7.make(unixMs: startWall), kind: .appStart, name: item.app.name, startedAtMs: startWall,
                                durationMs: max(0, endMono - item.startMono), outcome: outcome, attributes: attributes)
    }
}
