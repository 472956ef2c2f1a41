/// A trust's devices and data as `/metrics` shows them.
public struct TrustHealth: Sendable, Equatable {
    public var trust: String
    /// Devices the collector knows in the trust (enrolled or seen).
    public var devicesKnown: Int
    /// Of those, devices not heard from since the cut-off (or never).
    public var devicesSilent: Int
    /// Start of the trust's newest stored event, UTC milliseconds; nil when it has none.
    public var newestEventMs: Int64?

    public init(trust: String, devicesKnown: Int, devicesSilent: Int, newestEventMs: Int64?) {
        self.trust = trust
        self.devicesKnown = devicesKnown
        self.devicesSilent = devicesSilent
        self.newestEventMs = newestEventMs
    }
}

/// A narrow read for monitoring: per trust, devices known and silent, and the newest data. It reads the device list
/// and the trust's activity row, never the raw events. A store that cannot answer it simply has no per-trust gauges.
public protocol TrustHealthReading: Sendable {
    /// Every trust, with devices not seen since `silentBeforeMs` counted as silent.
    func trustHealth(silentBeforeMs: Int64) async throws -> [TrustHealth]
}
