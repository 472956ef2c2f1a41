#if canImport(Glibc)
import Glibc
#endif

/// Whether the system disk spins: the block device under `/`, followed through partitions and device-mapper or RAID
/// layers down to the disks, as the kernel reports them in `/sys`.
public struct SystemDisk {
    let sysRoot: String
    let mountInfo: () -> String?

    public init(sysRoot: String = "/sys", mountInfo: @escaping () -> String? = { FileText.read("/proc/self/mountinfo") }) {
        self.sysRoot = sysRoot
        self.mountInfo = mountInfo
    }

    /// `ssd`, `rotational` or nil, and the disk it was read from (`nvme0n1`), or nil when the root is not on a local
    /// block device (a container's overlay, a network root).
    public func kind() -> (kind: String, disk: String)? {
        guard let root = mountInfo().flatMap({ InventoryParsers.rootMount($0) }), !root.device.hasPrefix("0:") else { return nil }
        guard let device = resolve("\(sysRoot)/dev/block/\(root.device)") else { return nil }
        return kind(ofDeviceAt: device, depth: 0)
    }

    private func kind(ofDeviceAt path: String, depth: Int) -> (kind: String, disk: String)? {
        guard depth < 8 else { return nil }
        var disk = path
        if access("\(path)/partition", F_OK) == 0 { disk = parent(path) }
        let slaves = entries("\(disk)/slaves")
        if !slaves.isEmpty {
            // A mapped or RAID device spins when any disk under it does.
            let kinds = slaves.compactMap { name in resolve("\(disk)/slaves/\(name)").flatMap { kind(ofDeviceAt: $0, depth: depth + 1) } }
            return kinds.first { $0.kind == "rotational" } ?? kinds.first
        }
        guard let text = FileText.read("\(disk)/queue/rotational", limit: 16), let kind = InventoryParsers.diskKind(rotational: text) else { return nil }
        return (kind, disk.split(separator: "/").last.map(String.init) ?? disk)
    }

    private func resolve(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[..<slash])
    }

    private func entries(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
