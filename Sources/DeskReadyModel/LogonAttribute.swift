/// Attribute names a logon event may carry, shared by the agent that sets them and the collector that reads them.
public enum LogonAttribute {
    /// `"true"` when the user had no earlier logon on this device (the profile was being created).
    public static let firstLogon = "first_logon"
    /// `"true"` when this is the first logon after the OS version or the kernel changed.
    public static let afterUpgrade = "after_upgrade"
    /// The responsive-desktop rule that decided the logon's end (for example `cpu<50%/2s`), or `mark`.
    public static let responsiveRule = "responsive_rule"
    /// Milliseconds from the prompt (PAM's auth stack starting) to the credentials accepted: the person typing, or
    /// finding a smartcard. Kept apart, never part of the logon's duration.
    public static let credentialEntryMs = "credential_entry_ms"
    /// The value a flag attribute has when set.
    public static let flagSet = "true"
}

/// The group a logon belongs to for reporting: ordinary logons make the headline; first logons and the first logon
/// after an upgrade are reported apart, because profile creation and post-update work would dominate the figures.
public enum LogonCohort: String, CaseIterable, Sendable, Codable {
    case ordinary = ""
    case first
    case afterUpgrade = "after_upgrade"

    /// The cohort of a logon from its attributes; a first logon that is also after an upgrade counts as first.
    public init(attributes: [String: String]?) {
        if attributes?[LogonAttribute.firstLogon] == LogonAttribute.flagSet {
            self = .first
        } else if attributes?[LogonAttribute.afterUpgrade] == LogonAttribute.flagSet {
            self = .afterUpgrade
        } else {
            self = .ordinary
        }
    }
}
