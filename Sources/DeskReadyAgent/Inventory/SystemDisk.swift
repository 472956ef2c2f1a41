#if canImport(Glibc)
import Glibc
#endif

/// What the system disk is: the block device under `/`, followed through partitions and device-mapper or RAID layers
/// down to the disks, as the kernel reports them in `/sys`. `ssd` or `hdd` from the kernel's rotational flag, or
/// `virtual` when the disk is a hypervisor's (virtio or Xen names, a virtual disk's model, or a virtual machine's
/// firmware): virtual machines and VDI desktops report their disks as rotational, which says nothing about the
/// storage behind them. Each answer comes with its evidence.
public struct SystemDisk {
    let sysRoot: String
    let mountInfo: () -> String?

    public init(sysRoot: String = "/sys", mountInfo: @escaping () -> String? = { FileText.read("/proc/self/mountinfo") }) {
        self.sysRoot = sysRoot
        self.mountInfo = mountInfo
    }

    /// `ssd`, `hdd` or `virtual`, the disk it was read from (`nvme0n1`) and the evidence (`rotational=0`, `virtio
    /// disk vda`, `disk model QEMU HARDDISK`, `virtual machine VMware, Inc.`), or nil when the root is not on a local
    /// block device (a container's overlay, a network root).
    public func kind() -> (kind: String, disk: String, evidence: String)? {
        guard let root = mountInfo().flatMap({ InventoryParsers.rootMount($0) }), !root.device.hasPrefix("0:") else { return nil }
        guard let device = resolve("\(sysRoot)/dev/block/\(root.device)"), let found = kind(ofDeviceAt: device, depth: 0) else { return nil }
        if found.kind != VirtualDisk.kind, let machine = VirtualDisk.machineEvidence(read("\(sysRoot)/class/dmi/id/sys_vendor"),
                                                                                     read("\(sysRoot)/class/dmi/id/product_name")) {
            return (VirtualDisk.kind, found.disk, machine + "; " + found.evidence)
        }
        return found
    }

    private func read(_ path: String) -> String? { FileText.read(path, limit: 256).map { String($0.trimmingWhitespace()) } }

    private func kind(ofDeviceAt path: String, depth: Int) -> (kind: String, disk: String, evidence: String)? {
        guard depth < 8 else { return nil }
        var disk = path
        if access("\(path)/partition", F_OK) == 0 { disk = parent(path) }
        let slaves = entries("\(disk)/slaves")
        if !slaves.isEmpty {
            // A mapped or RAID device is virtual when any disk under it is, and spins when any disk under it does.
            let kinds = slaves.compactMap { name in resolve("\(disk)/slaves/\(name)").flatMap { kind(ofDeviceAt: $0, depth: depth + 1) } }
            return kinds.first { $0.kind == VirtualDisk.kind } ?? kinds.first { $0.kind == "hdd" } ?? kinds.first
        }
        let name = disk.split(separator: "/").last.map(String.init) ?? disk
        if let evidence = VirtualDisk.diskEvidence(name: name, vendor: read("\(disk)/device/vendor"), model: read("\(disk)/device/model")) {
            return (VirtualDisk.kind, name, evidence)
        }
        guard let text = FileText.read("\(disk)/queue/rotational", limit: 16), let kind = InventoryParsers.diskKind(rotational: text) else { return nil }
        return (kind, name, "rotational=\(text.trimmingWhitespace())")
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
