import DeskReadyModel
import Foundation
import Hummingbird

/// Opens and ends sessions: a random id in the cookie, only its hash in the store, a CSRF token of its own.
struct WebSessions: Sendable {
    let store: any WebAccessStore
    let settings: WebSettings

    /// Stores a new session and answers with its cookie and a 303 to `location`.
    func open(kind: WebSessionRecord.Kind, user: String, subject: String, groups: [String], credentialId: Int64?, location: String) async throws -> Response {
        let id = WebCookies.randomValue()
        let nowMs = WallClock.nowMs()
        // Old sessions go when new ones come: the table never outgrows the people using it.
        _ = try await store.deleteExpiredWebSessions(idleBeforeMs: nowMs - settings.sessionIdleSeconds * 1000,
                                                     startedBeforeMs: nowMs - settings.sessionMaximumSeconds * 1000)
        try await store.createWebSession(WebSessionRecord(
            idHash: WebCookies.hash(id), kind: kind, user: user, subject: subject, groups: Array(groups.prefix(500)), credentialId: credentialId,
            csrfToken: WebCookies.randomValue(), createdMs: nowMs, lastSeenMs: nowMs))
        var response = WebPage.redirect(location)
        response.setCookie(WebCookies.make(WebCookies.session, id, maxAge: Int(settings.sessionMaximumSeconds), secure: settings.secureCookies))
        return response
    }

    /// Ends the session of `user` on the server and clears its cookie.
    func close(_ user: WebUser, location: String) async throws -> Response {
        try await store.deleteWebSession(idHash: user.session.idHash)
        var response = WebPage.redirect(location)
        response.setCookie(WebCookies.expired(WebCookies.session, secure: settings.secureCookies))
        return response
    }

    /// Refuses a state-changing form whose CSRF token is not the session's.
    static func requireCSRF(_ form: WebForm, user: WebUser) throws {
        guard let sent = form["csrf"], WebCookies.equal(sent, user.session.csrfToken) else {
            throw WebError(.forbidden, "Form expired", "This form did not come from your current page (its security token does not match). Reload the page and try again.")
        }
    }
}
