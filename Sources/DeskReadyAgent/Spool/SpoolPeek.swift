internal import GRDBSQLite

#if canImport(Glibc)
import Glibc
#endif

/// Reads one value of a spool's state without writing anything: `check-config` runs as root, and a spool opened for
/// writing by root could leave root-owned `-wal` and `-shm` files the agent's user then cannot write.
/// Opens read-only when SQLite will create no file (the daemon's `-shm` exists, or this user owns the spool);
/// otherwise reads the main file as immutable (a value written in the last moments may not be seen yet).
public enum SpoolPeek {
    /// The device token an earlier enrolment left in the spool, if the spool exists and holds one.
    public static func deviceToken(spoolPath: String) -> String? {
        state(SpoolStateKey.deviceToken, spoolPath: spoolPath)
    }

    static func state(_ key: String, spoolPath: String) -> String? {
        var info = stat()
        guard stat(spoolPath, &info) == 0 else { return nil }
        let safe = access(spoolPath + "-shm", F_OK) == 0 || info.st_uid == geteuid()
        let uri = "file:" + spoolPath.replacingPercentAndQuestion() + (safe ? "?mode=ro" : "?immutable=1")
        var db: OpaquePointer?
        defer { sqlite3_close_v2(db) }
        guard sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nil) == SQLITE_OK, let db else { return nil }
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        guard sqlite3_prepare_v2(db, "SELECT value FROM state WHERE key = ?", -1, &statement, nil) == SQLITE_OK else { return nil }
        _ = key.withCString { sqlite3_bind_text(statement, 1, $0, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self)) }
        guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else { return nil }
        return String(cString: text)
    }
}

extension String {
    /// A path as the path part of an SQLite `file:` URI: `%`, `?` and `#` escaped.
    fileprivate func replacingPercentAndQuestion() -> String {
        var out = ""
        for character in self {
            switch character {
            case "%": out += "%25"
            case "?": out += "%3f"
            case "#": out += "%23"
            default: out.append(character)
            }
        }
        return out
    }
}
