import DeskReadyAgent
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

@Suite("Device inventory")
struct InventoryTests {
    static let debian = """
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        VERSION="12 (bookworm)"
        VERSION_CODENAME=bookworm
        ID=debian
        HOME_URL="https://www.debian.org/"
        """
    static let ubuntu = """
        PRETTY_NAME="Ubuntu 24.04.1 LTS"
        NAME="Ubuntu"
        VERSION_ID="24.04"
        VERSION="24.04.1 LTS (Noble Numbat)"
        ID=ubuntu
        ID_LIKE=debian
        # a comment
        UBUNTU_CODENAME='noble'
        """
    /// Two logical processors of one core each on one socket, as an Intel laptop shows them (trimmed).
    static let cpuinfo = """
        processor\t: 0
        vendor_id\t: GenuineIntel
        model name\t: 11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz
        physical id\t: 0
        core id\t\t: 0
        cpu cores\t: 2

        processor\t: 1
        vendor_id\t: GenuineIntel
        model name\t: 11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz
        physical id\t: 0
        core id\t\t: 0
        cpu cores\t: 2

        processor\t: 2
        model name\t: 11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz
        physical id\t: 0
        core id\t\t: 1

        processor\t: 3
        model name\t: 11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz
        physical id\t: 0
        core id\t\t: 1
        """
    /// A virtual machine's, without core ids (captured on this build machine).
    static let vmCpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\n\nprocessor\t: 1\nmodel name\t: AMD EPYC\n"
    static let meminfo = "MemTotal:       24684096 kB\nMemFree:        19937580 kB\nMemAvailable:   23642764 kB\n"
    static let mountinfo = """
        22 27 0:21 / /proc rw,relatime - proc proc rw
        23 27 0:22 / /sys rw,relatime - sysfs sysfs rw
        27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
        28 27 0:25 / /mnt/x ro,nosuid,nodev,relatime - tmpfs tmpfs ro,size=4k,mode=755
        """

    @Test("os-release fields are read with their quotes and comments handled")
    func osRelease() {
        let debian = InventoryParsers.osRelease(Self.debian)
        #expect(debian["NAME"] == "Debian GNU/Linux")
        #expect(debian["VERSION_ID"] == "12")
        #expect(debian["VERSION_CODENAME"] == "bookworm")
        let ubuntu = InventoryParsers.osRelease(Self.ubuntu)
        #expect(ubuntu["VERSION_ID"] == "24.04")
        #expect(ubuntu["UBUNTU_CODENAME"] == "noble")
        #expect(ubuntu.count == 7)
    }

    @Test("cpuinfo gives the model, the hardware threads and the physical cores")
    func cpu() {
        let laptop = InventoryParsers.cpuInfo(Self.cpuinfo)
        #expect(laptop.model == "11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz")
        #expect(laptop.threads == 4)
        #expect(laptop.cores == 2)
        let vm = InventoryParsers.cpuInfo(Self.vmCpuinfo)
        #expect(vm.model == "AMD EPYC")
        #expect(vm.cores == 2)
    }

    @Test("Memory, uptime, the root's device and the disk's kind parse from their files")
    func smallFiles() throws {
        #expect(InventoryParsers.memoryMB(Self.meminfo) == 24_105)
        #expect(InventoryParsers.uptimeSeconds("2906.16 1850.94\n") == 2_906)
        let root = try #require(InventoryParsers.rootMount(Self.mountinfo))
        #expect(root.device == "254:0")
        #expect(root.fsType == "ext4")
        #expect(root.source == "/dev/vda")
        #expect(InventoryParsers.rootMount("22 27 0:21 / /proc rw - proc proc rw\n") == nil)
        #expect(InventoryParsers.diskKind(rotational: "0\n") == "ssd")
        #expect(InventoryParsers.diskKind(rotational: "1\n") == "hdd")
        #expect(InventoryParsers.diskKind(rotational: "") == nil)
    }

