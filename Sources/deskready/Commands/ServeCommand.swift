import ArgumentParser
import DeskReadyCollector
import DeskReadyReporting
import Hummingbird
import Logging
import ServiceLifecycle

/// `deskready serve`: runs the collector until SIGTERM or SIGINT, then shuts down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the collector: take batches from agents and store them in SQLite.")

    @Option(help: "SQLite database file (created when missing).")
    var db = "./deskready.sqlite"

    @Option(help: "Address to listen on, HOST:PORT.")
    var listen = "127.0.0.1:8765"

    @Option(help: "TLS certificate chain (PEM); serve HTTPS. Needs --tls-key.")
    var tlsCert: String?

    @Option(help: "TLS private key (PEM, unencrypted).")
    var tlsKey: String?

    @Option(help: "Maturity model YAML for the reports served at /v1/trusts/{ods}/report (default: the built-in model).")
    var maturityModel: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    @Option(help: "Log format: text, or json (one object per line).")
    var logFormat = "text"

    @Option(help: "Delete raw events older than this many days (0 keeps them).")
    var rawRetentionDays = 0

    @Option(help: "Largest request body in bytes, as sent.")
    var maxBodyBytes = 4 * 1024 * 1024

    @Option(help: "Batches that may wait for the database writer before the collector answers 503.")
    var maxPendingBatches = 64

    func run() async throws {
        let (host, port) = try ListenAddress.parse(listen)
        switch logFormat {
        case "text": break
        case "json": LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        default: throw ValidationError("--log-format '\(logFormat)' is not text or json")
        }
        guard rawRetentionDays >= 0 else { throw ValidationError("--raw-retention-days must be 0 (keep) or more") }
        guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
        guard maxPendingBatches >= 1 else { throw ValidationError("--max-pending-batches must be at least 1") }
        var logger = Logger(label: "deskready.collector")
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level '\(logLevel)' is not one of trace, debug, info, notice, warning, error")
        }
        logger.logLevel = level
        let log = logger
        var configuration = CollectorConfiguration(host: host, port: port)
        configuration.maxBodyBytes = maxBodyBytes
        configuration.maxPendingBatches = maxPendingBatches
        switch (tlsCert, tlsKey) {
        case (let cert?, let key?): configuration.tls = TLSFiles(certificateChainPath: cert, privateKeyPath: key)
        case (nil, nil): break
        default: throw ValidationError("--tls-cert and --tls-key go together: pass both to serve HTTPS, or neither for HTTP")
        }
        let store = try SQLiteMeasurementStore(path: db)
        let model = try maturityModel.map { try MaturityModel.load(path: $0) } ?? MaturityModel.standard
        let reports = TrustReportService(store: store, model: model)
        let app = try CollectorServer.application(store: store, configuration: configuration, logger: logger, reports: reports) { port in
            log.info("collector listening", metadata: ["address": "\(host):\(port)", "database": "\(db)"])
        }
        var services: [any Service] = [app]
        if rawRetentionDays > 0 {
            services.append(RetentionService(store: store, retentionDays: rawRetentionDays, logger: logger))
        }
        // SIGTERM or SIGINT: stop accepting, finish the requests in flight (each commits before it answers), close.
        try await ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }
}

/// Parses `HOST:PORT`.
enum ListenAddress {
    static func parse(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen '\(text)' must be HOST:PORT, for example 127.0.0.1:8765 or 0.0.0.0:443")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
