import DeskReadyModel
import Logging

/// One line for every read of a trust's data and every administrative change: who (the credential's id and role),
/// what, which trust and when. Written through swift-log under the label `deskready.audit` with `audit: true`, so a
/// log pipeline can route the lines to tamper-evident storage.
public struct AuditLog: Sendable {
    public var logger: Logger

    public init(logger: Logger = Logger(label: "deskready.audit")) {
        self.logger = logger
    }

    /// Records `action` by `actor` (a credential, or a CLI user) on `trust`, with details such as the format and period.
    public func record(_ action: String, actor: String, trust: String?, details: [String: String] = [:]) {
        var metadata: Logger.Metadata = [
            "audit": "true", "action": "\(action)", "actor": "\(actor)", "trust": "\(trust ?? "*")", "at": "\(CivilDay.dateTime(WallClock.nowMs()))",
        ]
        for (key, value) in details { metadata[key] = "\(value)" }
        logger.notice("audit", metadata: metadata)
    }
}

extension Credential {
    /// How the audit log names the holder: `reader#12 (label)`.
    public var auditName: String { "\(role.rawValue)#\(id) (\(label))" }
}
