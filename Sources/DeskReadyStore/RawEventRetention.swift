/// A store that can delete raw events by arrival while keeping the aggregates (and so every report): what
/// `RetentionService` needs, whichever store it runs on.
public protocol RawEventRetention: Sendable {
    /// Deletes raw events received before `cutoffMs`, in chunks of `chunk` rows; returns how many.
    @discardableResult
    func deleteRawEvents(receivedBefore cutoffMs: Int64, chunk: Int64) async throws -> Int
}
