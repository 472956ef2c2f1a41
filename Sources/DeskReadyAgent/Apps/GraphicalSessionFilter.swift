/// Whether a process belongs to a person's graphical session, so passive detection times the applications staff
/// start at the desktop and not every matching process of cron, services or other users' remote sessions. Decided
/// from the process's control group: a logind session scope (`…/session-2.scope`) counts when that session is a
/// live local desktop; the user's service manager (`…/user@1000.service/…`, where GNOME and KDE start applications)
/// counts when that user has a live local desktop; system services never count. Where the control group shows no
/// logind layout (no systemd, a container), a process counts when it was started with a display (`DISPLAY` or
/// `WAYLAND_DISPLAY` in its environment), as everything started inside a graphical session is. Asked only for
/// processes that matched a configured application; `loginctl` is asked at most every `refreshMs`.
public final class GraphicalSessionFilter {
    /// Where a process's control group places it.
    public enum Placement: Equatable, Sendable {
        /// A logind session's scope, by session id.
        case session(String)
        /// The user's service manager (`user@UID.service`), by uid.
        case userManager(String)
        /// A system service or slice.
        case system
        /// No logind layout (cgroup `/`, a container's own path).
        case unknown
    }

    let cgroup: (Int32) -> String?
    let hasDisplay: (Int32) -> Bool
    let run: (String) -> String?
    let refreshMs: Int64
    private var cached: (atMs: Int64, sessions: Set<String>, uids: Set<String>)?

    public init(refreshMs: Int64 = 10_000,
                cgroup: @escaping (Int32) -> String? = { FileText.read("/proc/\($0)/cgroup", limit: 16_384) },
                hasDisplay: @escaping (Int32) -> Bool = { ProcessTable.startedWithDisplay(pid: $0) },
                run: @escaping (String) -> String? = { SystemFacts.run($0) }) {
        self.refreshMs = refreshMs
        self.cgroup = cgroup
        self.hasDisplay = hasDisplay
        self.run = run
    }

    /// Whether process `pid` belongs to a live local graphical session.
    public func contains(pid: Int32, nowMonoMs: Int64) -> Bool {
        switch Self.placement(cgroup(pid) ?? "") {
        case .session(let id): return live(nowMonoMs).sessions.contains(id)
        case .userManager(let uid): return live(nowMonoMs).uids.contains(uid)
        case .system: return false
        case .unknown: return hasDisplay(pid)
        }
    }

    /// The placement from `/proc/PID/cgroup`: the unified hierarchy's line (`0::PATH`), or systemd's own
    /// (`N:name=systemd:PATH`) on a legacy hierarchy.
    public static func placement(_ text: String) -> Placement {
        var path = ""
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if fields[0] == "0" && fields[1].isEmpty {
                path = String(fields[2])
            } else if fields[1] == "name=systemd" {
                path = String(fields[2])
                break
            }
        }
        let parts = path.split(separator: "/")
        if let manager = parts.first(where: { $0.hasPrefix("user@") && $0.hasSuffix(".service") }) {
            return .userManager(String(manager.dropFirst(5).dropLast(8)))
        }
        if let scope = parts.first(where: { $0.hasPrefix("session-") && $0.hasSuffix(".scope") }) {
            return .session(String(scope.dropFirst(8).dropLast(6)))
        }
        return parts.first.map { $0.hasSuffix(".slice") || $0.hasSuffix(".service") || $0.hasSuffix(".scope") } == true ? .system : .unknown
    }

    private func live(_ nowMonoMs: Int64) -> (sessions: Set<String>, uids: Set<String>) {
        if let cached, nowMonoMs - cached.atMs < refreshMs { return (cached.sessions, cached.uids) }
        var sessions: Set<String> = []
        var uids: Set<String> = []
        for line in (run(LoginctlOutput.listCommand) ?? "").split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3, let text = run(LoginctlOutput.showCommand(String(fields[0]))),
                  let session = LoginctlOutput.session(text), session.isLocalDesktop else { continue }
            sessions.insert(session.id)
            uids.insert(String(fields[1]))
        }
        cached = (nowMonoMs, sessions, uids)
        return (sessions, uids)
    }
}

extension ProcessTable {
    /// Whether a process was started with a display to draw on (`DISPLAY` or `WAYLAND_DISPLAY` in
    /// `/proc/PID/environ`, readable by root and the process's owner).
    public static func startedWithDisplay(pid: Int32) -> Bool {
        guard let text = FileText.read("/proc/\(pid)/environ", limit: 65_536) else { return false }
        return text.split(separator: "\0").contains { $0.hasPrefix("DISPLAY=") || $0.hasPrefix("WAYLAND_DISPLAY=") }
    }
}
