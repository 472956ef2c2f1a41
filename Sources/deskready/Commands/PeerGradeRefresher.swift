import DeskReadyModel
import DeskReadyReporting
import Logging
import ServiceLifecycle

/// Keeps the peer grades of the default report period (the last 28 days, today included) young in the background:
/// every half of `peer_max_age_seconds` it grades again each trust whose data changed, so a report beside its peers
/// finds them kept and never waits for them, while data keeps arriving from every trust.
struct PeerGradeRefresher: Service {
    let builder: GradedReportBuilder
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let toMs = UTCTime.floorDay(WallClock.nowMs()) + UTCTime.dayMs
            let started = ContinuousClock.now
            do {
                let pool = try await builder.peerPool(fromMs: toMs - 28 * UTCTime.dayMs, toMs: toMs, exact: true)
                logger.debug("peer grades refreshed", metadata: ["trusts": "\(pool.trusts.count)", "took": "\(ContinuousClock.now - started)"])
            } catch {
                logger.warning("peer grades could not be refreshed; reports grade them when they need them", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
