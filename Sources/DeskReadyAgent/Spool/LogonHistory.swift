import DeskReadyModel

/// What the spool needs to flag the logons it stores (see `LogonFlagRule`): the system they ran on and the rule.
public struct LogonFlagging: Sendable, Equatable {
    /// The OS version and kernel now; nil leaves `after_upgrade` undecided and the stored fingerprint unchanged.
    public var system: SystemVersion?
    public var rule: LogonFlagRule

    public init(system: SystemVersion?, rule: LogonFlagRule = LogonFlagRule()) {
        self.system = system
        self.rule = rule
    }
}

/// The spool's memory of logons on this device: the users who logged on here (`logon_users`) and the system at the
/// last logon (`state`). Read and written inside the transaction that stores the logon events, so a crash never
/// flags a logon twice nor loses a flag.
extension Spool {
    /// Sets `first_logon` and `after_upgrade` on the logon events, oldest first, and records their users and
    /// system. Must run inside a transaction.
    func flagLogons(_ events: [MeasurementEvent], _ flagging: LogonFlagging) throws -> [MeasurementEvent] {
        let historySince = try state(SpoolStateKey.logonHistorySinceMs).flatMap { Int64($0) } ?? clock.nowMs()
        var previous = try state(SpoolStateKey.logonSystemFingerprint)
        let seen = try db.prepare("SELECT 1 FROM logon_users WHERE user = ?")
        let remember = try db.prepare("INSERT OR IGNORE INTO logon_users (user, first_seen_ms) VALUES (?, ?)")
        var flagged = events
        for index in events.indices.sorted(by: { events[$0].startedAtMs < events[$1].startedAtMs }) where events[index].kind == .logon {
            var event = events[index]
            var attributes = event.attributes ?? [:]
            if let user = event.user {
                var seenBefore = false
                try seen.query([.text(user)]) { _ in seenBefore = true }
                let home = attributes[LocalFact.homeCreatedMs].flatMap { Int64($0) }
                if flagging.rule.isFirstLogon(seenBefore: seenBefore, logonStartMs: event.startedAtMs, homeCreatedMs: home,
                                              historySinceMs: historySince) {
                    attributes[LogonAttribute.firstLogon] = LogonAttribute.flagSet
                }
                try remember.run([.text(user), .integer(event.startedAtMs)])
            }
            if let system = flagging.system {
                if LogonFlagRule.isAfterUpgrade(previous: previous, current: system.fingerprint) {
                    attributes[LogonAttribute.afterUpgrade] = LogonAttribute.flagSet
                }
                previous = system.fingerprint
            }
            event.attributes = attributes
            flagged[index] = event
        }
        if let system = flagging.system { try setState(SpoolStateKey.logonSystemFingerprint, system.fingerprint) }
        return flagged
    }
}
