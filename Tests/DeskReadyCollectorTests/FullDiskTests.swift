import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

@Suite("Full disk", .serialized)
struct FullDiskTests {
    static let canMount = SmallFileSystem.canMount

    @Test("A full disk under the database: ingest answers 503 with Retry-After and stores nothing, /readyz says why, and both recover when space returns",
          .enabled(if: canMount, "mounting a small tmpfs needs root; CI runs as root"))
    func collectorDiskFull() async throws {
        let (mounted, reason) = SmallFileSystem.mount(megabytes: 8)
        guard let disk = mounted else {
            Issue.record("cannot make a small file system: \(reason)")
            return
        }
        defer { disk.unmount() }
        let client = try await TestCollector.start(databasePath: disk.file("collector.sqlite"))
        let store = client.store
        let token = try await client.enrol()
        #expect(try await client.post("/v1/batches", body: try Fixtures.json(Fixtures.batch(events: [Fixtures.event()])), token: token).status == 200)

        disk.fill()
        let batch = Fixtures.batch(events: [Fixtures.event(), Fixtures.event()])
        let refused = try await client.post("/v1/batches", body: try Fixtures.json(batch), token: token)
        #expect(refused.status == 503)
        #expect(refused.retryAfter != nil)
        #expect(refused.text.contains("full"))
        #expect(refused.text.contains("Nothing was stored"))
        let ready = try await client.get("/readyz")
        #expect(ready.status == 503)
        #expect(ready.text.contains("full"))
        #expect(try await store.counts(trust: "RXX").events == 1)

        disk.free()
        #expect(try await client.get("/readyz").status == 200)
        let stored = try await client.post("/v1/batches", body: try Fixtures.json(batch), token: token)
        #expect(stored.status == 200)
        #expect(try stored.decode(BatchAcknowledgement.self).accepted == 2)
        #expect(try await store.counts(trust: "RXX").events == 3)
        try await client.stop()
    }
}
