#if canImport(Glibc)
import Glibc
#endif

/// An empty file `PID-STARTTICKS.launched` the launcher leaves in the drop folder right after it starts an
/// application, so that the daemon's passive detection does not measure the same start a second time.
public struct LaunchMarker: Sendable {
    public static let suffix = ".launched"
    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    func path(pid: Int32, startTicks: UInt64) -> String {
        "\(folder)/\(pid)-\(startTicks)\(Self.suffix)"
    }

    /// Leaves the marker; quietly does nothing when the folder cannot be written (the start is still measured).
    public func leave(pid: Int32, startTicks: UInt64) {
        let fd = open(path(pid: pid, startTicks: startTicks), O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        if fd >= 0 { close(fd) }
    }

    /// Whether the launcher started this process; takes the marker away when it did.
    public func take(pid: Int32, startTicks: UInt64) -> Bool {
        unlink(path(pid: pid, startTicks: startTicks)) == 0
    }

    /// Removes markers older than `maxAgeSeconds` (of starts the daemon never saw).
    public func sweep(maxAgeSeconds: Int, nowSeconds: Int = time(nil)) {
        guard let directory = opendir(folder) else { return }
        var stale: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasSuffix(Self.suffix) else { continue }
            var info = stat()
            if lstat("\(folder)/\(name)", &info) == 0, nowSeconds - Int(info.st_mtim.tv_sec) > maxAgeSeconds { stale.append(name) }
        }
        closedir(directory)
        for name in stale { unlink("\(folder)/\(name)") }
    }
}
