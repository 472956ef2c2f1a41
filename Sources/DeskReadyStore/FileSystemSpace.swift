import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Free space on a file system, as an unprivileged process may use it.
package enum FileSystemSpace {
    package static func availableBytes(atPath path: String) -> Int64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// The size of the file system holding `path`, in bytes.
    package static func totalBytes(atPath path: String) -> Int64? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        return Int64(info.f_blocks) * Int64(info.f_frsize)
    }
}
