/// Parsers of the system files the inventory reads, each pure so it is tested on captured contents.
public enum InventoryParsers {
    /// `/etc/os-release`: `KEY=value` lines, values optionally in double or single quotes with `\` escapes.
    public static func osRelease(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.trimmingWhitespace()
            guard !line.hasPrefix("#"), let eq = line.firstIndex(of: "=") else { continue }
            var value = Substring(line[line.index(after: eq)...])
            if let first = value.first, first == "\"" || first == "'", value.count >= 2, value.last == first {
                value = value.dropFirst().dropLast()
            }
            var unescaped = ""
            var escaping = false
            for c in value {
                if escaping || c != "\\" {
                    unescaped.append(c)
                    escaping = false
                } else {
                    escaping = true
                }
            }
            fields[String(line[..<eq])] = unescaped
        }
        return fields
    }

    /// The CPU described by `/proc/cpuinfo`.
    public struct CPU: Equatable, Sendable {
        public var model: String?
        /// Logical processors (hardware threads).
        public var threads: Int
        /// Physical cores, counted from `physical id` and `core id` when the file gives them.
        public var cores: Int
    }

    /// `/proc/cpuinfo`: one block per logical processor (`processor : N`), x86 `model name` or ARM `Model`/`CPU part`.
    public static func cpuInfo(_ text: String) -> CPU {
        var model: String?
        var threads = 0
        var physical = "0"
        var cores: Set<String> = []
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingWhitespace()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            switch key {
            case "processor": threads += 1
            case "model name", "Model", "cpu model": if model == nil, !value.isEmpty { model = collapseSpaces(value) }
            case "physical id": physical = value
            case "core id": cores.insert(physical + "/" + value)
            default: break
            }
        }
        return CPU(model: model, threads: threads, cores: cores.isEmpty ? threads : cores.count)
    }

    /// `MemTotal` from `/proc/meminfo`, in MiB.
    public static func memoryMB(_ text: String) -> Int? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemTotal:") }) else { return nil }
        let fields = line.split(separator: " ")
        guard fields.count >= 2, let kb = Int(fields[1]) else { return nil }
        return kb / 1024
    }

    /// Seconds since boot, the first number of `/proc/uptime`.
    public static func uptimeSeconds(_ text: String) -> Int? {
        text.split(separator: " ").first.flatMap { Double($0.trimmingWhitespace()) }.map { Int($0) }
    }

    /// The block device (`major:minor`) mounted at `/`, from `/proc/self/mountinfo`, with the file system type and
    /// source. The last mount of `/` wins (a later mount hides the earlier one).
    public static func rootMount(_ text: String) -> (device: String, fsType: String, source: String)? {
        var found: (String, String, String)?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 10, fields[4] == "/", let dash = fields.firstIndex(of: "-"), dash + 2 < fields.count else { continue }
            found = (String(fields[2]), String(fields[dash + 1]), String(fields[dash + 2]))
        }
        return found
    }

    /// `queue/rotational` of a block device: `0` is solid state, `1` a spinning (hard) disk.
    public static func diskKind(rotational text: String) -> String? {
        switch text.trimmingWhitespace() {
        case "0": "ssd"
        case "1": "hdd"
        default: nil
        }
    }

    static func collapseSpaces(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
