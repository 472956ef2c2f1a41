import DeskReadyModel
import Prometheus
import Synchronization

/// The per-trust gauges of `/metrics` (devices known, devices silent for 7 days, the newest data's timestamp), read
/// from the store's narrow `TrustHealthReading` at most once per `refreshSeconds`, however often Prometheus scrapes.
final class TrustGauges: Sendable {
    /// A device silent this long counts as silent.
    static let silentAfterMs: Int64 = 7 * UTCTime.dayMs

    let registry: PrometheusCollectorRegistry
    let refreshSeconds: Int64
    private let lastRefreshMs = Mutex<Int64?>(nil)

    init(registry: PrometheusCollectorRegistry, refreshSeconds: Int64 = 30) {
        self.registry = registry
        self.refreshSeconds = refreshSeconds
    }

    static var devices: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "deskready", subsystem: "trust", metricName: "devices", unitName: "", helpText: "Devices the collector knows, per trust.") }
    static var silent: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "deskready", subsystem: "trust", metricName: "devices_silent", unitName: "",
        helpText: "Devices of the trust not heard from for 7 days or more.") }
    static var newest: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "deskready", subsystem: "trust", metricName: "newest_event_timestamp", unitName: "seconds",
        helpText: "Start of the trust's newest stored event, Unix seconds (0: none yet).") }

    /// Refreshes the gauges when the last read is older than `refreshSeconds`; a failed read keeps the old values.
    func refreshIfStale(from store: any CollectorStore, nowMs: Int64 = WallClock.nowMs()) async {
        guard let reading = store as? any TrustHealthReading else { return }
        let due = lastRefreshMs.withLock { last in
            if let last, nowMs - last < refreshSeconds * 1000 { return false }
            last = nowMs
            return true
        }
        guard due, let trusts = try? await reading.trustHealth(silentBeforeMs: nowMs - Self.silentAfterMs) else { return }
        for trust in trusts {
            let labels = [("trust", trust.trust)]
            registry.makeGauge(descriptor: Self.devices, labels: labels).set(to: Double(trust.devicesKnown))
            registry.makeGauge(descriptor: Self.silent, labels: labels).set(to: Double(trust.devicesSilent))
            registry.makeGauge(descriptor: Self.newest, labels: labels).set(to: Double(trust.newestEventMs ?? 0) / 1000)
        }
    }
}
