import DeskReadyAgent
import DeskReadyModel
import Foundation

/// Sends one device's events to the collector as ordinary batches (`POST /v1/batches` with the importer's token),
/// retrying a batch with the same id until the collector acknowledges it, or until `retryForSeconds` have passed.
struct BatchSender {
    /// What became of one batch.
    enum Result {
        case acknowledged(BatchAcknowledgement)
        /// The collector refused the batch for good (400, 413, 422): the reason.
        case refused(String)
    }

    var collectorURL: String
    /// A token of role importer for the trust: it may write batches for any device of the trust.
    var token: String
    var transport: any HTTPTransport = CurlTransport()
    var backoff = Backoff(baseSeconds: 1, capSeconds: 60)
    var retryForSeconds: Double = 600

    func send(_ batch: Batch, log: (String) -> Void) throws -> Result {
        var base = collectorURL
        while base.hasSuffix("/") { base.removeLast() }
        let url = base + "/v1/batches"
        let json = Array(try WireCoding.encoder().encode(batch))
        var headers = ["Content-Type: application/json", "Accept: application/json", "Authorization: Bearer \(token)"]
        var body = json
        if let compressed = Gzip.compress(json) {
            body = compressed
            headers.append("Content-Encoding: gzip")
        }
        let started = Date()
        var failures = 0
        while true {
            let reason: String
            var retryAfter: Int?
            do {
                let exchange = try transport.post(url: url, headers: headers, body: body, timeoutMs: 60_000, connectTimeoutMs: 10_000)
                switch exchange.status {
                case 200..<300:
                    if let ack = try? WireCoding.decoder().decode(BatchAcknowledgement.self, from: Data(exchange.body)), ack.batchId == batch.batchId {
                        return .acknowledged(ack)
                    }
                    reason = "the collector answered \(exchange.status) without acknowledging batch \(batch.batchId); is --collector a DeskReady collector?"
                case 400, 413, 422:
                    return .refused("\(exchange.status): \(exchange.problemText)")
                case 401, 403:
                    throw ImportError("the collector refused the token (\(exchange.status): \(exchange.problemText)). Use a token of role importer for trust \(batch.device.trust): `deskready token create --role importer --trust \(batch.device.trust)`")
                default:
                    reason = "the collector answered \(exchange.status): \(exchange.problemText)"
                    retryAfter = exchange.retryAfterSeconds
                }
            } catch let error as TransportError {
                reason = error.message
            }
            failures += 1
            let delay = backoff.delay(afterFailures: failures, retryAfter: retryAfter)
            guard Date().timeIntervalSince(started) + delay <= retryForSeconds else {
                throw ImportError("gave up sending to \(url) after \(failures) attempts: \(reason). Nothing was lost: run the import again later (the state was not advanced for this computer)")
            }
            log("retrying in \(String(format: "%.1f", delay)) s: \(reason)")
            Thread.sleep(forTimeInterval: delay)
        }
    }
}
