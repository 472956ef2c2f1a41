import Foundation
import PostgresNIO

/// Where a PostgreSQL store lives, parsed from a `postgres://USER@HOST:PORT/DATABASE` URL (`postgresql://` too).
///
/// The password never comes from the URL (it would show in `ps` and shell history): it is read from the file named by
/// `DESKREADY_POSTGRES_PASSWORD_FILE`, else from `PGPASSWORD`. A Unix socket folder is given as `?host=/path`, as
/// libpq does; `?sslmode=disable|prefer|require` chooses TLS (default `prefer`, `disable` on a socket);
/// `?pool_max=N` bounds the connections (default 10) and `?ingest_writers=N` how many of them store batches at once
/// (default 2; batches waiting meanwhile are stored together, see `PostgresIngestQueue`).
public struct PostgresStoreLocation: Sendable, CustomStringConvertible {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case socket(folder: String, port: Int)
    }

    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public var endpoint: Endpoint
    public var username: String
    public var database: String
    public var password: String?
    public var tls: TLSMode
    /// Connections this process keeps at most (several collectors × this must stay under the server's `max_connections`).
    public var maximumConnections: Int
    /// Transactions storing batches at once, at most (the rest of the pool serves reports and token checks).
    public var ingestWriters: Int

    /// True for the URL schemes this store takes.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses the URL; `environment` supplies the password (see the type's comment).
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isPostgresURL(text), let url = URLComponents(string: text) else {
            throw PostgresStoreError.badLocation("'\(text)' is not a PostgreSQL URL; write postgres://USER@HOST:PORT/DATABASE")
        }
        if url.password != nil {
            throw PostgresStoreError.badLocation(
                "the PostgreSQL URL holds a password, which would show in the process list; remove it and put it in a file named by DESKREADY_POSTGRES_PASSWORD_FILE (or in PGPASSWORD)")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let port = url.port ?? 5432
        if let folder = query["host"], folder.hasPrefix("/") {
            endpoint = .socket(folder: folder, port: port)
        } else {
            guard let host = url.host, !host.isEmpty else {
                throw PostgresStoreError.badLocation("'\(text)' names no host; write postgres://USER@HOST:PORT/DATABASE (or ?host=/socket/folder)")
            }
            endpoint = .tcp(host: host, port: port)
        }
        username = url.user ?? environment["PGUSER"] ?? "postgres"
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = path.isEmpty ? username : path
        let defaultTLS: TLSMode = if case .socket = endpoint { .disable } else { .prefer }
        guard let tls = TLSMode(rawValue: query["sslmode"] ?? defaultTLS.rawValue) else {
            throw PostgresStoreError.badLocation("sslmode '\(query["sslmode"] ?? "")' is not one of disable, prefer, require")
        }
        self.tls = tls
        maximumConnections = try Self.count(query, "pool_max", default: 10, in: 1...1000)
        // Two writers: one stores while the other waits for its commit's flush; more only split the same batches into
        // smaller groups (bench ingest: 1, 2 and 5 writers per collector, BENCHMARKS.md).
        ingestWriters = try Self.count(query, "ingest_writers", default: min(2, maximumConnections), in: 1...maximumConnections)
        if let file = environment["DESKREADY_POSTGRES_PASSWORD_FILE"], !file.isEmpty {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw PostgresStoreError.badLocation("cannot read the PostgreSQL password file \(file) (DESKREADY_POSTGRES_PASSWORD_FILE); check that it exists and is readable")
            }
            password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        } else {
            password = environment["PGPASSWORD"]
        }
    }

    /// A whole-number setting of the URL's query, or its default when absent.
    private static func count(_ query: [String: String], _ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = query[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw PostgresStoreError.badLocation("\(name)=\(text) in the PostgreSQL URL is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// The URL without any secret, for logs and messages.
    public var description: String {
        switch endpoint {
        case .tcp(let host, let port): "postgres://\(username)@\(host):\(port)/\(database)"
        case .socket(let folder, let port): "postgres://\(username)@/\(database)?host=\(folder) (socket \(folder)/.s.PGSQL.\(port))"
        }
    }

    /// A URL that parses back to this location (without the password), for another process to open it.
    public var url: String {
        let query = "sslmode=\(tls.rawValue)&pool_max=\(maximumConnections)&ingest_writers=\(ingestWriters)"
        return switch endpoint {
        case .tcp(let host, let port): "postgres://\(username)@\(host):\(port)/\(database)?\(query)"
        case .socket(let folder, let port): "postgres://\(username)@localhost:\(port)/\(database)?host=\(folder)&\(query)"
        }
    }

    /// The same server, another database (tests make one per test).
    public func database(_ name: String) -> PostgresStoreLocation {
        var copy = self
        copy.database = name
        return copy
    }

    package var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            let tlsConfiguration: PostgresClient.Configuration.TLS = switch tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
            configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password,
                                                          database: database, tls: tlsConfiguration)
        case .socket(let folder, let port):
            configuration = PostgresClient.Configuration(unixSocketPath: "\(folder)/.s.PGSQL.\(port)", username: username,
                                                          password: password, database: database)
        }
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// The same settings for one direct connection, used once at open to report why a connection fails.
    package func connectionConfiguration() throws -> PostgresConnection.Configuration {
        switch endpoint {
        case .tcp(let host, let port):
            let tlsConfiguration: PostgresConnection.Configuration.TLS = switch tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            return PostgresConnection.Configuration(host: host, port: port, username: username, password: password,
                                                    database: database, tls: tlsConfiguration)
        case .socket(let folder, let port):
            return PostgresConnection.Configuration(unixSocketPath: "\(folder)/.s.PGSQL.\(port)", username: username,
                                                    password: password, database: database)
        }
    }
}
