/// Where each configured value came from: a line of the config file or an environment variable. Messages about a
/// value name it, so an administrator knows whether to edit the file or the service's environment.
/// Not part of a configuration's identity: two configurations with the same values are equal wherever they came from.
public struct ValueOrigins: Sendable, Equatable {
    private var byKey: [String: String] = [:]

    public init() {}

    /// Records that `key` was set by `origin`, for example `/etc/deskready/agent.yaml:12` (file and line) or
    /// `environment DESKREADY_TRUST`.
    public mutating func record(_ key: String, _ origin: String) { byKey[key] = origin }

    /// Where `key` was set, or nil when it has its default.
    public subscript(key: String) -> String? { byKey[key] }

    /// A problem message `key: …` with where the value came from added, when it did not come from the defaults.
    public func annotate(_ problem: String) -> String {
        guard let colon = problem.firstIndex(of: ":"), let origin = byKey[String(problem[..<colon])] else { return problem }
        return problem + " [value from \(origin)]"
    }

    public static func == (lhs: ValueOrigins, rhs: ValueOrigins) -> Bool { true }
}
