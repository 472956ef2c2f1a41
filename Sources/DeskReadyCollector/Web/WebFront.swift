import Hummingbird

/// Everything the web front needs, handed to `CollectorServer.router`: where users, mappings and sessions are kept,
/// the reports it shows, and its settings.
public struct WebFront: Sendable {
    public var store: any WebAccessStore & IdentityStore & CollectorStore
    public var pages: any WebReportPages
    public var settings: WebSettings

    public init(store: any WebAccessStore & IdentityStore & CollectorStore, pages: any WebReportPages, settings: WebSettings) {
        self.store = store
        self.pages = pages
        self.settings = settings
    }

    /// The web routes, each behind the error pages, the security headers and the session lookup.
    func addRoutes(to router: Router<CollectorRequestContext>, limiter: ReportLimiter, audit: AuditLog, retryAfterSeconds: Int) {
        let group = router.group()
            .add(middleware: WebErrorMiddleware())
            .add(middleware: WebSessionMiddleware(store: store, settings: settings))
        let sessions = WebSessions(store: store, settings: settings)
        let provider = settings.oidc.map { OIDCProvider(settings: $0) }
        WebSignInController(store: store, settings: settings, sessions: sessions, provider: provider, pending: PendingSignIns(), audit: audit)
            .addRoutes(to: group)
        WebPageController(store: store, pages: pages, settings: settings, limiter: limiter, audit: audit, retryAfterSeconds: retryAfterSeconds)
            .addRoutes(to: group)
    }
}
