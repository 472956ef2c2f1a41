import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import GRDB
import Testing

@Suite("Per-trust metrics, build info, process metrics and the monitoring kit")
struct TrustMetricsTests {
    /// A collector that stored batches of two trusts: kinds, a duplicate, a rejected event and an agent's drop report.
    func populated() async throws -> TestCollector {
        let collector = try await TestCollector.start()
        let rxx = try await collector.enrol(DeviceIdentity(id: "ws-1", trust: "RXX", site: "RXX01", agentVersion: "1.2.0 (0123abcdef01)"))
        let ryy = try await collector.enrol(DeviceIdentity(id: "ws-2", trust: "RYY", site: "RYY01"))
        let drop = MeasurementEvent(kind: .agent, name: "spool_dropped", startedAtMs: WallClock.nowMs() - 60_000, durationMs: 0,
                                    outcome: .ok, attributes: ["dropped": "7", "dropped_for_age": "7", "dropped_for_size": "0"])
        let first = Fixtures.batch(events: [Fixtures.event(), Fixtures.event(kind: .boot, name: "debian-12"), drop, Fixtures.event(durationMs: -1)],
                                   device: DeviceIdentity(id: "ws-1", trust: "RXX", site: "RXX01", agentVersion: "1.2.0 (0123abcdef01)"))
        for _ in 0..<2 {
            #expect(try await collector.post("/v1/batches", body: try Fixtures.json(first), token: rxx).status == 200)
        }
        let second = Fixtures.batch(events: [Fixtures.event(kind: .appStart, name: "epr")], device: DeviceIdentity(id: "ws-2", trust: "RYY", site: "RYY01"))
        #expect(try await collector.post("/v1/batches", body: try Fixtures.json(second), token: ryy).status == 200)
        // A device of RXX not heard from for 8 days.
        let queue = try DatabaseQueue(path: collector.databasePath)
        let old = WallClock.nowMs() - 8 * 86_400_000
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO devices (trust, device_id, site, first_seen_ms, last_seen_ms) VALUES ('RXX', 'ws-old', 'RXX01', ?, ?)",
                           arguments: [old, old])
        }
        return collector
    }

    @Test("/metrics: events by trust, kind and result; devices known and silent; newest data; agent drops")
    func perTrust() async throws {
        let collector = try await populated()
        let text = try await collector.get("/metrics").text
        #expect(text.contains(#"deskready_trust_events_total{trust="RXX",kind="logon",result="accepted"} 1"#))
        #expect(text.contains(#"deskready_trust_events_total{trust="RXX",kind="logon",result="duplicate"} 1"#))
        #expect(text.contains(#"deskready_trust_events_total{trust="RXX",kind="boot",result="accepted"} 1"#))
        #expect(text.contains(#"deskready_trust_events_total{trust="RXX",kind="logon",result="rejected"} 2"#))
        #expect(text.contains(#"deskready_trust_events_total{trust="RYY",kind="app_start",result="accepted"} 1"#))
        // The drop is counted once, though its batch was sent twice.
        #expect(text.contains(#"deskready_agent_dropped_events_total{trust="RXX"} 7"#))
        #expect(text.contains(#"deskready_trust_devices{trust="RXX"} 2"#))
        #expect(text.contains(#"deskready_trust_devices_silent{trust="RXX"} 1"#))
        #expect(text.contains(#"deskready_trust_devices_silent{trust="RYY"} 0"#))
        let newest = try await collector.store.trustSummary(trust: "RXX").newestEventMs
        let seconds = try #require(newest).description
        #expect(text.contains(#"deskready_trust_newest_event_timestamp_seconds{trust="RXX"} "#))
        #expect(text.split(separator: "\n").contains { $0.hasPrefix(#"deskready_trust_newest_event_timestamp_seconds{trust="RXX"}"#)
            && abs((Double($0.split(separator: " ").last ?? "") ?? 0) * 1000 - (Double(seconds) ?? 0)) < 1 })
        try await collector.stop()
    }

    @Test("/metrics: deskready_build_info with version and commit; the standard process metrics")
    func buildAndProcess() async throws {
        let collector = try await TestCollector.start()
        let text = try await collector.get("/metrics").text
        #expect(text.contains(#"deskready_build_info{version="\#(CollectorBuildInfo.version)",commit="\#(CollectorBuildInfo.commit)"} 1"#))
        for name in ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes", "process_open_fds",
                     "process_max_fds", "process_start_time_seconds", "deskready_write_queue_capacity 64",
                     "deskready_database_filesystem_available_bytes", "deskready_database_filesystem_size_bytes"] {
            #expect(text.contains("\n" + name), "\(name) missing from /metrics")
        }
        let resident = text.split(separator: "\n").first { $0.hasPrefix("process_resident_memory_bytes ") }
        #expect((resident.flatMap { Double($0.split(separator: " ")[1]) } ?? 0) > 1_000_000)
        let start = text.split(separator: "\n").first { $0.hasPrefix("process_start_time_seconds ") }
        let started = start.flatMap { Double($0.split(separator: " ")[1]) } ?? 0
        #expect(abs(started - Date().timeIntervalSince1970) < 3_600, "the process started within the hour")
        try await collector.stop()
    }

    @Test("The per-trust gauges are read from the store at most every 30 s, however often /metrics is scraped")
    func gaugesCached() async throws {
        let collector = try await populated()
        _ = try await collector.get("/metrics")
        _ = try await collector.enrol(DeviceIdentity(id: "ws-new", trust: "RYY", site: "RYY01"))
        let again = try await collector.get("/metrics").text
        #expect(again.contains(#"deskready_trust_devices{trust="RYY"} 1"#), "a scrape within 30 s shows the cached value")
        let fresh = try await collector.store.trustHealth(silentBeforeMs: WallClock.nowMs() - 7 * 86_400_000)
        #expect(fresh.first { $0.trust == "RYY" }?.devicesKnown == 2)
        try await collector.stop()
    }

    @Test("Every metric the Grafana dashboard and the alert rules use is one the collector exports")
    func monitoringNames() async throws {
        let collector = try await populated()
        let exported = Self.exportedNames(try await collector.get("/metrics").text)
        let folder = BuiltProducts.packageRoot.appendingPathComponent("collector/monitoring")
        let dashboard = try Data(contentsOf: folder.appendingPathComponent("deskready-dashboard.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: dashboard) as? [String: Any])
        let panels = try #require(json["panels"] as? [[String: Any]])
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(expressions.count >= 10)
        let rules = try String(contentsOf: folder.appendingPathComponent("deskready-alerts.yml"), encoding: .utf8)
        let ruleExpressions = rules.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }.map(String.init)
        // `up` is Prometheus' own, recorded for each scrape of the job.
        let prometheusOwn: Set<String> = ["up"]
        var used: Set<String> = []
        for text in expressions + ruleExpressions + [((json["templating"] as? [String: Any]).map { "\($0)" } ?? "")] {
            used.formUnion(Self.metricNames(in: text))
        }
        #expect(used.count >= 15, "\(used.sorted())")
        for alert in ["DeskReadyCollectorDown", "DeskReadyIngestErrors", "DeskReadyWriteQueueFull", "DeskReadyTrustSilent",
                      "DeskReadyManyDevicesSilent", "DeskReadyDiskFilling"] {
            #expect(rules.contains("alert: \(alert)"))
        }
        // The PostgreSQL store's own (fold lag): PostgresStoreTests checks a PostgreSQL collector exports them.
        let postgresOnly: Set<String> = ["deskready_aggregate_fold_backlog_rows", "deskready_aggregate_fold_lag_seconds"]
        #expect(postgresOnly.isSubset(of: used), "the fold lag has an alert and a panel")
        for name in used.subtracting(prometheusOwn).subtracting(postgresOnly).sorted() {
            #expect(exported.contains(name), "\(name) is used by collector/monitoring but the collector does not export it")
        }
        try await collector.stop()
    }

    /// Sample names in an exposition, with a histogram's `_bucket`, `_sum` and `_count`.
    static func exportedNames(_ exposition: String) -> Set<String> {
        Set(exposition.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            line.split(whereSeparator: { $0 == "{" || $0 == " " }).first.map(String.init)
        })
    }

    /// Names in PromQL that look like this collector's or the standard process metrics, and `up`.
    static func metricNames(in text: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: #"\b(deskready_[a-z0-9_]+|process_[a-z0-9_]+|up)\b(?=\s*[\{\[\)\s/<>=*+-]|$)"#)
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } })
    }
}
