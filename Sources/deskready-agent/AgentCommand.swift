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
        version: BuildInfo.line(program: "deskready-agent"),
        subcommands: [Run.self, Mark.self, Launch.self, Status.self, Enrol.self, CheckConfig.self]
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

extension AgentLog.Format: ExpressibleByArgument {}

/// Prints one line to standard error.
func printError(_ message: String) {
    var line = "deskready-agent: " + message + "\n"
    line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

extension AgentCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the agent: record the boot, join logons, and upload the spool.")
        @OptionGroup var options: CommonOptions

        @Option(help: "Log lines as text or json (one object per line). Each has a level and an RFC 3339 UTC timestamp.")
        var logFormat: AgentLog.Format = .text

        @Option(help: "Seconds between summary lines (batches, events, failures, spool depth).")
        var summarySeconds: Int = 3600

        func run() throws {
            let log = AgentLog(format: logFormat)
            for warning in AgentConfigLoader.unknownVariableWarnings() { log.log(.warning, warning) }
            let config = try options.load()
            let problems = config.problems()
            guard problems.isEmpty else { throw ConfigError(problems: problems) }
            let spool = try Spool(path: config.spoolPath)
            let daemon = AgentDaemon(config: config, spool: spool, transport: CurlTransport(caFile: config.caFile)) { message in
                log.log(.warning, message)
            }
            daemon.info = { message, fields in log.log(.info, message, fields) }
            daemon.summaryIntervalMs = Int64(max(1, summarySeconds)) * 1000
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
        static let configuration = CommandConfiguration(
            abstract: "Show the spool's depth, the last upload, errors, and dropped and rejected counts.",
            discussion: "Exits 0 when uploads work (or nothing needed sending), 1 when the last upload attempts failed, 2 when the collector refused the device's token: a compliance check for Ansible, Intune for Linux or Nagios.")
        @OptionGroup var options: CommonOptions
        @Flag(help: "One JSON object (health, spool, last upload and error, totals), for monitoring.") var json = false

        func run() throws {
            let config = try options.load()
            let spool = try Spool(path: config.spoolPath)
            let status = try spool.status()
            let health = UploadHealth(status)
            if json {
                print(try StatusReport(config: config, status: status).json())
                if health != .ok { throw ExitCode(health.exitCode) }
                return
            }
            defer { if health != .ok { printError("uploads are \(health == .tokenRefused ? "stopped: the collector refuses this device's token" : "failing"); see last error above") } }
            print("health:            \(health.rawValue)")
            print("agent:             \(BuildInfo.agentVersion)")
            print("collector:         \(config.collectorURL)")
            print("device:            \(config.deviceID) (trust \(config.trust), site \(config.site))")
            print("spool:             \(config.spoolPath)")
            print(status.render(nowMs: WallClock.nowMs()))
            for letter in try spool.deadLetters(limit: 5) {
                print("dead letter:       batch \(letter.batchId) (\(letter.status)): \(letter.reason)")
            }
            if health != .ok { throw ExitCode(health.exitCode) }
        }
    }

    struct Enrol: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enrol with the collector now, using enrolment_token.",
            discussion: "With --force, enrol again even though an earlier enrolment left a device token (for example after the administrator restored a revoked device). Spooled events are kept and go with the new token.")
        @OptionGroup var options: CommonOptions
        @Flag(help: "Drop the device token of an earlier enrolment and enrol again.") var force = false

        func run() throws {
            let config = try options.load()
            let spool = try Spool(path: config.spoolPath)
            let uploader = Uploader(spool: spool, config: config, transport: CurlTransport(caFile: config.caFile))
            do {
                _ = try uploader.enrol(force: force)
            } catch let error as TransportError {
                throw ValidationError(error.message)
            }
            print("enrolled device \(config.deviceID) of trust \(config.trust) (site \(config.site)) with \(config.collectorURL); \(try spool.status().depth) events wait to be sent")
        }
    }

    struct CheckConfig: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check-config", abstract: "Validate a config file and name every wrong field with its fix.",
            discussion: """
                Offline it checks every value, a token to send (enrolment_token, device_token or one from an earlier
                enrolment), a readable PEM ca_file, the collector URL's port and path, and that the pseudonym key is
                not readable by every user. With --connect it then resolves the collector's name, connects, checks TLS
                with ca_file, GET /readyz, and that the collector accepts the token, storing nothing.
                """)
        @Argument(help: "The config file to check.")
        var file: String

        @Flag(help: "Also reach the collector: DNS, TCP, TLS, /readyz and the token, each step named with its fix.")
        var connect = false

        func run() throws {
            for warning in AgentConfigLoader.unknownVariableWarnings() { printError("warning: \(warning)") }
            let config = try AgentConfigLoader.load(path: file)
            let spoolToken = SpoolPeek.deviceToken(spoolPath: config.spoolPath)
            let problems = config.problems() + ConfigFileChecks.problems(config, configPath: file, spoolToken: spoolToken)
            guard problems.isEmpty else { throw ConfigError(problems: problems) }
            print("\(file): OK (collector \(config.collectorURL), trust \(config.trust), site \(config.site), device \(config.deviceID))")
            guard connect else { return }
            let steps = ConnectCheck(config: config, spoolToken: spoolToken).run { step in
                print("\(step.passed ? "ok  " : "FAIL") \(step.name): \(step.detail)")
                if let fix = step.fix, !step.passed { print("     fix: \(fix)") }
            }
            guard steps.allSatisfy(\.passed) else { throw ExitCode.failure }
            print("\(file): the collector at \(config.collectorURL) is reachable and accepts this agent")
        }
    }
}

