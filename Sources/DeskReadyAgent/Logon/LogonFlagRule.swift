import DeskReadyModel

/// Decides a logon's fair-comparison flags (issue #10): `first_logon` and `after_upgrade`.
///
/// `first_logon` is set when the user (by pseudonym) has no earlier logon recorded on this device and either
/// - the user's home folder was created during this logon (from a minute before its first mark, to allow for
///   clock steps), which is the profile creation that makes first logons slow; or
/// - the home folder's creation time is unknown (a filesystem without birth times, a network home, a logon known
///   only by pseudonym) and the agent has kept the list of users for at least `warmupMs` before the logon.
/// A user whose home folder is older than the logon is not flagged, even if the agent never saw them: on a device
/// where the agent is newly installed, every user is new to the agent but not to the device. Without evidence, the
/// warm-up keeps a new agent from taking its first weeks of regular users for first logons; a user who returns after
/// a longer absence than the warm-up, on a home without birth times, may be flagged wrongly. Once recorded, a user
/// is never flagged first again on this device.
///
/// `after_upgrade` is set on the first logon whose OS version (os-release `VERSION_ID`) or kernel release differs
/// from those at the previous logon on this device; the first logon the agent ever stores is not flagged, as there
/// is nothing to compare it with.
public struct LogonFlagRule: Equatable, Sendable {
    /// How long the agent must have kept the list of users before a user without evidence counts as new.
    public var warmupMs: Int64
    /// How long before the logon's first mark a home folder may have been created and still count as this logon's.
    public static let homeSlackMs: Int64 = 60_000

    public init(warmupMs: Int64 = 30 * UTCTime.dayMs) {
        self.warmupMs = warmupMs
    }

    /// Whether a logon starting at `logonStartMs` is the user's first on this device (see the type's rule).
    public func isFirstLogon(seenBefore: Bool, logonStartMs: Int64, homeCreatedMs: Int64?, historySinceMs: Int64) -> Bool {
        guard !seenBefore else { return false }
        if let homeCreatedMs { return homeCreatedMs >= logonStartMs - Self.homeSlackMs }
        return logonStartMs - historySinceMs >= warmupMs
    }

    /// Whether a logon under `current` is the first after an upgrade from `previous` (nil: no logon stored before).
    public static func isAfterUpgrade(previous: String?, current: String) -> Bool {
        guard let previous else { return false }
        return previous != current
    }
}
