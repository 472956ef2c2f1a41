import DeskReadyModel

/// Records the boot once per boot id, from systemd. Where there is no systemd it says so and carries on.
public struct BootRecorder {
    let spool: Spool
    /// Produces `systemd-analyze` output; replaceable in tests.
    let analyze: () -> String?

    public init(spool: Spool, analyze: @escaping () -> String? = { SystemFacts.run("systemd-analyze") }) {
        self.spool = spool
        self.analyze = analyze
    }

    public enum Outcome: Equatable, Sendable {
        case recorded
        case alreadyRecorded
        case unavailable(String)
    }

    public func recordIfNew(bootId: String = SystemFacts.bootId()) throws -> Outcome {
        if try spool.state(SpoolStateKey.bootRecorded) == bootId { return .alreadyRecorded }
        guard let output = analyze(), let timing = BootTiming.parse(systemdAnalyze: output) else {
            return .unavailable("no boot timing: systemd-analyze is missing or the boot has not finished (no systemd in this container?); boot times will not be reported from this device")
        }
        let event = timing.event(bootedAtMs: SystemFacts.bootedAtMs(clock: spool.clock), bootId: bootId)
        try spool.append(event)
        try spool.setState(SpoolStateKey.bootRecorded, bootId)
        return .recorded
    }
}
