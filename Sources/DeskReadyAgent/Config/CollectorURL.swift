/// The parts of `collector_url` the agent and `check-config --connect` need: scheme, host, port and base path.
public struct CollectorURL: Sendable, Equatable {
    public var secure: Bool
    public var host: String
    public var port: Int
    /// The base path before `/v1/…`, without a trailing slash (usually empty).
    public var path: String

    /// What is wrong with a collector URL, and how to write it.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    /// Parses `http(s)://HOST[:PORT][/PATH]`, or says what is impossible about it and how to write it.
    public static func parse(_ text: String) -> Result<CollectorURL, Problem> {
        func failure(_ problem: String) -> Result<CollectorURL, Problem> {
            .failure(Problem(message: "'\(text)' \(problem); write it as https://HOST[:PORT], for example https://deskready.trust.nhs.uk:8443"))
        }
        let secure: Bool
        let rest: Substring
        if text.hasPrefix("https://") {
            (secure, rest) = (true, text.dropFirst(8))
        } else if text.hasPrefix("http://") {
            (secure, rest) = (false, text.dropFirst(7))
        } else {
            return failure("must start with https:// or http://")
        }
        if rest.contains(where: { $0 == "?" || $0 == "#" || $0 == " " || $0 == "@" }) {
            return failure("holds a query, a fragment, a space or a user name, which a collector URL never has")
        }
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        while path.hasSuffix("/") { path.removeLast() }
        for endpoint in ["/v1/batches", "/v1/enrol", "/readyz", "/healthz"] where path.hasSuffix(endpoint) {
            return failure("ends with \(endpoint), but the agent adds that itself: give the collector's base URL")
        }
        var host = String(authority)
        var port = secure ? 443 : 80
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            host = String(authority[..<colon])
            let digits = authority[authority.index(after: colon)...]
            guard let number = Int(digits), (1...65_535).contains(number) else {
                return failure("has the port '\(digits)', which is not a port from 1 to 65535")
            }
            port = number
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return failure("has no host name") }
        return .success(CollectorURL(secure: secure, host: host, port: port, path: path))
    }
}
