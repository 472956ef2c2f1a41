import ArgumentParser
import DeskReadyAgent
import DeskReadyModel

#if canImport(Glibc)
import Glibc
#endif

/// `deskready-agent`: the workstation side of DeskReady.
struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deskready-agent",
        abstract: "Measures boot, logon and application-start times on this workstation and sends them to a DeskReady collector.",
        subcommands: [Run.self, Mark.self, Status.self, CheckConfig.self]
    )
}

/// Options every subcommand shares: where the config is, and the overrides.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Config file (default /etc/deskready/agent.yaml when it exists).")
    var config: String?

    @Option(name: .long, help: "Collector URL, overriding the config file.")
    var collector: String?

    @Option(name: .long, help: "Spool file, overriding the config file.")
    var spool: String?

    /// The configuration from file, environment and these options.
    func load() throws -> AgentConfig {
        let defaultPath = "/etc/deskready/agent.yaml"
        let path = config ?? (access(defaultPath, R_OK) == 0 ? defaultPath : nil)
        var loaded = try AgentConfigLoader.load(path: path)
        if let collector { loaded.collectorURL = collector }
        if let spool { loaded.spoolPath = spool }
        return loaded
    }
}

/// Prints one line to standard error.
func printError(_ message: String) {
    var line = "deskready-agent: " + message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

extension AgentCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the agent: record the boot, join logons, and upload the spool.")
        @OptionGroup var options: CommonOptions

        func run() throws {
            let config = try options.load()
            let problems = config.problems()
            guard problems.isEmpty else { throw ConfigError(problems: problems) }
            let spool = try Spool(path: config.spoolPath)
            let daemon = AgentDaemon(config: config, spool: spool, transport: CurlTransport(caFile: config.caFile)) { message in
                printError(message)
            }
            daemon.run(bootRecorder: BootRecorder(spool: spool))
        }
    }

    struct Mark: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a logon milestone (auth_start, session_open, desktop_ready, responsive) in the spool, and return at once.")
        @OptionGroup var options: CommonOptions

        @Argument(help: "The milestone: auth_start, session_open, desktop_ready or responsive.")
        var name: String

        @Option(help: "logind session id (default $XDG_SESSION_ID).")
        var session: String?

        @Option(help: "User name, pseudonymised before it is stored (default $PAM_USER, then $USER).")
        var user: String?

        @Option(help: "Session type: x11, wayland, tty (default $XDG_SESSION_TYPE).")
        var type: String?

        @Option(help: "Leave the mark in this folder for the daemon instead of the spool (default: only when the spool is not writable by this user).")
        var dropDir: String?

        func run() throws {
            guard let milestone = LogonMark.Milestone(rawValue: name) else {
                throw ValidationError("unknown milestone '\(name)'; use one of \(LogonMark.Milestone.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try MarkRecorder.record(MarkRequest(
                milestone: milestone, configPath: options.config, spoolPath: options.spool, session: session, user: user,
                sessionType: type, dropDir: dropDir))
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the spool's depth, the last upload, errors, and dropped and rejected counts.")
        @OptionGroup var options: CommonOptions

        func run() throws {
            let config = try options.load()
            let spool = try Spool(path: config.spoolPath)
            print("collector:         \(config.collectorURL)")
            print("device:            \(config.deviceID) (trust \(config.trust), site \(config.site))")
            print("spool:             \(config.spoolPath)")
            print(try spool.status().render(nowMs: WallClock.nowMs()))
            for letter in try spool.deadLetters(limit: 5) {
                print("dead letter:       batch \(letter.batchId) (\(letter.status)): \(letter.reason)")
            }
        }
    }

    struct CheckConfig: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "check-config", abstract: "Validate a config file and name every wrong field with its fix.")
        @Argument(help: "The config file to check.")
        var file: String

        func run() throws {
            let config = try AgentConfigLoader.load(path: file)
            let problems = config.problems()
            guard problems.isEmpty else { throw ConfigError(problems: problems) }
            print("\(file): OK (collector \(config.collectorURL), trust \(config.trust), site \(config.site), device \(config.deviceID))")
        }
    }
}
