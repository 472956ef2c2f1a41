/// Assembles one computer's Windows event records into boots, logons and failed logon attempts.
///
/// Records may come in any order, from several exports and channels, with duplicates; pairing uses the events' keys
/// (SID, session, Winlogon process, Group Policy activity) and times, never record order, so clock steps and record
/// ids restarting after a log was cleared do not break it. A boot or logon still in progress at the end of the
/// records is held back (`AssemblyResult.heldBack`) until a later call completes it, or until `holdTimeoutMs` after
/// its start by `nowMs` (or a later boot, or the user's next logon) closes it as `incomplete`.
public struct WindowsEventAssembler: Sendable {
    /// How long a logon or a boot without event 100 may stay in progress before it is output as incomplete.
    public var holdTimeoutMs: Int64

    /// Two hours by default: a logon that has not reached desktop ready after two hours never will.
    public init(holdTimeoutMs: Int64 = 2 * 3_600_000) {
        self.holdTimeoutMs = holdTimeoutMs
    }

    /// What one computer's records came to.
    public struct AssemblyResult: Sendable {
        /// Complete boots and logons, failed attempts, and logons closed as incomplete.
        public var events: [AssembledEvent]
        /// Boots and logons still in progress.
        public var heldBack: [HeldBack]
        /// Records from this time on are needed again with the next export (nil when nothing is held back).
        public var keepFromUs: Int64? { heldBack.map(\.keepFromUs).min() }
    }

    /// Assembles the records of one computer (`computer` names it in ids; the records' own `Computer` is not read).
    public func assemble(_ records: [WindowsEventRecord], computer: String, nowMs: Int64) -> AssemblyResult {
        let indexed = ComputerRecords(records)
        let bootAssembly = BootAssembly(records: indexed, computer: computer)
        let boots = bootAssembly.assemble(nowMs: nowMs, holdTimeoutMs: holdTimeoutMs)
        let logonAssembly = LogonAssembly(records: indexed, computer: computer, boots: bootAssembly.diagnosticsBoots)
        let logons = logonAssembly.assemble(LogonClusters.build(indexed), nowMs: nowMs, holdTimeoutMs: holdTimeoutMs)
        let events = (boots.events + logons.events + logonAssembly.failedAttempts())
            .sorted { ($0.event.startedAtMs, $0.event.id.uuidString) < ($1.event.startedAtMs, $1.event.id.uuidString) }
        return AssemblyResult(events: events, heldBack: boots.held + logons.held)
    }
}
