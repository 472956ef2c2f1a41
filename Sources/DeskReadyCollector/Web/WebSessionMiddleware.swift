import DeskReadyModel
import Foundation
import Hummingbird

/// Finds the browser's session from its cookie, ends it when idle or too old (or when its token was revoked), and
/// resolves what the person may read. Refuses nothing: each page decides what to do without a session.
struct WebSessionMiddleware: RouterMiddleware {
    typealias Context = CollectorRequestContext

    let store: any WebAccessStore & IdentityStore
    let settings: WebSettings

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let id = WebCookies.value(request, WebCookies.session) {
            context.webUser = try await user(idHash: WebCookies.hash(id), context: context)
        }
        return try await next(request, context)
    }

    private func user(idHash: Data, context: Context) async throws -> WebUser? {
        guard let session = try await store.webSession(idHash: idHash) else { return nil }
        let nowMs = WallClock.nowMs()
        guard nowMs - session.lastSeenMs < settings.sessionIdleSeconds * 1000, nowMs - session.createdMs < settings.sessionMaximumSeconds * 1000 else {
            try await store.deleteWebSession(idHash: idHash)
            context.logger.info("web session expired", metadata: ["user": "\(session.user)"])
            return nil
        }
        let user: WebUser
        switch session.kind {
        case .oidc:
            let access = WebUser.access(rules: try await store.webAccessRules(), user: session.user, subject: session.subject, groups: session.groups)
            user = WebUser(session: session, isAdmin: access.isAdmin, trusts: access.trusts)
        case .token:
            guard let credential = try await store.credentials().first(where: { $0.id == session.credentialId }), credential.isActive(nowMs: nowMs),
                  credential.role == .reader || credential.role == .admin else {
                try await store.deleteWebSession(idHash: idHash)
                return nil
            }
            user = WebUser(session: session, isAdmin: credential.role == .admin, trusts: Set([credential.trust].compactMap { $0 }))
        }
        // Idle expiry counts from the last use; written at most once a minute.
        if nowMs - session.lastSeenMs > 60_000 { try await store.touchWebSession(idHash: idHash, lastSeenMs: nowMs) }
        return user
    }
}
