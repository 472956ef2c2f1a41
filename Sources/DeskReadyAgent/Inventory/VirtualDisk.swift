/// The signs that a disk is a hypervisor's rather than a physical drive: names the kernel gives paravirtual disks,
/// the models hypervisors give their emulated disks, and the firmware names of virtual machines.
public enum VirtualDisk {
    /// The `system_disk` value of a virtual disk.
    public static let kind = "virtual"

    /// Disk models and vendors of hypervisors' emulated and cloud disks (compared case-insensitively).
    static let diskMarkers = ["qemu", "vmware", "vbox", "virtual", "msft", "xen", "red hat", "google", "persistentdisk",
                              "amazon elastic block store", "nutanix"]
    /// Firmware vendor or product names of virtual machines (`/sys/class/dmi/id`).
    static let machineMarkers = ["qemu", "kvm", "vmware", "innotek", "virtualbox", "xen", "bochs", "parallels", "openstack",
                                 "amazon ec2", "google compute engine", "nutanix", "virtual machine"]

    /// Why the disk `name` (with its `device/vendor` and `device/model`) is virtual, or nil when nothing says so.
    public static func diskEvidence(name: String, vendor: String?, model: String?) -> String? {
        if name.hasPrefix("vd") { return "virtio disk \(name)" }
        if name.hasPrefix("xvd") { return "Xen virtual disk \(name)" }
        let described = [vendor, model].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        let lower = described.lowercased()
        return diskMarkers.contains(where: lower.contains) ? "disk model \(described)" : nil
    }

    /// Why the machine is a virtual one, from its firmware's vendor and product names, or nil.
    public static func machineEvidence(_ vendor: String?, _ product: String?) -> String? {
        let described = [vendor, product].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        let lower = described.lowercased()
        return machineMarkers.contains(where: lower.contains) ? "virtual machine \(described)" : nil
    }
}
