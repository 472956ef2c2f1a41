import DeskReadyModel
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL

/// Builds the collector's HTTP application around a store.
public enum CollectorServer {
    /// The router: the open health routes, then one controller per concern, each behind the authentication its
    /// route group needs; every error answered as problem+json.
    public static func router(
        store: any CollectorStore, configuration: CollectorConfiguration, metrics: CollectorMetrics, reports: (any ReportRendering)? = nil,
        audit: AuditLog = AuditLog(), web: WebFront? = nil
    ) -> Router<CollectorRequestContext> {
        let router = Router(context: CollectorRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: ProblemMiddleware())
        let gate = IngestGate(capacity: configuration.maxPendingBatches)
        let reader = RequestBodyReader(maxBodyBytes: configuration.maxBodyBytes, maxDecompressedBytes: configuration.maxDecompressedBytes)
        HealthController(store: store, metrics: metrics, gate: gate, reportCache: reports as? any ReportCacheStatistics).addRoutes(to: router)
        EnrolmentController(store: store, reader: reader, audit: audit).addRoutes(to: router)
        BatchController(store: store, configuration: configuration, metrics: metrics, gate: gate, reader: reader,
                        ingestion: BatchIngestion(limits: configuration.limits)).addRoutes(to: router)
        // One limiter for the API's reports and the web pages' alike.
        let limiter = ReportLimiter(capacity: configuration.maxConcurrentReports, timeLimit: .seconds(configuration.reportTimeLimitSeconds))
        if let reports {
            ReportController(store: store, reports: reports, limiter: limiter, audit: audit, retryAfterSeconds: configuration.retryAfterSeconds)
                .addRoutes(to: router)
            if let devices = reports as? any DeviceTableRendering {
                DeviceTableController(store: store, devices: devices, limiter: limiter, audit: audit, retryAfterSeconds: configuration.retryAfterSeconds)
                    .addRoutes(to: router)
            }
            if let exports = reports as? any IndicatorExporting {
                IndicatorsController(store: store, exports: exports, limiter: limiter, audit: audit, retryAfterSeconds: configuration.retryAfterSeconds)
                    .addRoutes(to: router)
            }
        }
        web?.addRoutes(to: router, limiter: limiter, audit: audit, retryAfterSeconds: configuration.retryAfterSeconds)
        return router
    }

    /// The application, ready to `runService()`. `onRunning` receives the bound port (useful with port 0).
    public static func application(
        store: any CollectorStore, configuration: CollectorConfiguration, logger: Logger,
        metrics: CollectorMetrics = CollectorMetrics(),
        reports: (any ReportRendering)? = nil,
        audit: AuditLog = AuditLog(),
        web: WebFront? = nil,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        Application(
            router: router(store: store, configuration: configuration, metrics: metrics, reports: reports, audit: audit, web: web),
            server: try server(configuration.tls),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "deskready"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// Plain HTTP/1.1, or HTTPS when TLS files are given.
    static func server(_ tls: TLSFiles?) throws -> HTTPServerBuilder {
        let http1 = HTTP1Channel.Configuration(additionalChannelHandlers: [HeaderLimitHandler()])
        guard let tls else { return .http1(configuration: http1) }
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(tls.certificateChainPath)
        } catch {
            throw CollectorStartError("cannot read the TLS certificate chain at \(tls.certificateChainPath): \(error). Pass a PEM file with --tls-cert.")
        }
        do {
            key = try NIOSSLPrivateKey(file: tls.privateKeyPath, format: .pem)
        } catch {
            throw CollectorStartError("cannot read the TLS private key at \(tls.privateKeyPath): \(error). Pass an unencrypted PEM key with --tls-key.")
        }
        let configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        return try .tls(.http1(configuration: http1), tlsConfiguration: configuration)
    }
}
