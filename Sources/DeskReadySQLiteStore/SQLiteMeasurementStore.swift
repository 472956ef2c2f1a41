import DeskReadyModel
import DeskReadyStore
import Foundation
import GRDB

/// The embedded store: one SQLite file in WAL mode through GRDB, on the system libsqlite3.
public final class SQLiteMeasurementStore: CollectorStore, LocalDatabaseFile {
    let pool: DatabasePool
    public let path: String
    let writer: IngestWriter
    let checkpointer: WALCheckpointer
    let tokenUse = TokenUseRecorder()

    /// The one writer keeps a 64 MiB page cache (index pages that random event ids touch stay in memory) and its
    /// temporary journals in memory; its WAL is checkpointed by `WALCheckpointer`, off the writer, from 4,000 pages
    /// (the writer itself only past 20,000). All bounded; durability is unchanged (WAL, synchronous=NORMAL).
    public static let writerPragmas = "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY"

    /// Opens (creating when needed) and migrates the database at `path`.
    public init(path: String) throws {
        self.path = path
        let checkpointer = WALCheckpointer(path: path)
        self.checkpointer = checkpointer
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if !db.configuration.readonly {
                try db.execute(sql: Self.writerPragmas)
                checkpointer.install(on: db)
            }
            try SQLiteAggregateWriter.addHistogramMerge(db)
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            checkpointer.stop()
            throw StoreError("cannot open the database at \(path): \(error). Check that its folder exists and is writable, or pass --db PATH.")
        }
        do {
            try CollectorSchema.migrator().migrate(pool)
        } catch {
            checkpointer.stop()
            throw error
        }
        writer = IngestWriter(pool: pool)
    }

    deinit {
        checkpointer.stop()
    }

    public func ingest(_ validated: ValidatedBatch) async throws -> BatchAcknowledgement {
        // Refused before the write when the disk is (nearly) full: SQLite would otherwise fail half-way, or succeed
        // only while the WAL file happens to have room, and the agent could not tell the two apart.
        if let problem = diskProblem() { throw StoreUnavailable(problem) }
        // Prepared here, on the caller's task, outside the write transaction: the writer is the one serial resource.
        do {
            return try await writer.submit(PreparedBatch(validated))
        } catch let error as DatabaseError where [.SQLITE_FULL, .SQLITE_IOERR].contains(error.resultCode.primaryResultCode) {
            // Rolled back: nothing of the batch is stored, and it is not acknowledged.
            throw StoreUnavailable(diskProblem() ?? "the database could not be written (\(error.resultCode)); check the disk holding \(path)")
        }
    }

    public func trustCodes() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT ods FROM trusts ORDER BY ods") }
    }

    public func counts(trust: String?) async throws -> StoreCounts {
        try await pool.read { db in
            let filter = trust == nil ? "" : " WHERE trust = ?"
            let arguments: StatementArguments = trust.map { [$0] } ?? []
            let events = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events" + filter, arguments: arguments) ?? 0
            let batches = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM batches" + filter, arguments: arguments) ?? 0
            let devices = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM devices" + filter, arguments: arguments) ?? 0
            let newest = try Int64.fetchOne(db, sql: "SELECT MAX(newest_started_at_ms) FROM trust_activity" + filter, arguments: arguments)
            return StoreCounts.make(events: events, batches: batches, devices: devices, newestEventMs: newest)
        }
    }

    public func databaseBytes() async -> Int64? {
        let sizes = [path, path + "-wal"].compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int64 }
        return sizes.isEmpty ? nil : sizes.reduce(0, +)
    }

    /// Below this much free space the store says it is unavailable, before SQLite fails half-way through a write.
    static let minimumFreeBytes: Int64 = 1 << 20

    public func unavailability() async -> String? {
        if let problem = diskProblem() { return problem }
        return await isWritable() ? nil : "the database \(path) is not writable; check the disk and the file's permissions"
    }

    /// A full (or nearly full) disk under the database, named with its free space.
    func diskProblem() -> String? {
        let folder = (path as NSString).deletingLastPathComponent
        guard let free = FileSystemSpace.availableBytes(atPath: folder.isEmpty ? "." : folder), free < Self.minimumFreeBytes else { return nil }
        return "the disk holding the database \(path) is full (\(free) bytes free); free some space and the collector resumes by itself"
    }

    public func isWritable() async -> Bool {
        do {
            try await pool.write { db in try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS readyz_probe(x); DROP TABLE readyz_probe") }
            return true
        } catch {
            return false
        }
    }
}


extension UUID {
    /// The 16 raw bytes, for compact BLOB keys.
    var blob: Data { withUnsafeBytes(of: uuid) { Data($0) } }
}
