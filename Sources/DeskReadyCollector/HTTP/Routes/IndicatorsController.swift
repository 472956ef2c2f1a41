import DeskReadyModel
import Foundation
import Hummingbird

/// The maturity toolkit's national pull, for a `toolkit` token or an admin: `GET /v1/trusts` (every trust's code,
/// name, devices and newest data) and `GET /v1/indicators` (every trust's graded indicators, streamed trust by trust
/// in JSON, CSV or FHIR). Grading runs under the report limiter; writing starts once every trust is graded, so a
/// refusal is still a problem document and not a cut-off body. Every read is audited.
struct IndicatorsController {
    let store: any CollectorStore
    let exports: any IndicatorExporting
    let limiter: ReportLimiter
    let audit: AuditLog
    let retryAfterSeconds: Int

    /// Bytes gathered before a piece of the export is written to the connection.
    static let chunkBytes = 64 * 1024

    func addRoutes(to router: some RouterMethods<CollectorRequestContext>) {
        let group = router.group().add(middleware: BearerAuthMiddleware(store: store, roles: [.toolkit, .admin]))
        group.get("/v1/trusts", use: trusts)
        group.get("/v1/indicators", use: indicators)
    }

    /// `GET /v1/trusts`'s answer.
    struct TrustList: ResponseEncodable {
        var trusts: [TrustListing]
    }

    /// One trust as `GET /v1/trusts` lists it.
    struct TrustListing: Encodable {
        var ods: String
        var name: String
        var devicesKnown: Int
        var newestDataAt: String?
        var firstDataDay: String?

        enum CodingKeys: String, CodingKey {
            case ods, name
            case devicesKnown = "devices_known"
            case newestDataAt = "newest_data_at"
            case firstDataDay = "first_data_day"
        }
    }

    @Sendable func trusts(_ request: Request, context: CollectorRequestContext) async throws -> TrustList {
        let credential = try context.requireCredential()
        var listings: [TrustListing] = []
        for trust in try await store.trusts().sorted(by: { $0.ods < $1.ods }) {
            let summary = try await store.trustSummary(trust: trust.ods)
            listings.append(TrustListing(
                ods: trust.ods, name: trust.name, devicesKnown: summary.devicesKnown, newestDataAt: summary.newestEventMs.map(CivilDay.dateTime),
                firstDataDay: try await store.firstDataDayMs(trust: trust.ods).map(CivilDay.format)))
        }
        audit.record("trusts.list", actor: credential.auditName, trust: nil, details: ["trusts": "\(listings.count)"])
        return TrustList(trusts: listings)
    }

    @Sendable func indicators(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        let credential = try context.requireCredential()
        let parameters = request.uri.queryParameters
        let query: ReportQuery
        do {
            let format = parameters.get("format") ?? "json"
            let rules = ReportQuery.Rules(formats: exports.exportFormats)
            query = try ReportQuery.parse(trust: nil, from: parameters.get("from"), to: parameters.get("to"), format: format,
                                          baseline: nil, rules: rules, nowMs: WallClock.nowMs())
        } catch {
            throw ProblemError(.badRequest, title: "Invalid export query", detail: error.message, errors: [FieldProblem(pointer: error.field, problem: error.message)])
        }
        audit.record("indicators.export", actor: credential.auditName, trust: nil, details: [
            "format": query.format, "from": CivilDay.format(query.period.fromMs), "to": CivilDay.format(query.period.toMs),
        ])
        let exports = self.exports
        let prepared = try await limiter.prepare(trust: "*", retryAfterSeconds: retryAfterSeconds, context: context) {
            try await exports.prepareExport(query)
        }
        let logger = context.logger
        return Response(status: .ok, headers: [.contentType: prepared.contentType], body: ResponseBody { writer in
            let out = ChunkedWriter(writer: writer, chunkBytes: Self.chunkBytes)
            do {
                try await prepared.write { piece in try await out.add(piece) }
                try await out.finish()
            } catch {
                // The status is sent: the client sees a cut-off document, and the log says why.
                logger.error("national export stopped while writing", metadata: ["error": "\(error)"])
                throw error
            }
        })
    }
}

/// Gathers the export's pieces into chunks of about `chunkBytes` before writing them to the connection.
private final class ChunkedWriter {
    private var writer: any ResponseBodyWriter
    private var pending = ""
    private let chunkBytes: Int

    init(writer: any ResponseBodyWriter, chunkBytes: Int) {
        self.writer = writer
        self.chunkBytes = chunkBytes
    }

    func add(_ piece: String) async throws {
        pending += piece
        if pending.utf8.count >= chunkBytes { try await flush() }
    }

    func finish() async throws {
        try await flush()
        try await writer.finish(nil)
    }

    private func flush() async throws {
        guard !pending.isEmpty else { return }
        let buffer = ByteBuffer(string: pending)
        pending = ""
        try await writer.write(buffer)
    }
}
