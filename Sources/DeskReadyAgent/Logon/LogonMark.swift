/// A timing mark of one logon milestone, written by `deskready-agent mark` from PAM or the desktop autostart.
public struct LogonMark: Sendable, Equatable {
    /// The milestones, in the order a logon passes them.
    public enum Milestone: String, CaseIterable, Sendable {
        /// PAM's auth stack starts (pam_exec first in `auth`): the prompt is about to be shown.
        case authStart = "auth_start"
        /// PAM's auth stack accepted the credentials (pam_exec last in `auth`): where a logon or an unlock starts.
        /// The time from `authStart` is the person typing (or finding a smartcard), kept out of the logon.
        case authDone = "auth_done"
        /// PAM opens the session (pam_exec in `session`).
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
    /// What the daemon learnt about the logon at this mark: attributes for the logon event (the responsive rule,
    /// `source`), and local facts whose names start with `_` (see `LocalFact`), which never leave the device.
    public var attributes: [String: String]

    public init(id: Int64 = 0, name: String, session: String?, user: String?, sessionType: String? = nil,
                wallMs: Int64, monotonicMs: Int64, bootId: String, attributes: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.session = session
        self.user = user
        self.sessionType = sessionType
        self.wallMs = wallMs
        self.monotonicMs = monotonicMs
        self.bootId = bootId
        self.attributes = attributes
    }

    public var milestone: Milestone? { Milestone(rawValue: name) }
}

/// Names of a mark's local facts: kept in the spool for the daemon's decisions, never sent to the collector.
public enum LocalFact {
    /// The user's numeric id, for the user's CPU cgroup.
    public static let uid = "_uid"
    /// When the user's home folder was created (wall-clock ms), the evidence of a first logon.
    public static let homeCreatedMs = "_home_created_ms"

    /// On an `auth_done` mark: the id of the user's live local desktop session that existed before the mark (the
    /// authentication unlocked it), or `none`. Set by `UnlockDecider` from `loginctl`.
    public static let priorSession = "_prior_session"

    /// Whether an attribute is a local fact.
    public static func isLocal(_ name: String) -> Bool { name.hasPrefix("_") }
}

/// The text form of mark attributes in the spool's `marks.attributes` column: `key=value` lines, sorted. Cheap to
/// write and read (no JSON coder in `deskready-agent mark`); a line break in a value is stored as a space.
enum MarkAttributesText {
    static func encode(_ attributes: [String: String]) -> String? {
        guard !attributes.isEmpty else { return nil }
        return attributes.sorted { $0.key < $1.key }.map { key, value in
            "\(key.filter { $0 != "=" && !$0.isNewline })=\(String(value.map { $0.isNewline ? " " : $0 }))"
        }.joined(separator: "\n")
    }

    static func decode(_ text: String?) -> [String: String] {
        var attributes: [String: String] = [:]
        for line in (text ?? "").split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            attributes[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return attributes
    }
}
