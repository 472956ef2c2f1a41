/// What an event measures. Unknown kinds decode, so that a newer agent's event is rejected
/// on its own (partial success) instead of costing its whole batch.
public struct EventKind: OpenStringValue {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Power-on (or kernel start) to the graphical target.
    public static let boot = EventKind(rawValue: "boot")
    /// Credentials entered (accepted by PAM) to a responsive desktop, with phases. The time spent typing them is
    /// not part of it.
    public static let logon = EventKind(rawValue: "logon")
    /// A screen unlock: credentials accepted while the user's desktop session was already live. Counted (duration 0:
    /// PAM marks no unlocked desktop), reported apart from logons, never as an incomplete logon.
    public static let unlock = EventKind(rawValue: "unlock")
    /// An application's start to its first usable state.
    public static let appStart = EventKind(rawValue: "app_start")
    /// A network probe to a clinical system (DNS, connect, TLS, first byte).
    public static let probe = EventKind(rawValue: "probe")
    /// A device inventory snapshot (OS, disk, memory, model).
    public static let inventory = EventKind(rawValue: "inventory")
    /// The agent's own accounting (events dropped from a full spool, and why).
    public static let agent = EventKind(rawValue: "agent")

    /// Every kind the collector accepts in schema version 1.
    public static let known: Set<EventKind> = [.boot, .logon, .unlock, .appStart, .probe, .inventory, .agent]
    /// Kinds whose duration is a timing that indicators are computed from.
    public static let timed: Set<EventKind> = [.boot, .logon, .unlock, .appStart, .probe]
}
