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
    ///
    /// Counts are tallied per kind and result first, then added once each: the registry validates a metric's name and
    /// help text on every lookup, which per event was a tenth of a collector's CPU at ingest (perf, 200,000 events).
    func record(_ validated: ValidatedBatch, _ acknowledgement: BatchAcknowledgement) {
        let trust = validated.batch.device.trust
        let events = validated.batch.events
        var tally: [Tally: Int] = [:]
        for rejected in acknowledgement.rejected where events.indices.contains(rejected.index) {
            tally[Tally(events[rejected.index].kind, "rejected"), default: 0] += 1
        }
        var dropped: Int64 = 0
        for (position, index) in validated.acceptedIndices.enumerated() {
            let event = events[index]
            let duplicate = position < acknowledgement.duplicates
            tally[Tally(event.kind, duplicate ? "duplicate" : "accepted"), default: 0] += 1
            if !duplicate, event.kind == .agent, event.name == "spool_dropped", let value = event.attributes?["dropped"].flatMap({ Int64($0) }) {
                dropped += max(0, value)
            }
        }
        for (key, count) in tally {
            registry.makeCounter(descriptor: Self.events, labels: [("trust", trust), ("kind", key.kind), ("result", key.result)])
                .increment(by: Int64(count))
        }
        registry.makeCounter(descriptor: Self.dropped, labels: [("trust", trust)]).increment(by: dropped)
    }

    /// One counter's kind and result labels; a kind the collector does not know is `other`.
    private struct Tally: Hashable {
        let kind: String
        let result: String

        init(_ kind: EventKind, _ result: String) {
            self.kind = EventKind.known.contains(kind) ? kind.rawValue : "other"
            self.result = result
        }
    }
}
