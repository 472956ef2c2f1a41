import DeskReadyAgent
import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// Real HTTP against a collector on 127.0.0.1 with a temporary SQLite file.
@Suite("POST /v1/batches")
struct BatchEndpointTests {
    @Test("A valid batch is stored and acknowledged; the same batch again is acknowledged and not stored twice")
    func storeAndReplay() async throws {
        let collector = try await TestCollector.start()
        let token = try await collector.enrol()
        let batch = Fixtures.batch(events: [Fixtures.event(), Fixtures.event(kind: .boot, name: "graphical.target"), Fixtures.event(kind: .appStart, name: "epr")])
        let first = try await collector.post("/v1/batches", body: try Fixtures.json(batch), token: token)
        #expect(first.status == 200)
        let ack = try first.decode(BatchAcknowledgement.self)
        #expect(ack == BatchAcknowledgement(batchId: batch.batchId, accepted: 3, duplicates: 0, rejected: [], duplicateBatch: false))

        let replay = try await collector.post("/v1/batches", body: try Fixtures.json(batch), token: token)
        #expect(replay.status == 200)
        let replayAck = try replay.decode(BatchAcknowledgement.self)
        #expect(replayAck.accepted == 0)
        #expect(replayAck.duplicates == 3)
        #expect(replayAck.duplicateBatch)
        #expect(try await collector.storedEventCount() == 3)

        // The same events under a new batch id are still stored once.
        var resent = batch
        resent.batchId = UUIDv7.make()
        let resentAck = try await collector.post("/v1/batches", body: try Fixtures.json(resent), token: token).decode(BatchAcknowledgement.self)
        #expect(resentAck.accepted == 0 && resentAck.duplicates == 3 && !resentAck.duplicateBatch)
        #expect(try await collector.storedEventCount() == 3)
        try await collector.stop()
    }

    @Test("Malformed bodies get 400 problem+json naming the field, and nothing is written", arguments: [
        ("{not json", ""),
        (#"{"schema_version":1}"#, "/batch_id"),
        (#"{"schema_version":2,"batch_id":"0190b8a0-0000-7000-8000-000000000000","device":{"id":"a","trust":"RXX","site":"RXX1"},"sent_at_ms":1,"events":[]}"#, "/schema_version"),
        (#"{"schema_version":1,"batch_id":"0190b8a0-0000-7000-8000-000000000000","device":{"id":"a","trust":"rxx","site":"RXX1"},"sent_at_ms":1,"events":[]}"#, "/device/trust"),
        (#"{"schema_version":1,"batch_id":"nope","device":{"id":"a","trust":"RXX","site":"RXX1"},"sent_at_ms":1,"events":[]}"#, "/batch_id"),
    ])
    func malformed(body: String, pointer: String) async throws {
        let collector = try await TestCollector.start()
        let token = try await collector.enrol(DeviceIdentity(id: "a", trust: "RXX", site: "RXX1"))
        let response = try await collector.post("/v1/batches", body: Array(body.utf8), token: token)
        #expect(response.status == 400)
        let problem = try response.decode(ProblemDetails.self)
        #expect(problem.status == 400)
        #expect(problem.errors?.first?.pointer == pointer)
        #expect(!problem.detail.isEmpty)
        #expect(try await collector.storedEventCount() == 0)
        try await collector.stop()
    }

    @Test("One bad event does not cost the batch: good events stored, the bad one listed with its index and reason")
    func partialSuccess() async throws {
        let collector = try await TestCollector.start()
        let token = try await collector.enrol()
        let batch = Fixtures.batch(events: [
            Fixtures.event(), Fixtures.event(durationMs: -4), Fixtures.event(kind: EventKind(rawValue: "teleport")), Fixtures.event(),
        ])
        let response = try await collector.post("/v1/batches", body: try Fixtures.json(batch), token: token)
        #expect(response.status == 200)
        let ack = try response.decode(BatchAcknowledgement.self)
        #expect(ack.accepted == 2)
        #expect(ack.rejected.map(\.index) == [1, 2])
        #expect(ack.rejected[0].reason.contains("duration_ms"))
        #expect(ack.rejected[1].eventId == batch.events[2].id)
        #expect(try await collector.storedEventCount() == 2)
        try await collector.stop()
    }

    @Test("gzip bodies are accepted; a gzip bomb is refused with 413 without being stored")
    func gzipBodies() async throws {
        var configuration = CollectorConfiguration(host: "127.0.0.1", port: 0)
        configuration.maxDecompressedBytes = 256 * 1024
        let collector = try await TestCollector.start(configuration: configuration)
        let token = try await collector.enrol()
        let batch = Fixtures.batch(events: (0..<50).map { _ in Fixtures.event() })
        let gzipped = try #require(Gzip.compress(try Fixtures.json(batch)))
        let ok = try await collector.post("/v1/batches", body: gzipped, headers: ["Content-Type: application/json", "Content-Encoding: gzip"], token: token)
        #expect(ok.status == 200)
        #expect(try ok.decode(BatchAcknowledgement.self).accepted == 50)

        // 64 MiB of spaces inside a JSON string compresses to about 64 KiB.
        var bomb = Array(#"{"schema_version":1,"pad":""#.utf8)
        bomb += [UInt8](repeating: 0x20, count: 64 << 20)
        bomb += Array(#""}"#.utf8)
        let compressedBomb = try #require(Gzip.compress(bomb))
        #expect(compressedBomb.count < 200_000)
        let refused = try await collector.post("/v1/batches", body: compressedBomb, headers: ["Content-Type: application/json", "Content-Encoding: gzip"], token: token)
        #expect(refused.status == 413)
        #expect(try refused.decode(ProblemDetails.self).detail.contains("inflates"))
        #expect(try await collector.storedEventCount() == 50)
        try await collector.stop()
    }

    @Test("Oversize bodies, wrong media types and unknown routes are problems too")
    func otherErrors() async throws {
        var configuration = CollectorConfiguration(host: "127.0.0.1", port: 0)
        configuration.maxBodyBytes = 10_000
        let collector = try await TestCollector.start(configuration: configuration)
        let token = try await collector.enrol()
        let big = try await collector.post("/v1/batches", body: [UInt8](repeating: 0x20, count: 20_000), token: token)
        #expect(big.status == 413)
        #expect(try big.decode(ProblemDetails.self).status == 413)
        let text = try await collector.post("/v1/batches", body: Array("{}".utf8), headers: ["Content-Type: text/plain"], token: token)
        #expect(text.status == 415)
        let missing = try await collector.get("/v1/nothing-here")
        #expect(missing.status == 404)
        #expect(try missing.decode(ProblemDetails.self).title == "Not Found")
        let health = try await collector.get("/healthz")
        #expect(health.status == 200)
        let ready = try await collector.get("/readyz")
        #expect(ready.status == 200)
        try await collector.stop()
    }
}
