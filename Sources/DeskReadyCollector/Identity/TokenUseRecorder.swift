import Synchronization

/// Notes when each token was last used, in memory, and hands the notes to the store at most once a minute, so that
/// "last used" costs one small write a minute for the whole fleet instead of one per request on the authentication
/// path (where a write would also wait behind the ingest writer). `token list` is accurate to the minute.
package final class TokenUseRecorder: Sendable {
    private struct State {
        var pending: [Int64: Int64] = [:]
        var lastFlushMs: Int64 = 0
        var known: [Int64: Int64] = [:]
    }

    let intervalMs: Int64
    private let state = Mutex(State())

    package init(intervalMs: Int64 = 60_000) {
        self.intervalMs = intervalMs
    }

    /// Notes a use of credential `id` (stored last use `storedMs`) at `nowMs`; returns the uses to write now, if it is
    /// time to write them.
    package func note(id: Int64, storedMs: Int64?, nowMs: Int64) -> [Int64: Int64]? {
        state.withLock { state in
            let last = max(storedMs ?? .min, state.known[id] ?? .min)
            if last < nowMs - intervalMs {
                state.pending[id] = nowMs
                state.known[id] = nowMs
            }
            guard !state.pending.isEmpty, state.lastFlushMs <= nowMs - intervalMs else { return nil }
            state.lastFlushMs = nowMs
            defer { state.pending = [:] }
            return state.pending
        }
    }

    /// Every noted use not yet handed out.
    package func drain() -> [Int64: Int64] {
        state.withLock { state in
            defer { state.pending = [:] }
            return state.pending
        }
    }
}
