/// A timing mark of one logon milestone, written by `deskready-agent mark` from PAM or the desktop autostart.
public struct LogonMark: Sendable, Equatable {
    /// The milestones, in the order a logon passes them.
    public enum Milestone: String, CaseIterable, Sendable {
        /// PAM's auth stack starts (pam_exec in `auth`).
        case authStart = "auth_start"
        /// PAM opens the session (pam_exec in `session`): credentials accepted.
        case sessionOpen = "session_open"
        /// The desktop session's autostart ran (`/etc/xdg/autostart`).
        case desktopReady = "desktop_ready"
        /// The desktop's CPU use settled below the responsive threshold.
        case responsive
    }

    public var id: Int64
    public var name: String
    /// logind session id (`XDG_SESSION_ID`), when known.
    public var session: String?
    /// Pseudonymised user (never the user name).
    public var user: String?
    /// `x11`, `wayland`, `tty`… (`XDG_SESSION_TYPE`).
    public var sessionType: String?
    public var wallMs: Int64
    public var monotonicMs: Int64
    public var bootId: String

    public init(id: Int64 = 0, name: String, session: String?, user: String?, sessionType: String? = nil,
                wallMs: Int64, monotonicMs: Int64, bootId: String) {
        self.id = id
        self.name = name
        self.session = session
        self.user = user
        self.sessionType = sessionType
        self.wallMs = wallMs
        self.monotonicMs = monotonicMs
        self.bootId = bootId
    }

    public var milestone: Milestone? { Milestone(rawValue: name) }
}
