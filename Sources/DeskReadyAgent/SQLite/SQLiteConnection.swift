internal import GRDBSQLite
import DeskReadyModel

#if canImport(Glibc)
import Glibc
#endif

/// A failure of the spool's SQLite database, with what to do about it.
public struct SpoolError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let code: Int32
    public var description: String { message }

    init(_ message: String, code: Int32 = 0) {
        self.message = message
        self.code = code
    }

    /// True when the disk is full or the file is read-only: retrying will not help until someone frees space.
    public var isStorageProblem: Bool {
        [SQLITE_FULL, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_PERM].contains(code & 0xFF)
    }
}

/// The smallest wrapper of SQLite's C API the spool needs: open in WAL mode, execute, prepared statements.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    let path: String

    init(path: String, busyTimeoutMs: Int32 = 2_000) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let reason = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw SpoolError(
                "cannot open the spool at \(path): \(reason). Check that its folder exists and is writable by the agent's user, or set spool_path.",
                code: rc)
        }
        handle = db
        // When the other process (the daemon, or a `mark`) holds the write lock, retry every 250 µs up to the budget.
        // SQLite's own busy timeout sleeps 1, 2, 5, 10… ms between tries, which a login waiting on `mark` would feel
        // for a lock held well under a millisecond. The handler is a C function pointer and cannot capture, so the
        // budget in milliseconds travels as the context pointer's bit pattern (never dereferenced; at least 1, as a
        // null pointer would read as no budget).
        sqlite3_busy_handler(db, { budget, tries in
            let budgetMicroseconds = Int(bitPattern: budget) * 1_000
            guard Int(tries) * 250 < budgetMicroseconds else { return 0 }
            usleep(250)
            return 1
        }, UnsafeMutableRawPointer(bitPattern: Int(max(1, busyTimeoutMs))))
        sqlite3_extended_result_codes(db, 1)
        // A small page cache (64 KiB): the agent reads and writes little at a time, and every cached page is private memory.
        try execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-64; PRAGMA foreign_keys=ON")
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let reason = errorMessage.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(errorMessage)
            throw error(rc, reason)
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, String(cString: sqlite3_errmsg(handle))) }
        return SQLiteStatement(statement: statement, connection: self)
    }

    /// Runs `body` in one IMMEDIATE transaction, committed when it returns and rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    var changes: Int { Int(sqlite3_changes(handle)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    func error(_ rc: Int32, _ reason: String) -> SpoolError {
        let primary = rc & 0xFF
        let advice: String
        switch primary {
        case SQLITE_FULL: advice = " The disk holding the spool is full: free space on it."
        case SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN: advice = " The spool is not writable: check the permissions of \(path) and its folder."
        case SQLITE_IOERR: advice = " The disk holding the spool failed to read or write: check it, and free space on it."
        case SQLITE_BUSY: advice = " Another process holds the spool locked; try again."
        default: advice = ""
        }
        return SpoolError("spool \(path): \(reason).\(advice)", code: rc)
    }

    fileprivate var rawHandle: OpaquePointer? { handle }
}

/// A prepared statement: bind by 1-based index, step, read columns by 0-based index.
final class SQLiteStatement {
    private let statement: OpaquePointer
    private unowned let connection: SQLiteConnection
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    fileprivate init(statement: OpaquePointer, connection: SQLiteConnection) {
        self.statement = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(statement) }

    @discardableResult
    func bind(_ values: [SQLiteValue]) -> SQLiteStatement {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .null: sqlite3_bind_null(statement, index)
            case .integer(let v): sqlite3_bind_int64(statement, index, v)
            case .text(let v): sqlite3_bind_text(statement, index, v, -1, Self.transient)
            case .blob(let bytes):
                bytes.withUnsafeBytes { raw in
                    _ = sqlite3_bind_blob(statement, index, raw.baseAddress, Int32(raw.count), Self.transient)
                }
            }
        }
        return self
    }

    /// Steps once: true when a row is available, false when done.
    func step() throws -> Bool {
        let rc = sqlite3_step(statement)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let reason = String(cString: sqlite3_errmsg(connection.rawHandle))
            sqlite3_reset(statement)
            throw connection.error(rc, reason)
        }
    }

    /// Runs a statement that returns no rows.
    func run(_ values: [SQLiteValue] = []) throws {
        bind(values)
        while try step() {}
        sqlite3_reset(statement)
    }

    /// Runs a query and calls `row` for each result row.
    func query(_ values: [SQLiteValue] = [], _ row: (SQLiteStatement) throws -> Void) throws {
        bind(values)
        defer { sqlite3_reset(statement) }
        while try step() { try row(self) }
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }
    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(statement, column) else { return nil }
        return String(cString: pointer)
    }
    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// A value bound to a statement parameter.
enum SQLiteValue {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
}
