import Foundation
import Prometheus

/// What the alerts on capacity compare against: the write queue's limit, and the free and total space of the file
/// system under a store kept in a local file (`LocalDatabaseFile`: the collector's own view, so no node exporter is
/// needed for "disk filling"; a store on a database server has no such file system here).
final class CapacityGauges: Sendable {
    let writeQueueCapacity: Gauge
    let filesystemAvailable: Gauge
    let filesystemSize: Gauge

    init(registry: PrometheusCollectorRegistry) {
        writeQueueCapacity = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "deskready", metricName: "write_queue_capacity", unitName: "",
            helpText: "Batches that may wait for the database writer before ingest answers 503 (max_pending_batches)."))
        filesystemAvailable = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "deskready", subsystem: "database", metricName: "filesystem_available", unitName: "bytes",
            helpText: "Free space for the collector on the file system holding the database."))
        filesystemSize = registry.makeGauge(descriptor: MetricNameDescriptor(
            namespace: "deskready", subsystem: "database", metricName: "filesystem_size", unitName: "bytes",
            helpText: "Size of the file system holding the database."))
    }

    /// Reads the file system under `databasePath` (nothing when the store is not a file).
    func update(queueCapacity: Int, databasePath: String?) {
        writeQueueCapacity.set(to: Double(queueCapacity))
        guard let databasePath else { return }
        let folder = (databasePath as NSString).deletingLastPathComponent
        let path = folder.isEmpty ? "." : folder
        if let free = FileSystemSpace.availableBytes(atPath: path) { filesystemAvailable.set(to: Double(free)) }
        if let size = FileSystemSpace.totalBytes(atPath: path) { filesystemSize.set(to: Double(size)) }
    }
}
