import DeskReadyModel
import Prometheus

/// The per-trust counters of ingest: events accepted, duplicate and rejected by kind, and the events agents report
/// having dropped from a full or old spool. Labels are bounded: trusts are the collector's own, and a kind the
/// collector does not know is counted as `other`.
struct TrustEventCounters: Sendable {
    let registry: PrometheusCollectorRegistry

    static var events: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "deskready", subsystem: "trust", metricName: "events", unitName: "total",
        helpText: "Events received per trust, by kind and result (accepted, duplicate, rejected).") }
    static var dropped: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "deskready", subsystem: "agent", metricName: "dropped_events", unitName: "total",
        helpText: "Events agents report having dropped from their spool (spool_dropped events), per trust.") }

    /// Counts one stored batch. A batch mixing new and already-stored events (rare: a retry of part of a batch) is
    /// split in event order, oldest counted as the duplicates, as agents resend oldest first.
    func record(_ validated: ValidatedBatch, _ acknowledgement: BatchAcknowledgement) {
        let trust = validated.batch.device.trust
        let events = validated.batch.events
        for rejected in acknowledgement.rejected where events.indices.contains(rejected.index) {
            count(trust, events[rejected.index].kind, "rejected")
        }
        var dropped: Int64 = 0
        for (position, index) in validated.acceptedIndices.enumerated() {
            let event = events[index]
            let duplicate = position < acknowledgement.duplicates
            count(trust, event.kind, duplicate ? "duplicate" : "accepted")
            if !duplicate, event.kind == .agent, event.name == "spool_dropped", let value = event.attributes?["dropped"].flatMap({ Int64($0) }) {
                dropped += max(0, value)
            }
        }
        registry.makeCounter(descriptor: Self.dropped, labels: [("trust", trust)]).increment(by: dropped)
    }

    private func count(_ trust: String, _ kind: EventKind, _ result: String) {
        let label = EventKind.known.contains(kind) ? kind.rawValue : "other"
        registry.makeCounter(descriptor: Self.events, labels: [("trust", trust), ("kind", label), ("result", result)]).increment()
    }
}
