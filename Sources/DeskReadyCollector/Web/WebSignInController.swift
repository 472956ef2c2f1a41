import DeskReadyModel
import Foundation
import Hummingbird

/// Signing in and out: the sign-in page, OpenID Connect (authorization code with PKCE, `state` and `nonce`), the
/// one-off token form for deployments without a provider, and sign-out. Every sign-in, refusal and sign-out is audited.
struct WebSignInController {
    let store: any WebAccessStore & IdentityStore
    let settings: WebSettings
    let sessions: WebSessions
    let provider: OIDCProvider?
    let pending: PendingSignIns
    let audit: AuditLog

    func addRoutes(to group: RouterGroup<CollectorRequestContext>) {
        group.get("/web/sign-in", use: signInPage)
        group.post("/web/sign-in/token", use: tokenSignIn)
        group.get("/web/sign-in/oidc", use: startOIDC)
        group.get("/web/oidc/callback", use: callback)
        group.post("/web/sign-out", use: signOut)
    }

    @Sendable func signInPage(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        if context.webUser != nil { return WebPage.redirect("/") }
        let notice = request.uri.queryParameters.get("signed-out") != nil ? "You have signed out." : nil
        return page(notice: notice, problem: nil)
    }

    /// The sign-in page, with a fresh form token in its cookie.
    private func page(status: HTTPResponse.Status = .ok, notice: String?, problem: String?) -> Response {
        let formToken = WebCookies.randomValue()
        var body = "<h1>Sign in to DeskReady</h1>\n"
        if let notice { body += "<p class=\"notice\" role=\"status\">\(WebPage.escape(notice))</p>\n" }
        if let problem { body += "<p class=\"problem\" role=\"alert\">\(WebPage.escape(problem))</p>\n" }
        if let oidc = settings.oidc {
            body += "<section class=\"signin\">\n<h2>With \(WebPage.escape(oidc.displayName))</h2>\n"
            body += "<p><a class=\"button\" href=\"/web/sign-in/oidc\">Sign in with \(WebPage.escape(oidc.displayName))</a></p>\n</section>\n"
        }
        if settings.tokenSignIn {
            body += """
                <section class="signin">
                <h2>With a reader token</h2>
                <form class="token" method="post" action="/web/sign-in/token">
                <input type="hidden" name="form" value="\(formToken)">
                <div><label for="token">Reader or admin token</label>
                <span class="hint" id="token-hint">The token the collector's administrator gave you, starting drr_ or dra_. You enter it once; the session then keeps you signed in.</span>
                <input type="password" id="token" name="token" autocomplete="off" aria-describedby="token-hint" required></div>
                <p><button type="submit">Sign in</button></p>
                </form>
                </section>

                """
        }
        if settings.oidc == nil && !settings.tokenSignIn {
            body += "<p class=\"problem\">No way to sign in is configured on this collector; ask \(WebPage.escape(settings.adminContact)).</p>\n"
        }
        var response = WebPage.response(status, title: "Sign in", user: nil, body: body)
        response.setCookie(WebCookies.make(WebCookies.signInForm, formToken, maxAge: 3600, path: "/web/sign-in", secure: settings.secureCookies))
        return response
    }

    @Sendable func tokenSignIn(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        guard settings.tokenSignIn else {
            throw WebError(.notFound, "Token sign-in is off", "This collector signs people in with \(settings.oidc?.displayName ?? "its identity provider") only.")
        }
        let form = try await WebForm.read(request)
        guard let cookie = WebCookies.value(request, WebCookies.signInForm), let sent = form["form"], WebCookies.equal(cookie, sent) else {
            refuse(context, request, "sign-in form token missing or wrong")
            return page(status: .forbidden, notice: nil, problem: "That sign-in form had expired or did not come from this page. Enter your token again.")
        }
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, token.utf8.count <= 256, let credential = try await store.authenticate(token: token, nowMs: WallClock.nowMs()) else {
            refuse(context, request, "unknown, revoked or expired token")
            return page(status: .unauthorized, notice: nil, problem: "That token is unknown, revoked or expired. Check it, or ask \(settings.adminContact) for a new one.")
        }
        guard credential.role == .reader || credential.role == .admin else {
            refuse(context, request, "a \(credential.role.rawValue) token may not sign in")
            return page(status: .forbidden, notice: nil, problem: "That is \(credential.role.rawValue == "enrolment" || credential.role.rawValue == "importer" ? "an" : "a") \(credential.role.rawValue) token; only reader and admin tokens open the reports.")
        }
        audit.record("web.sign_in", actor: credential.auditName, trust: credential.trust, details: ["method": "token"])
        return try await sessions.open(kind: .token, user: credential.auditName, subject: "", groups: [], credentialId: credential.id, location: "/")
    }

