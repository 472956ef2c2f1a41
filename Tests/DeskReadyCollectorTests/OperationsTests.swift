import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import GRDB
import Testing

@Suite("Operations")
struct OperationsTests {
    @Test("A full write queue answers 503 with Retry-After and stores nothing; the waiting batch is stored once the writer frees")
    func backpressure() async throws {
        var configuration = CollectorConfiguration(host: "127.0.0.1", port: 0)
        configuration.maxPendingBatches = 1
        configuration.retryAfterSeconds = 3
        let collector = try await TestCollector.start(configuration: configuration)
        let token = try await collector.enrol()
        // Another connection holds the database's write lock, as a long checkpoint or backup would.
        let blocker = try DatabaseQueue(path: collector.databasePath)
        let held = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let holder = Task {
            try await blocking {
                try blocker.inDatabase { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    held.signal()
                    release.wait()
                    try db.execute(sql: "ROLLBACK")
                }
            }
        }
        try await blocking { held.wait() }
        let first = Fixtures.batch(events: [Fixtures.event()])
        async let waiting = collector.post("/v1/batches", body: try Fixtures.json(first), token: token)
        // Wait until the first batch holds the only place in the queue.
        var metrics = ""
        for _ in 0..<100 where !metrics.contains("deskready_write_queue_depth 1") {
            try await Task.sleep(for: .milliseconds(20))
            metrics = try await collector.get("/metrics").text
        }
        #expect(metrics.contains("deskready_write_queue_depth 1"))
        let second = Fixtures.batch(events: [Fixtures.event()])
        let busy = try await collector.post("/v1/batches", body: try Fixtures.json(second), token: token)
        #expect(busy.status == 503)
        #expect(busy.retryAfter == 3)
        #expect(try busy.decode(ProblemDetails.self).detail.contains("Nothing was stored"))
        release.signal()
        try await holder.value
        #expect(try await waiting.status == 200)
        #expect(try await collector.storedEventCount() == 1)
        try await collector.stop()
    }

    @Test("/metrics counts requests by route and status, and events by result; SQLite has group commit and no fold lag")
    func metrics() async throws {
        let collector = try await TestCollector.start()
        let token = try await collector.enrol()
        let batch = Fixtures.batch(events: [Fixtures.event(), Fixtures.event(durationMs: -1)])
        _ = try await collector.post("/v1/batches", body: try Fixtures.json(batch), token: token)
        _ = try await collector.post("/v1/batches", body: try Fixtures.json(batch), token: token)
        _ = try await collector.post("/v1/batches", body: Array("{}".utf8))
        let text = try await collector.get("/metrics").text
        #expect(text.contains(#"deskready_events_total{result="accepted"} 1"#))
        #expect(text.contains(#"deskready_events_total{result="duplicate"} 1"#))
        #expect(text.contains(#"deskready_events_total{result="rejected"} 2"#))
        #expect(text.contains(#"deskready_http_requests_total{route="/v1/batches",method="POST",status="200"} 2"#))
        #expect(text.contains(#"deskready_http_requests_total{route="/v1/batches",method="POST",status="401"} 1"#))
        #expect(text.contains("deskready_batch_duration_seconds_count 2"))
        #expect(text.contains("deskready_database_bytes"))
        #expect(text.contains("deskready_write_transaction_batches_total 2"))
        // The SQLite store writes its totals in the ingest transaction: nothing waits to be folded.
        #expect(!text.contains("deskready_aggregate_fold"))
        try await collector.stop()
    }

    @Test("The collector serves its OpenAPI document, identical to collector/openapi.yaml")
    func openAPI() async throws {
        let collector = try await TestCollector.start()
        let served = try await collector.get("/openapi.yaml")
        #expect(served.status == 200)
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("collector/openapi.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(served.text == text.trimmingSuffixNewline(), "collector/openapi.yaml changed: run scripts/embed-openapi.py")
        try await collector.stop()
    }
}

extension String {
    func trimmingSuffixNewline() -> String { hasSuffix("\n") ? String(dropLast()) : self }
}

/// What the collector says when a client's request is too big before its body: headers over the limit, and bodies over
/// it that the client keeps sending.
@Suite("Oversized requests")
struct OversizedRequestTests {
    @Test("Headers over the limit get 431 problem+json, and the collector goes on serving")
    func oversizedHeaders() async throws {
        let collector = try await TestCollector.start()
        let huge = "X-Padding: " + String(repeating: "a", count: 200_000)
        let response = try await collector.get("/healthz", headers: [huge])
        #expect(response.status == 431)
        #expect(try response.decode(ProblemDetails.self).status == 431)
        #expect(response.text.contains("headers are larger"))
        #expect(try await collector.get("/healthz").status == 200)
        try await collector.stop()
    }

    @Test("A body over the limit is answered 413 problem+json that the client reads, not a connection reset")
    func oversizedBody() async throws {
        var configuration = CollectorConfiguration(host: "127.0.0.1", port: 0)
        configuration.maxBodyBytes = 64 * 1024
        let collector = try await TestCollector.start(configuration: configuration)
        let token = try await collector.enrol()
        // Sent without Content-Length up front (chunked), so the collector finds out only while reading.
        let body = [UInt8](repeating: 0x20, count: 3 * 1024 * 1024)
        for headers in [["Content-Type: application/json", "Transfer-Encoding: chunked"], ["Content-Type: application/json"]] {
            let response = try await collector.post("/v1/batches", body: body, headers: headers, token: token)
            #expect(response.status == 413, "\(headers)")
            #expect(try response.decode(ProblemDetails.self).status == 413)
        }
        try await collector.stop()
    }
}
