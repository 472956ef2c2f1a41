import DeskReadyModel

/// Sends spooled events to the collector batch by batch, deleting them only after a 2xx that acknowledges them.
/// A permanent refusal moves the batch to the dead-letter table; anything else is retried with the same batch id.
public final class Uploader {
    /// What one send attempt came to.
    public enum Result: Equatable, Sendable {
        /// Nothing to send.
        case idle
        /// The collector acknowledged `accepted` new events (`duplicates` were already stored, `rejected` refused).
        case acknowledged(accepted: Int, duplicates: Int, rejected: Int)
        /// The collector refused the batch for good; it went to the dead-letter table.
        case deadLettered(status: Int)
        /// The batch stays in the spool; try again after `retryAfterSeconds` at the earliest (when given).
        case retry(reason: String, retryAfterSeconds: Int?)
    }

    let spool: Spool
    let config: AgentConfig
    let transport: any HTTPTransport
    private let decoder = WireCoding.decoder()

    public init(spool: Spool, config: AgentConfig, transport: any HTTPTransport) {
        self.spool = spool
        self.config = config
        self.transport = transport
    }

    var batchesURL: String {
        var base = config.collectorURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/v1/batches"
    }

    /// Whether a batch should be sent now: enough events or bytes, or the oldest waited long enough.
    public func batchIsDue(nowMs: Int64) throws -> Bool {
        try spool.hasDueBatch(maxEvents: config.batchMaxEvents, maxBytes: config.batchMaxBytes,
                              waitingSinceMs: nowMs - Int64(config.batchMaxAgeSeconds) * 1000)
    }

    /// Sends the next batch once.
    public func sendNext() throws -> Result {
        guard let batch = try spool.nextBatch(maxEvents: config.batchMaxEvents, maxBytes: config.batchMaxBytes) else {
            return .idle
        }
        let json = batch.body(device: config.device, sentAtMs: spool.clock.nowMs())
        var headers = ["Content-Type: application/json", "Accept: application/json"]
        var body = json
        if let compressed = Gzip.compress(json) {
            body = compressed
            headers.append("Content-Encoding: gzip")
        }
        let token: String
        do {
            token = try deviceToken()
        } catch let error as TransportError {
            try spool.recordFailure(nil, error: error.message)
            return .retry(reason: error.message, retryAfterSeconds: nil)
        }
        headers.append("Authorization: Bearer \(token)")
        let exchange: HTTPExchange
        do {
            exchange = try transport.post(url: batchesURL, headers: headers, body: body,
                                          timeoutMs: config.requestTimeoutSeconds * 1000,
                                          connectTimeoutMs: config.connectTimeoutSeconds * 1000)
        } catch {
            try spool.recordFailure(batch, error: error.message)
            return .retry(reason: error.message, retryAfterSeconds: nil)
        }
        switch exchange.status {
        case 200..<300:
            guard let ack = try? decoder.decode(BatchAcknowledgement.self, from: Data(exchange.body)), ack.batchId == batch.batchId else {
                let reason = "the collector answered \(exchange.status) without an acknowledgement of batch \(batch.batchId); is collector_url pointing at a DeskReady collector?"
                try spool.recordFailure(batch, error: reason)
                return .retry(reason: reason, retryAfterSeconds: nil)
            }
            try spool.acknowledge(batch, rejected: ack.rejected)
            return .acknowledged(accepted: ack.accepted, duplicates: ack.duplicates, rejected: ack.rejected.count)
        case 400, 413, 422:
            let reason = exchange.problemText
            try spool.deadLetter(batch, status: exchange.status, reason: reason)
            return .deadLettered(status: exchange.status)
        case 401, 403:
            let enrolled = config.deviceToken == nil
            let fix = enrolled
                ? "The token this agent got by enrolling was revoked or replaced: ask the collector's administrator (`deskready device list`, `deskready device restore` if it was revoked), then run `deskready-agent enrol --force`."
                : "Check device_token, trust and site in the agent's config."
            let reason = "the collector refused this device's token (\(exchange.status)): \(exchange.problemText). \(fix)"
            try spool.recordFailure(batch, error: reason)
            return .retry(reason: reason, retryAfterSeconds: nil)
        default:
            let reason = "the collector answered \(exchange.status): \(exchange.problemText)"
            try spool.recordFailure(batch, error: reason)
            return .retry(reason: reason, retryAfterSeconds: exchange.retryAfterSeconds)
        }
    }

    /// Sends batches until the spool is empty or a send fails; returns the last result.
    @discardableResult
    public func drain(maxBatches: Int = .max) throws -> Result {
        var last: Result = .idle
        var sent = 0
        while sent < maxBatches {
            let result = try sendNext()
            switch result {
            case .idle: return sent == 0 ? .idle : last
            case .retry: return result
            default: last = result
            }
            sent += 1
        }
        return last
    }

    /// The device token: from the config, from an earlier enrolment, or by enrolling now with the enrolment token.
    func deviceToken() throws -> String {
        if let token = config.deviceToken { return token }
        if let token = try spool.state(SpoolStateKey.deviceToken) { return token }
        guard let enrolmentToken = config.enrolmentToken else {
            throw TransportError("this device has no token: set enrolment_token (from `deskready enrol-token create`) or device_token in the agent's config")
        }
        var base = config.collectorURL
        while base.hasSuffix("/") { base.removeLast() }
        let request = EnrolmentRequest(deviceId: config.deviceID, site: config.site, installKey: try installKey())
        let body = Array(try WireCoding.encoder().encode(request))
        let exchange = try transport.post(
            url: base + "/v1/enrol", headers: ["Content-Type: application/json", "Authorization: Bearer \(enrolmentToken)"], body: body,
            timeoutMs: config.requestTimeoutSeconds * 1000, connectTimeoutMs: config.connectTimeoutSeconds * 1000)
        guard exchange.status == 201, let answer = try? decoder.decode(EnrolmentResponse.self, from: Data(exchange.body)) else {
            throw TransportError("enrolment refused by the collector (\(exchange.status)): \(exchange.problemText). Check enrolment_token, trust and site.")
        }
        try spool.setState(SpoolStateKey.deviceToken, answer.deviceToken)
        return answer.deviceToken
    }

    /// Enrols now with the enrolment token, dropping the device token an earlier enrolment left (`enrol --force`).
    /// Spooled events stay where they are and go with the new token.
    public func enrol(force: Bool) throws -> String {
        if config.deviceToken != nil {
            throw TransportError("device_token is set in the agent's config, so this agent does not enrol; remove it to enrol with enrolment_token")
        }
        if force { try spool.removeState(SpoolStateKey.deviceToken) }
        if !force, try spool.state(SpoolStateKey.deviceToken) != nil {
            throw TransportError("this agent is enrolled already; `deskready-agent enrol --force` enrols again (its spooled events are kept)")
        }
        return try deviceToken()
    }

    /// This machine's install key: made once from the system's random source and kept in the spool.
    func installKey() throws -> String {
        if let key = try spool.state(SpoolStateKey.installKey) { return key }
        var generator = SystemRandomNumberGenerator()
        let hex = Array("0123456789abcdef".utf8)
        let key = String(decoding: (0..<32).map { _ in hex[Int(generator.next() % 16)] }, as: UTF8.self)
        try spool.setState(SpoolStateKey.installKey, key)
        return key
    }
}
