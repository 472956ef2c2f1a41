/// A store kept in a file on the collector's own machine (SQLite): `/metrics` reports the free space and size of the
/// file system holding it. A store on a database server (PostgreSQL) has no such file here.
public protocol LocalDatabaseFile: Sendable {
    /// The database file.
    var path: String { get }
}
