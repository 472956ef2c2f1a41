import DeskReadySQLiteStore
import DeskReadyTestSupport
import Foundation
import GRDB
import Testing

/// Checkpoints off the writer: the thread does them, the WAL stays bounded, and nothing committed is lost.
@Suite("WAL checkpointer")
struct WALCheckpointerTests {
    func pool(_ path: String, _ checkpointer: WALCheckpointer) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            if !db.configuration.readonly { checkpointer.install(on: db) }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try pool.write { db in try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)") }
        return pool
    }

    func walBytes(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? 0
    }

    @Test("After commits that pass the wake-up size, the checkpointer's thread copies the WAL into the database")
    func checkpointsOffTheWriter() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("c.sqlite")
        let checkpointer = WALCheckpointer(path: path, wakeFrames: 20, writerFrames: 100)
        defer { checkpointer.stop() }
        let pool = try pool(path, checkpointer)
        for index in 0..<200 {
            try await pool.write { db in try db.execute(sql: "INSERT INTO t (payload) VALUES (randomblob(3000))"); _ = index }
        }
        let deadline = Date().addingTimeInterval(10)
        while checkpointer.checkpointCount == 0, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(checkpointer.checkpointCount > 0)
        // Commits back to back outrun the thread, and the writer's own bound (100 frames) keeps the WAL from growing.
        #expect(walBytes(path) < 160 * 4_120, "WAL is \(walBytes(path)) bytes")
        #expect(try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 200)
    }

    @Test("When the thread never runs, the writer checkpoints itself at its own bound, so the WAL stays bounded")
    func writerFallback() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.file("f.sqlite")
        let checkpointer = WALCheckpointer(path: path, wakeFrames: .max, writerFrames: 50)
        defer { checkpointer.stop() }
        let pool = try pool(path, checkpointer)
        for _ in 0..<400 {
            try await pool.write { db in try db.execute(sql: "INSERT INTO t (payload) VALUES (randomblob(3000))") }
        }
        #expect(checkpointer.checkpointCount == 0)
        #expect(walBytes(path) < 120 * 4_120, "WAL is \(walBytes(path)) bytes")
        try pool.close()
        let reopened = try DatabaseQueue(path: path)
        #expect(try await reopened.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") } == 400)
    }
}
