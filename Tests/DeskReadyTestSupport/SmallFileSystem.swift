import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small file system made for the test (a size-limited tmpfs), so a full disk can be made and freed for real.
public struct SmallFileSystem: Sendable {
    public let mountPoint: String

    /// Whether this process may mount (it runs as root, as CI does).
    public static var canMount: Bool { getuid() == 0 }

    /// Mounts a tmpfs of `megabytes`; nil (with the reason) where this process may not mount.
    public static func mount(megabytes: Int) -> (SmallFileSystem?, String) {
        guard canMount else { return (nil, "mounting a tmpfs needs root (CI runs as root)") }
        let point = NSTemporaryDirectory() + "deskready-full-\(UUID().uuidString.prefix(8))"
        do {
            try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
        } catch {
            return (nil, "cannot create \(point): \(error)")
        }
        let status = Glibc.mount("tmpfs", point, "tmpfs", 0, "size=\(megabytes)m")
        guard status == 0 else { return (nil, "mount -t tmpfs failed: \(String(cString: strerror(errno)))") }
        return (SmallFileSystem(mountPoint: point), "")
    }

    public func file(_ name: String) -> String { mountPoint + "/" + name }

    /// Writes a filler file until the file system is full.
    public func fill() {
        let fd = open(file("filler"), O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0x5A, count: 64 * 1024)
        var size = chunk.count
        while size > 0 {
            let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, size) }
            if written < 0 { return }
            if written < size { size /= 2 }
        }
    }

    public func free() { unlink(file("filler")) }

    public func unmount() {
        _ = umount2(mountPoint, Int32(MNT_DETACH))
        rmdir(mountPoint)
    }
}

