/// One device as IT ops see it: where it is, what it is, when it was last heard from, and how its logons and boots
/// went in a period. Devices are not people: no user appears here.
public struct DeviceRow: Codable, Sendable, Equatable {
    public var deviceId: String
    public var site: String
    public var vendor: String?
    public var model: String?
    public var osId: String?
    public var osVersion: String?
    public var osName: String?
    /// `ssd`, `hdd` or `virtual` (older agents' `rotational` read as `hdd`), nil when no inventory has said.
    public var systemDisk: String?
    public var memoryMB: Int?
    /// The agent's version, when the store records it.
    public var agentVersion: String?
    /// When the device last sent anything (Unix ms).
    public var lastSeenMs: Int64
    /// Completed logons and boots in the period, and their 90th percentiles (ms).
    public var logons: Int
    public var logonP90Ms: Int64?
    public var boots: Int
    public var bootP90Ms: Int64?

    public init(deviceId: String, site: String, vendor: String? = nil, model: String? = nil, osId: String? = nil, osVersion: String? = nil,
                osName: String? = nil, systemDisk: String? = nil, memoryMB: Int? = nil, agentVersion: String? = nil, lastSeenMs: Int64,
                logons: Int = 0, logonP90Ms: Int64? = nil, boots: Int = 0, bootP90Ms: Int64? = nil) {
        self.deviceId = deviceId
        self.site = site
        self.vendor = vendor
        self.model = model
        self.osId = osId
        self.osVersion = osVersion
        self.osName = osName
        self.systemDisk = systemDisk
        self.memoryMB = memoryMB
        self.agentVersion = agentVersion
        self.lastSeenMs = lastSeenMs
        self.logons = logons
        self.logonP90Ms = logonP90Ms
        self.boots = boots
        self.bootP90Ms = bootP90Ms
    }

    enum CodingKeys: String, CodingKey {
        case deviceId = "device_id"
        case site, vendor, model
        case osId = "os_id"
        case osVersion = "os_version"
        case osName = "os_name"
        case systemDisk = "system_disk"
        case memoryMB = "memory_mb"
        case agentVersion = "agent_version"
        case lastSeenMs = "last_seen_ms"
        case logons
        case logonP90Ms = "logon_p90_ms"
        case boots
        case bootP90Ms = "boot_p90_ms"
    }
}

/// The device table of a trust for IT ops. A store that can list it implements this beside `CollectorStore`.
public protocol DeviceTableStore: Sendable {
    /// Every enrolled device of `trust`, with its newest inventory and its logon and boot p90 over `[fromMs, toMs)`.
    func deviceRows(trust: String, fromMs: Int64, toMs: Int64) async throws -> [DeviceRow]
}

/// Renders a trust's device table for `GET /v1/trusts/{ods}/devices`; the reporting module provides it.
public protocol DeviceTableRendering: Sendable {
    /// The table for `query`, as `json` or `csv`.
    func renderDevices(_ query: DeviceTableQuery) async throws -> RenderedReport
}

/// What a device table is asked for: a trust, a period, a format and the filters IT ops use.
public struct DeviceTableQuery: Sendable, Equatable {
    public var trust: String
    public var fromMs: Int64
    public var toMs: Int64
    /// `json` or `csv`.
    public var format: String
    /// Only devices with no data for at least this many days before the period's end.
    public var silentDays: Int?
    /// Only devices on a hard disk.
    public var hardDisks: Bool
    /// Only devices on an OS the maturity model does not list as supported.
    public var unsupportedOS: Bool

    public static let formats = ["json", "csv"]

    public init(trust: String, fromMs: Int64, toMs: Int64, format: String = "json", silentDays: Int? = nil, hardDisks: Bool = false,
                unsupportedOS: Bool = false) {
        self.trust = trust
        self.fromMs = fromMs
        self.toMs = toMs
        self.format = format
        self.silentDays = silentDays
        self.hardDisks = hardDisks
        self.unsupportedOS = unsupportedOS
    }
}
