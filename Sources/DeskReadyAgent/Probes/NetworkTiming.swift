#if canImport(Glibc)
import Glibc
#endif

/// A resolved socket address, ready for `connect`.
public struct SocketAddress: Sendable, Equatable {
    public var family: Int32
    public var bytes: [UInt8]

    /// `127.0.0.1` or `::1`, for messages.
    public var text: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        bytes.withUnsafeBytes { raw in
            if family == AF_INET6 {
                raw.withMemoryRebound(to: sockaddr_in6.self) { sa in
                    var address = sa[0].sin6_addr
                    _ = inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
                }
            } else {
                raw.withMemoryRebound(to: sockaddr_in.self) { sa in
                    var address = sa[0].sin_addr
                    _ = inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
                }
            }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Why a network step failed: the phase it failed in and a reason a person can act on.
public struct NetworkFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// `dns`, `connect`, `tls`, `http`.
    public var phase: String
    public var reason: String
    /// True when the step ran out of time rather than being refused.
    public var timedOut: Bool

    public init(phase: String, reason: String, timedOut: Bool = false) {
        self.phase = phase
        self.reason = reason
        self.timedOut = timedOut
    }

    public var description: String { "\(phase): \(reason)" }
}

/// Name resolution and TCP connection, each a blocking step the probes time on the monotonic clock.
public enum NetworkTiming {
    /// Resolves a host name (or numeric address) with the system resolver (`getaddrinfo`), as applications do.
    public static func resolve(host: String, port: UInt16) -> Result<[SocketAddress], NetworkFailure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let list else {
            return .failure(NetworkFailure(phase: "dns", reason: "cannot resolve \(host): \(String(cString: gai_strerror(rc)))",
                                           timedOut: rc == EAI_AGAIN))
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = list
        while let entry = cursor {
            if let address = entry.pointee.ai_addr, entry.pointee.ai_family == AF_INET || entry.pointee.ai_family == AF_INET6 {
                let bytes = Array(UnsafeRawBufferPointer(start: address, count: Int(entry.pointee.ai_addrlen)))
                let candidate = SocketAddress(family: entry.pointee.ai_family, bytes: bytes)
                if !addresses.contains(candidate) { addresses.append(candidate) }
            }
            cursor = entry.pointee.ai_next
        }
        return addresses.isEmpty ? .failure(NetworkFailure(phase: "dns", reason: "\(host) has no IPv4 or IPv6 address")) : .success(addresses)
    }

    /// Opens a TCP connection and closes it again; fails when it is refused or takes longer than `timeoutMs`.
    public static func connect(_ address: SocketAddress, timeoutMs: Int32) -> Result<Void, NetworkFailure> {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(NetworkFailure(phase: "connect", reason: "cannot create a socket: \(errorText(errno))")) }
        defer { close(fd) }
        let rc = address.bytes.withUnsafeBytes { raw in
            Glibc.connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if rc == 0 { return .success(()) }
        guard errno == EINPROGRESS else {
            return .failure(NetworkFailure(phase: "connect", reason: "\(address.text): \(errorText(errno))"))
        }
        var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let ready = poll(&descriptor, 1, timeoutMs)
        guard ready > 0 else {
            return .failure(NetworkFailure(phase: "connect", reason: "\(address.text): no answer within \(timeoutMs) ms", timedOut: true))
        }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0 ? .success(()) : .failure(NetworkFailure(phase: "connect", reason: "\(address.text): \(errorText(error))"))
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
