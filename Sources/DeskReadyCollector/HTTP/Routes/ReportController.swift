import DeskReadyModel
import Hummingbird

/// `GET /v1/trusts/{ods}/report`: a trust's graded report for its readers and for admins, bounded in period, in
/// concurrency and in time, with an audit line for every read.
struct ReportController {
    let store: any CollectorStore
    let reports: any ReportRendering
    let limiter: ReportLimiter
    let audit: AuditLog
    let retryAfterSeconds: Int

    func addRoutes(to router: some RouterMethods<CollectorRequestContext>) {
        router.group().add(middleware: BearerAuthMiddleware(store: store, roles: [.reader, .admin]))
            .get("/v1/trusts/:ods/report", use: report)
    }

    @Sendable func report(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        let (ods, credential) = try await context.requireTrust(request, store: store)
        let parameters = request.uri.queryParameters
        let query: ReportQuery
        do {
            let rules = ReportQuery.Rules(formats: reports.formats, firstDataDayMs: try await store.firstDataDayMs(trust: ods))
            query = try ReportQuery.parse(
                trust: ods, from: parameters.get("from"), to: parameters.get("to"), format: parameters.get("format"),
                baseline: parameters.get("baseline"), rules: rules, nowMs: WallClock.nowMs())
        } catch let error as ReportQueryError {
            throw ProblemError(.badRequest, title: "Invalid report query", detail: error.message, errors: [FieldProblem(pointer: error.field, problem: error.message)])
        }
        if let baseline = query.baseline {
            let names = try await store.baselines(trust: ods).map(\.name)
            guard names.contains(baseline) else {
                let known = names.isEmpty ? "it has none" : "it has: \(names.joined(separator: ", "))"
                throw ProblemError(.notFound, title: "Not Found", detail: "trust \(ods) has no baseline named '\(baseline)'; \(known)")
            }
        }
        audit.record("report.read", actor: credential.auditName, trust: ods, details: [
            "format": query.format, "from": CivilDay.format(query.period.fromMs), "to": CivilDay.format(query.period.toMs),
            "baseline": query.baseline ?? "-",
        ])
        let reports = self.reports
        let rendered = try await limiter.render(trust: ods, retryAfterSeconds: retryAfterSeconds, context: context) { try await reports.render(query) }
        return Response(status: .ok, headers: [.contentType: rendered.contentType], body: .init(byteBuffer: ByteBuffer(string: rendered.body)))
    }
}
