import DeskReadyModel

/// The daemon's measurement sources besides the boot and the PAM and desktop marks: the responsive desktop,
/// application starts (left by the launcher, or noticed passively), network probes and the inventory. The daemon
/// calls it at fixed points of each tick; each source's failure is logged and never stops the loop.
public final class MeasurementSources {
    let config: AgentConfig
    let spool: Spool
    let log: (String) -> Void
    public let responsive: ResponsiveWatcher
    let passive: PassiveAppDetector
    let dropbox: AppEventDropbox
    let marker: LaunchMarker
    var probeSchedule: ProbeSchedule
    let probeRunner: ProbeRunner
    let inventory: InventoryRecorder
    public let logind: LogindLogonSource?
    /// Tells screen unlocks from logons (see `UnlockDecider`).
    let unlocks: UnlockDecider
    private var lastLogindMs: Int64?
    private var lastScanMs: Int64?
    private var lastSweepMs: Int64?

    public init(config: AgentConfig, spool: Spool, log: @escaping (String) -> Void,
                responsive: ResponsiveWatcher? = nil, inventory: InventoryRecorder? = nil, logind: LogindLogonSource? = nil,
                unlocks: UnlockDecider? = nil) {
        self.config = config
        self.spool = spool
        self.log = log
        self.responsive = responsive ?? ResponsiveWatcher(rule: config.responsiveRule, waitMs: Int64(config.responsiveWaitSeconds) * 1000)
        marker = LaunchMarker(folder: config.markDropDir)
        dropbox = AppEventDropbox(path: config.markDropDir)
        passive = PassiveAppDetector(apps: config.appPassiveDetection ? config.apps : [], defaultTimeoutSeconds: config.appTimeoutSeconds,
                                     marker: marker)
        probeSchedule = ProbeSchedule(intervalSeconds: config.probeIntervalSeconds, jitterSeconds: config.probeJitterSeconds)
        probeRunner = ProbeRunner(timeoutMs: config.probeTimeoutSeconds * 1000, caFile: config.caFile, clock: spool.clock)
        self.inventory = inventory ?? InventoryRecorder(spool: spool, intervalHours: config.inventoryIntervalHours)
        self.logind = logind ?? (config.logindLogons && config.pseudonymKey.utf8.count >= 16
            ? LogindLogonSource(pseudonymizer: Pseudonymizer(key: config.pseudonymKey)) : nil)
        self.unlocks = unlocks ?? UnlockDecider(pseudonymizer: config.pseudonymKey.utf8.count >= 16 ? Pseudonymizer(key: config.pseudonymKey) : nil)
    }

    /// How long the daemon may sleep: shorter while a desktop is being watched.
    public var pauseSeconds: Double { responsive.isWatching ? 0.5 : 1 }

    /// Before the marks are joined: takes the application starts launchers left, imports new logind sessions
    /// (every 5 s), decides whether new accepted credentials unlock a live session, and records the `responsive` marks that are due.
    public func prepareMarks() throws {
        if !config.apps.isEmpty { try dropbox.collect(into: spool, apps: config.apps, nowMs: spool.clock.nowMs(), log: log) }
        try importLogindSessions()
        for decision in unlocks.decisions(openMarks: try spool.openMarks(), nowWallMs: spool.clock.nowMs(),
                                          monotonicNowUs: LogindLogonSource.monotonicNowUs()) {
            try spool.annotateMark(id: decision.id, with: decision.attributes)
        }
        let step = responsive.step(openMarks: try spool.openMarks(), nowWallMs: spool.clock.nowMs(), nowMonoMs: spool.clock.monotonicMs())
        for mark in step.marks { try spool.recordMark(mark) }
        for (id, attributes) in step.annotations { try spool.annotateMark(id: id, with: attributes) }
    }

    private func importLogindSessions() throws {
        let nowBoot = spool.clock.monotonicMs()
        guard let logind, !logind.unavailable, Self.due(lastLogindMs, everyMs: 5_000, nowMs: nowBoot) else { return }
        lastLogindMs = nowBoot
        let marks = logind.poll(openMarks: try spool.openMarks(), nowWallMs: spool.clock.nowMs(), nowBootMs: nowBoot,
                                monotonicNowUs: LogindLogonSource.monotonicNowUs())
        for mark in marks { try spool.recordMark(mark) }
        if logind.unavailable { log("logind: loginctl is not available here; logons are measured from the PAM and desktop marks only") }
    }

    /// Whether a periodic job last run at `last` (never: nil) is due again.
    public static func due(_ last: Int64?, everyMs: Int64, nowMs: Int64) -> Bool {
        guard let last else { return true }
        return nowMs - last >= everyMs
    }

    /// After the marks: the inventory when due, passive application starts, and at most one due probe.
    public func measure() {
        let nowMono = spool.clock.monotonicMs()
        do {
            try inventory.recordIfDue(nowMs: spool.clock.nowMs(), monotonicMs: nowMono)
        } catch {
            log("inventory: \(error)")
        }
        if passive.isActive, Self.due(lastScanMs, everyMs: 2_000, nowMs: nowMono) {
            lastScanMs = nowMono
            do {
                try spool.append(contentsOf: passive.scan(nowWallMs: spool.clock.nowMs(), nowMonoMs: nowMono))
            } catch {
                log("application starts: \(error)")
            }
        }
        if Self.due(lastSweepMs, everyMs: UTCTime.hourMs, nowMs: nowMono) {
            lastSweepMs = nowMono
            marker.sweep(maxAgeSeconds: 86_400)
        }
        // No probe while a logon is under way: it would compete with the desktop being measured.
        guard !config.probes.isEmpty, !responsive.isWatching else { return }
        for name in probeSchedule.takeDue(config.probes.map(\.name), nowMs: nowMono, limit: 1) {
            guard let target = config.probes.first(where: { $0.name == name }) else { continue }
            do {
                try spool.append(probeRunner.probe(target))
            } catch {
                log("probe \(name): \(error)")
            }
        }
    }
}
