/// An application whose starts the agent measures: its name (sent with each event), the program it runs (matched
/// against new processes by passive detection), how to tell it is ready, and how long to wait for that.
///
/// Config line: `app: NAME | EXECUTABLE | CONDITION` with an optional fourth field, the timeout in seconds:
/// `app: epr | /usr/bin/epr-client | window | 90`.
public struct AppDefinition: Equatable, Sendable {
    public var name: String
    public var executable: String
    public var readiness: ReadinessCondition
    /// Seconds to wait for readiness before recording a `timeout`; nil for the config's `app_timeout_seconds`.
    public var timeoutSeconds: Int?

    public init(name: String, executable: String, readiness: ReadinessCondition, timeoutSeconds: Int? = nil) {
        self.name = name
        self.executable = executable
        self.readiness = readiness
        self.timeoutSeconds = timeoutSeconds
    }

    /// Parses an `app:` value, or says what is wrong with it.
    public static func parse(_ value: String) -> Result<AppDefinition, ConfigValueError> {
        let fields = value.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        guard fields.count == 3 || fields.count == 4 else {
            return .failure(ConfigValueError("must be 'NAME | EXECUTABLE | CONDITION' with an optional '| TIMEOUT_SECONDS', for example 'epr | /usr/bin/epr-client | window', not '\(value)'"))
        }
        guard isValidName(fields[0]) else {
            return .failure(ConfigValueError("name '\(fields[0])' must be 1 to 64 letters, digits, '.', '_' or '-'"))
        }
        guard !fields[1].isEmpty, !fields[1].contains(" ") else {
            return .failure(ConfigValueError("executable '\(fields[1])' must be a program path or name without spaces, for example /usr/bin/epr-client"))
        }
        let readiness: ReadinessCondition
        switch ReadinessCondition.parse(fields[2]) {
        case .success(let condition): readiness = condition
        case .failure(let error): return .failure(ConfigValueError(error.description))
        }
        var timeout: Int?
        if fields.count == 4 {
            guard let seconds = Int(fields[3]), (1...3_600).contains(seconds) else {
                return .failure(ConfigValueError("timeout '\(fields[3])' must be a whole number of seconds from 1 to 3600"))
            }
            timeout = seconds
        }
        return .success(AppDefinition(name: fields[0], executable: fields[1], readiness: readiness, timeoutSeconds: timeout))
    }

    /// Names go on the wire as the event's name: short, plain, no spaces.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// Whether a process running `commandPath` (its argv[0]) and named `comm` by the kernel is this application.
    /// A configured path must match argv[0] exactly when that is a path too; a configured name matches the name.
    public func matches(commandPath: String?, comm: String) -> Bool {
        if executable.hasPrefix("/"), let commandPath, commandPath.hasPrefix("/") { return commandPath == executable }
        if let commandPath, Self.baseName(commandPath) == Self.baseName(executable) { return true }
        return comm == kernelName
    }

    /// The name the kernel gives a process of this program (`/proc/PID/stat`): the file name's first 15 bytes.
    public var kernelName: String {
        String(decoding: Self.baseName(executable).utf8.prefix(15), as: UTF8.self)
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

/// A config value that does not parse; the text says what would.
public struct ConfigValueError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
