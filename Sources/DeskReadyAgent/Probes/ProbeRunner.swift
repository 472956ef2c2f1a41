import DeskReadyModel

#if canImport(Glibc)
import Glibc
#endif

/// Probes one target and makes its `probe` event: phases `dns`, `connect`, `tls` (HTTPS) and `ttfb` (HTTP) in
/// milliseconds, the duration from the start to the last phase reached, and outcome `ok`, `failed` or `timeout`
/// with the `failed_phase` and the `reason`. An HTTP answer of 500 or more is a failure of the system probed; any
/// other status shows the system answering and counts as reached.
public struct ProbeRunner {
    public let timeoutMs: Int
    public let caFile: String?
    let clock: any AgentClock

    public init(timeoutMs: Int, caFile: String? = nil, clock: any AgentClock = SystemClock()) {
        self.timeoutMs = timeoutMs
        self.caFile = caFile
        self.clock = clock
    }

    public func probe(_ target: ProbeTarget) -> MeasurementEvent {
        let startedAt = clock.nowMs()
        let result: ProbeResult = switch target.scheme {
        case .tcp: probeTCP(target)
        case .http, .https: Self.result(of: HTTPProbe.run(url: target.url, timeoutMs: timeoutMs, caFile: caFile), tls: target.scheme == .https)
        }
        var attributes = ["scheme": target.scheme.rawValue, "port": String(target.port)]
        if let status = result.httpStatus { attributes["http_status"] = String(status) }
        if let failure = result.failure {
            attributes["failed_phase"] = failure.phase
            attributes["reason"] = String(failure.reason.prefix(500))
        }
        let outcome: Outcome = result.failure == nil ? .ok : (result.failure!.timedOut ? .timeout : .failed)
        return MeasurementEvent(id: UUIDv7.make(unixMs: startedAt), kind: .probe, name: target.name, startedAtMs: startedAt,
                                durationMs: result.phases.values.reduce(0, +), phases: result.phases.isEmpty ? nil : result.phases,
                                outcome: outcome, attributes: attributes)
    }

    /// The phases reached and why the probe stopped, if it did.
    public struct ProbeResult: Equatable, Sendable {
        public var phases: [String: Int64]
        public var failure: NetworkFailure?
        public var httpStatus: Int?
    }

    func probeTCP(_ target: ProbeTarget) -> ProbeResult {
        var phases: [String: Int64] = [:]
        let dnsStart = Self.microseconds()
        let addresses: [SocketAddress]
        switch NetworkTiming.resolve(host: target.host, port: target.port) {
        case .success(let resolved): addresses = resolved
        case .failure(let failure): return ProbeResult(phases: phases, failure: failure)
        }
        let connectStart = Self.microseconds()
        phases["dns"] = Self.ms(connectStart - dnsStart)
        var lastFailure: NetworkFailure?
        for address in addresses {
            let attemptStart = Self.microseconds()
            switch NetworkTiming.connect(address, timeoutMs: Int32(timeoutMs)) {
            case .success:
                // Only the attempt that succeeded counts: the time lost on the addresses before it shows in the total.
                phases["connect"] = Self.ms(Self.microseconds() - attemptStart)
                return ProbeResult(phases: phases, failure: nil)
            case .failure(let failure):
                lastFailure = failure
            }
        }
        phases["connect"] = Self.ms(Self.microseconds() - connectStart)
        return ProbeResult(phases: phases, failure: lastFailure)
    }

    /// Turns libcurl's cumulative times into phases; pure, so it is tested on recorded timings.
    public static func result(of timing: HTTPProbeTiming, tls: Bool) -> ProbeResult {
        var phases: [String: Int64] = [:]
        if timing.namelookupUs > 0 { phases["dns"] = ms(timing.namelookupUs) }
        if timing.connectUs > 0 { phases["connect"] = ms(max(0, timing.connectUs - timing.namelookupUs)) }
        if tls, timing.appconnectUs > 0 { phases["tls"] = ms(max(0, timing.appconnectUs - timing.connectUs)) }
        if timing.starttransferUs > 0 {
            phases["ttfb"] = ms(max(0, timing.starttransferUs - max(timing.appconnectUs, timing.connectUs)))
        }
        let status = timing.status > 0 ? timing.status : nil
        if let failure = timing.failure {
            let phase: String
            if failure.code == HTTPProbe.unavailableCode {
                phase = "agent"
            } else if failure.code == HTTPProbe.couldNotResolveCode {
                phase = "dns"
            } else if failure.code == HTTPProbe.couldNotConnectCode {
                phase = "connect"
            } else if HTTPProbe.tlsCodes.contains(failure.code) {
                // libcurl leaves the connect time unset when the handshake fails, so the code decides.
                phase = "tls"
            } else if timing.namelookupUs == 0 {
                phase = "dns"
            } else if timing.connectUs == 0 {
                phase = "connect"
            } else if tls && timing.appconnectUs == 0 {
                phase = "tls"
            } else {
                phase = "http"
            }
            return ProbeResult(phases: phases, failure: NetworkFailure(phase: phase, reason: failure.message, timedOut: failure.timedOut), httpStatus: status)
        }
        if let status, status >= 500 {
            return ProbeResult(phases: phases, failure: NetworkFailure(phase: "http", reason: "the server answered HTTP \(status)"), httpStatus: status)
        }
        return ProbeResult(phases: phases, failure: nil, httpStatus: status)
    }

    static func ms(_ microseconds: Int64) -> Int64 { (microseconds + 500) / 1000 }

    static func microseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }
}
