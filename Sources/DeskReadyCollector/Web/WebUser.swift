import Foundation

/// The person behind a web request, as `WebSessionMiddleware` found them: their session and what they may read,
/// resolved afresh on every request from the mappings (or the token) so a removed mapping takes effect at once.
public struct WebUser: Sendable {
    public var session: WebSessionRecord
    /// Admins read every trust.
    public var isAdmin: Bool
    /// The trusts a reader may read.
    public var trusts: Set<String>

    public init(session: WebSessionRecord, isAdmin: Bool, trusts: Set<String>) {
        self.session = session
        self.isAdmin = isAdmin
        self.trusts = trusts
    }

    /// Whether they may read trust `ods`.
    public func mayRead(_ ods: String) -> Bool { isAdmin || trusts.contains(ods) }

    /// Whether they may read anything at all.
    public var hasAccess: Bool { isAdmin || !trusts.isEmpty }

    /// How the audit log names them: `web:oidc:alice@nhs.net`.
    public var auditName: String { "web:\(session.kind.rawValue):\(session.user)" }

    /// What a mapping-based user may read.
    static func access(rules: [WebAccessRule], user: String, subject: String, groups: [String]) -> (isAdmin: Bool, trusts: Set<String>) {
        let matching = rules.filter { $0.matches(user: user, subject: subject, groups: groups) }
        return (matching.contains { $0.role == .admin }, Set(matching.compactMap { $0.role == .reader ? $0.trust : nil }))
    }
}
