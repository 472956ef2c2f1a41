import DeskReadyModel

/// A response from the collector, or the reason none arrived.
public struct HTTPExchange: Sendable {
    public var status: Int
    public var body: [UInt8]
    /// `Retry-After` in seconds, when the collector sent one.
    public var retryAfterSeconds: Int?

    public init(status: Int, body: [UInt8], retryAfterSeconds: Int? = nil) {
        self.status = status
        self.body = body
        self.retryAfterSeconds = retryAfterSeconds
    }
}

extension HTTPExchange {
    /// The collector's problem details as one line (`detail (pointer: problem; …)`), or the start of the body.
    public var problemText: String {
        if let problem = try? WireCoding.decoder().decode(ProblemDetails.self, from: Data(body)) {
            let fields = (problem.errors ?? []).map { "\($0.pointer): \($0.problem)" }.joined(separator: "; ")
            return fields.isEmpty ? problem.detail : "\(problem.detail) (\(fields))"
        }
        return String(decoding: body.prefix(300), as: UTF8.self)
    }
}

/// A request that got no HTTP response (refused, timed out, TLS failure, no libcurl).
public struct TransportError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
    public init(_ message: String) { self.message = message }
}

/// The agent's one seam to the network: a blocking POST.
public protocol HTTPTransport: Sendable {
    func post(url: String, headers: [String], body: [UInt8], timeoutMs: Int, connectTimeoutMs: Int) throws(TransportError) -> HTTPExchange
}
