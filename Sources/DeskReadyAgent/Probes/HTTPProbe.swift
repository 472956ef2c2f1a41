internal import CDeskReadySupport

/// libcurl's phase times of one HTTP(S) request, in microseconds from its start.
public struct HTTPProbeTiming: Equatable, Sendable {
    public var status: Int
    public var namelookupUs: Int64
    public var connectUs: Int64
    public var appconnectUs: Int64
    public var starttransferUs: Int64
    public var totalUs: Int64
    /// Nil on success.
    public var failure: HTTPProbeFailure?

    public init(status: Int, namelookupUs: Int64, connectUs: Int64, appconnectUs: Int64, starttransferUs: Int64, totalUs: Int64,
                failure: HTTPProbeFailure? = nil) {
        self.status = status
        self.namelookupUs = namelookupUs
        self.connectUs = connectUs
        self.appconnectUs = appconnectUs
        self.starttransferUs = starttransferUs
        self.totalUs = totalUs
        self.failure = failure
    }
}

/// Why libcurl gave up: its result code, whether time ran out, and its message.
public struct HTTPProbeFailure: Equatable, Sendable {
    public var code: Int32
    public var timedOut: Bool
    public var message: String

    public init(code: Int32, timedOut: Bool, message: String) {
        self.code = code
        self.timedOut = timedOut
        self.message = message
    }
}

/// One GET on a fresh connection through libcurl, stopped at the first byte of the response.
public enum HTTPProbe {
    /// libcurl's result code when it could not be loaded at all.
    public static let unavailableCode: Int32 = -1
    /// libcurl's code for a name that does not resolve.
    public static let couldNotResolveCode: Int32 = 6
    /// libcurl's code for a refused or unreachable connection.
    public static let couldNotConnectCode: Int32 = 7
    /// libcurl's codes for a failed TLS handshake or certificate check (CURLE_SSL_*, CURLE_PEER_FAILED_VERIFICATION).
    public static let tlsCodes: Set<Int32> = [35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91, 98]

    public static func run(url: String, timeoutMs: Int, caFile: String?) -> HTTPProbeTiming {
        var out = dr_probe_timing()
        let rc = dr_http_probe(url, timeoutMs, min(timeoutMs, 10_000), caFile, &out)
        let message = withUnsafeBytes(of: out.error) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        return HTTPProbeTiming(
            status: out.status, namelookupUs: out.namelookup_us, connectUs: out.connect_us, appconnectUs: out.appconnect_us,
            starttransferUs: out.starttransfer_us, totalUs: out.total_us,
            failure: rc == 0 ? nil : HTTPProbeFailure(code: out.curl_code, timedOut: out.timed_out != 0, message: message))
    }
}
