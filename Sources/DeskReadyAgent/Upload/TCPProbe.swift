#if canImport(Glibc)
import Glibc
#endif

/// Name resolution and a bare TCP connect with a time limit, for `check-config --connect`: separate steps, so a DNS
/// failure and a closed port are told apart before TLS and HTTP are tried.
enum TCPProbe {
    /// The host's addresses, or the resolver's error.
    static func resolve(host: String, port: Int) -> (addresses: [String]?, error: String) {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let list else { return (nil, "cannot resolve \(host): \(String(cString: gai_strerror(rc)))") }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                if !addresses.contains(text) { addresses.append(text) }
            }
            entry = current.pointee.ai_next
        }
        return (addresses, "")
    }

    /// Nil when some address of the host accepts a TCP connection within `timeoutMs`; otherwise the last failure.
    static func connect(host: String, port: Int, timeoutMs: Int) -> String? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let list else { return "cannot resolve \(host): \(String(cString: gai_strerror(rc)))" }
        defer { freeaddrinfo(list) }
        var failure = "no address to connect to"
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let current = entry {
            entry = current.pointee.ai_next
            let fd = socket(current.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { failure = String(cString: strerror(errno)); continue }
            defer { close(fd) }
            if Glibc.connect(fd, current.pointee.ai_addr, current.pointee.ai_addrlen) == 0 { return nil }
            guard errno == EINPROGRESS else { failure = "connection to port \(port) failed: \(String(cString: strerror(errno)))"; continue }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, Int32(timeoutMs))
            if ready == 0 { failure = "no answer from port \(port) within \(timeoutMs / 1000) s (a firewall dropping packets?)"; continue }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if ready > 0, error == 0 { return nil }
            failure = "connection to port \(port) failed: \(String(cString: strerror(error == 0 ? errno : error)))"
        }
        return failure
    }
}
