import DeskReadyModel

/// How a collector listens and what it accepts.
public struct CollectorConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests).
    public var port = 8765
    /// Largest request body as sent (compressed or not).
    public var maxBodyBytes = 4 * 1024 * 1024
    /// Largest body after gzip decompression: a gzip bomb is refused without being inflated in full.
    public var maxDecompressedBytes = 32 * 1024 * 1024
    public var limits = WireLimits.standard
    /// Batches that may wait for the database writer at once; beyond it the answer is 503 with Retry-After.
    public var maxPendingBatches = 64
    /// Seconds an agent is asked to wait when the collector is busy.
    public var retryAfterSeconds = 2
    /// Reports that may render at once; beyond it the answer is 503 with Retry-After.
    public var maxConcurrentReports = 4
    /// Seconds a report may take before it is cancelled and answered 503.
    public var reportTimeLimitSeconds = 30
    /// Serve HTTPS with this certificate chain and key (PEM files) when set.
    public var tls: TLSFiles?

    public init(host: String = "127.0.0.1", port: Int = 8765) {
        self.host = host
        self.port = port
    }
}

/// The PEM files of the collector's TLS certificate chain and private key.
public struct TLSFiles: Sendable {
    public var certificateChainPath: String
    public var privateKeyPath: String

    public init(certificateChainPath: String, privateKeyPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
    }
}
