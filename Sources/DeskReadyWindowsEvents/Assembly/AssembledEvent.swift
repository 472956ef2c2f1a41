import DeskReadyModel

/// A boot or logon assembled from Windows events, before pseudonymisation: the user is still the SID (and the name,
/// when an event gave it), which must not leave the machine. `measurementEvent(pseudonymizer:)` makes the event to send.
public struct AssembledEvent: Sendable, Hashable {
    public var event: MeasurementEvent
    /// The user's SID (`S-1-5-21-…`), for logons.
    public var userSID: String?
    /// `DOMAIN\user`, when an event named the user.
    public var userName: String?

    public init(event: MeasurementEvent, userSID: String? = nil, userName: String? = nil) {
        self.event = event
        self.userSID = userSID
        self.userName = userName
    }

    /// The event as sent: the user replaced by the keyed pseudonym of the SID (SIDs are stable; names change).
    public func measurementEvent(pseudonymizer: Pseudonymizer) -> MeasurementEvent {
        var event = event
        event.user = (userSID ?? userName).map { pseudonymizer.pseudonym(for: $0) }
        return event
    }
}

/// A boot or logon still in progress at the end of the records: it is not output yet, and the records from
/// `keepFromUs` on must be read again with the next export so that it completes there.
public struct HeldBack: Sendable, Hashable {
    public enum Kind: String, Sendable { case boot, logon }
    public var kind: Kind
    public var startedAtUs: Int64
    /// Keep records from this time on (microseconds since the epoch).
    public var keepFromUs: Int64
    public var reason: String
}
