import ArgumentParser
import DeskReadyCollector
import DeskReadyReporting
import Foundation
import Yams

/// The collector's settings: built-in defaults, then `collector.yaml` (`serve --config`), then command-line options.
///
/// The defaults are those of the types that use them (`CollectorConfiguration`, `RetentionPolicy.standard`,
/// `GradedTrustCache`), so they are written once.
struct CollectorSettings: Equatable {
    private static let server = CollectorConfiguration()
    private static let retention = RetentionPolicy.standard

    var db = "./deskready.sqlite"
    var listen = "\(server.host):\(server.port)"
    var tlsCert: String?
    var tlsKey: String?
    var maturityModel: String?
    var logLevel = "info"
    var logFormat = "text"
    var rawRetentionDays = retention.rawDays
    var hourlyRetentionDays = retention.hourlyDays
    var dailyRetentionDays = retention.dailyDays
    var peerMaxAgeSeconds = GradedTrustCache.defaultPeerMaxAgeSeconds
    var reportCacheTrusts = GradedTrustCache.defaultFullCapacity
    var maxBodyBytes = server.maxBodyBytes
    var maxDecompressedBytes = server.maxDecompressedBytes
    var maxPendingBatches = server.maxPendingBatches
    var retryAfterSeconds = server.retryAfterSeconds
    var maxConcurrentReports = server.maxConcurrentReports
    var reportTimeLimitSeconds = server.reportTimeLimitSeconds
    /// The web front's keys (`web_*`, `oidc_*`), parsed by `WebConfig`.
    var web = WebConfig()

    static let keys = [
        "db", "store", "listen", "tls_cert", "tls_key", "maturity_model", "log_level", "log_format", "raw_retention_days",
        "max_body_bytes", "max_decompressed_bytes", "max_pending_batches", "retry_after_seconds",
        "max_concurrent_reports", "report_time_limit_seconds", "hourly_retention_days", "daily_retention_days",
        "peer_max_age_seconds", "report_cache_trusts",
    ]

    /// Reads a `collector.yaml`, naming every unknown key and wrong value.
    static func load(path: String, over base: CollectorSettings = CollectorSettings()) throws -> CollectorSettings {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("cannot read the collector config \(path); check the path (collector/collector.yaml is the commented example)")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ValidationError("\(path) is not valid YAML: \(error)")
        }
        guard let mapping = node?.mapping else {
            if node == nil { return base }
            throw ValidationError("\(path) must be a mapping of `key: value` lines")
        }
        var settings = base
        var problems: [String] = []
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? "?"
            let line = keyNode.mark.map { " (line \($0.line))" } ?? ""
            guard keys.contains(key) || WebConfig.keys.contains(key) else {
                problems.append("\(key)\(line): not a known option; known options are \((keys + WebConfig.keys).joined(separator: ", "))")
                continue
            }
            if valueNode.null != nil { continue }
            guard let value = valueNode.string else {
                problems.append("\(key)\(line): must be a single value")
                continue
            }
            func int(_ minimum: Int, _ assign: (Int) -> Void) {
                guard let number = Int(value), number >= minimum else {
                    problems.append("\(key)\(line): must be a whole number of at least \(minimum), not '\(value)'")
                    return
                }
                assign(number)
            }
            switch key {
            case "db", "store": settings.db = value
            case "listen": settings.listen = value
            case "tls_cert": settings.tlsCert = value
            case "tls_key": settings.tlsKey = value
            case "maturity_model": settings.maturityModel = value
            case "log_level": settings.logLevel = value
            case "log_format": settings.logFormat = value
            case "raw_retention_days": int(0) { settings.rawRetentionDays = $0 }
            case "max_body_bytes": int(1024) { settings.maxBodyBytes = $0 }
            case "max_decompressed_bytes": int(1024) { settings.maxDecompressedBytes = $0 }
            case "max_pending_batches": int(1) { settings.maxPendingBatches = $0 }
            case "retry_after_seconds": int(1) { settings.retryAfterSeconds = $0 }
            case "max_concurrent_reports": int(1) { settings.maxConcurrentReports = $0 }
            case "report_time_limit_seconds": int(1) { settings.reportTimeLimitSeconds = $0 }
            case "hourly_retention_days": int(0) { settings.hourlyRetentionDays = $0 }
            case "daily_retention_days": int(0) { settings.dailyRetentionDays = $0 }
            case "peer_max_age_seconds": int(0) { settings.peerMaxAgeSeconds = $0 }
            case "report_cache_trusts": int(0) { settings.reportCacheTrusts = $0 }
            default: if let problem = settings.web.set(key, value) { problems.append("\(key)\(line): \(problem)") }
            }
        }
        problems += settings.retentionProblems()
        guard problems.isEmpty else {
            throw ValidationError("\(path) has \(problems.count == 1 ? "a problem" : "\(problems.count) problems"):\n" + problems.map { "  - \($0)" }.joined(separator: "\n"))
        }
        return settings
    }
}

extension CollectorSettings {
    /// What the aggregate windows cannot be: hourly rows shorter than two days would leave today's and yesterday's
    /// edges without hours, and daily rows shorter than 56 days would leave the default 28-day report without its
    /// previous period.
    func retentionProblems() -> [String] {
        var problems: [String] = []
        if hourlyRetentionDays > 0 && hourlyRetentionDays < 2 {
            problems.append("hourly_retention_days: must be 0 (keep hourly rows for ever) or at least 2, not \(hourlyRetentionDays)")
        }
        if dailyRetentionDays > 0 && dailyRetentionDays < 56 {
            problems.append("daily_retention_days: must be 0 (keep daily rows for ever) or at least 56 (a 28-day report and the period before it), not \(dailyRetentionDays)")
        }
        return problems
    }

    /// How long each resolution of aggregates is kept, which reports state.
    var aggregateWindows: AggregateWindows { AggregateWindows(hourlyDays: hourlyRetentionDays, dailyDays: dailyRetentionDays) }

    /// The retention the collector applies.
    var retentionPolicy: RetentionPolicy {
        RetentionPolicy(rawDays: rawRetentionDays, hourlyDays: hourlyRetentionDays, dailyDays: dailyRetentionDays)
    }
}
