import DeskReadyModel
import Logging
import ServiceLifecycle

/// How long the collector keeps what it stores, in days (0: for ever): raw events by arrival, hourly aggregates (a
/// 28-day report and its edges need about 35 days) and daily aggregates (years of trends and baselines).
public struct RetentionPolicy: Sendable, Equatable {
    public var rawDays: Int
    public var hourlyDays: Int
    public var dailyDays: Int

    /// The defaults: a quarter of raw events, five weeks of hours, five years of days.
    public static let standard = RetentionPolicy(rawDays: 90, hourlyDays: 35, dailyDays: 1_830)

    public init(rawDays: Int, hourlyDays: Int, dailyDays: Int) {
        self.rawDays = rawDays
        self.hourlyDays = hourlyDays
        self.dailyDays = dailyDays
    }
}

/// Applies a `RetentionPolicy` once at start and then every hour until shutdown: raw events received before the raw
/// window, hourly rows before the hourly window and daily rows before the daily window. Each part goes on when
/// another fails, and says so in the log.
public struct RetentionService: Service {
    let raw: any RawEventRetention
    let aggregates: any AggregateRetention
    let policy: RetentionPolicy
    let logger: Logger

    public init(raw: any RawEventRetention, aggregates: any AggregateRetention, policy: RetentionPolicy, logger: Logger) {
        self.raw = raw
        self.aggregates = aggregates
        self.policy = policy
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await runOnce(nowMs: WallClock.nowMs())
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3600)) }
        }
    }

    /// One pass of every part of the policy.
    public func runOnce(nowMs: Int64) async {
        if policy.rawDays > 0 {
            do {
                let deleted = try await raw.deleteRawEvents(receivedBefore: nowMs - Int64(policy.rawDays) * UTCTime.dayMs, chunk: 50_000)
                if deleted > 0 { logger.info("raw retention", metadata: ["deleted_events": "\(deleted)", "retention_days": "\(policy.rawDays)"]) }
            } catch {
                logger.error("raw retention failed", metadata: ["error": "\(error)"])
            }
        }
        let hourly = UTCTime.keptFrom(days: policy.hourlyDays, nowMs: nowMs)
        let daily = UTCTime.keptFrom(days: policy.dailyDays, nowMs: nowMs)
        guard hourly != nil || daily != nil else { return }
        do {
            let deleted = try await aggregates.deleteAggregates(hourlyBeforeMs: hourly, dailyBeforeMs: daily)
            if !deleted.isEmpty {
                logger.info("aggregate retention", metadata: [
                    "deleted_hourly_rows": "\(deleted.hourlyRows)", "deleted_daily_rows": "\(deleted.dailyRows)",
                    "hourly_days": "\(policy.hourlyDays)", "daily_days": "\(policy.dailyDays)",
                ])
            }
        } catch {
            logger.error("aggregate retention failed", metadata: ["error": "\(error)"])
        }
    }
}
