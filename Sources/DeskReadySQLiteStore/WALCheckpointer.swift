import Foundation
import GRDB
internal import GRDBSQLite

internal import CDeskReadySupport

/// Checkpoints the WAL from a connection and a thread of its own, so the one writer does not stop to copy pages
/// into the database file and wait for `fdatasync` after its commits.
///
/// Installed on the writer connection as its WAL hook (which replaces SQLite's auto-checkpoint): after a commit that
/// leaves `wakeFrames` or more frames in the WAL, the checkpointer thread is woken for a PASSIVE checkpoint, which
/// runs beside the writer's next transactions. Should the WAL still reach `writerFrames` (the checkpointer cannot
/// keep up, or a long read holds old frames), the writer checkpoints itself as SQLite's auto-checkpoint would, so
/// the WAL stays bounded. Durability is unchanged: a commit is durable when its WAL frames are written
/// (`synchronous = NORMAL`), whoever copies them later.
public final class WALCheckpointer: @unchecked Sendable {
    let path: String
    let wakeFrames: Int32
    let writerFrames: Int32
    private let condition = NSCondition()
    private var pending = false
    private var stopped = false
    private var connection: OpaquePointer?
    /// Checkpoints run by the thread, for tests and metrics.
    private(set) var checkpoints = 0

    public init(path: String, wakeFrames: Int32 = 4_000, writerFrames: Int32 = 20_000) {
        self.path = path
        self.wakeFrames = wakeFrames
        self.writerFrames = writerFrames
        Thread { [self] in loop() }.start()
    }

    /// Makes this checkpointer the WAL hook of `db` (the writer connection). The hook holds it unretained: call this
    /// from the pool's `prepareDatabase` closure, which captures the checkpointer and lives as long as the pool's
    /// connections, so the checkpointer outlives every commit that can call the hook.
    public func install(on db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, { context, connection, name, frames in
            let checkpointer = Unmanaged<WALCheckpointer>.fromOpaque(context!).takeUnretainedValue()
            if frames >= checkpointer.writerFrames {
                // As SQLite's own auto-checkpoint: its result does not fail the commit that triggered it.
                _ = sqlite3_wal_checkpoint_v2(connection, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                return SQLITE_OK
            }
            if frames >= checkpointer.wakeFrames { checkpointer.wake() }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    func wake() {
        condition.lock()
        pending = true
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread (after a checkpoint in progress) and closes its connection.
    public func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    public var checkpointCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return checkpoints
    }

    private func loop() {
        // Named for `top -H` and `perf` (Foundation's `Thread.name` does not reach the system's thread name).
        dr_set_thread_name("deskready-ckpt")
        while true {
            condition.lock()
            while !pending && !stopped { condition.wait() }
            let stop = stopped
            pending = false
            condition.unlock()
            if stop { break }
            checkpoint()
        }
        if let connection { sqlite3_close_v2(connection) }
    }

    private func checkpoint() {
        if connection == nil {
            var opened: OpaquePointer?
            guard sqlite3_open_v2(path, &opened, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK else {
                sqlite3_close_v2(opened)
                return  // the writer's own fallback keeps the WAL bounded
            }
            sqlite3_busy_timeout(opened, 100)
            connection = opened
        }
        if sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_OK {
            condition.lock()
            checkpoints += 1
            condition.unlock()
        }
    }
}
