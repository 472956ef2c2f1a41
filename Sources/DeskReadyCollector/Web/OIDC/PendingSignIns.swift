import DeskReadyModel
import Foundation
import Synchronization

/// Sign-ins sent to the provider and not yet back: the `state`, `nonce` and PKCE verifier of each, under the hash of a
/// random id held in the browser's cookie. Each is used once, lives ten minutes, and there are at most `capacity`.
final class PendingSignIns: Sendable {
    struct Pending: Sendable {
        var state: String
        var nonce: String
        var verifier: String
        var createdMs: Int64
    }

    let capacity: Int
    let lifetimeMs: Int64 = 10 * 60 * 1000
    private let pending = Mutex<[Data: Pending]>([:])

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// Starts one: returns the cookie's id and the values to send.
    func start() -> (cookie: String, Pending) {
        let cookie = WebCookies.randomValue()
        let nowMs = WallClock.nowMs()
        let entry = Pending(state: WebCookies.randomValue(), nonce: WebCookies.randomValue(), verifier: WebCookies.randomValue(), createdMs: nowMs)
        pending.withLock { table in
            table = table.filter { nowMs - $0.value.createdMs < lifetimeMs }
            if table.count >= capacity, let oldest = table.min(by: { $0.value.createdMs < $1.value.createdMs })?.key {
                table[oldest] = nil
            }
            table[WebCookies.hash(cookie)] = entry
        }
        return (cookie, entry)
    }

    /// Takes (and so ends) the sign-in of this cookie, if it is still fresh.
    func take(cookie: String) -> Pending? {
        let nowMs = WallClock.nowMs()
        return pending.withLock { table in
            guard let entry = table.removeValue(forKey: WebCookies.hash(cookie)), nowMs - entry.createdMs < lifetimeMs else { return nil }
            return entry
        }
    }
}
