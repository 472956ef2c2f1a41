import DeskReadyAgent
import DeskReadyTestSupport
import Foundation
import Testing

@Suite("Virtual system disks")
struct VirtualDiskTests {
    /// A /sys tree of a VDI desktop: a virtio disk (`vda`, rotational as QEMU reports it), a SCSI disk QEMU emulates,
    /// and a physical-looking disk on a VMware machine; `vendor`/`product` are the machine's firmware names.
    func fakeSys(_ dir: TemporaryDirectory, vendor: String, product: String) throws -> String {
        let fm = FileManager.default
        let sys = dir.file("sys")
        let vda = "\(sys)/devices/pci0000:00/0000:00:04.0/virtio1/block/vda"
        let sdb = "\(sys)/devices/pci0000:00/0000:00:05.0/host2/target2:0:0/2:0:0:0/block/sdb"
        for folder in ["\(vda)/vda1", "\(vda)/queue", "\(sdb)/sdb1", "\(sdb)/queue", "\(sdb)/device", "\(sys)/dev/block", "\(sys)/class/dmi/id"] {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        for (file, text) in [("\(vda)/queue/rotational", "1"), ("\(vda)/vda1/partition", "1"), ("\(sdb)/queue/rotational", "1"),
                             ("\(sdb)/sdb1/partition", "1"), ("\(sdb)/device/vendor", "QEMU    "), ("\(sdb)/device/model", "QEMU HARDDISK   "),
                             ("\(sys)/class/dmi/id/sys_vendor", vendor), ("\(sys)/class/dmi/id/product_name", product)] {
            try (text + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        }
        try fm.createSymbolicLink(atPath: "\(sys)/dev/block/254:1", withDestinationPath: "\(vda)/vda1")
        try fm.createSymbolicLink(atPath: "\(sys)/dev/block/8:17", withDestinationPath: "\(sdb)/sdb1")
        return sys
    }

    @Test("virtio and emulated disks are virtual, with the evidence, though they report themselves as rotational")
    func virtualDisks() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let sys = try fakeSys(dir, vendor: "LENOVO", product: "20W0005UUK")
        let virtio = try #require(SystemDisk(sysRoot: sys) { "30 1 254:1 / / rw - ext4 /dev/vda1 rw\n" }.kind())
        #expect(virtio.kind == "virtual")
        #expect(virtio.disk == "vda")
        #expect(virtio.evidence == "virtio disk vda")
        let emulated = try #require(SystemDisk(sysRoot: sys) { "30 1 8:17 / / rw - ext4 /dev/sdb1 rw\n" }.kind())
        #expect(emulated.kind == "virtual")
        #expect(emulated.evidence == "disk model QEMU QEMU HARDDISK")
    }

    @Test("On a virtual machine's firmware any disk is virtual; the rotational flag is kept as evidence")
    func virtualMachine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let sys = try fakeSys(dir, vendor: "VMware, Inc.", product: "VMware7,1")
        try "ATA\n".write(toFile: "\(sys)/devices/pci0000:00/0000:00:05.0/host2/target2:0:0/2:0:0:0/block/sdb/device/vendor", atomically: true, encoding: .utf8)
        try "Samsung SSD 870\n".write(toFile: "\(sys)/devices/pci0000:00/0000:00:05.0/host2/target2:0:0/2:0:0:0/block/sdb/device/model", atomically: true, encoding: .utf8)
        let disk = try #require(SystemDisk(sysRoot: sys) { "30 1 8:17 / / rw - ext4 /dev/sdb1 rw\n" }.kind())
        #expect(disk.kind == "virtual")
        #expect(disk.evidence == "virtual machine VMware, Inc. VMware7,1; rotational=1")
        #expect(VirtualDisk.machineEvidence("Microsoft Corporation", "Virtual Machine") != nil)
        #expect(VirtualDisk.machineEvidence("Dell Inc.", "OptiPlex 7010") == nil)
        #expect(VirtualDisk.diskEvidence(name: "nvme0n1", vendor: nil, model: "Samsung SSD 980 PRO 1TB") == nil)
    }
}
