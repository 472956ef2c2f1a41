import DeskReadyModel
import Foundation
import Hummingbird
import Logging

/// Builds the collector's HTTP application around a store.
public enum CollectorServer {
    /// The router with every endpoint and the problem+json error middleware.
    public static func router(store: any MeasurementStore, configuration: CollectorConfiguration) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ProblemMiddleware())
        let reader = RequestBodyReader(maxBodyBytes: configuration.maxBodyBytes, maxDecompressedBytes: configuration.maxDecompressedBytes)
        let ingestion = BatchIngestion(limits: configuration.limits)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]

        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        router.get("/readyz") { _, _ in
            guard await store.isWritable() else {
                throw ProblemError(.serviceUnavailable, title: "Not ready", detail: "the database is not writable; check the disk and the file's permissions")
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ready"}"#)))
        }
        router.post("/v1/batches") { request, context in
            let contentType = request.headers[.contentType]?.lowercased() ?? ""
            guard contentType.hasPrefix("application/json") else {
                throw ProblemError(.unsupportedMediaType, title: "Unsupported Media Type",
                                   detail: "send the batch as Content-Type: application/json (optionally with Content-Encoding: gzip)")
            }
            let body = try await reader.read(request)
            let validated = try ingestion.validate(body, nowMs: WallClock.nowMs())
            let acknowledgement = try await store.ingest(validated)
            context.logger.debug("batch stored", metadata: [
                "trust": "\(validated.batch.device.trust)", "accepted": "\(acknowledgement.accepted)",
                "duplicates": "\(acknowledgement.duplicates)", "rejected": "\(acknowledgement.rejected.count)",
            ])
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(acknowledgement))))
        }
        return router
    }

    /// The application, ready to `runService()`. `onRunning` receives the bound port (useful with port 0).
    public static func application(
        store: any MeasurementStore, configuration: CollectorConfiguration, logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(store: store, configuration: configuration),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "deskready"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }
}
