import DeskReadyModel

#if canImport(Glibc)
import Glibc
#endif

/// The device inventory: OS, kernel, CPU, memory, system disk, vendor and model, uptime. Sent as an `inventory`
/// event at each start of the agent and then every `inventory_interval_hours`; it feeds the estate indicators
/// (share on solid state, share on a supported OS). A fact the system does not give is left out, never guessed.
public struct Inventory {
    /// Reads a file's text; replaceable in tests.
    let read: (String) -> String?
    let disk: SystemDisk

    public init(read: @escaping (String) -> String? = { FileText.read($0, limit: 1 << 20) }, disk: SystemDisk = SystemDisk()) {
        self.read = read
        self.disk = disk
    }

    /// The facts as event attributes.
    public func attributes() -> [String: String] {
        var facts: [String: String] = [:]
        if let text = read("/etc/os-release") ?? read("/usr/lib/os-release") {
            let os = InventoryParsers.osRelease(text)
            facts["os_name"] = os["NAME"]
            facts["os_version"] = os["VERSION_ID"]
            facts["os_id"] = os["ID"]
            facts["os_pretty_name"] = os["PRETTY_NAME"]
        }
        var names = utsname()
        if uname(&names) == 0 {
            facts["kernel"] = withUnsafeBytes(of: names.release) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
            facts["architecture"] = withUnsafeBytes(of: names.machine) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        }
        if let text = read("/proc/cpuinfo") {
            let cpu = InventoryParsers.cpuInfo(text)
            facts["cpu_model"] = cpu.model
            facts["cpu_cores"] = cpu.cores > 0 ? String(cpu.cores) : nil
            facts["cpu_threads"] = cpu.threads > 0 ? String(cpu.threads) : nil
        }
        facts["memory_mb"] = read("/proc/meminfo").flatMap { InventoryParsers.memoryMB($0) }.map(String.init)
        if let system = disk.kind() {
            facts["system_disk"] = system.kind
            facts["system_disk_device"] = system.disk
            facts["system_disk_evidence"] = String(system.evidence.prefix(200))
        }
        for (key, file) in [("vendor", "sys_vendor"), ("model", "product_name"), ("model_version", "product_version")] {
            if let value = read("/sys/class/dmi/id/\(file)")?.trimmingWhitespace(), !value.isEmpty { facts[key] = String(value.prefix(200)) }
        }
        facts["uptime_s"] = read("/proc/uptime").flatMap { InventoryParsers.uptimeSeconds($0) }.map(String.init)
        return facts
    }

    /// The inventory event, taken now.
    public func event(nowMs: Int64) -> MeasurementEvent {
        MeasurementEvent(id: UUIDv7.make(unixMs: nowMs), kind: .inventory, name: "device", startedAtMs: nowMs, durationMs: 0,
                         outcome: .ok, attributes: attributes())
    }
}
