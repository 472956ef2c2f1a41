/// One measurement from a workstation: a boot, a logon, an application start, a probe or an inventory snapshot.
public struct MeasurementEvent: Codable, Hashable, Sendable {
    /// Chosen by the agent (UUIDv7, time-ordered) and kept across retries; the collector's dedupe key.
    public var id: UUID
    public var kind: EventKind
    /// The application, the probe target or the session type.
    public var name: String
    /// Wall-clock start, UTC, milliseconds since the Unix epoch.
    public var startedAtMs: Int64
    /// Duration in milliseconds, from a monotonic clock.
    public var durationMs: Int64
    /// Named phases in milliseconds, for a logon: `authentication`, `session_start`, `responsive`.
    public var phases: [String: Int64]?
    public var outcome: Outcome
    /// Keyed HMAC-SHA256 pseudonym of the user; never the user name.
    public var user: String?
    /// Free string attributes (for example `reason`, `os_version`).
    public var attributes: [String: String]?

    public init(
        id: UUID = UUIDv7.make(), kind: EventKind, name: String, startedAtMs: Int64, durationMs: Int64,
        phases: [String: Int64]? = nil, outcome: Outcome = .ok, user: String? = nil, attributes: [String: String]? = nil
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.startedAtMs = startedAtMs
        self.durationMs = durationMs
        self.phases = phases
        self.outcome = outcome
        self.user = user
        self.attributes = attributes
    }

    /// The wire names. `FastBatchDecoder` reads batches by hand on the collector's hot path: a key added here must
    /// be added there too (`FastBatchDecoderTests.everyFieldSet` fails until the new field is set and decoded).
    enum CodingKeys: String, CodingKey {
        case id, kind, name
        case startedAtMs = "started_at_ms"
        case durationMs = "duration_ms"
        case phases, outcome, user, attributes
    }
}

/// The phase names of a logon event, in order.
public enum LogonPhase: String, CaseIterable, Sendable {
    /// PAM authentication start to the PAM session opening.
    case authentication
    /// PAM session open to the desktop session's autostart (desktop ready).
    case sessionStart = "session_start"
    /// Desktop ready to a responsive desktop (CPU settled).
    case responsive
}

/// The phase names of a logon on Windows, assembled from its event logs, in order. A Windows logon carries these
/// instead of `LogonPhase`; the phases and `unattributed` add up to the logon's duration.
public enum WindowsLogonPhase: String, CaseIterable, Sendable {
    /// Winlogon's authentication: Winlogon 1 to 2.
    case authentication
    /// The user profile is loaded (User Profile Service 1 to 2, or Winlogon's Profiles subscriber).
    case profileLoad = "profile_load"
    /// The part of user Group Policy the logon waited for (synchronous processing, or Winlogon's wait for GPClient).
    case groupPolicy = "group_policy"
    /// From the end of the previous phase to the shell start notification.
    case shellStart = "shell_start"
    /// From the shell start to the shell's logon tasks finishing (Shell-Core 62171 `AllLogonTasks`).
    case desktopReady = "desktop_ready"
    /// Time between logon start and desktop ready that no phase covers (gaps between the phases).
    case unattributed
}
