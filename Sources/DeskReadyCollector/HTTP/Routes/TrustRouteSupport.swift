import DeskReadyModel
import Hummingbird

/// What every `/v1/trusts/{ods}/…` route does before its own work, and how it answers when the report limiter refuses:
/// one place for the checks and the 503s, so the routes cannot drift apart.
extension CollectorRequestContext {
    /// The route's `{ods}`: a trust ODS code (400 otherwise), one the credential may touch (403), set up on this
    /// collector (404).
    func requireTrust(_ request: Request, store: any IdentityStore) async throws -> (ods: String, credential: Credential) {
        let ods = try parameters.require("ods")
        guard ODSCode.isValidTrust(ods) else {
            throw ProblemError(.badRequest, title: "Invalid trust", detail: "'\(ReportQuery.printable(ods))' is not a trust ODS code (3 to 5 upper-case letters or digits)",
                               errors: [FieldProblem(pointer: "ods", problem: "must be a trust ODS code")])
        }
        let credential = try requireAccess(to: ods, request: request)
        guard try await store.trusts().contains(where: { $0.ods == ods }) else {
            throw ProblemError(.notFound, title: "Not Found", detail: "trust \(ods) is not set up on this collector")
        }
        return (ods, credential)
    }
}

extension ReportLimiter {
    /// Renders within the limits; a refusal is a 503 problem with `Retry-After`: busy when every slot is taken, too
    /// long when the time limit cancelled it.
    func render(trust ods: String, retryAfterSeconds: Int, context: CollectorRequestContext,
                _ work: @escaping @Sendable () async throws -> RenderedReport) async throws -> RenderedReport {
        try await prepare(trust: ods, retryAfterSeconds: retryAfterSeconds, context: context, work)
    }

    /// `render` for any result (the national export grades here, then streams).
    func prepare<T: Sendable>(trust ods: String, retryAfterSeconds: Int, context: CollectorRequestContext,
                              _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await run(work)
        } catch Refusal.busy {
            throw ProblemError(.serviceUnavailable, title: "Busy", detail: "\(capacity) reports are being prepared already; retry after \(retryAfterSeconds) s",
                               headers: [.retryAfter: String(retryAfterSeconds)])
        } catch Refusal.timedOut {
            context.logger.warning("report cancelled at its time limit", metadata: ["trust": "\(ods)", "limit": "\(timeLimit)"])
            throw ProblemError(.serviceUnavailable, title: "Report took too long",
                               detail: "the report ran past the collector's limit of \(timeLimit) and was cancelled; ask for a shorter period or retry later",
                               headers: [.retryAfter: String(retryAfterSeconds)])
        }
    }
}
