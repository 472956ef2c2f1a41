import DeskReadyModel

#if canImport(Glibc)
import Glibc
#endif

/// `deskready-agent launch APP -- COMMAND…`: starts an application, waits until it is ready by its readiness
/// condition, and makes the `app_start` event: the time from the start to ready on the monotonic clock, with outcome
/// `ok`, `timeout` (never ready within the timeout) or `failed` (could not start, or exited with an error first).
/// A process that exits successfully before it is ready may have handed over to another (a launcher script), so the
/// wait goes on; for the `cpu` condition, which samples that process, it is a failure.
public struct AppLauncher {
    public let app: AppDefinition
    public let timeoutMs: Int64
    public let pollMs: Int64
    let clock: any AgentClock
    let environment: [String: String]

    public init(app: AppDefinition, timeoutMs: Int64, pollMs: Int64 = 50, clock: any AgentClock = SystemClock(),
                environment: [String: String] = ProcessEnvironment.current()) {
        self.app = app
        self.timeoutMs = timeoutMs
        self.pollMs = pollMs
        self.clock = clock
        self.environment = environment
    }

    /// What a launch came to: the event to record, and the process when it started.
    public struct Launch {
        public var event: MeasurementEvent
        public var process: ChildProcess?
    }

    /// Starts `command` and waits for readiness. Never throws: a start that fails is itself a measurement.
    /// `onStarted` is called as soon as the process exists (to leave a `LaunchMarker`).
    public func launch(_ command: [String], onStarted: (ChildProcess) -> Void = { _ in }) -> Launch {
        let startWall = clock.nowMs()
        let startMono = clock.monotonicMs()
        var attributes = ["source": "launcher", "readiness": app.readiness.kind]
        func event(_ outcome: Outcome, endMono: Int64, reason: String? = nil) -> MeasurementEvent {
            if let reason { attributes["reason"] = String(reason.prefix(500)) }
            return MeasurementEvent(id: UUIDv7.make(unixMs: startWall), kind: .appStart, name: app.name, startedAtMs: startWall,
                                    durationMs: max(0, endMono - startMono), outcome: outcome, attributes: attributes)
        }
        let process: ChildProcess
        do {
            process = try ChildProcess(command, ownProcessGroup: app.readiness == .window)
        } catch {
            return Launch(event: event(.failed, endMono: clock.monotonicMs(), reason: error.description), process: nil)
        }
        onStarted(process)
        attributes["timeout_s"] = String(timeoutMs / 1000)
        let check = ReadinessChecks.make(app.readiness, environment: environment)
        let interval = app.readiness == .window || isCPU ? max(pollMs, 200) : pollMs
        var family: Set<Int32> = [process.pid]
        while true {
            let now = clock.monotonicMs()
            if let reason = check.unusableReason {
                return Launch(event: event(.failed, endMono: now, reason: reason), process: process)
            }
            if app.readiness == .window, !process.hasExited() {
                family = ProcessTable.descendants(of: family, in: ProcessTable.snapshot())
            }
            if let ready = check.poll(nowMs: now, pids: family) {
                return Launch(event: event(.ok, endMono: ready), process: process)
            }
            if process.hasExited(), let status = process.exitStatus, status != 0 || isCPU {
                attributes["exit_status"] = String(status)
                return Launch(event: event(.failed, endMono: now, reason: "\(command[0]) exited with status \(status) before it was ready"),
                              process: process)
            }
            if now - startMono >= timeoutMs {
                return Launch(event: event(.timeout, endMono: now, reason: "not ready within \(timeoutMs / 1000) s (\(app.readiness.kind))"),
                              process: process)
            }
            usleep(UInt32(interval * 1000))
        }
    }

    private var isCPU: Bool {
        if case .cpu = app.readiness { return true }
        return false
    }
}
