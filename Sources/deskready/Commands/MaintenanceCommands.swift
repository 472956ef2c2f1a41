import ArgumentParser
import DeskReadyCollector
import DeskReadySQLiteStore
import Foundation

/// `deskready backup --to FILE`: an online copy of the database, safe while the collector serves.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup", abstract: "Copy the database with SQLite's online backup, while the collector keeps serving.")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The new backup file.") var to: String

    func run() async throws {
        let store = try database.openSQLite()
        try await store.backup(to: to)
        let problems = try await SQLiteMeasurementStore(path: to).integrityCheck()
        guard problems == ["ok"] else { throw ValidationError("the backup at \(to) failed its integrity check: \(problems.joined(separator: "; "))") }
        print("backed up \(database.db) to \(to) (integrity check ok)")
    }
}

/// `deskready check`: SQLite's integrity check on the database.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Run SQLite's integrity check on the collector's database.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let problems = try await database.openSQLite().integrityCheck()
        guard problems == ["ok"] else {
            throw ValidationError("\(database.db) is damaged: \(problems.joined(separator: "; ")). Restore the latest `deskready backup`.")
        }
        print("\(database.db): integrity check ok")
    }
}

/// `deskready migrate`: brings a store's schema up to date before collectors start (for a rolling upgrade of several
/// collectors on one PostgreSQL database, run it once with the new version; collectors also migrate on start, under
/// an advisory lock, and an older collector refuses a newer schema).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or update the store's schema, then exit.")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        _ = try await database.open(create: true)
        print("\(try StoreLocation(database.db)): schema up to date")
    }
}
