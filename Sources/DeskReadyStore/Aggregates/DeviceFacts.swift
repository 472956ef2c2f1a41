/// A device's inventory as the estate indicators need it, from its newest `inventory` event.
public struct DeviceFacts: Sendable, Equatable {
    public var observedMs: Int64
    public var osId: String?
    public var osVersion: String?
    public var osName: String?
    public var kernel: String?
    public var memoryMB: Int?
    /// `ssd`, `hdd`, `virtual` (`rotational` from older agents: a hard disk) or nil when unknown.
    public var systemDisk: String?
    public var vendor: String?
    public var model: String?

    public init(observedMs: Int64, attributes: [String: String]) {
        self.observedMs = observedMs
        osId = attributes["os_id"]
        osVersion = attributes["os_version"]
        osName = attributes["os_name"]
        kernel = attributes["kernel"]
        memoryMB = attributes["memory_mb"].flatMap { Int($0) }
        systemDisk = attributes["system_disk"]
        vendor = attributes["vendor"]
        model = attributes["model"]
    }

    /// How reports name the device's model: vendor and model, or "unknown".
    public var modelName: String {
        Self.modelName(vendor: vendor, model: model)
    }

    package static func modelName(vendor: String?, model: String?) -> String {
        switch (vendor?.isEmpty == false ? vendor : nil, model?.isEmpty == false ? model : nil) {
        case let (vendor?, model?): model.hasPrefix(vendor) ? model : "\(vendor) \(model)"
        case let (nil, model?): model
        default: "unknown"
        }
    }
}
