/// A clinical system the agent probes: its name (sent with each event) and what to reach.
///
/// Config line: `probe: NAME | URL`, where URL is
/// - `https://HOST[:PORT]/PATH` — DNS, TCP connect, TLS handshake and HTTP time to first byte;
/// - `http://HOST[:PORT]/PATH` — DNS, TCP connect and time to first byte;
/// - `tcp://HOST:PORT` — DNS and TCP connect (a directory server on 389 or 636, a file share on 445).
public struct ProbeTarget: Equatable, Sendable {
    /// How the target is reached.
    public enum Scheme: String, Sendable {
        case http, https, tcp
    }

    public var name: String
    public var url: String
    public var scheme: Scheme
    public var host: String
    public var port: UInt16

    public init(name: String, url: String, scheme: Scheme, host: String, port: UInt16) {
        self.name = name
        self.url = url
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// Parses a `probe:` value, or says what is wrong with it.
    public static func parse(_ value: String) -> Result<ProbeTarget, ConfigValueError> {
        let fields = value.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        guard fields.count == 2 else {
            return .failure(ConfigValueError("must be 'NAME | URL', for example 'epr | https://epr.trust.nhs.uk/health' or 'ldap | tcp://dc01.trust.nhs.uk:389', not '\(value)'"))
        }
        guard AppDefinition.isValidName(fields[0]) else {
            return .failure(ConfigValueError("name '\(fields[0])' must be 1 to 64 letters, digits, '.', '_' or '-'"))
        }
        let url = fields[1]
        guard let separator = url.firstRange(of: "://"), let scheme = Scheme(rawValue: String(url[..<separator.lowerBound]).lowercased()) else {
            return .failure(ConfigValueError("URL '\(url)' must start with https://, http:// or tcp://"))
        }
        let rest = url[separator.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else {
            return .failure(ConfigValueError("URL '\(url)' must not hold a user name or password"))
        }
        let defaultPort: UInt16? = switch scheme {
        case .https: 443
        case .http: 80
        case .tcp: nil
        }
        guard let (host, port) = hostAndPort(String(authority), defaultPort: defaultPort) else {
            return .failure(ConfigValueError(scheme == .tcp
                ? "URL '\(url)' must name a host and a port, for example tcp://dc01.trust.nhs.uk:389"
                : "URL '\(url)' must name a host, with an optional port from 1 to 65535"))
        }
        return .success(ProbeTarget(name: fields[0], url: url, scheme: scheme, host: host, port: port))
    }

    static func hostAndPort(_ authority: String, defaultPort: UInt16?) -> (String, UInt16)? {
        var host = Substring(authority)
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty else { return nil }
        if let portText {
            guard let port = UInt16(portText), port > 0 else { return nil }
            return (String(host), port)
        }
        guard let defaultPort else { return nil }
        return (String(host), defaultPort)
    }
}
