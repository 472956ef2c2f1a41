import DeskReadyModel
import Hummingbird

/// The open routes for load balancers, monitoring and clients: `/healthz`, `/readyz`, `/metrics` and `/openapi.yaml`,
/// each on `GET` and on `HEAD` (the same status and headers, no body).
struct HealthController {
    let store: any CollectorStore
    let metrics: CollectorMetrics
    let gate: IngestGate
    /// The reports' cache, when the collector serves reports that keep graded trusts.
    var reportCache: (any ReportCacheStatistics)? = nil

    func addRoutes(to router: some RouterMethods<CollectorRequestContext>) {
        let routes: [(String, @Sendable () async throws -> Response)] = [
            ("/healthz", health), ("/readyz", ready), ("/metrics", prometheus), ("/openapi.yaml", document),
        ]
        for (path, handler) in routes {
            router.get(RouterPath(path)) { _, _ in try await handler() }
            router.head(RouterPath(path)) { _, _ in
                let full = try await handler()
                var headers = full.headers
                headers[.contentLength] = full.body.contentLength.map(String.init)
                return Response(status: full.status, headers: headers)
            }
        }
    }

    @Sendable func health() -> Response {
        json(#"{"status":"ok"}"#)
    }

    @Sendable func ready() async throws -> Response {
        if let problem = await store.unavailability() {
            throw ProblemError(.serviceUnavailable, title: "Not ready", detail: problem, headers: [.retryAfter: "10"])
        }
        return json(#"{"status":"ready"}"#)
    }

    @Sendable func prometheus() async -> Response {
        metrics.writeQueueDepth.set(Double(gate.depth))
        metrics.process.update()
        metrics.capacity.update(queueCapacity: gate.capacity, databasePath: (store as? any LocalDatabaseFile)?.path)
        await metrics.trustGauges.refreshIfStale(from: store)
        await metrics.updateStoreGauges(from: store)
        if let counts = await reportCache?.reportCacheCounts() { metrics.updateReportCache(counts) }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                        body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
    }

    @Sendable func document() -> Response {
        Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
    }

    private func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
