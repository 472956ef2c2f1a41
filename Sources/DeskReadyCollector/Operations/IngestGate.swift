import Synchronization

/// Bounds how many batches may wait for the database writer at once. When it is full the collector answers 503
/// with Retry-After instead of queueing without limit: memory stays bounded under any load, and agents back off.
final class IngestGate: Sendable {
    let capacity: Int
    private let pending = Mutex(0)

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Takes a place, or returns false when every place is taken.
    func enter() -> Bool {
        pending.withLock { count in
            guard count < capacity else { return false }
            count += 1
            return true
        }
    }

    func leave() {
        pending.withLock { $0 -= 1 }
    }

    var depth: Int { pending.withLock { $0 } }
}
