import Synchronization

/// Bounds report rendering: at most `capacity` reports at once (beyond it the caller answers 503 with Retry-After), and
/// each one cancelled when it runs past `timeLimit`. Reports read through the store's readers, never its writer, so
/// bounding them here keeps any number of readers from starving ingest of CPU.
final class ReportLimiter: Sendable {
    let capacity: Int
    let timeLimit: Duration
    private let running = Mutex(0)

    init(capacity: Int, timeLimit: Duration) {
        self.capacity = capacity
        self.timeLimit = timeLimit
    }

    /// The outcome of asking for a report slot.
    enum Refusal: Error {
        /// Every slot is taken.
        case busy
        /// The work ran past the time limit and was cancelled.
        case timedOut
    }

    /// Runs `work` in a slot within the time limit.
    func run<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let entered = running.withLock { count in
            guard count < capacity else { return false }
            count += 1
            return true
        }
        guard entered else { throw Refusal.busy }
        defer { running.withLock { $0 -= 1 } }
        let limit = timeLimit
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            // The first child to finish decides: the report, or the deadline (nil).
            guard let first = try await group.next(), let value = first else { throw Refusal.timedOut }
            return value
        }
    }

    var inFlight: Int { running.withLock { $0 } }
}
