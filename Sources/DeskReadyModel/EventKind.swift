/// What an event measures. Unknown kinds decode, so that a newer agent's event is rejected
/// on its own (partial success) instead of costing its whole batch.
public struct EventKind: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { rawValue }

    /// Power-on (or kernel start) to the graphical target.
    public static let boot = EventKind(rawValue: "boot")
    /// Credentials entered to a responsive desktop, with phases.
    public static let logon = EventKind(rawValue: "logon")
    /// An application's start to its first usable state.
    public static let appStart = EventKind(rawValue: "app_start")
    /// A network probe to a clinical system (DNS, connect, TLS, first byte).
    public static let probe = EventKind(rawValue: "probe")
    /// A device inventory snapshot (OS, disk, memory, model).
    public static let inventory = EventKind(rawValue: "inventory")
    /// The agent's own accounting (events dropped from a full spool, and why).
    public static let agent = EventKind(rawValue: "agent")

    /// Every kind the collector accepts in schema version 1.
    public static let known: Set<EventKind> = [.boot, .logon, .appStart, .probe, .inventory, .agent]
    /// Kinds whose duration is a timing that indicators are computed from.
    public static let timed: Set<EventKind> = [.boot, .logon, .appStart, .probe]
}
