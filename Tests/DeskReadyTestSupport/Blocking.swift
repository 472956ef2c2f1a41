import Foundation

/// Runs blocking work (the agent's curl uploads, its SQLite spool) on a thread of its own, so the async executor's
/// few threads stay free to serve the in-process collector.
public func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try work() })
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
