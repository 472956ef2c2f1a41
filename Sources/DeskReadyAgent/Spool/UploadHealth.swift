import DeskReadyModel

/// Whether uploads work, as `deskready-agent status` reports it to people and to compliance checks (Ansible, Intune
/// for Linux, Nagios): `ok` exits 0, `failing` exits 1, `token_refused` exits 2.
public enum UploadHealth: String, Sendable, Codable {
    /// The last attempt succeeded, or nothing has needed sending.
    case ok
    /// The last attempt failed (unreachable collector, TLS, 5xx…) and none has succeeded since.
    case failing
    /// The collector refused this device's token (or the enrolment token): nothing will be sent until it is fixed.
    case tokenRefused = "token_refused"

    /// The exit status of `status`: 0, 1 or 2.
    public var exitCode: Int32 {
        switch self {
        case .ok: 0
        case .failing: 1
        case .tokenRefused: 2
        }
    }

    /// The health a spool's status shows: failing when its last error is newer than its last successful upload.
    public init(_ status: SpoolStatus) {
        self.init(lastUploadMs: status.lastUploadMs, lastError: status.lastError, lastErrorMs: status.lastErrorMs)
    }

    /// The health these show: failing when the last error is newer than the last successful upload.
    public init(lastUploadMs: Int64?, lastError: String?, lastErrorMs: Int64?) {
        guard let lastErrorMs, lastErrorMs >= (lastUploadMs ?? Int64.min) else {
            self = .ok
            return
        }
        self = Uploader.isTokenRefusal(lastError ?? "") ? .tokenRefused : .failing
    }
}

/// `deskready-agent status --json`: one object, keys in snake_case.
public struct StatusReport: Encodable, Sendable {
    public var health: UploadHealth
    public var agentVersion: String
    public var collector: String
    public var device: String
    public var trust: String
    public var site: String
    public var spool: String
    public var spoolDepth: Int
    public var spoolBytes: Int64
    public var oldestEventMs: Int64?
    public var pendingBatch: String?
    public var pendingAttempts: Int
    public var lastUploadMs: Int64?
    public var lastError: String?
    public var lastErrorMs: Int64?
    public var uploadedTotal: Int64
    public var droppedTotal: Int64
    public var rejectedTotal: Int64
    public var deadLetters: Int
    public var openMarks: Int

    public init(config: AgentConfig, status: SpoolStatus) {
        health = UploadHealth(status)
        agentVersion = BuildInfo.agentVersion
        collector = config.collectorURL
        device = config.deviceID
        trust = config.trust
        site = config.site
        spool = config.spoolPath
        spoolDepth = status.depth
        spoolBytes = status.bytes
        oldestEventMs = status.oldestCreatedMs
        pendingBatch = status.pendingBatchId
        pendingAttempts = status.pendingAttempts
        lastUploadMs = status.lastUploadMs
        lastError = status.lastError
        lastErrorMs = status.lastErrorMs
        uploadedTotal = status.uploadedTotal
        droppedTotal = status.droppedTotal
        rejectedTotal = status.rejectedTotal
        deadLetters = status.deadLetters
        openMarks = status.openMarks
    }

    enum CodingKeys: String, CodingKey {
        case health, collector, device, trust, site, spool
        case agentVersion = "agent_version", spoolDepth = "spool_depth", spoolBytes = "spool_bytes", oldestEventMs = "oldest_event_ms"
        case pendingBatch = "pending_batch", pendingAttempts = "pending_attempts", lastUploadMs = "last_upload_ms"
        case lastError = "last_error", lastErrorMs = "last_error_ms", uploadedTotal = "uploaded_total"
        case droppedTotal = "dropped_total", rejectedTotal = "rejected_total", deadLetters = "dead_letters", openMarks = "open_marks"
    }

    /// The report as one line of JSON.
    public func json() throws -> String {
        String(decoding: try WireCoding.encoder().encode(self), as: UTF8.self)
    }
}
