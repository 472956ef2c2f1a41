import DeskReadyModel

#if canImport(Glibc)
import Glibc
#endif

/// A configuration that cannot be used, with every wrong field named.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var description: String {
        "the agent's configuration has \(problems.count == 1 ? "a problem" : "\(problems.count) problems"):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// Reads `agent.yaml`: a flat list of `key: value` lines (a subset of YAML), `#` comments, optional quotes.
public enum AgentConfigLoader {
    /// Parses file text over `base`, collecting a problem for each wrong line instead of stopping at the first.
    public static func parse(_ text: String, over base: AgentConfig = AgentConfig(), source: String = "config") -> (AgentConfig, [String]) {
        var config = base
        var problems: [String] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            if let hash = commentStart(line) { line = line[..<hash] }
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed == "---" { continue }
            guard let colon = trimmed.firstIndex(of: ":") else {
                problems.append("\(source) line \(offset + 1): '\(trimmed)' is not a 'key: value' line")
                continue
            }
            let key = String(trimmed[..<colon]).trimmingWhitespace()
            var value = String(trimmed[trimmed.index(after: colon)...]).trimmingWhitespace()
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            if let problem = config.set(key, value) {
                problems.append("\(source) line \(offset + 1): \(key) \(problem)")
            } else {
                config.origins.record(key, "\(source):\(offset + 1)")
            }
        }
        return (config, problems)
    }

    /// Loads a file (when given), applies `DESKREADY_*` environment variables and fills the device id from
    /// /etc/machine-id when none was set. Does not validate: call `problems()` for that.
    public static func load(path: String?, environment: [String: String]) throws -> AgentConfig {
        try load(path: path, variable: { environment[$0] })
    }

    /// As `load(path:environment:)`, reading each variable when asked (`getenv` by default) instead of copying the
    /// whole environment into a dictionary first: `mark` runs while a login waits.
    public static func load(path: String?, variable: (String) -> String? = ProcessEnvironment.variable) throws -> AgentConfig {
        var config = AgentConfig()
        var problems: [String] = []
        if let path {
            guard let text = FileText.read(path) else {
                throw ConfigError(problems: ["cannot read the config file \(path): check the path and that the agent's user may read it (install.sh puts it at /etc/deskready/agent.yaml)"])
            }
            (config, problems) = parse(text, over: config, source: path)
        }
        for key in AgentConfig.keys {
            let variableName = "DESKREADY_" + key.uppercased()
            guard let value = variable(variableName) else { continue }
            if let problem = config.set(key, value) {
                problems.append("environment \(variableName): \(problem)")
            } else {
                config.origins.record(key, "environment \(variableName)")
            }
        }
        if let keyFile = config.pseudonymKeyFile {
            let origin = config.origins["pseudonym_key_file"].map { " (set in \($0))" } ?? ""
            if config.origins["pseudonym_key"] != nil {
                problems.append("pseudonym_key and pseudonym_key_file\(origin) are both set: keep only pseudonym_key_file, so the key is in one place")
            } else if let key = FileText.read(keyFile)?.trimmingWhitespace(), !key.isEmpty {
                config.pseudonymKey = key
                config.origins.record("pseudonym_key", "pseudonym_key_file \(keyFile)")
            } else {
                problems.append("pseudonym_key_file\(origin): cannot read a key from \(keyFile); check the path, that the file holds the key on one line, and that the agent's user may read it (root:deskready, mode 0640)")
            }
        }
        if config.deviceID.isEmpty, let machineID = FileText.read("/etc/machine-id")?.trimmingWhitespace(), !machineID.isEmpty {
            config.deviceID = machineID
        }
        if !problems.isEmpty { throw ConfigError(problems: problems) }
        return config
    }

    /// Variables the PAM hook and the packaging read, which are not config keys.
    static let hookVariables: Set<String> = [
        "DESKREADY_AGENT_BIN", "DESKREADY_CONFIG", "DESKREADY_MARK_TIMEOUT", "DESKREADY_MARK_USER", "DESKREADY_PAM_SERVICES",
    ]

    /// A warning for each `DESKREADY_*` variable that is neither a config key nor one the PAM hook reads: a typo such
    /// as DESKREADY_COLECTOR_URL would otherwise be ignored without a word.
    public static func unknownVariableWarnings(_ environment: [String: String] = ProcessEnvironment.current()) -> [String] {
        let known = Set(AgentConfig.keys.map { "DESKREADY_" + $0.uppercased() }).union(hookVariables)
        return environment.keys.filter { $0.hasPrefix("DESKREADY_") && !known.contains($0) }.sorted().map { name in
            let guess = known.min { distance($0, name) < distance($1, name) }
            let hint = guess.map { distance($0, name) <= 3 ? " (did you mean \($0)?)" : "" } ?? ""
            return "the environment variable \(name) is not a DeskReady setting and is ignored\(hint); the settings are DESKREADY_ followed by a config key in upper case, for example DESKREADY_COLLECTOR_URL"
        }
    }

    /// Edit distance, for suggesting the variable a typo meant.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }

    private static func commentStart(_ line: Substring) -> Substring.Index? {
        var quote: Character?
        var previous: Character = " "
        for index in line.indices {
            let c = line[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" && (previous == " " || previous == "\t" || index == line.startIndex) {
                return index
            }
            previous = c
        }
        return nil
    }
}

/// The process environment without Foundation's ProcessInfo.
public enum ProcessEnvironment {
    /// One variable, read with `getenv`.
    public static func variable(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let pair = String(cString: entry)
            if let eq = pair.firstIndex(of: "=") {
                result[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
            }
            pointer += 1
        }
        return result
    }
}

/// Small file reads without Foundation.
public enum FileText {
    /// The whole file as UTF-8 text, or nil when it cannot be read.
    public static func read(_ path: String, limit: Int = 1 << 20) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}
