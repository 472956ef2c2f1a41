/// Exponential backoff with full jitter: after the n-th failure, wait a random time in [0, min(cap, base·2ⁿ)].
/// A `Retry-After` from the collector takes precedence when it asks for longer.
public struct Backoff: Sendable {
    public var baseSeconds: Double
    public var capSeconds: Double

    public init(baseSeconds: Double = 1, capSeconds: Double = 300) {
        self.baseSeconds = baseSeconds
        self.capSeconds = capSeconds
    }

    /// The upper bound of the wait after `failures` consecutive failures (1 or more).
    public func ceiling(afterFailures failures: Int) -> Double {
        let exponent = Double(min(max(failures - 1, 0), 30))
        return min(capSeconds, baseSeconds * pow2(exponent))
    }

    public func delay<G: RandomNumberGenerator>(afterFailures failures: Int, retryAfter: Int?, using generator: inout G) -> Double {
        let jittered = Double.random(in: 0...ceiling(afterFailures: failures), using: &generator)
        if let retryAfter { return max(jittered, min(Double(retryAfter), capSeconds)) }
        return jittered
    }

    public func delay(afterFailures failures: Int, retryAfter: Int?) -> Double {
        var generator = SystemRandomNumberGenerator()
        return delay(afterFailures: failures, retryAfter: retryAfter, using: &generator)
    }

    private func pow2(_ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) { result *= 2 }
        return result
    }
}
