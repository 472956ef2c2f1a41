import DeskReadyModel

#if canImport(Glibc)
import Glibc
#endif

/// The long-running agent: records the boot, joins logon marks (flagging first logons and the first after an
/// upgrade as it stores them), keeps the spool within bounds and uploads.
/// One thread, no async runtime: the smallest footprint that does the job.
public final class AgentDaemon {
    let config: AgentConfig
    let spool: Spool
    let uploader: Uploader
    let assembler: LogonAssembler
    let log: (String) -> Void
    /// Responsive desktop, application starts, probes and inventory.
    public let sources: MeasurementSources
    private var failures = 0
    private var nextSendAtMs: Int64 = 0
    /// The start line and the periodic summaries (info level); nil writes neither.
    public var info: ((String, [(String, String)]) -> Void)?
    /// How often a summary line is written.
    public var summaryIntervalMs: Int64 = UTCTime.hourMs
    private var tally = UploadTally()
    private var lastSummaryMs: Int64 = 0

    public init(config: AgentConfig, spool: Spool, transport: any HTTPTransport, log: @escaping (String) -> Void) {
        self.config = config
        self.spool = spool
        self.uploader = Uploader(spool: spool, config: config, transport: transport)
        self.assembler = LogonAssembler(incompleteAfterMs: Int64(config.logonIncompleteAfterSeconds) * 1000,
                                        responsiveWaitMs: Int64(config.responsiveWaitSeconds) * 1000)
        self.log = log
        self.sources = MeasurementSources(config: config, spool: spool, log: log)
    }

    /// One pass of the loop: join marks, enforce bounds, and send what is due. Returns the seconds to sleep.
    public func tick() -> Double {
        let now = spool.clock.nowMs()
        do {
            try MarkDropbox(path: config.markDropDir).collect(into: spool, pseudonymizer: Pseudonymizer(key: config.pseudonymKey), log: log)
            try sources.prepareMarks()
            let (events, consumed) = assembler.assemble(try spool.openMarks(), nowMs: now)
            let flagging = events.isEmpty ? nil : LogonFlagging(system: SystemVersion.current(), rule: config.logonFlagRule)
            try spool.completeLogons(events, consumedMarkIDs: consumed, flagging: flagging)
            let dropped = try spool.enforceBounds(maxBytes: config.spoolMaxBytes, maxAgeMs: Int64(config.spoolMaxAgeDays) * UTCTime.dayMs)
            if dropped > 0 { log("spool bounds reached: dropped the \(dropped) oldest events (recorded as an agent event)") }
        } catch {
            log("spool: \(error)")
        }
        sources.measure()
        guard now >= nextSendAtMs else { return 1 }
        do {
            while try uploader.batchIsDue(nowMs: now) {
                let result = try uploader.sendNext()
                tally.count(result)
                switch result {
                case .idle: return 1
                case .acknowledged:
                    failures = 0
                case .deadLettered(let status):
                    log("the collector refused a batch for good (\(status)); it was moved to the dead-letter table, see `deskready-agent status`")
                case .retry(let reason, let retryAfter):
                    failures += 1
                    let delay = Backoff(baseSeconds: config.retryBaseSeconds, capSeconds: config.retryCapSeconds)
                        .delay(afterFailures: failures, retryAfter: retryAfter)
                    nextSendAtMs = now + Int64(delay * 1000)
                    log("upload failed (\(reason)); retrying in \(Int(delay.rounded())) s")
                    return min(delay, 5)
                }
            }
        } catch {
            log("spool: \(error)")
        }
        return 1
    }

    /// Writes the summary line once `summaryIntervalMs` has passed since the last, and starts a new tally.
    func summarizeIfDue() {
        let now = spool.clock.nowMs()
        guard let info, now - lastSummaryMs >= summaryIntervalMs else { return }
        info("summary", [("seconds", "\((now - lastSummaryMs) / 1000)")] + tally.fields(status: try? spool.status()))
        tally = UploadTally()
        lastSummaryMs = now
    }

    /// Runs until the process is stopped.
    public func run(bootRecorder: BootRecorder?) -> Never {
        SignalMask.unblockTermination()
        if let bootRecorder {
            do {
                if case .unavailable(let reason) = try bootRecorder.recordIfNew() { log(reason) }
            } catch {
                log("spool: \(error)")
            }
        }
        if let reason = CurlTransport.unavailableReason() { log(reason) }
        info?("agent started", [("version", BuildInfo.agentVersion), ("device", config.deviceID), ("trust", config.trust),
                                ("site", config.site), ("collector", config.collectorURL)])
        lastSummaryMs = spool.clock.nowMs()
        while true {
            summarizeIfDue()
            let seconds = min(tick(), sources.pauseSeconds)
            usleep(UInt32(max(0.05, seconds) * 1_000_000))
        }
    }
}