    /// A /sys tree as the kernel lays it out: a partition of a spinning SATA disk, and an LVM volume on an NVMe drive.
    func fakeSys(_ dir: TemporaryDirectory) throws -> String {
        let fm = FileManager.default
        let sys = dir.file("sys")
        let sda = "\(sys)/devices/pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda"
        let nvme = "\(sys)/devices/pci0000:00/0000:00:1d.0/nvme/nvme0/nvme0n1"
        let dm = "\(sys)/devices/virtual/block/dm-0"
        for folder in ["\(sda)/sda2", "\(sda)/queue", "\(nvme)/nvme0n1p3", "\(nvme)/queue", "\(dm)/slaves", "\(dm)/queue", "\(sys)/dev/block"] {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        try "1\n".write(toFile: "\(sda)/queue/rotational", atomically: true, encoding: .utf8)
        try "2\n".write(toFile: "\(sda)/sda2/partition", atomically: true, encoding: .utf8)
        try "0\n".write(toFile: "\(nvme)/queue/rotational", atomically: true, encoding: .utf8)
        try "3\n".write(toFile: "\(nvme)/nvme0n1p3/partition", atomically: true, encoding: .utf8)
        try "0\n".write(toFile: "\(dm)/queue/rotational", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: "\(dm)/slaves/nvme0n1p3", withDestinationPath: "\(nvme)/nvme0n1p3")
        try fm.createSymbolicLink(atPath: "\(sys)/dev/block/8:2", withDestinationPath: "\(sda)/sda2")
        try fm.createSymbolicLink(atPath: "\(sys)/dev/block/253:0", withDestinationPath: dm)
        return sys
    }

    @Test("The system disk is followed through partitions and device mapper to the disk's rotational flag")
    func systemDisk() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let sys = try fakeSys(dir)
        let hdd = SystemDisk(sysRoot: sys) { "30 1 8:2 / / rw,relatime - ext4 /dev/sda2 rw\n" }
        #expect(hdd.kind()?.kind == "hdd")
        #expect(hdd.kind()?.evidence == "rotational=1")
        #expect(hdd.kind()?.disk == "sda")
        let lvm = SystemDisk(sysRoot: sys) { "30 1 253:0 / / rw,relatime - ext4 /dev/mapper/vg-root rw\n" }
        #expect(lvm.kind()?.kind == "ssd")
        #expect(lvm.kind()?.disk == "nvme0n1")
        let overlay = SystemDisk(sysRoot: sys) { "30 1 0:52 / / rw - overlay overlay rw\n" }
        #expect(overlay.kind() == nil)
    }

    @Test("The inventory event carries every fact the files give, and leaves out those they do not")
    func event() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let sys = try fakeSys(dir)
        let files = [
            "/etc/os-release": Self.ubuntu, "/proc/cpuinfo": Self.cpuinfo, "/proc/meminfo": Self.meminfo, "/proc/uptime": "86400.5 100.0\n",
            "/sys/class/dmi/id/sys_vendor": "LENOVO\n", "/sys/class/dmi/id/product_name": "20W0005UUK\n",
        ]
        let inventory = Inventory(read: { files[$0] }, disk: SystemDisk(sysRoot: sys) { "30 1 8:2 / / rw - ext4 /dev/sda2 rw\n" })
        let event = inventory.event(nowMs: 1_790_000_000_000)
        let facts = try #require(event.attributes)
        #expect(event.kind == .inventory)
        #expect(event.name == "device")
        #expect(facts["os_name"] == "Ubuntu")
        #expect(facts["os_version"] == "24.04")
        #expect(facts["cpu_model"] == "11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz")
        #expect(facts["cpu_cores"] == "2")
        #expect(facts["memory_mb"] == "24105")
        #expect(facts["system_disk"] == "hdd")
        #expect(facts["system_disk_evidence"] == "rotational=1")
        #expect(facts["vendor"] == "LENOVO")
        #expect(facts["model"] == "20W0005UUK")
        #expect(facts["model_version"] == nil)
        #expect(facts["uptime_s"] == "86400")
        #expect(facts["kernel"]?.isEmpty == false)
        #expect(BatchValidator().eventProblem(event, nowMs: 1_790_000_000_000) == nil)
    }

    @Test("The running machine's inventory is readable")
    func live() {
        let facts = Inventory().attributes()
        #expect(facts["kernel"] != nil)
        #expect(facts["memory_mb"] != nil)
        #expect(facts["cpu_cores"] != nil)
    }

    @Test("The inventory is sent at start, not again within the interval, and again when it changes")
    func recorder() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let clock = ManualClock()
        let spool = try Spool(path: dir.file("spool.sqlite"), clock: clock)
        var memory = "MemTotal: 8000000 kB\n"
        let inventory = Inventory(read: { $0 == "/proc/meminfo" ? memory : nil }, disk: SystemDisk(sysRoot: dir.path) { nil })
        let recorder = InventoryRecorder(spool: spool, intervalHours: 24, inventory: inventory, settleMs: 60_000)
        #expect(try !recorder.recordIfDue(nowMs: clock.nowMs(), monotonicMs: 0))
        #expect(try recorder.recordIfDue(nowMs: clock.nowMs() + 60_000, monotonicMs: 60_000))
        // A restarted agent (a new recorder) does not send the same inventory again within the interval.
        let restarted = InventoryRecorder(spool: spool, intervalHours: 24, inventory: inventory, settleMs: 0)
        #expect(try !restarted.recordIfDue(nowMs: clock.nowMs() + 120_000, monotonicMs: 120_000))
        memory = "MemTotal: 16000000 kB\n"
        #expect(try !restarted.recordIfDue(nowMs: clock.nowMs() + 180_000, monotonicMs: 180_000))
        #expect(try restarted.recordIfDue(nowMs: clock.nowMs() + 3_720_000, monotonicMs: 3_720_000))
        #expect(try !restarted.recordIfDue(nowMs: clock.nowMs() + 7_400_000, monotonicMs: 7_400_000))
        #expect(try restarted.recordIfDue(nowMs: clock.nowMs() + 92_000_000, monotonicMs: 92_000_000))
        #expect(try spool.status().depth == 3)
    }
}
