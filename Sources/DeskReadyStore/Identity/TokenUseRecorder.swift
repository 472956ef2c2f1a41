import Synchronization

/// Notes when each token was last used, in memory, and hands the notes to the store in one write a second at most, each
/// token noted at most once a minute. So "last used" costs the authentication path no write (which would also wait
/// behind the ingest writer), and a fleet of 20,000 devices sending every minute costs one small transaction a second.
/// `token list` is accurate to the minute.
package final class TokenUseRecorder: Sendable {
    private struct State {
        var pending: [Int64: Int64] = [:]
        var known: [Int64: Int64] = [:]
        var flushScheduled = false
    }

    /// A token's use is noted again only this long after the last note.
    package let intervalMs: Int64
    /// How long notes gather before they are written together.
    package let gather: Duration
    private let state = Mutex(State())

    package init(intervalMs: Int64 = 60_000, gather: Duration = .seconds(1)) {
        self.intervalMs = intervalMs
        self.gather = gather
    }

    /// Notes a use of credential `id` (stored last use `storedMs`) at `nowMs`. Returns true when the caller should
    /// schedule a write of `drain()` after `gather` (none is scheduled yet).
    package func note(id: Int64, storedMs: Int64?, nowMs: Int64) -> Bool {
        state.withLock { state in
            let last = max(storedMs ?? .min, state.known[id] ?? .min)
            guard last < nowMs - intervalMs else { return false }
            state.pending[id] = nowMs
            state.known[id] = nowMs
            guard !state.flushScheduled else { return false }
            state.flushScheduled = true
            return true
        }
    }

    /// Every noted use not yet written; the next note schedules a new write.
    package func drain() -> [Int64: Int64] {
        state.withLock { state in
            defer {
                state.pending = [:]
                state.flushScheduled = false
            }
            return state.pending
        }
    }
}
