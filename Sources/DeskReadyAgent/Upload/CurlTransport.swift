internal import CDeskReadySupport

/// HTTP(S) through libcurl's runtime, loaded with `dlopen` the first time a request is made: `mark` never loads it,
/// and building needs no libcurl headers. Verifies certificates against the system store or `caFile`, and honours
/// the proxy environment (`https_proxy`, `no_proxy`).
public struct CurlTransport: HTTPTransport {
    public var caFile: String?

    public init(caFile: String? = nil) {
        self.caFile = caFile
    }

    /// Nil when libcurl can be loaded; otherwise the one-line reason and fix.
    public static func unavailableReason() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        if dr_curl_load(&buffer, buffer.count) == 0 { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public func post(url: String, headers: [String], body: [UInt8], timeoutMs: Int, connectTimeoutMs: Int) throws(TransportError) -> HTTPExchange {
        try request("POST", url: url, headers: headers, body: body, timeoutMs: timeoutMs, connectTimeoutMs: connectTimeoutMs)
    }

    /// A GET, for status pages and reports.
    public func get(url: String, headers: [String], timeoutMs: Int, connectTimeoutMs: Int) throws(TransportError) -> HTTPExchange {
        try request("GET", url: url, headers: headers, body: [], timeoutMs: timeoutMs, connectTimeoutMs: connectTimeoutMs)
    }

    private func request(_ method: String, url: String, headers: [String], body: [UInt8], timeoutMs: Int, connectTimeoutMs: Int) throws(TransportError) -> HTTPExchange {
        var response = dr_http_response()
        let cHeaders = headers.map { strdup($0) }
        defer { cHeaders.forEach { free($0) } }
        let rc: Int32 = cHeaders.map { UnsafePointer($0) }.withUnsafeBufferPointer { headerPointers in
            body.withUnsafeBytes { raw in
                dr_http_request(method, url, headerPointers.baseAddress, headerPointers.count, raw.baseAddress, raw.count,
                                timeoutMs, connectTimeoutMs, caFile, &response)
            }
        }
        defer { dr_http_response_free(&response) }
        if rc != 0 {
            let message = withUnsafeBytes(of: response.error) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            throw TransportError("cannot reach the collector at \(url): \(message)")
        }
        let bytes = response.body.map { Array(UnsafeBufferPointer(start: $0, count: response.body_len)) } ?? []
        return HTTPExchange(status: response.status, body: bytes,
                            retryAfterSeconds: response.retry_after_seconds >= 0 ? response.retry_after_seconds : nil)
    }
}

#if canImport(Glibc)
import Glibc
#endif
