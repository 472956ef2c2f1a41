import DeskReadyModel
import Hummingbird

/// Authenticates `Authorization: Bearer` tokens for a route group and admits only the roles the group names: the one
/// place roles are checked. Handlers behind it read `context.credential`.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = CollectorRequestContext

    let store: any IdentityStore
    let roles: Set<CredentialRole>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.utf8.count > 7, header.prefix(7).lowercased() == "bearer " else {
            AccessLog.refused(context, request, "no bearer token")
            throw unauthorized("this endpoint needs a token: send `Authorization: Bearer <token>`")
        }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard token.utf8.count <= 256, let credential = try await store.authenticate(token: token, nowMs: WallClock.nowMs()) else {
            AccessLog.refused(context, request, "unknown, revoked or expired token")
            throw unauthorized("the token is unknown, revoked or expired; ask the collector's administrator for a new one (devices: enrol again)")
        }
        guard roles.contains(credential.role) else {
            AccessLog.refused(context, request, "a \(credential.role.rawValue) token may not use this endpoint", credential: credential)
            let wanted = roles.map { Self.article($0.rawValue) }.sorted().joined(separator: " or ")
            throw ProblemError(.forbidden, title: "Forbidden", detail: "\(Self.article(credential.role.rawValue)) token may not use this endpoint; it needs \(wanted) token")
        }
        var context = context
        context.credential = credential
        context.logger[metadataKey: "credential_id"] = "\(credential.id)"
        return try await next(request, context)
    }

    private static func article(_ word: String) -> String {
        (word.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + word
    }

    private func unauthorized(_ detail: String) -> ProblemError {
        ProblemError(.unauthorized, title: "Unauthorized", detail: detail, headers: [.wwwAuthenticate: "Bearer"])
    }
}
