/// The kinds of system disk the agent reports in `system_disk`: `ssd`, `hdd` and `virtual` (a virtual machine's or
/// VDI desktop's disk, whatever it claims). Agents before `hdd` sent `rotational` for a hard disk; the SSD share
/// counts both as physical disks that are not solid state.
public enum DiskKind {
    public static let ssd = "ssd"
    public static let hdd = "hdd"
    public static let virtual = "virtual"
}
