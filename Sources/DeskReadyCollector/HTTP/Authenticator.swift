import DeskReadyModel
import Hummingbird
import Logging

/// Checks the bearer token of a request against the identity store. Refusals are logged without the token.
struct Authenticator: Sendable {
    let store: any IdentityStore

    func require(_ request: Request, context: some RequestContext, roles: Set<CredentialRole>) async throws -> Credential {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            log(context, request, "no bearer token")
            throw unauthorized("this endpoint needs a token: send `Authorization: Bearer <token>`")
        }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        guard token.utf8.count <= 256, let credential = try await store.authenticate(token: token, nowMs: WallClock.nowMs()) else {
            log(context, request, "unknown, revoked or expired token")
            throw unauthorized("the token is unknown, revoked or expired; ask the collector's administrator for a new one (devices: enrol again)")
        }
        guard roles.contains(credential.role) else {
            log(context, request, "a \(credential.role.rawValue) token may not use this endpoint", credential: credential)
            throw ProblemError(.forbidden, title: "Forbidden",
                               detail: "\(article(credential.role.rawValue)) token may not use this endpoint; it needs \(roles.map { article($0.rawValue) }.sorted().joined(separator: " or ")) token")
        }
        return credential
    }

    func log(_ context: some RequestContext, _ request: Request, _ reason: String, credential: Credential? = nil) {
        var metadata: Logger.Metadata = ["path": "\(request.uri.path)", "reason": "\(reason)"]
        if let credential {
            metadata["credential_id"] = "\(credential.id)"
            metadata["trust"] = "\(credential.trust ?? "-")"
        }
        context.logger.notice("request refused", metadata: metadata)
    }

    private func article(_ word: String) -> String {
        (word.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + word
    }

    private func unauthorized(_ detail: String) -> ProblemError {
        ProblemError(.unauthorized, title: "Unauthorized", detail: detail, headers: [.wwwAuthenticate: "Bearer"])
    }
}
