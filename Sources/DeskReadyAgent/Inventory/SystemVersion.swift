#if canImport(Glibc)
import Glibc
#endif

/// The OS version (os-release `VERSION_ID`) and the running kernel's release: what an upgrade changes, for the
/// `after_upgrade` flag of logons.
public struct SystemVersion: Equatable, Sendable {
    public var osVersion: String
    public var kernel: String

    public init(osVersion: String, kernel: String) {
        self.osVersion = osVersion
        self.kernel = kernel
    }

    /// The text kept in the spool to compare with at the next logon.
    public var fingerprint: String { "os=\(osVersion);kernel=\(kernel)" }

    /// The running system's, with `read` giving a file's text (as `Inventory` reads os-release).
    public static func current(read: (String) -> String? = { FileText.read($0, limit: 1 << 16) }) -> SystemVersion {
        let os = (read("/etc/os-release") ?? read("/usr/lib/os-release")).map { InventoryParsers.osRelease($0) } ?? [:]
        var names = utsname()
        let kernel = uname(&names) == 0
            ? withUnsafeBytes(of: names.release) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) } : ""
        return SystemVersion(osVersion: os["VERSION_ID"] ?? os["BUILD_ID"] ?? "", kernel: kernel)
    }
}
