import ArgumentParser
import DeskReadyCollector
import DeskReadyReporting
import Hummingbird
import Logging
import ServiceLifecycle

/// `deskready serve`: runs the collector until SIGTERM or SIGINT, then shuts down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the collector: take batches from agents and store them in SQLite or PostgreSQL.")

    @Option(help: "Collector config file (YAML; see collector/collector.yaml). Options given here override it.")
    var config: String?

    @Option(name: [.customLong("db"), .customLong("store"), .customLong("database")], help: "The store: a SQLite file (created when missing; or sqlite:PATH), or postgres://USER@HOST:PORT/DATABASE (password from DESKREADY_POSTGRES_PASSWORD_FILE or PGPASSWORD). Default ./deskready.sqlite.")
    var db: String?

    @Option(help: "Address to listen on, HOST:PORT. Default 127.0.0.1:8765.")
    var listen: String?

    @Option(help: "TLS certificate chain (PEM); serve HTTPS. Needs --tls-key.")
    var tlsCert: String?

    @Option(help: "TLS private key (PEM, unencrypted).")
    var tlsKey: String?

    @Option(help: "Maturity model YAML for the reports served at /v1/trusts/{ods}/report (default: the built-in model).")
    var maturityModel: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error. Default info.")
    var logLevel: String?

    @Option(help: "Log format: text, or json (one object per line). Default text.")
    var logFormat: String?

    @Option(help: "Delete raw events received more than this many days ago (0 keeps them; reports read the aggregates, which are kept). Default \(RetentionPolicy.standard.rawDays).")
    var rawRetentionDays: Int?

    @Option(help: "Delete hourly aggregates older than this many days (0 keeps them; reports of whole days read the daily rows). Default \(RetentionPolicy.standard.hourlyDays).")
    var hourlyRetentionDays: Int?

    @Option(help: "Delete daily aggregates older than this many days (0 keeps them; reports before then have no data). Default \(RetentionPolicy.standard.dailyDays).")
    var dailyRetentionDays: Int?

    @Option(help: "Largest request body in bytes, as sent. Default \(CollectorConfiguration().maxBodyBytes / 1_048_576) MiB.")
    var maxBodyBytes: Int?

    @Option(help: "Batches that may wait for the database writer before the collector answers 503. Default \(CollectorConfiguration().maxPendingBatches).")
    var maxPendingBatches: Int?

    /// Defaults, then the config file, then these options.
    func settings() throws -> CollectorSettings {
        var settings = try config.map { try CollectorSettings.load(path: $0) } ?? CollectorSettings()
        if let db { settings.db = db }
        if let listen { settings.listen = listen }
        if let tlsCert { settings.tlsCert = tlsCert }
        if let tlsKey { settings.tlsKey = tlsKey }
        if let maturityModel { settings.maturityModel = maturityModel }
        if let logLevel { settings.logLevel = logLevel }
        if let logFormat { settings.logFormat = logFormat }
        if let rawRetentionDays { settings.rawRetentionDays = rawRetentionDays }
        if let hourlyRetentionDays { settings.hourlyRetentionDays = hourlyRetentionDays }
        if let dailyRetentionDays { settings.dailyRetentionDays = dailyRetentionDays }
        if let maxBodyBytes { settings.maxBodyBytes = maxBodyBytes }
        if let maxPendingBatches { settings.maxPendingBatches = maxPendingBatches }
        return settings
    }

    func run() async throws {
        let settings = try settings()
        let (host, port) = try ListenAddress.parse(settings.listen)
        switch settings.logFormat {
        case "text": break
        case "json": LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        default: throw ValidationError("--log-format '\(settings.logFormat)' is not text or json")
        }
        guard settings.rawRetentionDays >= 0 else { throw ValidationError("--raw-retention-days must be 0 (keep) or more") }
        if let problem = settings.retentionProblems().first { throw ValidationError("--" + problem.replacingOccurrences(of: "_", with: "-")) }
        guard settings.maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
        guard settings.maxPendingBatches >= 1 else { throw ValidationError("--max-pending-batches must be at least 1") }
        var logger = Logger(label: "deskready.collector")
        guard let level = Logger.Level(rawValue: settings.logLevel) else {
            throw ValidationError("--log-level '\(settings.logLevel)' is not one of trace, debug, info, notice, warning, error")
        }
        logger.logLevel = level
        let log = logger
        var configuration = CollectorConfiguration(host: host, port: port)
        configuration.maxBodyBytes = settings.maxBodyBytes
        configuration.maxDecompressedBytes = settings.maxDecompressedBytes
        configuration.maxPendingBatches = settings.maxPendingBatches
        configuration.retryAfterSeconds = settings.retryAfterSeconds
        configuration.maxConcurrentReports = settings.maxConcurrentReports
        configuration.reportTimeLimitSeconds = settings.reportTimeLimitSeconds
        switch (settings.tlsCert, settings.tlsKey) {
        case (let cert?, let key?): configuration.tls = TLSFiles(certificateChainPath: cert, privateKeyPath: key)
        case (nil, nil): break
        default: throw ValidationError("--tls-cert and --tls-key go together: pass both to serve HTTPS, or neither for HTTP")
        }
        let db = settings.db
        let opened = try await StoreLocation(db).open(create: true, logger: logger)
        let store = opened.store
        let model = try settings.maturityModel.map { try MaturityModel.load(path: $0) } ?? MaturityModel.standard
        let cache = GradedTrustCache(fullCapacity: settings.reportCacheTrusts, peerMaxAgeSeconds: settings.peerMaxAgeSeconds)
        let reports = TrustReportService(store: store, model: model, cache: cache, windows: settings.aggregateWindows)
        let web = try settings.web.front(store: store, pages: reports, tls: configuration.tls != nil)
        let app = try CollectorServer.application(store: store, configuration: configuration, logger: logger, reports: reports, web: web) { port in
            log.info("collector listening", metadata: ["address": "\(host):\(port)", "database": "\(db)"])
        }
        var services: [any Service] = opened.services + [app]
        if settings.peerMaxAgeSeconds > 0 {
            services.append(PeerGradeRefresher(builder: reports.builder, interval: .seconds(max(settings.peerMaxAgeSeconds / 2, 1)), logger: logger))
        }
        let retention = settings.retentionPolicy
        if retention != RetentionPolicy(rawDays: 0, hourlyDays: 0, dailyDays: 0) {
            services.append(RetentionService(raw: opened.retention, aggregates: opened.retention, policy: retention, logger: logger))
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
