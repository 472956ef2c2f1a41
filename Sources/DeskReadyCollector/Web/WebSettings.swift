import Foundation

/// How the web front signs people in and keeps their sessions (`collector.yaml`'s `web_*` and `oidc_*` keys).
public struct WebSettings: Sendable {
    /// A session ends after this long without a request.
    public var sessionIdleSeconds: Int64 = 30 * 60
    /// A session ends this long after sign-in, however busy.
    public var sessionMaximumSeconds: Int64 = 12 * 3600
    /// Marks cookies Secure: on when the collector serves TLS or the redirect URL is https.
    public var secureCookies = false
    /// Offers the form that signs in with a reader or admin token.
    public var tokenSignIn = true
    /// Whom a person without access should ask, shown on the page that tells them.
    public var adminContact = "the administrator of this DeskReady collector"
    /// The OpenID Connect provider, if one is configured.
    public var oidc: OIDCSettings?

    public init() {}
}

/// An OpenID Connect provider (Entra ID v2 or any standard one) and this collector's registration with it.
public struct OIDCSettings: Sendable {
    /// The issuer, exactly as the provider's discovery document and ID tokens name it (Entra ID:
    /// `https://login.microsoftonline.com/<tenant id>/v2.0`).
    public var issuer: String
    public var clientId: String
    public var clientSecret: String
    /// Where the provider sends the browser back: this collector's `/web/oidc/callback`.
    public var redirectURL: String
    /// The claim that names the person and is matched against `user add --email`: `email`, `preferred_username` or `sub`.
    public var userClaim = "email"
    /// The claim listing the person's groups, matched against `user add --group`.
    public var groupsClaim = "groups"
    public var scopes = "openid email profile"
    /// Shown on the sign-in button.
    public var displayName = "your organisation's account"
    /// Clock difference allowed when checking `exp`, `iat` and `nbf`.
    public var leewaySeconds: Int64 = 60

    public init(issuer: String, clientId: String, clientSecret: String, redirectURL: String) {
        self.issuer = issuer
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.redirectURL = redirectURL
    }
}
