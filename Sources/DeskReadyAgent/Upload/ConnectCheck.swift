import DeskReadyModel

/// `check-config --connect`: the way to the collector walked one step at a time, each named with what was found
/// and, when it fails, how to fix it. Stops at the first failure, as every later step needs the ones before.
///
/// The token step sends nothing that stores data. A device token (from the config or an earlier enrolment) posts a
/// batch with no events: the collector checks the token before the body, so 400 "must hold at least one event" means
/// the token was accepted, 401 or 403 that it was refused. An enrolment token posts an enrolment with a deliberately
/// short install key: 400 naming only `/install_key` means the token and the site were accepted and nothing was
/// enrolled; a problem at `/site` means the site is not in the token's trust.
public struct ConnectCheck {
    /// One step's result.
    public struct Step: Sendable, Equatable {
        public var name: String
        public var passed: Bool
        public var detail: String
        /// What to do when it failed.
        public var fix: String?
    }

    let config: AgentConfig
    let transport: CurlTransport
    let spoolToken: String?

    public init(config: AgentConfig, spoolToken: String?) {
        self.config = config
        self.transport = CurlTransport(caFile: config.caFile)
        self.spoolToken = spoolToken
    }

    /// Runs the steps, calling `report` after each; returns them all.
    public func run(report: @escaping (Step) -> Void = { _ in }) -> [Step] {
        var steps: [Step] = []
        func add(_ step: Step) -> Bool {
            steps.append(step)
            report(step)
            return step.passed
        }
        guard case .success(let url) = CollectorURL.parse(config.collectorURL) else {
            _ = add(Step(name: "collector_url", passed: false, detail: "'\(config.collectorURL)' is not a collector URL",
                         fix: "run `deskready-agent check-config` without --connect to see what is wrong with it"))
            return steps
        }
        let connectMs = config.connectTimeoutSeconds * 1000
        let resolved = TCPProbe.resolve(host: url.host, port: url.port)
        guard add(Step(name: "resolve \(url.host)", passed: resolved.addresses != nil,
                       detail: resolved.addresses?.joined(separator: ", ") ?? resolved.error,
                       fix: "check the host name in collector_url, and this machine's DNS (`getent hosts \(url.host)`)")) else { return steps }
        let connected = TCPProbe.connect(host: url.host, port: url.port, timeoutMs: connectMs)
        guard add(Step(name: "connect \(url.host):\(url.port)", passed: connected == nil, detail: connected ?? "TCP connection accepted",
                       fix: "check that the collector runs and listens on port \(url.port), and that firewalls let this machine reach it (`nc -vz \(url.host) \(url.port)`)"))
        else { return steps }
        var base = config.collectorURL
        while base.hasSuffix("/") { base.removeLast() }
        let ready: HTTPExchange
        do {
            ready = try transport.get(url: base + "/readyz", headers: ["Accept: application/json"],
                                      timeoutMs: config.requestTimeoutSeconds * 1000, connectTimeoutMs: connectMs)
        } catch {
            let tls = url.secure
            _ = add(Step(name: tls ? "TLS" : "HTTP", passed: false, detail: "\(error)",
                         fix: tls ? "set ca_file to the PEM bundle of the CA that signed the collector's certificate (now \(config.caFile ?? "the system's trust store")), and check the certificate names \(url.host)"
                                  : "check that the collector speaks plain HTTP on this port; if it serves HTTPS, write https:// in collector_url"))
            return steps
        }
        if url.secure {
            _ = add(Step(name: "TLS", passed: true, detail: "certificate verified against \(config.caFile ?? "the system's trust store")"))
        }
        let readyText = String(decoding: ready.body.prefix(300), as: UTF8.self)
        guard add(Step(name: "GET /readyz", passed: ready.status == 200 && readyText.contains("ready"), detail: "\(ready.status) \(readyText)",
                       fix: ready.status == 503 ? "the collector is up but cannot store data now; see its log (`journalctl -u deskready`)"
                                                : "this is not a DeskReady collector's base URL: give collector_url without /v1/… (for example https://deskready.trust.nhs.uk:8443)"))
        else { return steps }
        _ = add(tokenStep(base: base))
        return steps
    }

    private func tokenStep(base: String) -> Step {
        let timeout = config.requestTimeoutSeconds * 1000, connect = config.connectTimeoutSeconds * 1000
        if let token = config.deviceToken ?? spoolToken {
            let source = config.deviceToken != nil ? "device_token" : "the device token from enrolling"
            let body = Array("{\"schema_version\":1,\"batch_id\":\"\(UUIDv7.make(unixMs: WallClock.nowMs()).uuidString.lowercased())\",\"device\":{\"id\":".utf8)
                + JSONText.quoted(config.deviceID) + Array(",\"trust\":".utf8) + JSONText.quoted(config.trust)
                + Array(",\"site\":".utf8) + JSONText.quoted(config.site) + Array("},\"sent_at_ms\":\(WallClock.nowMs()),\"events\":[]}".utf8)
            return exchange(name: "\(source) accepted", url: base + "/v1/batches", token: token, body: body, timeout: timeout, connect: connect) { status, text in
                switch status {
                case 400 where text.contains("/events"): return nil
                case 401, 403:
                    return config.deviceToken != nil
                        ? "set device_token to a device token of this device, or remove it so the agent enrols with enrolment_token"
                        : "the token was revoked or replaced: ask the administrator (`deskready device list`, `deskready device restore`), then run `deskready-agent enrol --force`"
                default: return "the collector answered unexpectedly; check collector_url and the collector's log"
                }
            }
        }
        guard let token = config.enrolmentToken else {
            return Step(name: "token", passed: false, detail: "no enrolment_token or device_token is set",
                        fix: "set enrolment_token to the trust's enrolment token (`deskready enrol-token create --trust \(config.trust)`)")
        }
        let body = Array("{\"device_id\":".utf8) + JSONText.quoted(config.deviceID) + Array(",\"site\":".utf8) + JSONText.quoted(config.site)
            + Array(",\"install_key\":\"check-config\"}".utf8)
        return exchange(name: "enrolment_token accepted", url: base + "/v1/enrol", token: token, body: body, timeout: timeout, connect: connect) { status, text in
            switch status {
            case 400 where text.contains("/install_key") && !text.contains("/site") && !text.contains("/device_id"): return nil
            case 400 where text.contains("/site"): return "site \(config.site) is not a site of the enrolment token's trust: check trust and site, or use the enrolment token of trust \(config.trust)"
            case 401, 403: return "the enrolment token is unknown, expired or revoked: create one with `deskready enrol-token create --trust \(config.trust)` and set enrolment_token"
            default: return "the collector answered unexpectedly; check collector_url and the collector's log"
            }
        }
    }

    private func exchange(name: String, url: String, token: String, body: [UInt8], timeout: Int, connect: Int,
                          fix: (Int, String) -> String?) -> Step {
        do {
            let answer = try transport.post(url: url, headers: ["Content-Type: application/json", "Authorization: Bearer \(token)"],
                                            body: body, timeoutMs: timeout, connectTimeoutMs: connect)
            let text = String(decoding: answer.body.prefix(600), as: UTF8.self)
            let problem = fix(answer.status, text)
            return Step(name: name, passed: problem == nil,
                        detail: problem == nil ? "the collector accepted the token (nothing was stored)" : "\(answer.status) \(text)", fix: problem)
        } catch {
            return Step(name: name, passed: false, detail: "\(error)", fix: "the collector stopped answering; run the check again")
        }
    }
}
