/// A logind session as `loginctl show-session` describes it.
public struct LogindSession: Equatable, Sendable {
    public var id: String
    /// The user's name (pseudonymised before anything is stored).
    public var user: String
    /// `x11`, `wayland`, `tty`, `unspecified`.
    public var type: String
    /// `user`, `greeter`, `lock-screen`, `background`.
    public var sessionClass: String
    public var remote: Bool
    /// The PAM service that opened it (`gdm-password`, `lightdm`, `login`).
    public var service: String?
    /// When logind created it, in microseconds on CLOCK_MONOTONIC (boot-relative, suspend not counted).
    public var createdMonotonicUs: Int64?

    public init(id: String, user: String, type: String, sessionClass: String, remote: Bool, service: String?, createdMonotonicUs: Int64?) {
        self.id = id
        self.user = user
        self.type = type
        self.sessionClass = sessionClass
        self.remote = remote
        self.service = service
        self.createdMonotonicUs = createdMonotonicUs
    }

    /// A local person's desktop: the logons DeskReady measures.
    public var isLocalDesktop: Bool {
        sessionClass == "user" && !remote && (type == "x11" || type == "wayland" || type == "mir")
    }
}

/// Parsers of `loginctl` output, kept pure so they are tested on captured output of several systemd versions.
public enum LoginctlOutput {
    /// The command that lists sessions.
    public static let listCommand = "loginctl list-sessions --no-legend --no-pager"

    /// The command that describes one session (only the properties used).
    public static func showCommand(_ id: String) -> String {
        "loginctl show-session \(id) --no-pager -p Id -p Name -p Type -p Class -p Remote -p Service -p TimestampMonotonic"
    }

    /// Session ids from `loginctl list-sessions --no-legend`: the first column of each line, whichever columns a
    /// systemd version adds after it (`SESSION UID USER SEAT TTY` up to 253, then `STATE IDLE SINCE` as well).
    public static func sessionIDs(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, let id = fields.first, id.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
            return String(id)
        }
    }

    /// One session from `loginctl show-session ID -p …`: `Key=value` lines. Nil without an id or a user.
    public static func session(_ text: String) -> LogindSession? {
        let fields = properties(text)
        guard let id = fields["Id"], !id.isEmpty, let user = fields["Name"], !user.isEmpty else { return nil }
        return LogindSession(id: id, user: user, type: fields["Type"] ?? "unspecified", sessionClass: fields["Class"] ?? "user",
                             remote: fields["Remote"] == "yes", service: fields["Service"].flatMap { $0.isEmpty ? nil : $0 },
                             createdMonotonicUs: fields["TimestampMonotonic"].flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil })
    }

    /// The `Key=value` lines of `loginctl show-session` as a dictionary, values trimmed.
    public static func properties(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<eq])] = String(line[line.index(after: eq)...]).trimmingWhitespace()
        }
        return fields
    }
}
