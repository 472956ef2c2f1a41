import Prometheus

/// The collector's own Prometheus metrics, in a registry per collector (so several can run in one process).
public final class CollectorMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let eventsAccepted: Counter
    let eventsDuplicate: Counter
    let eventsRejected: Counter
    let batchLatency: DurationHistogram
    let writeQueueDepth: Gauge
    let databaseBytes: Gauge
    let writeTransactions: Gauge
    let writeBatches: Gauge
    /// Per trust: events by kind and result, and the drops agents report (TrustMetrics.swift).
    let trustEvents: TrustEventCounters
    /// Per trust: devices known and silent, newest data (refreshed from the store, TrustGauges.swift).
    let trustGauges: TrustGauges
    /// The standard `process_*` metrics.
    let process: ProcessMetrics
    /// Write queue capacity and the database's file system, for the capacity alerts.
    let capacity: CapacityGauges

    static var events: MetricNameDescriptor { MetricNameDescriptor(namespace: "deskready", metricName: "events", unitName: "total", helpText: "Events received, by result.") }
    static var requests: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "deskready", subsystem: "http", metricName: "requests", unitName: "total", helpText: "HTTP requests by route, method and status.") }

    public init() {
        eventsAccepted = registry.makeCounter(descriptor: Self.events, labels: [("result", "accepted")])
        eventsDuplicate = registry.makeCounter(descriptor: Self.events, labels: [("result", "duplicate")])
        eventsRejected = registry.makeCounter(descriptor: Self.events, labels: [("result", "rejected")])
        batchLatency = registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(namespace: "deskready", metricName: "batch_duration", unitName: "seconds",
                                             helpText: "Time to validate and durably store one batch."),
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                      .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)])
        writeQueueDepth = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "deskready", metricName: "write_queue", unitName: "depth", helpText: "Batches waiting for or holding the database writer."))
        databaseBytes = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "deskready", metricName: "database", unitName: "bytes",
            helpText: "Size of the store's database (SQLite: the file and its WAL; PostgreSQL: pg_database_size)."))
        writeTransactions = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "deskready", metricName: "write_transactions", unitName: "total",
            helpText: "Ingest write transactions committed since start (group commit: several batches each)."))
        writeBatches = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "deskready", metricName: "write_transaction_batches", unitName: "total",
            helpText: "Batches written by those transactions since start."))
        trustEvents = TrustEventCounters(registry: registry)
        trustGauges = TrustGauges(registry: registry)
        process = ProcessMetrics(registry: registry)
        capacity = CapacityGauges(registry: registry)
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "deskready", metricName: "build_info", unitName: "",
                                                            helpText: "Always 1: the collector's version and commit as labels."),
                           labels: [("version", CollectorBuildInfo.version), ("commit", CollectorBuildInfo.commit)]).set(to: 1)
    }

    func recordRequest(route: String, method: String, status: Int) {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", String(status))]).increment()
    }

    /// What the store says about itself at a scrape, through the narrow protocols it implements: its size, its
    /// group-commit counts, and how far folding its partial aggregates is behind.
    func updateStoreGauges(from store: any CollectorStore) async {
        if let size = await store.databaseBytes() { databaseBytes.set(Double(size)) }
        if let writer = store as? any WriterStatistics {
            let counts = writer.groupCommitCounts
            writeTransactions.set(Double(counts.transactions))
            writeBatches.set(Double(counts.batches))
        }
        // Made with the first answer, so a store that folds nothing (SQLite) shows no such gauges.
        if let folding = store as? any AggregateFoldStatus, let backlog = await folding.aggregateFoldBacklog() {
            registry.makeGauge(descriptor: Self.foldBacklog).set(to: Double(backlog.waitingRows))
            registry.makeGauge(descriptor: Self.foldLag).set(to: backlog.oldestAgeSeconds ?? 0)
        }
    }

    /// The report cache's counts (made with the first scrape that has them, so a collector without reports shows none).
    func updateReportCache(_ counts: ReportCacheCounts) {
        registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "deskready", subsystem: "report_cache", metricName: "hits", unitName: "total",
            helpText: "Graded trusts taken from the report cache since the start (whole reports and peer grades).")).set(to: Double(counts.hits))
        registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "deskready", subsystem: "report_cache", metricName: "misses", unitName: "total",
            helpText: "Graded trusts the reports had to grade from the store since the start.")).set(to: Double(counts.misses))
        let entries = MetricNameDescriptor(namespace: "deskready", metricName: "report_cache", unitName: "entries",
                                           helpText: "Graded trusts kept now: whole reports, and period grades behind peer medians.")
        registry.makeGauge(descriptor: entries, labels: [("kind", "whole_report")]).set(to: Double(counts.wholeReports))
        registry.makeGauge(descriptor: entries, labels: [("kind", "peer_grades")]).set(to: Double(counts.periodGrades))
    }

    static var foldBacklog: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "deskready", subsystem: "aggregate_fold", metricName: "backlog", unitName: "rows",
        helpText: "Partial aggregate rows appended by ingest and not yet folded into the totals (PostgreSQL store).") }
    static var foldLag: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "deskready", subsystem: "aggregate_fold", metricName: "lag", unitName: "seconds",
        helpText: "Age of the oldest partial aggregate row waiting to be folded; 0 when none waits (PostgreSQL store).") }

    func recordBatch(accepted: Int, duplicates: Int, rejected: Int, duration: Duration) {
        eventsAccepted.increment(by: Int64(accepted))
        eventsDuplicate.increment(by: Int64(duplicates))
        eventsRejected.increment(by: Int64(rejected))
        batchLatency.record(duration)
    }
}
