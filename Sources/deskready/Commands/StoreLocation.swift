import ArgumentParser
import DeskReadyCollector
import DeskReadyPostgresStore
import DeskReadySQLiteStore
import Foundation
import Logging
import ServiceLifecycle

/// Where the collector's data lives, as every command's `--db` names it: `postgres://USER@HOST:PORT/DATABASE` (or
/// `postgresql://`) for a PostgreSQL database shared by several collectors, `sqlite:PATH` or a plain file path for
/// one SQLite file. The one place a command turns that text into a store.
enum StoreLocation: CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresStoreLocation)

    init(_ text: String) throws {
        if PostgresStoreLocation.isPostgresURL(text) {
            do {
                self = .postgres(try PostgresStoreLocation(url: text))
            } catch {
                throw ValidationError("\(error)")
            }
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else if text.contains("://") {
            throw ValidationError("'\(text)' is not a store location; use a SQLite file path (or sqlite:PATH) or postgres://USER@HOST:PORT/DATABASE")
        } else {
            self = .sqlite(path: text)
        }
    }

    var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let location): location.description
        }
    }

    /// The SQLite file, when the store is one (for what only SQLite has: backup, integrity check, benchmarks).
    var sqlitePath: String? {
        if case .sqlite(let path) = self { return path }
        return nil
    }

    /// Opens the store. A SQLite file must exist unless `create` (commands that only read or administer would
    /// otherwise make an empty database by mistake); a PostgreSQL database is migrated when it is new.
    func open(create: Bool = false, logger: Logger = Self.commandLogger) async throws -> OpenedStore {
        switch self {
        case .sqlite(let path):
            if !create && !FileManager.default.fileExists(atPath: path) {
                throw ValidationError("no database at \(path); pass --db with the collector's database file (`deskready serve --db` creates it) or a postgres:// URL")
            }
            let store = try SQLiteMeasurementStore(path: path)
            return OpenedStore(store: store, retention: store, services: [])
        case .postgres(let location):
            let store = try await PostgresMeasurementStore.open(location, logger: logger)
            return OpenedStore(store: store, retention: store, services: [store])
        }
    }

    /// Commands log the store's own messages (migrations, connection problems) at warning and above.
    static var commandLogger: Logger {
        var logger = Logger(label: "deskready.store")
        logger.logLevel = .warning
        return logger
    }
}

/// A store opened by `StoreLocation`, with what the collector runs beside it.
struct OpenedStore {
    let store: any CollectorStore
    let retention: any RawEventRetention & AggregateRetention
    /// Services the store needs while the collector serves (the PostgreSQL store's aggregate folding); put them
    /// first in the service group, so they stop after the HTTP server.
    let services: [any Service]
}
