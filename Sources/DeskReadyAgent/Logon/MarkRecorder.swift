import DeskReadyModel

#if canImport(Glibc)
import Glibc
#endif

/// What `deskready-agent mark` was asked to record.
public struct MarkRequest: Sendable, Equatable {
    public var milestone: LogonMark.Milestone
    public var configPath: String?
    public var spoolPath: String?
    public var session: String?
    public var user: String?
    public var sessionType: String?
    public var dropDir: String?

    public init(milestone: LogonMark.Milestone, configPath: String? = nil, spoolPath: String? = nil, session: String? = nil,
                user: String? = nil, sessionType: String? = nil, dropDir: String? = nil) {
        self.milestone = milestone
        self.configPath = configPath
        self.spoolPath = spoolPath
        self.session = session
        self.user = user
        self.sessionType = sessionType
        self.dropDir = dropDir
    }
}

/// Records a logon mark: in the spool when this process may write it (PAM, as the service user), otherwise in the
/// drop folder for the daemon (the desktop autostart, as the logged-on user). A login waits on this, so it does the
/// least it can: no HTTP, no argument-parser reflection (see `fastPath`), one SQLite transaction.
public enum MarkRecorder {
    public static let defaultConfigPath = "/etc/deskready/agent.yaml"

    public static func record(_ request: MarkRequest, environment: [String: String]) throws {
        try record(request, variable: { environment[$0] })
    }

    /// As `record(_:environment:)`, reading environment variables one at a time (`getenv` by default).
    public static func record(_ request: MarkRequest, variable: (String) -> String? = ProcessEnvironment.variable) throws {
        let clock = SystemClock()
        var mark = LogonMark(
            name: request.milestone.rawValue, session: request.session ?? variable("XDG_SESSION_ID"), user: nil,
            sessionType: request.sessionType ?? variable("XDG_SESSION_TYPE"), wallMs: clock.nowMs(),
            monotonicMs: clock.monotonicMs(), bootId: SystemFacts.bootId())
        if let dropDir = request.dropDir {
            return try MarkDropbox(path: dropDir).drop(mark)
        }
        // The desktop autostart may read neither the config nor the spool: the mark goes to the drop folder, and the
        // daemon takes the user from the file's owner.
        let path = request.configPath ?? (access(defaultConfigPath, R_OK) == 0 ? defaultConfigPath : nil)
        var config: AgentConfig?
        var configProblem: (any Error)?
        do {
            config = try AgentConfigLoader.load(path: path, variable: variable)
        } catch {
            configProblem = error
        }
        if let spool = request.spoolPath { config?.spoolPath = spool }
        guard let config, access(config.spoolPath, W_OK) == 0 || access(config.spoolPath, F_OK) != 0 else {
            do {
                return try MarkDropbox(path: config?.markDropDir ?? MarkDropbox.defaultPath).drop(mark)
            } catch {
                // A config this process could read but not use is the likelier mistake: say so first.
                if let configProblem, let path, access(path, R_OK) == 0 {
                    throw SpoolError("\(configProblem)\nand the mark could not be left for the daemon either: \(error)")
                }
                throw error
            }
        }
        if let userName = request.user ?? variable("PAM_USER") ?? variable("USER"), !userName.isEmpty {
            guard config.pseudonymKey.utf8.count >= 16 else {
                throw ConfigError(problems: ["pseudonym_key: is needed to record a user's logon without their name; set the trust's key in the config"])
            }
            mark.user = Pseudonymizer(key: config.pseudonymKey).pseudonym(for: userName)
        }
        try Spool(path: config.spoolPath, clock: clock).recordMark(mark)
    }

    /// Reads `mark NAME [--config F] [--spool P] [--collector U] [--session S] [--user U] [--type T] [--drop-dir D]`
    /// by hand. Nil for anything else (help, an unknown option or milestone), which then goes to the full parser and
    /// its messages.
    public static func fastPath(_ arguments: [String]) -> MarkRequest? {
        guard arguments.first == "mark", arguments.count >= 2 else { return nil }
        var request: MarkRequest?
        // Options go straight into locals: a dictionary here would cost its generic set-up at every logon.
        var config, spool, session, user, type, dropDir: String?
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--") {
                guard index + 1 < arguments.count else { return nil }
                let value = arguments[index + 1]
                switch argument {
                case "--config": config = value
                case "--spool": spool = value
                case "--collector": break
                case "--session": session = value
                case "--user": user = value
                case "--type": type = value
                case "--drop-dir": dropDir = value
                default: return nil
                }
                index += 2
            } else {
                guard request == nil, let milestone = LogonMark.Milestone(rawValue: argument) else { return nil }
                request = MarkRequest(milestone: milestone)
                index += 1
            }
        }
        guard var request else { return nil }
        request.configPath = config
        request.spoolPath = spool
        request.session = session
        request.user = user
        request.sessionType = type
        request.dropDir = dropDir
        return request
    }
}
