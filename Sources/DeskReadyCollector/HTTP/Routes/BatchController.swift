import DeskReadyModel
import Foundation
import Hummingbird

/// `POST /v1/batches`: a device stores its own measurements, an importer those of any device of its trust.
struct BatchController {
    let store: any CollectorStore
    let configuration: CollectorConfiguration
    let metrics: CollectorMetrics
    let gate: IngestGate
    let reader: RequestBodyReader
    let ingestion: BatchIngestion

    func addRoutes(to router: some RouterMethods<CollectorRequestContext>) {
        router.group().add(middleware: BearerAuthMiddleware(store: store, roles: [.device, .importer]))
            .post("/v1/batches", use: store(_:context:))
    }

    @Sendable func store(_ request: Request, context: CollectorRequestContext) async throws -> BatchAcknowledgement {
        let credential = try context.requireCredential()
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else {
            throw ProblemError(.unsupportedMediaType, title: "Unsupported Media Type",
                               detail: "send the batch as Content-Type: application/json (optionally with Content-Encoding: gzip)")
        }
        let started = ContinuousClock.now
        guard gate.enter() else {
            context.logger.warning("write queue full: answering 503", metadata: ["capacity": "\(gate.capacity)"])
            throw busy("the collector's write queue is full; retry after \(configuration.retryAfterSeconds) s. Nothing was stored.")
        }
        defer { gate.leave() }
        let body = try await reader.read(request)
        let validated = try ingestion.validate(body, nowMs: WallClock.nowMs())
        let device = validated.batch.device
        _ = try context.requireAccess(to: device.trust, request: request, consequence: "Nothing was stored.")
        if credential.role == .device, device.id != credential.deviceId {
            AccessLog.refused(context, request, "batch names device \(device.id)", credential: credential)
            throw ProblemError(.forbidden, title: "Forbidden",
                               detail: "this device token belongs to device \(credential.deviceId ?? "?") of trust \(credential.trust ?? "?"); it may not write batches for device \(device.id). Nothing was stored.")
        }
        let acknowledgement: BatchAcknowledgement
        do {
            acknowledgement = try await store.ingest(validated)
        } catch let error as StoreUnavailable {
            context.logger.error("ingest refused: store unavailable", metadata: ["reason": "\(error.reason)"])
            throw busy("\(error.reason). Nothing was stored; retry after \(configuration.retryAfterSeconds) s.")
        }
        metrics.recordBatch(accepted: acknowledgement.accepted, duplicates: acknowledgement.duplicates,
                            rejected: acknowledgement.rejected.count, duration: ContinuousClock.now - started)
        metrics.trustEvents.record(validated, acknowledgement)
        context.logger.debug("batch stored", metadata: [
            "trust": "\(device.trust)", "accepted": "\(acknowledgement.accepted)",
            "duplicates": "\(acknowledgement.duplicates)", "rejected": "\(acknowledgement.rejected.count)",
        ])
        return acknowledgement
    }

    private func busy(_ detail: String) -> ProblemError {
        ProblemError(.serviceUnavailable, title: "Busy", detail: detail, headers: [.retryAfter: String(configuration.retryAfterSeconds)])
    }
}

extension BatchAcknowledgement: ResponseEncodable {}
