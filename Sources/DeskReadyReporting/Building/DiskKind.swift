/// The kinds of system disk the agent reports in `system_disk`: `ssd`, `hdd` and `virtual` (a virtual machine's or
/// VDI desktop's disk, whatever it claims), and `rotational`, what agents before `hdd` sent for a hard disk.
public enum DiskKind {
    public static let ssd = "ssd"
    public static let hdd = "hdd"
    public static let virtual = "virtual"
    /// The older agents' name for a hard disk.
    public static let legacyHDD = "rotational"

    /// The kind to show and filter by: `rotational` read as `hdd`.
    public static func normalised(_ value: String?) -> String? {
        value == legacyHDD ? hdd : value
    }
}
