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
        let ods = try context.parameters.require("ods")
        guard ODSCode.isValidTrust(ods) else {
            throw ProblemError(.badRequest, title: "Invalid trust", detail: "'\(ReportQuery.printable(ods))' is not a trust ODS code (3 to 5 upper-case letters or digits)",
                               errors: [FieldProblem(pointer: "ods", problem: "must be a trust ODS code")])
        }
        let credential = try context.requireAccess(to: ods, request: request)
        guard try await store.trusts().contains(where: { $0.ods == ods }) else {
            throw ProblemError(.notFound, title: "Not Found", detail: "trust \(ods) is not set up on this collector")
        }
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
        let rendered: RenderedReport
        do {
            let reports = self.reports
            rendered = try await limiter.run { try await reports.render(query) }
        } catch ReportLimiter.Refusal.busy {
            throw ProblemError(.serviceUnavailable, title: "Busy", detail: "\(limiter.capacity) reports are being prepared already; retry after \(retryAfterSeconds) s",
                               headers: [.retryAfter: String(retryAfterSeconds)])
        } catch ReportLimiter.Refusal.timedOut {
            context.logger.warning("report cancelled at its time limit", metadata: ["trust": "\(ods)", "limit": "\(limiter.timeLimit)"])
            throw ProblemError(.serviceUnavailable, title: "Report took too long",
                               detail: "the report ran past the collector's limit of \(limiter.timeLimit) and was cancelled; ask for a shorter period or retry later",
                               headers: [.retryAfter: String(retryAfterSeconds)])
        }
        return Response(status: .ok, headers: [.contentType: rendered.contentType], body: .init(byteBuffer: ByteBuffer(string: rendered.body)))
    }
}
