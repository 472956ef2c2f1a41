import ArgumentParser
import DeskReadyCollector
import Foundation

/// The web front's settings in `collector.yaml`: whether it is on, sessions, token sign-in and the OpenID Connect
/// provider (the client secret read from a file, never written in the YAML).
struct WebConfig: Equatable {
    var enabled = true
    var tokenSignIn = true
    var sessionIdleMinutes = 30
    var sessionMaxHours = 12
    var adminContact: String?
    var oidcIssuer: String?
    var oidcClientId: String?
    var oidcClientSecretFile: String?
    var oidcRedirectURL: String?
    var oidcUserClaim = "email"
    var oidcGroupsClaim = "groups"
    var oidcScopes = "openid email profile"
    var oidcDisplayName: String?

    static let keys = [
        "web", "web_token_sign_in", "web_session_idle_minutes", "web_session_max_hours", "web_admin_contact",
        "oidc_issuer", "oidc_client_id", "oidc_client_secret_file", "oidc_redirect_url", "oidc_user_claim", "oidc_groups_claim",
        "oidc_scopes", "oidc_display_name",
    ]

    /// Sets one key; returns what is wrong with the value, if anything.
    mutating func set(_ key: String, _ value: String) -> String? {
        func flag(_ assign: (Bool) -> Void) -> String? {
            switch value.lowercased() {
            case "true", "yes", "on": assign(true)
            case "false", "no", "off": assign(false)
            default: return "must be true or false, not '\(value)'"
            }
            return nil
        }
        func whole(_ range: ClosedRange<Int>, _ assign: (Int) -> Void) -> String? {
            guard let number = Int(value), range.contains(number) else { return "must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(value)'" }
            assign(number)
            return nil
        }
        switch key {
        case "web": return flag { enabled = $0 }
        case "web_token_sign_in": return flag { tokenSignIn = $0 }
        case "web_session_idle_minutes": return whole(1...1440) { sessionIdleMinutes = $0 }
        case "web_session_max_hours": return whole(1...168) { sessionMaxHours = $0 }
        case "web_admin_contact": adminContact = value
        case "oidc_issuer": oidcIssuer = value
        case "oidc_client_id": oidcClientId = value
        case "oidc_client_secret_file": oidcClientSecretFile = value
        case "oidc_redirect_url": oidcRedirectURL = value
        case "oidc_user_claim":
            guard ["email", "preferred_username", "sub", "upn"].contains(value) else { return "must be email, preferred_username, upn or sub, not '\(value)'" }
            oidcUserClaim = value
        case "oidc_groups_claim": oidcGroupsClaim = value
        case "oidc_scopes": oidcScopes = value
        case "oidc_display_name": oidcDisplayName = value
        default: return "not a web option"
        }
        return nil
    }

    /// The web front for `store`, or nil when `web: false`.
    func front(store: any CollectorStore, pages: any WebReportPages, tls: Bool) throws -> WebFront? {
        guard enabled else { return nil }
        guard let webStore = store as? any CollectorStore & WebAccessStore else {
            throw ValidationError("this store cannot keep web users and sessions; set `web: false` in collector.yaml")
        }
        return WebFront(store: webStore, pages: pages, settings: try settings(tls: tls))
    }

    /// The checked settings, reading the client secret from its file; `tls` says whether the collector serves HTTPS.
    func settings(tls: Bool) throws -> WebSettings {
        var settings = WebSettings()
        settings.tokenSignIn = tokenSignIn
        settings.sessionIdleSeconds = Int64(sessionIdleMinutes) * 60
        settings.sessionMaximumSeconds = Int64(sessionMaxHours) * 3600
        if let adminContact { settings.adminContact = adminContact }
        settings.secureCookies = tls
        let oidcKeys = [oidcIssuer, oidcClientId, oidcClientSecretFile, oidcRedirectURL]
        if oidcKeys.allSatisfy({ $0 == nil }) { return settings }
        guard let issuer = oidcIssuer, let clientId = oidcClientId, let secretFile = oidcClientSecretFile, let redirect = oidcRedirectURL else {
            throw ValidationError("OpenID Connect needs all of oidc_issuer, oidc_client_id, oidc_client_secret_file and oidc_redirect_url (see collector/ENTRA-ID.md)")
        }
        for (name, url) in [("oidc_issuer", issuer), ("oidc_redirect_url", redirect)] {
            guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host else {
                throw ValidationError("\(name) '\(url)' is not an absolute URL")
            }
            let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
            guard scheme == "https" || (scheme == "http" && loopback) else {
                throw ValidationError("\(name) '\(url)' must use https (plain http is allowed on loopback only, for tests)")
            }
        }
        guard redirect.hasSuffix("/web/oidc/callback") else {
            throw ValidationError("oidc_redirect_url must end with /web/oidc/callback, the collector's callback, for example https://deskready.trust.nhs.uk/web/oidc/callback")
        }
        guard let secret = try? String(contentsOfFile: secretFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !secret.isEmpty else {
            throw ValidationError("cannot read the OpenID Connect client secret from \(secretFile) (oidc_client_secret_file); put the secret alone in that file, readable by the collector only")
        }
        var oidc = OIDCSettings(issuer: issuer, clientId: clientId, clientSecret: secret, redirectURL: redirect)
        oidc.userClaim = oidcUserClaim
        oidc.groupsClaim = oidcGroupsClaim
        oidc.scopes = oidcScopes
        if let oidcDisplayName { oidc.displayName = oidcDisplayName }
        settings.oidc = oidc
        settings.secureCookies = tls || redirect.hasPrefix("https://")
        return settings
    }
}