    @Sendable func startOIDC(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        guard let provider else {
            throw WebError(.notFound, "No identity provider", "This collector has no OpenID Connect provider configured; sign in with a token on the sign-in page.")
        }
        let (cookie, entry) = pending.start()
        let url: String
        do {
            url = try await provider.authorizationURL(state: entry.state, nonce: entry.nonce, verifier: entry.verifier)
        } catch let error as OIDCError {
            context.logger.error("identity provider unusable", metadata: ["reason": "\(error.message)"])
            throw WebError(.badGateway, "Identity provider unavailable", "The collector could not reach its identity provider (\(error.message)). Try again in a few minutes; if it persists tell \(settings.adminContact).")
        }
        var response = WebPage.redirect(url)
        response.setCookie(WebCookies.make(WebCookies.oidcLogin, cookie, maxAge: 600, path: "/web/oidc", secure: settings.secureCookies))
        return response
    }

    @Sendable func callback(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        guard let provider, let oidc = settings.oidc else {
            throw WebError(.notFound, "No identity provider", "This collector has no OpenID Connect provider configured.")
        }
        let parameters = request.uri.queryParameters
        let entry = WebCookies.value(request, WebCookies.oidcLogin).flatMap { pending.take(cookie: $0) }
        let clear = { (response: Response) -> Response in
            var response = response
            response.setCookie(WebCookies.expired(WebCookies.oidcLogin, path: "/web/oidc", secure: settings.secureCookies))
            return response
        }
        if let error = parameters.get("error") {
            refuse(context, request, "provider returned error \(ReportQuery.printable(error))")
            return clear(page(status: .unauthorized, notice: nil, problem: "\(oidc.displayName) did not sign you in (\(ReportQuery.printable(error))\(parameters.get("error_description").map { ": " + ReportQuery.printable($0) } ?? "")). Try again."))
        }
        guard let entry else {
            refuse(context, request, "no sign-in in progress in this browser")
            return clear(page(status: .badRequest, notice: nil, problem: "This sign-in had expired or was started in another browser. Sign in again."))
        }
        guard let state = parameters.get("state"), WebCookies.equal(state, entry.state) else {
            refuse(context, request, "state does not match")
            return clear(page(status: .badRequest, notice: nil, problem: "The answer from \(oidc.displayName) did not match this sign-in (state). Sign in again."))
        }
        guard let code = parameters.get("code"), !code.isEmpty, code.utf8.count <= 4096 else {
            refuse(context, request, "no code")
            return clear(page(status: .badRequest, notice: nil, problem: "The answer from \(oidc.displayName) carried no sign-in code. Sign in again."))
        }
        let identity: IDTokenVerifier.Identity
        do {
            let idToken = try await provider.exchange(code: code, verifier: entry.verifier)
            identity = try await IDTokenVerifier(provider: provider, settings: oidc).verify(idToken, nonce: entry.nonce, nowMs: WallClock.nowMs())
        } catch let error as OIDCError {
            refuse(context, request, error.message)
            return clear(page(status: .unauthorized, notice: nil, problem: "Sign-in refused: \(error.message)."))
        }
        audit.record("web.sign_in", actor: "web:oidc:\(identity.user)", trust: nil, details: ["method": "oidc", "subject": identity.subject])
        return clear(try await sessions.open(kind: .oidc, user: identity.user, subject: identity.subject, groups: identity.groups, credentialId: nil, location: "/"))
    }

    @Sendable func signOut(_ request: Request, context: CollectorRequestContext) async throws -> Response {
        guard let user = context.webUser else { return WebPage.redirect("/web/sign-in") }
        let form = try await WebForm.read(request)
        do {
            try WebSessions.requireCSRF(form, user: user)
        } catch {
            audit.record("web.refused", actor: user.auditName, trust: nil, details: ["reason": "sign-out form without the session's CSRF token"])
            throw error
        }
        audit.record("web.sign_out", actor: user.auditName, trust: nil)
        return try await sessions.close(user, location: "/web/sign-in?signed-out=1")
    }

    private func refuse(_ context: CollectorRequestContext, _ request: Request, _ reason: String) {
        audit.record("web.sign_in_refused", actor: "web:anonymous", trust: nil, details: ["reason": reason])
        AccessLog.refused(context, request, reason)
    }
}
