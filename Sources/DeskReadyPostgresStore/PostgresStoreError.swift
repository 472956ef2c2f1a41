import DeskReadyStore
import PostgresNIO

/// A failure of the PostgreSQL store, worded for the operator: what is wrong and what to do.
public enum PostgresStoreError: Error, CustomStringConvertible, Equatable {
    /// The store location cannot be used as written.
    case badLocation(String)
    /// The server cannot be reached or refused the login.
    case cannotConnect(location: String, reason: String)
    /// A value PostgreSQL cannot store (text with a NUL character).
    case unstorableText(field: String)
    /// The database was migrated by a newer DeskReady.
    case newerSchema(found: Int, known: Int)
    /// Anything else the server answered, with its SQLSTATE.
    case server(sqlState: String?, message: String)

    public var description: String {
        switch self {
        case .badLocation(let message): message
        case .cannotConnect(let location, let reason):
            "cannot connect to PostgreSQL at \(location): \(reason). Check that the server is running and reachable (`pg_isready -h HOST -p PORT`), that the user and database exist, and that the password is in DESKREADY_POSTGRES_PASSWORD_FILE or PGPASSWORD."
        case .unstorableText(let field):
            "\(field) contains a NUL character, which PostgreSQL cannot store; the value was refused (send text without control characters)"
        case .newerSchema(let found, let known):
            "the database is at schema version \(found), newer than this DeskReady knows (\(known)); upgrade deskready on this machine before starting it against this database"
        case .server(let state, let message): "PostgreSQL refused the request (SQLSTATE \(state ?? "unknown")): \(message)"
        }
    }

    /// The SQLSTATE of a server error, looking inside transaction errors.
    static func sqlState(_ error: any Error) -> String? {
        if let error = error as? PSQLError { return error.serverInfo?[.sqlState] }
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError, let state = sqlState(inner) { return state }
            if let inner = error.commitError { return sqlState(inner) }
        }
        return nil
    }

    /// `error` as the caller should see it: the store's own errors (thrown inside a transaction) unwrapped, server
    /// errors with their SQLSTATE and message.
    static func describe(_ error: any Error) -> any Error {
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError { return describe(inner) }
            if let inner = error.commitError { return describe(inner) }
            return error
        }
        guard let error = error as? PSQLError else {
            // The pool gave up connecting (its circuit breaker), or was closed.
            if String(describing: type(of: error)).contains("ConnectionPoolError") {
                return StoreUnavailable("PostgreSQL cannot be reached (\(error)); nothing was stored, retry later")
            }
            return error
        }
        guard let state = error.serverInfo?[.sqlState] else {
            if [.connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown].contains(error.code) {
                return StoreUnavailable("the connection to PostgreSQL was lost (\(error.code)); retry later (a batch stored before the loss is then acknowledged as a duplicate)")
            }
            return error
        }
        if state == "22021" { return PostgresStoreError.unstorableText(field: "a text value") }
        // Connection exceptions, an administrator's shutdown, a server starting or full, a read-only standby: passing
        // conditions, answered 503 so agents retry.
        if state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300", "25006"].contains(state) {
            return StoreUnavailable("PostgreSQL cannot take the write now (SQLSTATE \(state): \(error.serverInfo?[.message] ?? "")); retry later")
        }
        return PostgresStoreError.server(sqlState: state, message: error.serverInfo?[.message] ?? "\(error)")
    }

    /// Why a connection attempt failed, in the server's words when it answered, else the network's.
    static func connectionReason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }
}
