import Foundation

/// Memory and CPU of a running process, read from /proc.
struct ProcessSample: Codable {
    /// Resident set (`VmRSS`), kB.
    var residentKB: Int
    /// Private dirty pages (`Private_Dirty` in smaps_rollup), kB: memory this process alone costs.
    var privateDirtyKB: Int
    /// User plus system CPU time, seconds.
    var cpuSeconds: Double
}

enum ProcessSampler {
    static func sample(pid: Int32) -> ProcessSample? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let rollup = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8),
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        else { return nil }
        func kB(_ text: String, _ key: String) -> Int {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return 0 }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
        }
        // Fields after the command name (which may hold spaces) start after the last ')'.
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
        return ProcessSample(residentKB: kB(status, "VmRSS"), privateDirtyKB: kB(rollup, "Private_Dirty"),
                             cpuSeconds: ticks / Double(sysconf(Int32(_SC_CLK_TCK))))
    }
}

/// Percentile of a sorted sample (nearest rank).
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
    return sorted[min(max(rank, 1), sorted.count) - 1]
}

func formatted(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

/// Where a process's private dirty memory is, mapping by mapping (largest first), to explain a peak.
enum PrivateDirtyBreakdown {
    /// The `limit` largest mappings by `Private_Dirty`, as "KB path-or-[anon] address-range" lines.
    static func top(pid: Int32, limit: Int = 8) -> [String] {
        guard let smaps = try? String(contentsOfFile: "/proc/\(pid)/smaps", encoding: .utf8) else { return [] }
        var entries: [(kb: Int, name: String)] = []
        var current = ""
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), first.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
                current = (fields.count > 5 ? String(fields[5]) : "[anon]") + " " + first
            } else if fields.first == "Private_Dirty:", fields.count > 1, let kb = Int(fields[1]), kb > 0 {
                entries.append((kb, current))
            }
        }
        return entries.sorted { $0.kb > $1.kb }.prefix(limit).map { "\($0.kb) kB \($0.name)" }
    }
}
