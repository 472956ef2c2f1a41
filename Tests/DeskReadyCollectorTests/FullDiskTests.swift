import DeskReadyCollector
import DeskReadyModel
import DeskReadyTestSupport
import Foundation
import Testing

/// A small file system made for the test (a size-limited tmpfs), so a full disk can be made and freed for real.
struct SmallFileSystem {
    let mountPoint: String

    /// Mounts a tmpfs of `megabytes`; nil (with the reason) where this process may not mount.
    static func mount(megabytes: Int) -> (SmallFileSystem?, String) {
        guard getuid() == 0 else { return (nil, "mounting a tmpfs needs root (CI runs as root)") }
        let point = NSTemporaryDirectory() + "deskready-full-\(UUID().uuidString.prefix(8))"
        do {
            try FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)
        } catch {
            return (nil, "cannot create \(point): \(error)")
        }
        let status = Glibc.mount("tmpfs", point, "tmpfs", 0, "size=\(megabytes)m")
        guard status == 0 else { return (nil, "mount -t tmpfs failed: \(String(cString: strerror(errno)))") }
        return (SmallFileSystem(mountPoint: point), "")
    }

    func file(_ name: String) -> String { mountPoint + "/" + name }

    /// Writes a filler file until the file system is full.
    func fill() {
        let fd = open(file("filler"), O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0x5A, count: 64 * 1024)
        var size = chunk.count
        while size > 0 {
            let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, size) }
            if written < 0 { return }
            if written < size { size /= 2 }
        }
    }

    func free() { unlink(file("filler")) }

    func unmount() {
        _ = umount2(mountPoint, Int32(MNT_DETACH))
        rmdir(mountPoint)
    }
}

@Suite("Full disk", .serialized)
struct FullDiskTests {
    static let canMount = getuid() == 0

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
