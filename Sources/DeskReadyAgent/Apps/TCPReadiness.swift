#if canImport(Glibc)
import Glibc
#endif

/// Ready when a TCP port accepts a connection.
public final class TCPReadiness: ReadinessCheck {
    let host: String
    let port: UInt16
    let attemptTimeoutMs: Int32

    public init(host: String, port: UInt16, attemptTimeoutMs: Int32 = 200) {
        self.host = host
        self.port = port
        self.attemptTimeoutMs = attemptTimeoutMs
    }

    public func poll(nowMs: Int64, pids: Set<Int32>) -> Int64? {
        guard case .success(let addresses) = NetworkTiming.resolve(host: host, port: port) else { return nil }
        for address in addresses {
            if case .success = NetworkTiming.connect(address, timeoutMs: attemptTimeoutMs) { return nowMs }
        }
        return nil
    }
}
