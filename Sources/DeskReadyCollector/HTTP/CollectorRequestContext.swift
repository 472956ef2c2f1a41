import DeskReadyModel
import Foundation
import Hummingbird
import Logging

/// The request context of every collector route: Hummingbird's core storage, plus the credential that
/// `BearerAuthMiddleware` authenticated (nil on the open routes: health, readiness, metrics, the API document).
public struct CollectorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `BearerAuthMiddleware` before a protected route's handler runs.
    public var credential: Credential?
    /// Set by `WebSessionMiddleware` on the web pages when the browser has a live session.
    public var webUser: WebUser?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        credential = nil
        webUser = nil
    }

    /// JSON answers with sorted keys, so they are stable byte for byte.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// The authenticated credential. Only routes behind `BearerAuthMiddleware` call it; elsewhere it is a 401.
    public func requireCredential() throws -> Credential {
        guard let credential else {
            throw ProblemError(.unauthorized, title: "Unauthorized", detail: "this endpoint needs a token: send `Authorization: Bearer <token>`",
                               headers: [.wwwAuthenticate: "Bearer"])
        }
        return credential
    }

    /// The credential, when it may read or write trust `ods`; otherwise the refusal is logged and answered 403. The one
    /// place a trust-bound token is held to its trust.
    /// `consequence` is added to the refusal (for example "Nothing was stored.").
    public func requireAccess(to ods: String, request: Request, consequence: String = "") throws -> Credential {
        let credential = try requireCredential()
        guard credential.mayAccess(trust: ods) else {
            AccessLog.refused(self, request, "a token of trust \(credential.trust ?? "-") asked for trust \(ods)", credential: credential)
            throw ProblemError(.forbidden, title: "Forbidden",
                               detail: "this \(credential.role.rawValue) token is for trust \(credential.trust ?? "?"); it may not touch trust \(ods).\(consequence.isEmpty ? "" : " " + consequence)")
        }
        return credential
    }
}

/// Refusals, logged without the token.
enum AccessLog {
    static func refused(_ context: some RequestContext, _ request: Request, _ reason: String, credential: Credential? = nil) {
        var metadata: Logger.Metadata = ["path": "\(request.uri.path)", "reason": "\(reason)"]
        if let credential {
            metadata["credential_id"] = "\(credential.id)"
            metadata["role"] = "\(credential.role.rawValue)"
            metadata["trust"] = "\(credential.trust ?? "-")"
        }
        context.logger.notice("request refused", metadata: metadata)
    }
}