extension AgentCommand {
    struct Launch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start an application and record how long it takes to become ready (an app_start event).",
            discussion: """
                Use it in the application's desktop entry: Exec=deskready-agent launch epr -- /usr/bin/epr-client %U
                It starts COMMAND (or the configured executable), waits until the application is ready by its
                readiness condition (the `app:` line in the config, or --ready), records the start with outcome ok,
                timeout or failed, and returns, leaving the application running (--wait: waits for it to exit and
                returns its exit status). The event goes to the spool when this user may write it, otherwise to the
                drop folder, where the daemon takes it.
                """)
        @OptionGroup var options: CommonOptions

        @Argument(help: "The application's name, as in an `app:` line of the config.")
        var app: String

        @Option(help: "Readiness condition (tcp:HOST:PORT, file:/PATH, log:/PATH:TEXT, cpu:10%:2s, window), overriding the config.")
        var ready: String?

        @Option(help: "Seconds to wait for readiness before recording a timeout (default: the app's, then app_timeout_seconds).")
        var timeout: Int?

        @Flag(help: "Wait for the application to exit, and exit with its status.")
        var wait = false

        @Option(help: "Leave the event in this folder for the daemon instead of the spool.")
        var dropDir: String?

        @Argument(parsing: .postTerminator, help: "The command to start, after `--` (default: the configured executable).")
        var command: [String] = []

        func run() throws {
            // The config is readable only by the agent's group; a user's launcher may get by with --ready alone.
            let loaded = Result { try options.load() }
            let config = try? loaded.get()
            let definition: AppDefinition
            do {
                definition = try appDefinition(config)
            } catch {
                if case .failure(let problem) = loaded { printError("the config could not be read: \(problem)") }
                throw error
            }
            let command = self.command.isEmpty ? [definition.executable] : self.command
            let seconds = timeout ?? definition.timeoutSeconds ?? config?.appTimeoutSeconds ?? AgentConfig().appTimeoutSeconds
            let folder = dropDir ?? config?.markDropDir ?? MarkDropbox.defaultPath
            let launcher = AppLauncher(app: definition, timeoutMs: Int64(seconds) * 1000)
            let launch = launcher.launch(command) { process in
                if let stat = ProcessStat.read(pid: process.pid) {
                    LaunchMarker(folder: folder).leave(pid: process.pid, startTicks: stat.startTicks)
                }
            }
            try store(launch.event, config: config, folder: folder)
            if launch.event.outcome != .ok {
                printError("\(definition.name): \(launch.event.outcome) after \(launch.event.durationMs) ms: \(launch.event.attributes?["reason"] ?? "")")
            }
            guard let process = launch.process else { throw ExitCode.failure }
            if wait { throw ExitCode(process.wait()) }
            if launch.event.outcome == .failed { throw ExitCode.failure }
        }

        private func appDefinition(_ config: AgentConfig?) throws -> AppDefinition {
            var definition = config?.app(named: app)
            if let ready {
                switch ReadinessCondition.parse(ready) {
                case .success(let condition):
                    definition = definition ?? AppDefinition(name: app, executable: command.first ?? app, readiness: condition)
                    definition?.readiness = condition
                case .failure(let error):
                    throw ValidationError(error.description)
                }
            }
            guard let definition else {
                throw ValidationError("no application '\(app)' in the config; add a line 'app: \(app) | EXECUTABLE | CONDITION' or give --ready CONDITION")
            }
            guard AppDefinition.isValidName(definition.name) else {
                throw ValidationError("the application name '\(app)' must be 1 to 64 letters, digits, '.', '_' or '-'")
            }
            return definition
        }

        /// Into the spool when this user may write it, else into the drop folder for the daemon.
        private func store(_ event: MeasurementEvent, config: AgentConfig?, folder: String) throws {
            if dropDir == nil, let config, access(config.spoolPath, W_OK) == 0 || access(config.spoolPath, F_OK) != 0,
               (try? Spool(path: config.spoolPath).append(event)) != nil {
                return
            }
            try AppEventDropbox(path: folder).drop(event)
        }
    }
}
