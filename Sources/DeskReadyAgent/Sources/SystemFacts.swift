import DeskReadyModel

#if canImport(Glibc)
import Glibc
#endif

/// Facts the agent reads from the running system.
public enum SystemFacts {
    /// This boot's id (`/proc/sys/kernel/random/boot_id`), or "unknown".
    public static func bootId() -> String {
        FileText.read("/proc/sys/kernel/random/boot_id")?.trimmingWhitespace() ?? "unknown"
    }

    /// The wall-clock time the kernel started, from the boot-time clock.
    public static func bootedAtMs(clock: any AgentClock) -> Int64 {
        clock.nowMs() - clock.monotonicMs()
    }

    /// Runs a command through the shell and returns what it printed, or nil when it failed.
    public static func run(_ command: String) -> String? {
        guard let pipe = popen(command + " 2>/dev/null", "r") else { return nil }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, pipe)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        let status = pclose(pipe)
        return status == 0 ? String(decoding: bytes, as: UTF8.self) : nil
    }
}
