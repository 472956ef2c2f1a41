#if canImport(Glibc)
import Glibc
#endif

/// The running processes, read from `/proc`.
public enum ProcessTable {
    /// The ids of every running process.
    public static func pids(procRoot: String = "/proc") -> [Int32] {
        guard let directory = opendir(procRoot) else { return [] }
        defer { closedir(directory) }
        var pids: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let pid = Int32(name) { pids.append(pid) }
        }
        return pids
    }

    /// Every running process's stat line.
    public static func snapshot() -> [ProcessStat] {
        pids().compactMap { ProcessStat.read(pid: $0) }
    }

    /// `roots` and all their descendants in `table`.
    public static func descendants(of roots: Set<Int32>, in table: [ProcessStat]) -> Set<Int32> {
        var children: [Int32: [Int32]] = [:]
        for process in table { children[process.parentPid, default: []].append(process.pid) }
        var found = roots
        var queue = Array(roots)
        while let pid = queue.popLast() {
            for child in children[pid] ?? [] where found.insert(child).inserted { queue.append(child) }
        }
        return found
    }

    /// The program a process runs: `argv[0]` from `/proc/PID/cmdline` (readable for every user's processes, unlike
    /// `/proc/PID/exe`), or nil for kernel threads and processes that have gone.
    public static func commandPath(pid: Int32) -> String? {
        guard let text = FileText.read("/proc/\(pid)/cmdline", limit: 4_096), !text.isEmpty else { return nil }
        let first = text.split(separator: "\0", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return first.isEmpty ? nil : first
    }

    /// The X display a process draws on: `DISPLAY` and `XAUTHORITY` from `/proc/PID/environ` (readable by root and by
    /// the process's owner), with `XAUTHORITY` defaulting to `$HOME/.Xauthority` as Xlib does. Empty when unreadable.
    public static func displayEnvironment(pid: Int32) -> [String: String] {
        guard let text = FileText.read("/proc/\(pid)/environ", limit: 65_536) else { return [:] }
        var found: [String: String] = [:]
        for entry in text.split(separator: "\0") {
            guard let eq = entry.firstIndex(of: "=") else { continue }
            let key = String(entry[..<eq])
            if key == "DISPLAY" || key == "XAUTHORITY" || key == "HOME" { found[key] = String(entry[entry.index(after: eq)...]) }
        }
        if found["XAUTHORITY"] == nil, let home = found["HOME"] { found["XAUTHORITY"] = home + "/.Xauthority" }
        found["HOME"] = nil
        return found["DISPLAY"] == nil ? [:] : found
    }
}
