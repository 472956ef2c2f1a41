import Logging
import ServiceLifecycle

/// Deletes raw events received longer ago than the retention period, once at start and then every hour, until
/// shutdown.
public struct RetentionService: Service {
    let store: any RawEventRetention
    let retentionDays: Int
    let logger: Logger

    public init(store: any RawEventRetention, retentionDays: Int, logger: Logger) {
        self.store = store
        self.retentionDays = retentionDays
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let cutoff = WallClockMs.now() - Int64(retentionDays) * 86_400_000
                let deleted = try await store.deleteRawEvents(receivedBefore: cutoff, chunk: 50_000)
                if deleted > 0 { logger.info("raw retention", metadata: ["deleted_events": "\(deleted)", "retention_days": "\(retentionDays)"]) }
            } catch {
                logger.error("raw retention failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}

private enum WallClockMs {
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

import Foundation
